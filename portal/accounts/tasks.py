from django_tasks import task

from .emails import deliver


@task()
def send_account_email_task(user_id: int, kind: str) -> bool:
    """Send a password reset or invitation email (portal/accounts/emails.py)."""
    return deliver(user_id, kind)
