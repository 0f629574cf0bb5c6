from django_tasks import task

from .outbox import drain


@task()
def drain_outbox_task() -> int:
    """Send the pending search outbox entries to Elasticsearch. Idempotent."""
    return drain().sent
