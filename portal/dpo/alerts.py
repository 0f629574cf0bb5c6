"""Misuse alerts (issue 17 item 6): a background scan of the audit log since its last run.

Page views only append audit entries as before; this reads them later, in a handful of
grouped queries per run (never a loop over entries), and raises an `Alert` row per
suspicion with the evidence. Rules, per union and account, within the scanned window:
- many views: distinct people viewed > max(VIEWS_MIN, VIEWS_FACTOR × the median of the
  other accounts with the same role in that window);
- off hours: views and lists of more than OFF_HOURS_MIN people on weekends or between
  20 and 7 o'clock (union time, Helsinki);
- many exports: more than EXPORTS_MIN export requests, or exports of more than
  EXPORT_PEOPLE_MIN people.
"""

from __future__ import annotations

import statistics
import zoneinfo
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from portal.audit.models import AuditAction, AuditEntry
from portal.union.models import Role, UnionRoleGroup

from .models import Alert, AlertKind, ScanMark

VIEWS_MIN = 50
VIEWS_FACTOR = 5
OFF_HOURS_MIN = 30
EXPORTS_MIN = 5
EXPORT_PEOPLE_MIN = 500
WORKDAY = (7, 20)
UNION_TIME = zoneinfo.ZoneInfo("Europe/Helsinki")
# The strongest role names the account's role for the comparison.
_RANK = [Role.ADMIN, Role.STAFF, Role.OFFICIAL, Role.MEMBER]


def _roles(actor_ids) -> dict[int, str]:
    held = defaultdict(set)
    for user_id, role in UnionRoleGroup.objects.filter(group__user__in=actor_ids) \
            .values_list("group__user", "role"):
        held[user_id].add(role)
    return {uid: next((r for r in _RANK if r in roles), "") for uid, roles in held.items()}


def _span(row) -> dict:
    return {"first_at": row["first"], "last_at": row["last"]}


def _many_views(entries) -> list[Alert]:
    rows = list(entries.filter(action=AuditAction.VIEW, person_id__isnull=False)
                .values("union_id", "actor_id")
                .annotate(n=Count("person_id", distinct=True), first=Min("created_at"),
                          last=Max("created_at")))
    roles = _roles({r["actor_id"] for r in rows})
    peers = defaultdict(list)
    for row in rows:
        peers[(row["union_id"], roles.get(row["actor_id"], ""))].append(row)
    alerts = []
    for (union_id, role), group in peers.items():
        for row in group:
            others = [o["n"] for o in group if o is not row]
            usual = statistics.median(others) if others else 0
            if row["n"] > max(VIEWS_MIN, VIEWS_FACTOR * usual):
                alerts.append(Alert(
                    union_id=union_id, actor_id=row["actor_id"], kind=AlertKind.MANY_VIEWS,
                    count=row["n"], **_span(row),
                    evidence={"people_viewed": row["n"], "role": role,
                              "usual_for_role": usual, "peers": len(others)}))
    return alerts


def _off_hours(entries) -> list[Alert]:
    start, end = WORKDAY
    rows = (entries.filter(action__in=[AuditAction.VIEW, AuditAction.LIST],
                           person_id__isnull=False)
            .annotate(hour=ExtractHour("created_at", tzinfo=UNION_TIME),
                      weekday=ExtractIsoWeekDay("created_at", tzinfo=UNION_TIME))
            .filter(Q(hour__lt=start) | Q(hour__gte=end) | Q(weekday__gte=6))
            .values("union_id", "actor_id")
            .annotate(n=Count("person_id", distinct=True), first=Min("created_at"),
                      last=Max("created_at"))
            .filter(n__gt=OFF_HOURS_MIN))
    return [Alert(union_id=r["union_id"], actor_id=r["actor_id"], kind=AlertKind.OFF_HOURS,
                  count=r["n"], **_span(r),
                  evidence={"people_read": r["n"], "working_hours": f"{start}-{end}"})
            for r in rows]


def _many_exports(entries) -> list[Alert]:
    rows = (entries.filter(action=AuditAction.EXPORT)
            .values("union_id", "actor_id")
            .annotate(n=Count("request_id", distinct=True),
                      people=Count("person_id", distinct=True),
                      first=Min("created_at"), last=Max("created_at"))
            .filter(Q(n__gt=EXPORTS_MIN) | Q(people__gt=EXPORT_PEOPLE_MIN)))
    return [Alert(union_id=r["union_id"], actor_id=r["actor_id"], kind=AlertKind.MANY_EXPORTS,
                  count=r["n"], **_span(r),
                  evidence={"exports": r["n"], "people_exported": r["people"]})
            for r in rows]


@transaction.atomic
def scan() -> int:
    """Read the audit entries after the last mark, raise alerts, move the mark. Returns
    the number of alerts raised."""
    mark, _created = ScanMark.objects.select_for_update().get_or_create(pk=1)
    upto = AuditEntry.objects.aggregate(top=Max("pk"))["top"] or 0
    if upto <= mark.last_entry_id:
        return 0
    entries = AuditEntry.objects.filter(pk__gt=mark.last_entry_id, pk__lte=upto,
                                        actor__isnull=False, union__isnull=False)
    alerts = [*_many_views(entries), *_off_hours(entries), *_many_exports(entries)]
    for alert in alerts:
        for key in ("first_at", "last_at"):
            alert.evidence.setdefault(key, getattr(alert, key).isoformat())
        alert.evidence.setdefault("window", [mark.last_entry_id + 1, upto])
    Alert.objects.bulk_create(alerts)
    mark.last_entry_id, mark.scanned_at = upto, timezone.now()
    mark.save()
    return len(alerts)
