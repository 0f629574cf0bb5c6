"""Rows a benchmark gives one person of a seeded union (the access export and the merge
measure the same fully populated person). Import after `bench.common.setup_django()`."""

from __future__ import annotations

import datetime as dt


def give_work_history(person, union) -> None:
    """20 employments, 5 shop-steward positions of trust and 20 trainings."""
    from portal.people import actions as people_actions
    from portal.people.models import PositionKind
    from portal.workplaces.models import WorkplacePage

    workplaces = list(WorkplacePage.objects.for_union(union).select_related("employer")[:20])
    for workplace in workplaces:
        people_actions.add_employment(person=person, employer=workplace.employer,
                                      workplace=workplace, starts_on=dt.date(2015, 1, 1))
    for workplace in workplaces[:5]:
        people_actions.appoint_position(person=person, kind=PositionKind.SHOP_STEWARD,
                                        scope_page=workplace, starts_on=dt.date(2020, 1, 1))
    for n in range(20):
        people_actions.add_training(person=person, name=f"Course {n}", acting_user=None)


def bulletin_sends(union, rows: int) -> list:
    """Up to `rows` sends, one per bulletin: the union's sends, then done sends made for
    its bulletins never sent."""
    from django.utils import timezone

    from portal.branches.models import BulletinPage
    from portal.messaging.models import BulletinSend, SendStatus

    now = timezone.now()
    sends = list(BulletinSend.objects.filter(union=union)[:rows])
    unsent = BulletinPage.objects.filter(union=union).exclude(
        pk__in=BulletinSend.objects.values("bulletin_id"))[:max(rows - len(sends), 0)]
    sends += BulletinSend.objects.bulk_create(
        BulletinSend(union=union, bulletin=bulletin, audience={}, whole_branch=True,
                     status=SendStatus.DONE, queued_at=now, finished_at=now)
        for bulletin in unsent)
    return sends
