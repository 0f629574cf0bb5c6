"""The sending loop: listing recipients once, then one message per delivery record.

Idempotence: a delivery is claimed (queued -> sending) by a conditional UPDATE before
its message is handed to the mail server, and marked sent right after. A delivery is
therefore handed over at most once, whatever crashes or reruns happen; one found still
"sending" by the next run is marked failed ("interrupted"), never re-sent.

Cancelling (`actions.cancel_send`) turns the still-queued deliveries into cancelled ones,
which no run can claim, and the send into cancelled, which no run can lease or renew.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Case, CharField, DateTimeField, F, Q, Value, When
from django.db.models.functions import Coalesce, Mod
from django.utils import timezone

from portal.activity.actions import record_events
from portal.activity.models import ActivityKind
from portal.branches.visibility import send_changed
from portal.people.models import Person

from .audience import Audience, audience_people, bounced_q, unsubscribed_q
from .email import (
    build_message,
    render_bulletin,
    unsubscribe_token,
    unsubscribe_url,
    versions_of,
)
from .models import (
    BulletinSend,
    Delivery,
    DeliveryStatus,
    EmailStatus,
    SendStatus,
    SkipReason,
)

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 200
INTERRUPTED = "interrupted while sending; not retried, to never send twice"


class Throttle:
    """At most `rate` messages a second (0: unlimited), evenly spaced."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()  # shared by the sending threads

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            slot = max(self.next_at, now)
            self.next_at = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def _language_for(preferred: str, versions: dict, original: str) -> str:
    return preferred if preferred in versions else original


def queue_deliveries(send_id: int) -> bool:
    """List the recipients (one delivery each) and add the bulletin to their timelines,
    all in one transaction; does nothing if that was done already."""
    with transaction.atomic():
        send = BulletinSend.objects.select_for_update().get(pk=send_id)
        # Scheduled sends list their recipients when they start, not before.
        if send.queued_at is not None or send.status not in (SendStatus.QUEUED,
                                                             SendStatus.SENDING):
            return False
        bulletin = send.bulletin
        branch = bulletin.get_parent().specific
        versions = versions_of(bulletin)
        original = bulletin.locale.language_code
        links = {lang: (page.title, page.get_full_url() or "") for lang, page in versions.items()}
        people = (
            audience_people(branch, Audience.from_json(send.audience))
            .annotate(_unsub=unsubscribed_q(), _bounced=bounced_q())
            .order_by("pk")
            .values_list("pk", "email", "preferred_language", "_unsub", "_bounced")
        )
        deliveries: list[Delivery] = []
        timeline: list[tuple[int, str, str]] = []
        for pk, email, preferred, unsub, bounced in people.iterator(chunk_size=2000):
            language = _language_for(preferred, versions, original)
            status, reason = DeliveryStatus.QUEUED, SkipReason.NONE
            if not email:
                status, reason = DeliveryStatus.SKIPPED, SkipReason.NO_ADDRESS
            elif unsub:
                status, reason = DeliveryStatus.SKIPPED, SkipReason.UNSUBSCRIBED
            elif bounced:
                status, reason = DeliveryStatus.SKIPPED, SkipReason.BOUNCED
            deliveries.append(Delivery(union_id=send.union_id, send=send, person_id=pk,
                                       email=email, language=language, status=status,
                                       skip_reason=reason))
            title, url = links[language]
            timeline.append((pk, title, url))
            if len(deliveries) >= 2000:
                Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
                deliveries = []
        if deliveries:
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        record_events(union=send.union, kind=ActivityKind.BULLETIN,
                      occurs_at=timezone.now(), source=f"bulletin:{bulletin.pk}", items=timeline)
        send.queued_at = timezone.now()
        send.save(update_fields=["queued_at"])
    return True


def _take_lease(send_id: int, token: str) -> bool:
    now = timezone.now()
    return bool(
        BulletinSend.objects.filter(pk=send_id, status__in=[SendStatus.QUEUED, SendStatus.SENDING])
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE, lease_token=token, status=SendStatus.SENDING,
                started_at=Coalesce("started_at", now))
    )


def _renew_lease(send_id: int, token: str) -> bool:
    """False when the lease passed to another run, or the send was cancelled."""
    return bool(BulletinSend.objects.filter(pk=send_id, lease_token=token,
                                            status=SendStatus.SENDING)
                .update(lease_until=timezone.now() + LEASE))


