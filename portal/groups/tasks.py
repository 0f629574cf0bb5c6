from django_tasks import task


@task()
def evaluate_group_task(group_id: int) -> list[int] | None:
    """Run one group's automation now (the "Run now" button, a saved rule)."""
    from .evaluation import evaluate_group
    from .models import Group

    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        return None
    return list(evaluate_group(group))


@task()
def evaluate_union_task(union_id: int) -> int:
    """Run every automation of a union after people changed. The pending row goes first,
    so a change made while this runs queues another run (receivers.request_evaluation)."""
    from .evaluation import evaluate_union
    from .models import PendingEvaluation

    PendingEvaluation.objects.filter(union_id=union_id).delete()
    return evaluate_union(union_id)
