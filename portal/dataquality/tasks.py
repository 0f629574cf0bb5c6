from django_tasks import task

from .models import Trigger


@task()
def refresh_report_task(union_id: int, trigger: str = Trigger.SYNC,
                        acting_user_id: int | None = None) -> int | None:
    """Refresh a union's data-quality report (after a register sync, or asked for in the
    admin); returns the snapshot's id."""
    from django.contrib.auth import get_user_model

    from portal.union.models import Union

    from .actions import refresh_report

    union = Union.objects.filter(pk=union_id).first()
    if union is None:
        return None
    user = get_user_model().objects.filter(pk=acting_user_id, union=union).first() \
        if acting_user_id else None
    return refresh_report(union=union, trigger=trigger, acting_user=user).pk
