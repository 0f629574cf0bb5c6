from django_tasks import task


@task()
def birthday_reminders_task() -> int:
    """Weekly (Monday morning): activity items for branch chairs of the unions that
    want them (`actions.remind_chairs`). Idempotent: a second run adds nothing."""
    from portal.union.models import Union

    from .actions import remind_chairs
    from .models import LifeEventSettings

    union_ids = LifeEventSettings.objects.filter(chair_birthday_reminders=True).values("union_id")
    # The system acts (acting_user=None), as in the other scheduled tasks.
    return sum(remind_chairs(union=union, acting_user=None)
               for union in Union.objects.filter(pk__in=union_ids))
