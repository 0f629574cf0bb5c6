"""Writes of notifications: `notify` is what other apps call when an event concerns
people (a new message, a mention, a meeting invitation, a campaign assignment...).

A notification is an `activity.ActivityEvent` of a notification kind: the same item in
the person's activity stream, idempotent by (person, source), with its email state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portal.activity.actions import record_events
from portal.activity.models import ActivityEvent, MailState
from portal.people.models import Person

from .kinds import KINDS, Delivery


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
    acting_user=None, occurs_at: dt.datetime | None = None,
) -> int:
    """Tell each of `people` (Person objects or ids of `union`) that an event of `kind`
    concerns them: an item in their activity stream linking to `url` (a path on the
    union's site, or a full URL), emailed per their preference for the kind.

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
    created = record_events(
        union=union, kind=kind, occurs_at=occurs_at or timezone.now(), source=source,
        items=[(pk, title, url) for pk in person_ids], acting_user=acting_user,
        mail=_mail_states(union, kind, person_ids))
    if created:
        from .tasks import send_immediate_task

        transaction.on_commit(lambda: send_immediate_task.enqueue(union_id=union.pk))
    return created
