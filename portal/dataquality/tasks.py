import datetime as dt

from django_tasks import task

from .models import Trigger


@task()
def refresh_report_task(union_id: int, trigger: str = Trigger.SYNC,
                        acting_user_id: int | None = None,
                        requested_at: str | None = None) -> int | None:
    """Refresh a union's data-quality report (after a register sync, or asked for in the
    admin); returns the snapshot's id. A sync of 300,000 records arrives in hundreds of
    batches, each sending `register_synced`: a refresh whose counting started after
    `requested_at` (ISO time of the batch's commit) already covers it, so the task
    skips (None) instead of counting the union again for every batch."""
    from django.contrib.auth import get_user_model

    from portal.union.models import Union

    from .actions import refresh_report
    from .models import QualitySnapshot

    union = Union.objects.filter(pk=union_id).first()
    if union is None:
        return None
    if requested_at and QualitySnapshot.objects.for_union(union).filter(
            created_at__gte=dt.datetime.fromisoformat(requested_at)).exists():
        return None
    user = get_user_model().objects.filter(pk=acting_user_id, union=union).first() \
        if acting_user_id else None
    return refresh_report(union=union, trigger=trigger, acting_user=user).pk
