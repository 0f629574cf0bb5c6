"""Writes on the activity stream. Other features add timeline items through
`record_events`; recording the same source for a person twice adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from portal.audit.log import AuditAction, record
from portal.people.models import Person
from portal.union.viewer import forget_viewer

from .models import ActivityEvent, MailState


@transaction.atomic
def record_events(
    *, union, kind: str, occurs_at: dt.datetime, source: str,
    items: Iterable[tuple[int, str, str]], acting_user=None,
    mail: Mapping[int, str] | None = None,
) -> int:
    """Add one event per (person_id, title, url) in `items`, in batched INSERTs.
    `mail` gives a person's event its email state (portal/notifications), else none.

    No audit entry per person: the event is a notice to the person themself, and the
    action that caused it (e.g. sending a bulletin) is audited by its caller."""
    batch: list[ActivityEvent] = []
    created = 0
    mail = mail or {}
    for person_id, title, url in items:
        batch.append(ActivityEvent(union=union, person_id=person_id, kind=kind, title=title[:300],
                                   url=url[:500], occurs_at=occurs_at, source=source,
                                   mail=mail.get(person_id, MailState.NONE)))
        if len(batch) >= 1000:
            created += _create_for_living(batch)
            batch = []
    if batch:
        created += _create_for_living(batch)
    return created


def _create_for_living(batch: list[ActivityEvent]) -> int:
    """Insert the events, except those of people marked deceased (one query a batch):
    nothing new reaches a deceased person's stream (portal/lifeevents)."""
    deceased = set(Person.objects.filter(pk__in=[e.person_id for e in batch],
                                         deceased_on__isnull=False).values_list("pk", flat=True))
    if deceased:
        batch = [event for event in batch if event.person_id not in deceased]
    return len(ActivityEvent.objects.bulk_create(batch, ignore_conflicts=True))


@transaction.atomic
def mark_read(*, person, acting_user, ids: Iterable[int] | None = None) -> int:
    """Mark the person's unread events read (all, or those in `ids`); only the person
    themself may do this."""
    if acting_user is None or person.user_id != acting_user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    events = ActivityEvent.objects.for_union(person.union).filter(person=person,
                                                                   read_at__isnull=True)
    if ids is not None:
        events = events.filter(pk__in=list(ids))
    count = events.update(read_at=timezone.now())
    # The navigation's unread badge is cached per viewer.
    forget_viewer(acting_user.pk)
    if count:
        record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
               fields=["activity_read"], target="activity")
    return count
