"""Reads for the activity stream: a person's timeline and their unread count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.people.models import Person, PositionKind
from portal.people.selectors import position_rows
from portal.union.compiled import run_compiled_query
from portal.union.links import root_paths, site_url
from portal.union.viewer import viewer_fact

from .models import ActivityEvent, ActivityKind, translated_title

TIMELINE_LENGTH = 100


def unread_count(person: Person) -> int:
    return ActivityEvent.objects.for_union(person.union).filter(
        person=person, read_at__isnull=True).count()


def nav_visible(request) -> bool:
    """Only for someone with a profile here (staff accounts often have none, and the
    timeline would answer 404). A yes/no the chrome asks for the member card too,
    kept briefly per process (`has_profile`)."""
    union = getattr(request, "union", None)
    if not (request.user.is_authenticated and union is not None
            and request.user.union_id == union.pk):
        return False
    from portal.people.selectors import has_profile

    return has_profile(request)


def nav_unread_count(request) -> int | None:
    """The navigation's badge: unread events of the signed-in user's profile. Kept briefly
    per process (union/viewer.py): new events show within VIEWER_CACHE_SECONDS, and
    reading them (`actions.mark_read`) drops the count at once."""
    if not nav_visible(request):
        return None
    union, user = request.union, request.user
    return viewer_fact(union_id=union.pk, user=user, name="unread",
                       build=lambda: ActivityEvent.objects.for_union(union).filter(
                           person__user=user, read_at__isnull=True).count())


@dataclass
class TimelineItem:
    kind: str
    kind_label: str
    title: str
    url: str
    occurs_at: dt.datetime
    unread: bool = False
    upcoming: bool = False
    pk: int | None = None


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def _derived_items(person: Person) -> list[TimelineItem]:
    """Events that follow from the person's own records: terms of positions of trust
    starting and ending, and the membership's expiry. Computed, never stored."""
    items = []
    # The scope pages' titles and paths, not page objects (portal.union.links).
    roots = root_paths(person.union.site_id)
    for kind, title, starts_on, ends_on, url_path in position_rows(person, with_paths=True):
        label = f"{PositionKind(kind).label}, {title}"
        try:
            url = site_url(person.union.site_id, url_path, roots)
        except ValueError:  # not a page of the union's site: shown without a link
            url = ""
        items.append(TimelineItem(ActivityKind.POSITION, _("Position of trust"),
                                  _("Term starts: %(position)s") % {"position": label},
                                  url, _at(starts_on)))
        if ends_on:
            items.append(TimelineItem(ActivityKind.POSITION, _("Position of trust"),
                                      _("Term ends: %(position)s") % {"position": label},
                                      url, _at(ends_on)))
    if person.membership_valid_until:
        items.append(TimelineItem(ActivityKind.MEMBERSHIP, _("Membership"),
                                  _("Membership valid until"), reverse("people:own_profile"),
                                  _at(person.membership_valid_until)))
    if person.joined_on:
        items.append(TimelineItem(ActivityKind.MEMBERSHIP, _("Membership"),
                                  _("Joined the union"), reverse("people:own_profile"),
                                  _at(person.joined_on)))
    return items


def event_rows(person: Person, *, limit: int) -> list[tuple]:
    """(pk, kind, title, url, occurs_at, read_at, title_msgid, title_params) of the
    person's stored events, newest
    first: every view of the timeline reads them, so their SQL is compiled once per
    limit (portal/union/compiled.py), scoped to the union and the person."""
    return run_compiled_query(
        lambda: ActivityEvent.objects.for_union(person.union_id).filter(person_id=person.pk)
        .order_by("-occurs_at", "-pk")
        .values_list("pk", "kind", "title", "url", "occurs_at", "read_at", "title_msgid",
                     "title_params")[:limit],
        ("timeline-events", limit), [person.union_id, person.pk])


def timeline_for(person: Person, *, limit: int = TIMELINE_LENGTH) -> list[TimelineItem]:
    """Past and upcoming items concerning `person`, newest (latest) first."""
    labels = dict(ActivityKind.choices)
    stored = [
        TimelineItem(kind, str(labels.get(kind, kind)), translated_title(title, msgid, params),
                     url, occurs_at, unread=read_at is None, pk=pk)
        for pk, kind, title, url, occurs_at, read_at, msgid, params
        in event_rows(person, limit=limit)
    ]
    now = timezone.now()
    items = sorted(stored + _derived_items(person), key=lambda i: i.occurs_at, reverse=True)
    for item in items:
        item.upcoming = item.occurs_at > now
    return items[:limit]
