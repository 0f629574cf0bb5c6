from django_tasks import task

from .alerts import scan


@task()
def scan_audit_log_task() -> int:
    """Hourly: misuse alerts from the audit entries written since the last run."""
    return scan()
