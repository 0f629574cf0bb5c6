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

from . import hooks
from .models import ActivityEvent, MailState


@transaction.atomic
def record_events(
    *, union, kind: str, occurs_at: dt.datetime, source: str,
    items: Iterable[tuple[int, str, str]], acting_user=None,
    mail: Mapping[int, str] | None = None, title_msgid: str = "",
    title_params: Mapping | None = None,
) -> int:
    """Add one event per (person_id, title, url) in `items`, in batched INSERTs.
    `mail` gives a person's event its email state (portal/notifications), else the
    notifications app's policy (`hooks`) does. With `title_msgid` each reader sees the
    title translated into their language when shown (`models.translated_title`).

    No audit entry per person: the event is a notice to the person themself, and the
    action that caused it (e.g. sending a bulletin) is audited by its caller."""
    batch: list[ActivityEvent] = []
    created = 0
    for person_id, title, url in items:
        batch.append(ActivityEvent(union=union, person_id=person_id, kind=kind, title=title[:300],
                                   url=url[:500], occurs_at=occurs_at, source=source,
                                   title_msgid=title_msgid[:300],
                                   title_params=dict(title_params or {})))
        if len(batch) >= 1000:
            created += _create_for_living(_with_mail(union, kind, batch, mail))
            batch = []
    if batch:
        created += _create_for_living(_with_mail(union, kind, batch, mail))
    return created


def _with_mail(union, kind: str, batch: list[ActivityEvent],
               mail: Mapping[int, str] | None) -> list[ActivityEvent]:
    """Each event's email state: as given, else as the notifications app's policy says
    (one query a batch; e.g. a bulletin for someone who wants bulletins in a digest)."""
    if mail is None:
        mail = hooks.mail_states(union=union, kind=kind,
                                 person_ids=[event.person_id for event in batch])
    for event in batch:
        event.mail = mail.get(event.person_id, MailState.NONE)
    return batch


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
