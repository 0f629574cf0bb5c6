"""Writes of notifications: `notify` is what other apps call when an event concerns
people (a new message, a mention, a meeting invitation, a campaign assignment...);
people's email preferences; system messages and their dismissal.

A notification is an `activity.ActivityEvent` of a notification kind: the same item in
the person's activity stream, idempotent by (person, source), with its email state."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.activity.actions import record_events
from portal.activity.models import ActivityEvent, ActivityKind, MailState, translated_title
from portal.audit.log import AuditAction, record
from portal.messaging.actions import resubscribe_person, unsubscribe_person
from portal.people.models import Person
from portal.union.models import Role
from portal.union.viewer import forget_viewer

from .kinds import KINDS, Delivery
from .models import NotificationPreference, SystemMessage, SystemMessageDismissal


def _person_ids(union, people: Iterable) -> list[int]:
    ids = {p.pk if isinstance(p, Person) else int(p) for p in people}
    # Only the union's own people: a forged or foreign id notifies nobody.
    return list(Person.objects.for_union(union).filter(pk__in=ids).values_list("pk", flat=True))


def _mail_states(union, kind: str, person_ids: list[int]) -> dict[int, str]:
    from .selectors import deliveries_for

    chosen = deliveries_for(union=union, kind=kind, person_ids=person_ids)
    states = {Delivery.IMMEDIATELY: MailState.NOW, Delivery.DIGEST: MailState.DIGEST}
    return {pk: states.get(chosen[pk], MailState.NONE) for pk in person_ids}


@transaction.atomic
def notify(
    *, union, people: Iterable, kind: str, title: str, url: str, source: str,
    title_params: dict | None = None, acting_user=None, occurs_at: dt.datetime | None = None,
) -> int:
    """Tell each of `people` (Person objects or ids of `union`) that an event of `kind`
    concerns them: an item in their activity stream linking to `url` (a path on the
    union's site, or a full URL), emailed per their preference for the kind.

    The title: text as entered (a system message's title) when `title_params` is None;
    with `title_params` (a dict, maybe empty), `title` is an untranslated message marked
    with `gettext_noop` and each reader sees `gettext(title) % title_params` in their
    own language, in the stream and in the email, rendered when shown (values such as a
    name or a team's name stay as entered). Never pass a title translated in the
    caller's language: it would reach everyone in that language.

    `source` names the event ("message:42"); notifying a person of the same source again
    adds nothing, so callers may retry. Returns how many items were added. No audit entry
    per person: it is a notice to the person themself; the caller audits its action."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not source:
        raise ValueError("a notification needs a source")
    person_ids = _person_ids(union, people)
    # Those told already are left out here (the unique constraint would drop them too,
    # but bulk_create cannot say which rows it dropped, and only new items are emailed).
    told = set(ActivityEvent.objects.for_union(union).filter(
        source=source, person_id__in=person_ids).values_list("person_id", flat=True))
    person_ids = [pk for pk in person_ids if pk not in told]
    if not person_ids:
        return 0
    # A bulletin's email is the bulletin itself (portal/messaging); here only its digest.
    mail = _mail_states(union, kind, person_ids)
    if kind == ActivityKind.BULLETIN:
        mail = {pk: state for pk, state in mail.items() if state == MailState.DIGEST}
    msgid = ""
    if title_params is not None:
        msgid, title_params = title, {k: _plain(v) for k, v in title_params.items()}
        with translation.override(union.default_language):
            title = translated_title(title, msgid, title_params)  # for the admin, exports
    created = record_events(
        union=union, kind=kind, occurs_at=occurs_at or timezone.now(), source=source,
        items=[(pk, title, url) for pk in person_ids], acting_user=acting_user, mail=mail,
        title_msgid=msgid, title_params=title_params)
    if created and MailState.NOW in mail.values():
        from .tasks import send_immediate_task

        union_id = union.pk
        transaction.on_commit(lambda: send_immediate_task.enqueue(union_id))
    return created


def _plain(value):
    """A title's value as stored in JSON (numbers stay numbers for %d; lazy text as text)."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


# Preferences ----------------------------------------------------------------------------

def _require_self(person, acting_user) -> None:
    if acting_user is None or person.user_id != acting_user.pk:
        raise PermissionDenied


@transaction.atomic
def set_preferences(*, person, choices: dict[str, str], acting_user) -> list[str]:
    """The person themself chooses how each kind is emailed; returns the kinds changed.
    Bulletins: messaging's unsubscribe flag follows (see selectors.bulletin_deliveries)."""
    _require_self(person, acting_user)
    return _apply(person, choices, acting_user)


def _apply(person, choices: dict[str, str], acting_user) -> list[str]:
    from .selectors import preferences_of

    current = {p.kind: p.delivery for p in preferences_of(person)}
    changed = []
    for kind, delivery in choices.items():
        if kind not in KINDS or delivery not in Delivery.values:
            raise ValidationError(_("Unknown choice."))
        if current.get(kind) == delivery:
            continue
        changed.append(kind)
        NotificationPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"union": person.union, "delivery": delivery})
        if kind == ActivityKind.BULLETIN:
            if delivery == Delivery.IMMEDIATELY:
                resubscribe_person(person=person, acting_user=acting_user)
            else:
                unsubscribe_person(person=person, acting_user=acting_user)
        if delivery == Delivery.NEVER:
            # What waits for a digest or an email of this kind is not sent after all.
            ActivityEvent.objects.for_union(person.union).filter(
                person=person, kind=kind, mail__in=[MailState.NOW, MailState.DIGEST]
            ).update(mail=MailState.SKIPPED)
    if changed:
        record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
               fields=[f"notification_email:{kind}" for kind in changed],
               target="notification preferences")
    return changed


