"""Key figures of a campaign (the situation picture, U-3.5.6), per target and in total.

Aggregated in SQL in a fixed number of queries whatever the size of the target group:
the target rows with their baseline, the contact log grouped by target, the new members
grouped by target, the density now (`mapping.selectors.density_for`, set-based) and the
density over time (the snapshot table grouped by day). Titles are read only for the page
of rows shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page

from portal.people.models import ACTIVE_MEMBER_STATUSES, Employment, Person

from . import density
from .models import Campaign, ContactEntry, Outcome, TargetKind

# People contacted: distinct people of the register and distinct potential members (by
# the number kept when one is erased, so they still count once).
CONTACTED = {"people": Count("person_id", distinct=True),
             "potential": Count("potential_ref", distinct=True)}


@dataclass
class Row:
    target_id: int
    scope_id: int
    members_at_start: int
    base_at_start: int
    members_now: int = 0
    base_now: int = 0
    attempts: int = 0
    contacted: int = 0
    conversations: int = 0
    new_members: int = 0
    title: str = ""

    @property
    def density_at_start(self) -> float | None:
        return self.members_at_start / self.base_at_start if self.base_at_start else None

    @property
    def density_now(self) -> float | None:
        return self.members_now / self.base_now if self.base_now else None

    @property
    def change(self) -> float | None:
        if self.density_now is None or self.density_at_start is None:
            return None
        return self.density_now - self.density_at_start

    @property
    def reached(self) -> bool:
        return self.conversations > 0


@dataclass
class KeyFigures:
    rows: list[Row]
    total: Row
    targets: int = 0
    reached: int = 0
    series: list[tuple[dt.date, int, int]] = field(default_factory=list)


def _new_members(campaign: Campaign, target_ids) -> dict[int, int]:
    """People of each target who joined on or after the campaign's start and are
    members now."""
    since = campaign.starts_on
    if campaign.target_kind == TargetKind.BRANCH:
        rows = (Person.objects.for_union(campaign.union)
                .filter(branch_id__in=target_ids, joined_on__gte=since,
                        membership_status__in=ACTIVE_MEMBER_STATUSES)
                .values("branch_id").annotate(n=Count("pk")).values_list("branch_id", "n"))
        return dict(rows)
    field = "workplace_id" if campaign.target_kind == TargetKind.WORKPLACE else "employer_id"
    today = timezone.localdate()
    rows = (Employment.objects.for_union(campaign.union)
            .filter(**{f"{field}__in": target_ids})
            .filter(Q(starts_on__lte=today) | Q(starts_on__isnull=True))
            .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True))
            .filter(person__joined_on__gte=since,
                    person__membership_status__in=ACTIVE_MEMBER_STATUSES)
            .values(field).annotate(n=Count("person_id", distinct=True))
            .values_list(field, "n"))
    return dict(rows)


def key_figures(campaign: Campaign, targets) -> KeyFigures:
    """`targets`: the campaign's target rows the viewer sees (a queryset)."""
    rows = {pk: Row(target_id=pk, scope_id=scope_id, members_at_start=m, base_at_start=b)
            for pk, scope_id, m, b in targets.values_list(
                "pk", "scope_id", "members_at_start", "base_at_start")}
    by_scope = {row.scope_id: row for row in rows.values()}
    contacts = (ContactEntry.objects.filter(campaign=campaign, target__in=targets)
                .values("target_id").annotate(
                    attempts=Count("pk"), **CONTACTED,
                    conversations=Count("pk", filter=~Q(outcome=Outcome.NOT_REACHED)))
                .values_list("target_id", "attempts", "people", "potential", "conversations"))
    for target_id, attempts, people, potential, conversations in contacts:
        row = rows[target_id]
        row.attempts, row.conversations = attempts, conversations
        row.contacted = people + potential
    scope_ids = targets.values("scope_id")
    for scope_id, n in _new_members(campaign, scope_ids).items():
        if scope_id in by_scope:
            by_scope[scope_id].new_members = n
    digest = _digest(sorted(by_scope))
    for scope_id, figures in density.now_cached(union=campaign.union,
                                                kind=campaign.target_kind,
                                                ids=list(by_scope), digest=digest).items():
        row = by_scope.get(scope_id)
        if row is not None:
            row.members_now, row.base_now = figures.members, figures.base
    # People contacted in total: distinct people over all targets (someone may work at two).
    total_contacted = sum(ContactEntry.objects.filter(campaign=campaign, target__in=targets)
                          .aggregate(**CONTACTED).values())
    total = Row(target_id=0, scope_id=0, members_at_start=0, base_at_start=0)
    for row in rows.values():
        for name in ("members_at_start", "base_at_start", "members_now", "base_now",
                     "attempts", "conversations", "new_members"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.contacted = total_contacted
    return KeyFigures(
        rows=list(rows.values()), total=total, targets=len(rows),
        reached=sum(1 for row in rows.values() if row.reached),
        series=density.series(union=campaign.union, kind=campaign.target_kind,
                              targets=scope_ids, since=campaign.starts_on,
                              digest=digest))


def _digest(ids: list[int]) -> str:
    return hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=12).hexdigest()


def add_titles(rows: list[Row]) -> None:
    """Titles of the rows shown (one query for a page of them)."""
    titles = dict(Page.objects.filter(pk__in=[r.scope_id for r in rows])
                  .values_list("pk", "title"))
    for row in rows:
        row.title = titles.get(row.scope_id, "–")


def heat_sorted(rows: list[Row]) -> list[Row]:
    """Lowest density first (no density last): where organising is needed most."""
    return sorted(rows, key=lambda r: (r.density_now is None, r.density_now or 0.0,
                                       r.scope_id))
