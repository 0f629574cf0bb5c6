from django_tasks import task

from .actions import expire_ended_terms


@task()
def expire_ended_terms_task() -> int:
    """Daily: remove the page rights of positions whose term has ended. Idempotent."""
    return expire_ended_terms()
