from django_tasks import task


@task()
def send_immediate_task(union_id: int) -> int:
    """Email the union's notifications waiting to be sent at once. Idempotent."""
    from .sending import send_immediate

    return send_immediate(union_id=union_id)
