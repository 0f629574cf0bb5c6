"""Re-running automations when people change: a person saved, a register sync, custom
values set, a temporary status (life events) changed. Debounced per union: while a run
is queued (a PendingEvaluation row exists) further changes queue nothing, so a sync of
thousands of people runs each automation once, not once per person."""

from __future__ import annotations

import functools

from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from portal.customfields.signals import custom_values_changed
from portal.lifeevents.models import TemporaryStatus
from portal.people.models import Person
from portal.register.signals import register_synced


def _enqueue(union_id: int) -> None:
    from .models import Group, PendingEvaluation
    from .tasks import evaluate_union_task

    if not Group.objects.filter(union_id=union_id, rule__isnull=False).exists():
        return
    try:
        with transaction.atomic():
            _row, created = PendingEvaluation.objects.get_or_create(
                union_id=union_id, defaults={"requested_at": timezone.now()})
    except IntegrityError:  # another process queued it at the same moment
        return
    if created:
        evaluate_union_task.enqueue(union_id)


def request_evaluation(union_id: int | None) -> None:
    """Queue a run of the union's automations once the current transaction commits."""
    if union_id is not None:
        transaction.on_commit(functools.partial(_enqueue, union_id), robust=True)


def _person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        request_evaluation(instance.union_id)


def _synced(sender, union, **kwargs):
    request_evaluation(union.pk)


def _values_changed(sender, union_id, **kwargs):
    request_evaluation(union_id)


def _status_changed(sender, instance, **kwargs):
    request_evaluation(instance.union_id)


def connect() -> None:
    post_save.connect(_person_saved, sender=Person, dispatch_uid="groups_person_saved")
    # A temporary status (life events) starting, changing or removed.
    for signal in (post_save, post_delete):
        signal.connect(_status_changed, sender=TemporaryStatus,
                       dispatch_uid=f"groups_status_{signal is post_save}")
    register_synced.connect(_synced, dispatch_uid="groups_register_synced")
    custom_values_changed.connect(_values_changed, dispatch_uid="groups_custom_values")