def _release_lease(send_id: int, token: str) -> None:
    BulletinSend.objects.filter(pk=send_id, lease_token=token).update(lease_until=None,
                                                                       lease_token="")


def _skip_newly_flagged(send: BulletinSend, batch: list[Delivery]) -> set[int]:
    """People who unsubscribed, or whose address bounced, after the list was made are
    skipped too (a bounce counts only for the address that bounced); the deceased are
    cancelled."""
    addresses = {d.person_id: d.email.lower() for d in batch}
    rows = (EmailStatus.objects.filter(person_id__in=list(addresses))
            .filter(Q(unsubscribed_at__isnull=False) | Q(bounced_at__isnull=False))
            .values_list("person_id", "unsubscribed_at", "bounced_address"))
    skipped: set[int] = set()
    # Marked deceased after the list was made: nothing more is sent to them.
    deceased = list(Person.objects.filter(pk__in=list(addresses), deceased_on__isnull=False)
                    .values_list("pk", flat=True))
    if deceased:
        Delivery.objects.filter(send=send, person_id__in=deceased,
                                status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.CANCELLED)
        skipped.update(deceased)
    for person_id, unsubscribed_at, bounced_address in rows:
        if unsubscribed_at is not None:
            reason = SkipReason.UNSUBSCRIBED
        elif bounced_address.lower() == addresses[person_id]:
            reason = SkipReason.BOUNCED
        else:
            continue
        Delivery.objects.filter(send=send, person_id=person_id,
                                status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SKIPPED, skip_reason=reason)
        skipped.add(person_id)
    return skipped


@dataclass
class _Run:
    send: BulletinSend
    token: str
    root_url: str
    list_id: str
    rendered: dict
    original: str
    throttle: Throttle


def deliver(send_id: int, *, connection=None, rate: float | None = None,
            workers: int | None = None) -> dict:
    """Send every queued delivery of a send. Safe to run again at any time: a second
    concurrent run finds the lease taken and returns; a rerun after a crash resumes.

    `workers` mail connections send in parallel threads (each with its own share of the
    deliveries); SQLite, which cannot write concurrently, always uses one."""
    queue_deliveries(send_id)
    token = uuid.uuid4().hex
    if not _take_lease(send_id, token):
        return {"ran": False}
    rate = settings.BULLETIN_RATE_PER_SECOND if rate is None else rate
    workers = settings.BULLETIN_SEND_WORKERS if workers is None else workers
    if connection is not None or db_connection.vendor != "postgresql":
        workers = 1
    counts = {"ran": True, "sent": 0, "failed": 0, "bounced": 0, "skipped": 0}
    try:
        send = BulletinSend.objects.select_related("union__site").get(pk=send_id)
        counts["failed"] += send.deliveries.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, error=INTERRUPTED)
        bulletin = send.bulletin
        branch = bulletin.get_parent().specific
        site = send.union.site
        # Each language is rendered once, up front; per message only the link differs.
        rendered = {
            language: render_bulletin(page, root_url=site.root_url, language=language)
            for language, page in versions_of(bulletin).items()
        }
        run = _Run(send=send, token=token, root_url=site.root_url, rendered=rendered,
                   original=bulletin.locale.language_code,
                   list_id=f"{branch.slug}.{send.union.slug}.{site.hostname}",
                   throttle=Throttle(rate))
        if workers <= 1:
            finished = _send_loop(run, connection, counts, part=None)
        else:
            finished = _send_in_threads(run, counts, workers)
        # Not over a cancellation that committed after the last batch.
        if (finished and not send.deliveries.filter(status=DeliveryStatus.QUEUED).exists()
                and BulletinSend.objects.filter(pk=send_id, lease_token=token,
                                                status=SendStatus.SENDING).update(
                    status=SendStatus.DONE, finished_at=timezone.now())):
            # Sent: a whole-branch bulletin is public from now on.
            send_changed(union_id=send.union_id, bulletin_id=send.bulletin_id)
        return counts
    finally:
        _release_lease(send_id, token)


def _send_in_threads(run: _Run, counts: dict, workers: int) -> bool:
    results: list[bool] = []
    errors: list[BaseException] = []
    shares: list[dict] = []

    def work(index: int) -> None:
        share = dict.fromkeys(counts, 0)
        try:
            results.append(_send_loop(run, None, share, part=(index, workers)))
        except BaseException as error:  # re-raised in the calling thread below
            errors.append(error)
        finally:
            shares.append(share)
            db_connection.close()  # this thread's own database connection

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for share in shares:
        for key, value in share.items():
            if key != "ran":
                counts[key] += value
    if errors:
        raise errors[0]
    return all(results)


