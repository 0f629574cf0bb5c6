from django_tasks import task

from .sending import deliver


@task()
def send_bulletin_task(send_id: int) -> dict:
    """Send one bulletin to its recipients. Idempotent: safe to enqueue again."""
    return deliver(send_id)
