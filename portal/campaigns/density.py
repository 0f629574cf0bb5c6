"""Union density as the campaign centre needs it, read from workplace mapping
(`portal.mapping`: `selectors.density_for` now, `DensitySnapshot` over time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils import timezone

from portal.mapping.models import DensitySnapshot
from portal.mapping.selectors import density_for
from portal.union import sections
from portal.union.sections import current_generation, renew_generation

SERIES_SECONDS = 3600
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


def _generation_key(union_id: int) -> str:
    return f"campaigns:mapping-generation:{union_id}"


def mapping_changed(*, union_id: int) -> None:
    """Mapping data that density counts changed (a potential member, a reported head
    count): cached densities of the union's target groups are stale."""
    renew_generation(_generation_key(union_id))


def now_cached(*, union, kind: str, ids, digest: str) -> dict[int, Figures]:
    """`now` for a whole target group, kept per process like the page sections: stale at
    once in this process when the union's people, employments or pages change (the
    sections generation) or mapping data that density counts (`mapping_changed`), in
    other processes within PAGE_SECTION_CACHE_SECONDS, and at midnight (current jobs are
    those of the day)."""
    key = (f"campaigns:density:{union.pk}:{kind}:{digest}:{sections.generation(union.pk)}:"
           f"{current_generation(_generation_key(union.pk))}:{timezone.localdate()}")
    found = cache.get(key)
    if found is None:
        found = now(union=union, kind=kind, ids=ids)
        cache.set(key, found, settings.PAGE_SECTION_CACHE_SECONDS)
    return found


def series(*, union, kind: str, targets, since: dt.date,
           digest: str = "") -> list[tuple[dt.date, int, int]]:
    """(date, members, base) of the whole target group per snapshot day since `since`:
    one grouped query over the snapshot table (`targets`: a queryset of scope ids).

    The snapshot table changes once a day (mapping's daily task), so the answer is kept
    in the cache under the newest snapshot day, the target group (`digest` of its ids) and
    `since`: a new day's snapshot makes a new key, and warm views cost one indexed MAX."""
    latest = (DensitySnapshot.objects.for_union(union).filter(scope_type=kind)
              .aggregate(latest=Max("date"))["latest"])
    if latest is None or latest < since:
        return []
    key = f"campaigns:series:{union.pk}:{kind}:{since}:{latest}:{digest}" if digest else None
    if key is not None:
        found = cache.get(key)
        if found is not None:
            return found
    rows = (DensitySnapshot.objects.for_union(union)
            .filter(scope_type=kind, scope_id__in=targets, date__gte=since)
            .values("date").annotate(members=Sum("members"), base=Sum("base"))
            .order_by("date"))
    found = [(row["date"], row["members"] or 0, row["base"] or 0) for row in rows]
    if key is not None:
        cache.set(key, found, SERIES_SECONDS)
    return found
