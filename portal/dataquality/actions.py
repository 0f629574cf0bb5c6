"""Writes of the data-quality report: a snapshot of every check's count."""

from __future__ import annotations

import time

from django.utils import timezone

from portal.audit.log import AuditAction, record

from .checks import CHECKS
from .models import QualitySnapshot, Trigger
from .tuning import tuned


def refresh_report(*, union, trigger: str = Trigger.MANUAL, acting_user=None) -> QualitySnapshot:
    """Run every check of `union` and store the counts as a new snapshot (audited: the
    snapshot holds counts, no person's data)."""
    started = time.monotonic()
    # The snapshot is dated when counting starts: it covers every batch committed
    # before that (tasks.refresh_report_task skips a refresh such a snapshot covers).
    counted_at = timezone.now()
    with tuned():
        counts = {check.key: check.count(union) for check in CHECKS}
        snapshot = QualitySnapshot.objects.create(
            union=union, trigger=trigger, counts=counts, created_at=counted_at,
            duration_ms=round((time.monotonic() - started) * 1000),
            requested_by=acting_user if getattr(acting_user, "is_authenticated", False)
            else None,
        )
        record(actor=acting_user, union=union, action=AuditAction.CREATE,
               target=f"dataquality:snapshot:{snapshot.pk}", fields=list(counts))
    return snapshot