def _send_loop(run: _Run, connection, counts: dict, part: tuple[int, int] | None) -> bool:
    """Claim and send queued deliveries (of one share, in threads) until none are left.
    False if the lease was lost to another run."""
    own_connection = connection is None
    connection = connection or get_connection()
    send = run.send
    # The last message handed over, marked sent in the same UPDATE that claims the next
    # one (one database round trip per message), or in `finally`.
    pending: tuple[int, str, dt.datetime] | None = None
    try:
        connection.open()
        while True:
            if not _renew_lease(send.pk, run.token):
                logger.warning("send %s: stopped (cancelled, or the lease passed to another "
                               "worker)", send.pk)
                return False
            queued = send.deliveries.filter(status=DeliveryStatus.QUEUED)
            if part is not None:
                queued = queued.alias(share=Mod("id", part[1])).filter(share=part[0])
            batch = list(queued.order_by("pk")[:BATCH])
            if not batch:
                return True
            skipped = _skip_newly_flagged(send, batch)
            counts["skipped"] += len(skipped)
            for delivery in batch:
                if delivery.person_id in skipped:
                    continue
                claimed = _claim(delivery.pk, pending)
                pending = None
                if not claimed:
                    continue
                rendered = run.rendered.get(delivery.language) or run.rendered[run.original]
                token = unsubscribe_token(union_id=send.union_id, person_id=delivery.person_id,
                                          delivery_id=delivery.pk)
                message = build_message(
                    rendered, to=delivery.email,
                    unsubscribe=unsubscribe_url(run.root_url, token), list_id=run.list_id,
                    connection=connection, delivery_id=delivery.pk)
                run.throttle.wait()
                outcome, message_id = _hand_over(connection, message, delivery)
                counts[outcome] += 1
                if outcome == "sent":
                    pending = (delivery.pk, message_id, timezone.now())
    finally:
        if pending is not None:
            _mark_sent(*pending)
        if own_connection:
            connection.close()


def _claim(pk: int, pending) -> bool:
    """Move one delivery from queued to sending; only one run can. With `pending`, the
    previous delivery is marked sent in the same statement."""
    if pending is None:
        return bool(Delivery.objects.filter(pk=pk, status=DeliveryStatus.QUEUED)
                    .update(status=DeliveryStatus.SENDING))
    done, message_id, sent_at = pending
    changed = Delivery.objects.filter(
        Q(pk=done, status=DeliveryStatus.SENDING) | Q(pk=pk, status=DeliveryStatus.QUEUED)
    ).update(
        status=Case(When(pk=done, then=Value(DeliveryStatus.SENT)),
                    default=Value(DeliveryStatus.SENDING)),
        sent_at=Case(When(pk=done, then=Value(sent_at, output_field=DateTimeField())),
                     default=F("sent_at")),
        message_id=Case(When(pk=done, then=Value(message_id, output_field=CharField())),
                        default=F("message_id")),
    )
    return changed == 2


def _mark_sent(pk: int, message_id: str, sent_at) -> None:
    Delivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=sent_at, message_id=message_id)


def _hand_over(connection, message, delivery: Delivery) -> tuple[str, str]:
    """Hand one message to the backend; the outcome and, if sent, its message id."""
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        # The server refused the address outright: a hard bounce; flag the person.
        reason = str(error.recipients.get(delivery.email, error))[:300]
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.BOUNCED,
                                                       error=reason)
        _flag_bounced(delivery.person_id, delivery.email, reason)
        return "bounced", ""
    except Exception as error:  # noqa: BLE001 - any backend error fails this one message
        logger.warning("delivery %s failed: %s", delivery.pk, error)
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED,
                                                       error=str(error)[:300])
        _reopen(connection)
        return "failed", ""
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None) or message.extra_headers["Message-ID"]
    return "sent", str(message_id)[:200]


def _reopen(connection) -> None:
    try:
        connection.close()
        connection.open()
    except Exception:  # noqa: BLE001 - the next message reports the failure itself
        logger.warning("could not reopen the mail connection", exc_info=True)


def _flag_bounced(person_id: int, address: str, reason: str) -> None:
    from .actions import flag_bounced

    person = Person.objects.select_related("union").get(pk=person_id)
    flag_bounced(person=person, address=address, reason=reason)


__all__ = ["INTERRUPTED", "Throttle", "deliver", "queue_deliveries"]