DIGEST = "digest"  # an unsubscribe token's kind: every kind now in the digest


@transaction.atomic
def unsubscribe(*, person, kind: str) -> list[str]:
    """The one-click unsubscribe of an email (a signed link, no sign-in): stop emails of
    `kind`, or with `DIGEST` every kind now sent in the digest. Audited, actor unknown."""
    from .selectors import preferences_of

    if kind == DIGEST:
        kinds = [p.kind for p in preferences_of(person) if p.delivery == Delivery.DIGEST]
    elif kind in KINDS:
        kinds = [kind]
    else:
        raise ValidationError(_("Unknown choice."))
    return _apply(person, dict.fromkeys(kinds, Delivery.NEVER), None)


# System messages ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str) -> str:
    """Tags and control characters out: the text is shown escaped, links made clickable."""
    return _CONTROL.sub("", html.unescape(nh3.clean(value or "", tags=set()))).strip()


def _check_may_manage(acting_user, union) -> None:
    from portal.access.roles import is_admin

    if acting_user is None or not acting_user.is_active:
        raise PermissionDenied
    if union is None:
        if not (acting_user.is_platform_operator or acting_user.is_superuser):
            raise PermissionDenied
    elif not is_admin(acting_user, union):
        raise PermissionDenied


def _clean(values: dict, union) -> dict:
    roles = [r for r in values.get("roles") or [] if r in Role.values]
    languages = dict(settings.LANGUAGES)
    language = values.get("language") or (union.default_language if union is not None
                                          else settings.LANGUAGE_CODE)
    if language not in languages:
        raise ValidationError(_("Unknown choice."))
    translations = {}
    for code, text in (values.get("translations") or {}).items():
        title = plain_text((text or {}).get("title", ""))[:200]
        if code in languages and code != language and title:  # no title: the default's
            translations[code] = {"title": title,
                                  "body": plain_text(text.get("body", ""))[:2000]}
    cleaned = {"title": plain_text(values["title"])[:200],
               "body": plain_text(values.get("body", ""))[:2000], "roles": sorted(set(roles)),
               "starts_at": values["starts_at"], "ends_at": values["ends_at"],
               "language": language, "translations": translations}
    if not cleaned["title"]:
        raise ValidationError({"title": _("A title is needed.")})
    if cleaned["ends_at"] <= cleaned["starts_at"]:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    return cleaned


def _audit_message(message: SystemMessage, acting_user, action: str) -> None:
    record(actor=acting_user, union=message.union, action=action,
           target=f"system message {message.pk}", fields=["system_message"])


def _changed(message: SystemMessage) -> None:
    from .selectors import forget_system_messages

    union_id = message.union_id
    transaction.on_commit(lambda: forget_system_messages(union_id))
    transaction.on_commit(lambda: _announce_soon(message.pk))


