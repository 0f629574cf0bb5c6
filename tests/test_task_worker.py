"""The database task backend (django-tasks-db) and its worker, `manage.py db_worker`.

A send committed in a web request only enqueues a row; the worker (here in its one-shot
`--batch` mode) delivers it, each message exactly once however often the send was
enqueued. The search outbox drain and the daily position expiry run through the same
backend and worker.

The tests commit for real (transactional): the worker, like the real one, checks its
database connection between tasks and would drop a test transaction's."""

from __future__ import annotations

import io
import signal
import uuid
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.messaging.actions import start_due_sends
from portal.messaging.models import BulletinSend, Delivery, DeliveryStatus, SendStatus
from portal.messaging.tests.scenario import build

SEND_TASK = "portal.messaging.tasks.send_bulletin_task"


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    # Search off unless a test turns it on: no drain tasks beside the ones under test.
    settings.ELASTICSEARCH_URL = ""


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every task that is ready, then exit. The worker
    installs its own signal handlers; the test runner's are put back afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {sig: signal.getsignal(sig) for sig in signals}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay",
                     "--interval", "0", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def test_a_send_from_the_web_waits_for_the_worker_which_delivers_it_once(
    settings, database_tasks
):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 3  # parallel mail connections on PostgreSQL
    s = build("wrk")
    client = Client(HTTP_HOST=s.union.site.hostname)
    client.force_login(s.chair.user)
    response = client.post(f"/bulletins/{s.bulletin.pk}/send/",
                           {"statuses": ["active", "on_leave"], "confirm": "1"})
    assert response.status_code == 302
    # The request sent nothing: the send waits in the task table.
    assert mail.outbox == []
    send = BulletinSend.objects.get(bulletin=s.bulletin)
    assert send.status == SendStatus.QUEUED
    assert list(DBTaskResult.objects.filter(task_path=SEND_TASK)
                .values_list("status", flat=True)) == [TaskResultStatus.READY]
    # The cron finds it not yet leased and enqueues it again: two tasks, one send.
    assert start_due_sends() == [send.pk]
    assert DBTaskResult.objects.filter(task_path=SEND_TASK,
                                       status=TaskResultStatus.READY).count() == 2

    run_worker()

    # Both, and Wagtail's own tasks (search and reference index) queued beside them.
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL}
    recipients = Counter(m.to[0] for m in mail.outbox)
    assert len(recipients) == len(s.emailed) and set(recipients.values()) == {1}
    assert Delivery.objects.filter(send=send, status=DeliveryStatus.SENT).count() == len(
        s.emailed)
    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    # Running the worker again finds nothing to do and sends nothing.
    run_worker()
    assert len(mail.outbox) == len(s.emailed)


def test_a_send_cancelled_while_waiting_for_the_worker_sends_nothing(settings, database_tasks):
    from portal.messaging.actions import cancel_send, send_bulletin
    from portal.messaging.audience import Audience

    s = build("wrc")
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    cancel_send(send=send, acting_user=s.chair.user)
    run_worker()
    assert DBTaskResult.objects.get(task_path=SEND_TASK).status == TaskResultStatus.SUCCESSFUL
    assert mail.outbox == []
    assert BulletinSend.objects.get(pk=send.pk).status == SendStatus.CANCELLED


def test_the_daily_expiry_runs_through_the_worker(database_tasks):
    call_command("expire_positions", stdout=io.StringIO())
    expiry = DBTaskResult.objects.filter(task_path="portal.access.tasks.expire_ended_terms_task")
    assert expiry.get().status == TaskResultStatus.READY
    run_worker()
    assert expiry.get().status == TaskResultStatus.SUCCESSFUL


def test_search_indexing_drains_through_the_worker(settings, database_tasks, elasticsearch_url):
    from portal.people import actions as people_actions
    from search.client import drop_all, get_client
    from search.documents import alias_name, person_doc_id
    from search.models import OutboxEntry
    from tests.factories import make_union

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
    try:
        union = make_union("wrs")
        person = people_actions.create_person(union=union, first_name="Veera",
                                              last_name="Workerinen")
        assert OutboxEntry.objects.filter(object_id=person.pk,
                                          processed_at__isnull=True).exists()
        assert DBTaskResult.objects.filter(task_path="search.tasks.drain_outbox_task",
                                           status=TaskResultStatus.READY).exists()
        run_worker()
        assert not OutboxEntry.objects.filter(processed_at__isnull=True).exists()
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
            TaskResultStatus.SUCCESSFUL}
        client = get_client()
        client.indices.refresh(index=alias_name())
        assert client.exists(index=alias_name(), id=person_doc_id(person.pk))
    finally:
        drop_all(get_client())
