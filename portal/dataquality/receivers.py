"""The report is refreshed after each committed register batch (`register_synced`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Trigger


def on_register_synced(sender, union, kinds=(), **kwargs) -> None:
    from .tasks import refresh_report_task

    union_id = union.pk

    def enqueue():
        refresh_report_task.enqueue(union_id, Trigger.SYNC, None, timezone.now().isoformat())

    transaction.on_commit(enqueue)


def connect() -> None:
    from portal.register.signals import register_synced

    register_synced.connect(on_register_synced, dispatch_uid="dataquality_refresh")
