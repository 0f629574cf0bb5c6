from django_tasks import task

from .actions import apply_retention


@task()
def apply_retention_task() -> int:
    """Daily: anonymise the people whose union's retention period has ended."""
    return apply_retention()
