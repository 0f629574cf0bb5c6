"""Reads of notifications: preferences, and the system messages a viewer is shown."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from portal.access.roles import roles_for
from portal.activity.models import ActivityKind, MailState
from portal.messaging.models import EmailStatus
from portal.union import sections
from portal.union.viewer import viewer_fact

from .kinds import KINDS, Delivery, label, offered
from .models import NotificationPreference, SystemMessage, SystemMessageDismissal, text_in


def deliveries_for(*, union, kind: str, person_ids: list[int]) -> dict[int, str]:
    """Each person's chosen delivery for `kind` (the kind's default where none), one query.
    Bulletins: see `bulletin_deliveries`."""
    if kind == ActivityKind.BULLETIN:
        return bulletin_deliveries(union=union, person_ids=person_ids)
    chosen = dict(NotificationPreference.objects.for_union(union)
                  .filter(kind=kind, person_id__in=person_ids)
                  .values_list("person_id", "delivery"))
    default = KINDS[kind]
    return {pk: chosen.get(pk, default) for pk in person_ids}


def bulletin_deliveries(*, union, person_ids: list[int]) -> dict[int, str]:
    """A bulletin is emailed in full by portal/messaging unless the person unsubscribed
    there (`EmailStatus.unsubscribed_at`, also set by the bulletin's own unsubscribe
    link); an unsubscribed person with the digest chosen here gets it in the digest.
    So both places agree on one answer."""
    unsubscribed = set(EmailStatus.objects.for_union(union).filter(
        person_id__in=person_ids, unsubscribed_at__isnull=False).values_list("person_id",
                                                                              flat=True))
    if not unsubscribed:
        return dict.fromkeys(person_ids, Delivery.IMMEDIATELY)
    digest = set(NotificationPreference.objects.for_union(union).filter(
        kind=ActivityKind.BULLETIN, delivery=Delivery.DIGEST,
        person_id__in=unsubscribed).values_list("person_id", flat=True))
    return {pk: Delivery.IMMEDIATELY if pk not in unsubscribed
            else Delivery.DIGEST if pk in digest else Delivery.NEVER for pk in person_ids}


def mail_policy(*, union, kind: str, person_ids: list[int]) -> dict[int, str]:
    """activity.hooks' policy for events this app did not record itself: bulletins of
    people who want them in the digest wait for it (messaging emails the rest itself)."""
    if kind != ActivityKind.BULLETIN:
        return {}
    chosen = bulletin_deliveries(union=union, person_ids=person_ids)
    return {pk: MailState.DIGEST for pk, value in chosen.items() if value == Delivery.DIGEST}


@dataclass
class Preference:
    kind: str
    label: str
    delivery: str
    default: str


def preferences_of(person) -> list[Preference]:
    """The person's choice for every kind some feature sends (`kinds.offered`), in the
    page's order (two queries)."""
    chosen = dict(NotificationPreference.objects.for_union(person.union).filter(person=person)
                  .values_list("kind", "delivery"))
    chosen[ActivityKind.BULLETIN] = bulletin_deliveries(
        union=person.union, person_ids=[person.pk])[person.pk]
    return [Preference(kind, label(kind), chosen.get(kind, default), default)
            for kind, default in offered().items()]


# System messages ----------------------------------------------------------------------

def _generation_key(union_id: int | None) -> str:
    return f"notifications:system:{union_id or 'platform'}"


def forget_system_messages(union_id: int | None) -> None:
    """Viewers' cached banners are stale (a message of the union, or of the platform
    when `union_id` is None, was saved or removed)."""
    sections.renew_generation(_generation_key(union_id))


@dataclass(frozen=True)
class Banner:
    pk: int
    title: str
    body: str
    roles: tuple[str, ...]
    starts_at: object
    ends_at: object
    platform: bool
    translations: tuple = ()  # ((language, title, body), ...): see SystemMessage.text_in

    def in_language(self, language: str | None) -> Banner:
        title, body = text_in(self.title, self.body,
                              {code: {"title": t, "body": b} for code, t, b in self.translations},
                              language)
        return replace(self, title=title, body=body)


def _upcoming(union) -> list[Banner]:
    """The union's and the platform's messages that have not ended (and some that start
    soon), kept in the process's cache for VIEWER_CACHE_SECONDS under the two message
    generations: saving a message renews them (at once in the process that saved it).
    Not keyed on the union's page sections, so page changes do not rebuild it."""
    key = (f"notifications:banners:{union.pk}:"
           f"{sections.current_generation(_generation_key(union.pk))}:"
           f"{sections.current_generation(_generation_key(None))}")
    entry = cache.get(key)
    if entry is None:
        entry = [Banner(pk, title, body, tuple(roles or ()), starts, ends, owner is None,
                        tuple((code, text.get("title", ""), text.get("body", ""))
                              for code, text in (translations or {}).items()))
                 for pk, title, body, roles, starts, ends, owner, translations
                 in SystemMessage.objects
                 .shown_in(union).filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")
                 .values_list("pk", "title", "body", "roles", "starts_at", "ends_at",
                              "union_id", "translations")[:20]]
        cache.set(key, entry, timeout=settings.VIEWER_CACHE_SECONDS)
    return entry


def banners_for(request) -> list[Banner]:
    """The system messages shown to the signed-in user here now, not closed by them.
    Nothing is asked of the database while no message is on; when one is, the user's
    closed ones are one query, kept per viewer like the unread count
    (portal/union/viewer.py) and renewed when they close one (`actions.dismiss`)."""
    union, user = getattr(request, "union", None), request.user
    if union is None or not user.is_authenticated or user.union_id != union.pk:
        return []
    roles = roles_for(user, union)
    if not roles:
        return []
    now = timezone.now()
    shown = [b for b in _upcoming(union) if b.starts_at <= now < b.ends_at
             and (not b.roles or set(b.roles) & roles)]
    if not shown:
        return []
    ids = tuple(b.pk for b in shown)
    closed = viewer_fact(
        union_id=union.pk, user=user, name=f"system-closed:{','.join(map(str, ids))}",
        build=lambda: frozenset(SystemMessageDismissal.objects.filter(
            user=user, message_id__in=ids).values_list("message_id", flat=True)))
    # Newest first (the banner region shows the first in full, the rest folded), each in
    # the page's language where the admin wrote one.
    language = translation.get_language()
    return [b.in_language(language) for b in reversed(shown) if b.pk not in closed][:5]


def message_for_viewer(request, pk: int) -> SystemMessage | None:
    """A message the signed-in user may read (their union's or the platform's, for one
    of their roles, started), else None."""
    union, user = getattr(request, "union", None), request.user
    roles = roles_for(user, union)
    message = SystemMessage.objects.shown_in(union).filter(
        pk=pk, starts_at__lte=timezone.now()).first() if roles else None
    if message is None or (message.roles and not set(message.roles) & roles):
        return None
    return message


def messages_of(union) -> list[SystemMessage]:
    """A union's own messages for its admins, newest first."""
    return list(SystemMessage.objects.for_union(union).select_related("created_by")[:200])


def platform_messages() -> list[SystemMessage]:
    return list(SystemMessage.objects.platform().select_related("created_by")[:200])
