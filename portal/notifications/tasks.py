from django_tasks import task


@task()
def send_immediate_task(union_id: int) -> int:
    """Email the union's notifications waiting to be sent at once. Idempotent."""
    from .sending import send_immediate

    return send_immediate(union_id=union_id)


@task()
def send_digests_task() -> int:
    """The daily digests of every union (manage.py send_notification_digests). Idempotent."""
    from .sending import send_digests

    return send_digests()


@task()
def announce_system_messages_task(message_id: int | None = None) -> int:
    """Activity items (and emails) for system messages that have started: one, or all
    that are due (manage.py announce_system_messages, every few minutes)."""
    from .actions import announce, announce_due
    from .models import SystemMessage

    if message_id is None:
        return announce_due()
    message = SystemMessage.objects.filter(pk=message_id).select_related("union").first()
    return announce(message) if message is not None else 0


@task()
def notify_terms_task(union_id: int, version_id: int, number: int) -> int:
    """Everyone with an account in the union told of a published terms version
    (receivers.terms_saved). Idempotent: notify() adds nothing twice."""
    from portal.union.models import Union

    from .receivers import notify_terms

    union = Union.objects.filter(pk=union_id).first()
    return notify_terms(union=union, version_id=version_id, number=number) if union else 0
