"""Emailing notifications: at once (a task enqueued by `notify`) and as one daily digest
per person (`send_digests`, a daily task).

Nothing is emailed twice: rows are claimed (mail "now"/"digest" -> "sending") in a short
transaction that skips rows another run holds, and marked sent or skipped after. A row
left "sending" by a crash is never retried, as with bulletins (portal/messaging)."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q

from portal.activity.models import ActivityEvent, MailState
from portal.messaging.models import EmailStatus
from portal.people.models import Person
from portal.union.models import Union

from .email import build_message, render_digest, render_one

logger = logging.getLogger(__name__)

BATCH = 200


def _claim(queryset, limit: int) -> list[ActivityEvent]:
    with transaction.atomic():
        rows = list(queryset.select_for_update(skip_locked=True).order_by("person_id", "pk")
                    [:limit])
        if rows:
            ActivityEvent.objects.filter(pk__in=[r.pk for r in rows]).update(
                mail=MailState.SENDING)
    return rows


def _addresses(union, person_ids) -> dict[int, Person]:
    """The people with an address that has not bounced."""
    people = Person.objects.for_union(union).filter(pk__in=list(person_ids)).exclude(email="")
    bounced = dict(EmailStatus.objects.for_union(union).filter(
        person_id__in=list(person_ids), bounced_at__isnull=False).values_list(
        "person_id", "bounced_address"))
    return {p.pk: p for p in people if bounced.get(p.pk, "").lower() != p.email.lower()}


def _send(rendered, person, union, connection) -> bool:
    message = build_message(rendered, to=person.email, connection=connection,
                            list_id=f"notifications.{union.slug}.{union.site.hostname}")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        return False
    except (smtplib.SMTPException, OSError):
        logger.exception("notification email to person %s failed", person.pk)
        return False
    return True


def _finish(sent: list[int], skipped: list[int]) -> None:
    if sent:
        ActivityEvent.objects.filter(pk__in=sent).update(mail=MailState.SENT)
    if skipped:
        ActivityEvent.objects.filter(pk__in=skipped).update(mail=MailState.SKIPPED)


def send_immediate(*, union_id: int, connection=None) -> int:
    """Email each of the union's notifications waiting to go at once, unless read
    meanwhile (then marked skipped); returns how many."""
    union = Union.objects.select_related("site").get(pk=union_id)
    waiting = ActivityEvent.objects.for_union(union).filter(mail=MailState.NOW)
    total = 0
    if not waiting.exists():
        return 0
    connection = connection or get_connection()
    with connection:
        while rows := _claim(waiting, BATCH):
            people = _addresses(union, {r.person_id for r in rows})
            sent, skipped = [], []
            for event in rows:
                person = people.get(event.person_id)
                if event.read_at is not None:  # seen in the portal before it went out
                    person = None
                rendered = person and render_one(event, person=person, union=union,
                                                 root_url=union.site.root_url)
                ok = person is not None and _send(rendered, person, union, connection)
                (sent if ok else skipped).append(event.pk)
            _finish(sent, skipped)
            total += len(sent)
    return total


def send_digests(*, union_id: int | None = None, connection=None) -> int:
    """One email per person listing their notifications waiting for the digest and
    still unread, in every union (or one); returns how many emails were sent. Someone
    whose waiting items are all read gets none."""
    unions = Union.objects.select_related("site").filter(is_active=True)
    if union_id is not None:
        unions = unions.filter(pk=union_id)
    total = 0
    connection = connection or get_connection()
    with connection:
        for union in unions:
            total += _digests_of(union, connection)
    return total


def _digests_of(union, connection) -> int:
    waiting = ActivityEvent.objects.for_union(union).filter(mail=MailState.DIGEST)
    total = 0
    while True:
        # Whole people at a time, so that nobody's items are split over two emails.
        person_ids = list(waiting.order_by("person_id").values_list("person_id", flat=True)
                          .distinct()[:BATCH])
        if not person_ids:
            return total
        rows = _claim(waiting.filter(Q(person_id__in=person_ids)), 100_000)
        if not rows:
            return total
        by_person: dict[int, list[ActivityEvent]] = defaultdict(list)
        # Only what is still unread: an item read since (e.g. its conversation opened)
        # is left out, and marked, so no later digest lists it either. This is their
        # state when claimed; one read in the seconds before the email goes is still sent.
        sent, skipped = [], [event.pk for event in rows if event.read_at is not None]
        for event in rows:
            if event.read_at is None:
                by_person[event.person_id].append(event)
        people = _addresses(union, by_person)
        for person_id, events in by_person.items():
            events.sort(key=lambda e: (e.occurs_at, e.pk), reverse=True)
            person = people.get(person_id)
            ok = person is not None and _send(
                render_digest(events, person=person, union=union, root_url=union.site.root_url),
                person, union, connection)
            (sent if ok else skipped).extend(e.pk for e in events)
            total += ok
        _finish(sent, skipped)
