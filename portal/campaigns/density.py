"""Union density as the campaign centre needs it, read from workplace mapping
(`portal.mapping`: `selectors.density_for` now, `DensitySnapshot` over time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from portal.mapping.models import DensitySnapshot
from portal.mapping.selectors import density_for

_ARGUMENT = {"workplace": "workplaces", "employer": "employers", "branch": "branches"}


@dataclass(frozen=True)
class Figures:
    members: int
    base: int  # members + potential members, or the reported head count

    @property
    def density(self) -> float | None:
        return self.members / self.base if self.base else None


def now(*, union, kind: str, ids) -> dict[int, Figures]:
    """Density of each page of `ids` (of the kind: ids, or a queryset of pages kept as a
    subquery) today: one set-based query (`mapping.density`)."""
    if isinstance(ids, (list, set, tuple)) and not ids:
        return {}
    argument = _ARGUMENT[kind]
    table = getattr(density_for(union=union, **{argument: ids}), argument)
    return {int(pk): Figures(members=row.members, base=row.base) for pk, row in table.items()}


def series(*, union, kind: str, targets, since: dt.date) -> list[tuple[dt.date, int, int]]:
    """(date, members, base) of the whole target group per snapshot day since `since`:
    one grouped query over the snapshot table (`targets`: a queryset of scope ids)."""
    rows = (DensitySnapshot.objects.for_union(union)
            .filter(scope_type=kind, scope_id__in=targets, date__gte=since)
            .values("date").annotate(members=Sum("members"), base=Sum("base"))
            .order_by("date"))
    return [(row["date"], row["members"] or 0, row["base"] or 0) for row in rows]
