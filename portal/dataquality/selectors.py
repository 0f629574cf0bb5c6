"""Reads of the data-quality report: the trend of the snapshots and the drill-down rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q

from portal.union.sections import current_generation, renew_generation

from .checks import CHECKS, REASONS, Check, Fold
from .models import QualitySnapshot
from .pairs import pair_keys, pairs_of

PER_PAGE = 50
PAIRS_CACHE_SECONDS = 60
CHART_SNAPSHOTS = 12


@dataclass
class CheckSummary:
    check: Check
    count: int | None
    previous: int | None

    @property
    def delta(self) -> int | None:
        if self.count is None or self.previous is None:
            return None
        return self.count - self.previous

    @property
    def change(self) -> int | None:
        return None if self.delta is None else abs(self.delta)

    @property
    def trend(self) -> str:
        """up (worse), down (better), same, or new (no earlier snapshot)."""
        if self.delta is None:
            return "new"
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"


@dataclass
class Report:
    latest: QualitySnapshot | None
    previous: QualitySnapshot | None
    summaries: list[CheckSummary]
    history: list[QualitySnapshot] = field(default_factory=list)  # oldest first


def report(union) -> Report:
    snapshots = list(QualitySnapshot.objects.for_union(union)[:CHART_SNAPSHOTS])
    latest = snapshots[0] if snapshots else None
    previous = snapshots[1] if len(snapshots) > 1 else None
    summaries = [
        CheckSummary(check, latest.counts.get(check.key) if latest else None,
                     previous.counts.get(check.key) if previous else None)
        for check in CHECKS
    ]
    return Report(latest, previous, summaries, history=snapshots[::-1])


def _search(rows, subject: str, query: str):
    """Rows whose name (accents and case folded), member number, email, business ID or
    employer contains each word of `query`."""
    from search.folding import fold

    for word in (fold(query) or "").split()[:5]:
        if subject == "person":
            rows = rows.alias(dq_f=Fold("first_name"), dq_l=Fold("last_name")).filter(
                Q(dq_f__contains=word) | Q(dq_l__contains=word)
                | Q(member_number__iexact=word) | Q(email__icontains=word))
        elif subject == "employment":
            rows = rows.alias(dq_f=Fold("person__first_name"), dq_l=Fold("person__last_name"),
                              dq_e=Fold("employer__title")).filter(
                Q(dq_f__contains=word) | Q(dq_l__contains=word) | Q(dq_e__contains=word))
        else:
            rows = rows.alias(dq_t=Fold("title")).filter(
                Q(dq_t__contains=word) | Q(business_id__icontains=word))
    return rows


def _pairs_generation_key(union) -> str:
    return f"dataquality:pairs:generation:{union.pk}"


def forget_pairs(union) -> None:
    """Drop the union's cached pairs (a merge or its undo changed who exists)."""
    renew_generation(_pairs_generation_key(union))


class _Pairs:
    """The duplicate pairs as a sequence Django's Paginator can page: the pairs query
    runs once per page view, for the count and the slice. `same_identity` adds the
    pairs sharing an identity code; `exclude` leaves out pairs of (lower id, higher id)."""

    def __init__(self, union, query: str, *, same_identity: bool = False,
                 exclude: frozenset = frozenset()):
        self.union, self.query = union, query
        self.same_identity, self.exclude = same_identity, exclude
        self._keys = None

    def _all(self):
        if self._keys is None:
            # Paging or searching the same list again within PAIRS_CACHE_SECONDS does
            # not run the query again (seconds at 300,000 members); ids and scores only.
            digest = hashlib.sha256(self.query.encode()).hexdigest()
            generation = current_generation(_pairs_generation_key(self.union))
            key = (f"dataquality:pairs:{self.union.pk}:{generation}:"
                   f"{int(self.same_identity)}:{digest}")
            keys = cache.get(key)
            if keys is None:
                keys = pair_keys(self.union, self.query, same_identity=self.same_identity)
                cache.set(key, keys, PAIRS_CACHE_SECONDS)
            self._keys = [k for k in keys if (k[0], k[1]) not in self.exclude]
        return self._keys

    def count(self) -> int:
        return len(self._all())

    def __getitem__(self, window: slice):
        return pairs_of(self.union, self._all()[window])


ORDER = {
    "person": ("last_name", "first_name", "pk"),
    "employment": ("person__last_name", "person__first_name", "pk"),
    "employer": ("title", "pk"),
    "workplace": ("title", "pk"),
}
RELATED = {
    "person": ("branch",),
    "employment": ("person", "employer", "workplace"),
    "employer": (),
    "workplace": ("employer",),
}


def drill_down(union, check: Check, *, query: str = "", page_number=1) -> Page:
    """One page (`PER_PAGE` rows) of what `check` finds in `union` now, searched."""
    query = query.strip()[:100]
    if check.subject == "pair":
        rows = _Pairs(union, query)
    else:
        rows = check.rows(union).select_related(*RELATED[check.subject])
        rows = _search(rows, check.subject, query).order_by(*ORDER[check.subject])
    return Paginator(rows, PER_PAGE).get_page(page_number)


def duplicate_pairs(union, *, query: str = "", exclude=frozenset(),
                    page_number=1, per_page: int = PER_PAGE) -> Page:
    """One page of duplicate candidates for merging (portal/merging): the duplicate
    check's pairs and the pairs sharing an identity code, less `exclude` ((lower id,
    higher id) pairs, e.g. dismissed ones), with their people (`Pair`)."""
    rows = _Pairs(union, query.strip()[:100], same_identity=True, exclude=frozenset(exclude))
    return Paginator(rows, per_page).get_page(page_number)


def people_on(page: Page, subject: str) -> list:
    """The people a drill-down page shows (for the audit)."""
    if subject == "person":
        return list(page.object_list)
    if subject == "employment":
        return [row.person for row in page.object_list]
    if subject == "pair":
        return [person for pair in page.object_list for person in (pair.first, pair.second)]
    return []


def reason_label(code: str) -> str:
    return str(REASONS.get(code, ""))