def _announce_soon(pk: int) -> None:
    from .tasks import announce_system_messages_task

    announce_system_messages_task.enqueue(pk)


@transaction.atomic
def create_system_message(*, union, values: dict, acting_user) -> SystemMessage:
    """A union's admin writes to their union (`union`), or the platform's operator to
    every union (`union=None`)."""
    _check_may_manage(acting_user, union)
    message = SystemMessage.objects.create(union=union, created_by=acting_user,
                                             **_clean(values, union))
    _audit_message(message, acting_user, AuditAction.CREATE)
    _changed(message)
    return message


@transaction.atomic
def update_system_message(*, message: SystemMessage, values: dict,
                          acting_user) -> SystemMessage:
    """Changes show on the banner; activity items made when it started keep their title."""
    _check_may_manage(acting_user, message.union)
    for name, value in _clean(values, message.union).items():
        setattr(message, name, value)
    message.save()
    _audit_message(message, acting_user, AuditAction.EDIT)
    _changed(message)
    return message


@transaction.atomic
def delete_system_message(*, message: SystemMessage, acting_user) -> None:
    """The banner goes; activity items made for it are removed too."""
    _check_may_manage(acting_user, message.union)
    _audit_message(message, acting_user, AuditAction.DELETE)
    events = ActivityEvent.objects.filter(source=f"system:{message.pk}")
    if message.union_id is not None:
        events = events.filter(union_id=message.union_id)
    events.delete()
    union_id = message.union_id
    message.delete()
    from .selectors import forget_system_messages

    transaction.on_commit(lambda: forget_system_messages(union_id))


def dismiss(*, message: SystemMessage, acting_user) -> None:
    """The user closes the banner for themself (not audited: it is their own view)."""
    try:
        with transaction.atomic():
            SystemMessageDismissal.objects.create(message=message, user=acting_user)
    except IntegrityError:
        pass  # dismissed already
    forget_viewer(acting_user.pk)


def _recipients(message: SystemMessage, union) -> dict[str, list[int]]:
    """The union's living people whose active account holds one of the message's roles
    (any role if none), by the language they read in (their preferred one, else the
    union's): each gets the title the admin wrote in their language, if any."""
    people = Person.objects.for_union(union).filter(
        deceased_on__isnull=True, user__is_active=True, user__union=union,
        user__groups__union_role__union=union)
    if message.roles:
        people = people.filter(user__groups__union_role__role__in=message.roles)
    codes = {code for code, _name in settings.LANGUAGES}
    by_language: dict[str, list[int]] = {}
    for pk, language in people.values_list("pk", "preferred_language").distinct():
        code = language if language in codes else union.default_language
        by_language.setdefault(code, []).append(pk)
    return by_language


@transaction.atomic
def announce(message: SystemMessage, now: dt.datetime | None = None) -> int:
    """Once the message has started: an activity item (and email per preference) for
    every person it is for, in every union for a platform message. Done once: the mark
    and the items are one transaction."""
    from django.urls import reverse

    from portal.union.models import Union

    now = now or timezone.now()
    if message.starts_at > now or message.ends_at <= now:
        return 0
    claimed = SystemMessage.objects.filter(pk=message.pk, announced_at__isnull=True).update(
        announced_at=now)
    if not claimed:
        return 0
    unions = ([message.union] if message.union_id is not None
              else Union.objects.filter(is_active=True).order_by("pk"))
    url = reverse("notifications:system_message", args=[message.pk])
    made = 0
    for union in unions:
        for language, people in _recipients(message, union).items():
            made += notify(union=union, people=people, kind=ActivityKind.SYSTEM,
                           title=message.text_in(language)[0], url=url,
                           source=f"system:{message.pk}", occurs_at=message.starts_at)
    return made


def announce_due(now: dt.datetime | None = None) -> int:
    """Every message that has started and was not announced yet (the cron job)."""
    now = now or timezone.now()
    made = 0
    for message in SystemMessage.objects.filter(announced_at__isnull=True, starts_at__lte=now,
                                                 ends_at__gt=now).select_related("union"):
        made += announce(message, now)
    return made
