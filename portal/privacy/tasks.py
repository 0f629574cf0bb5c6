from django_tasks import task


@task()
def build_export_task(export_id: int) -> str:
    """Build a queued access export (privacy/actions.py: build_queued)."""
    from .actions import build_queued

    return build_queued(export_id)
