"""What both search engines share: who is searching (`Requester`, reduced to the few
values the visibility rules need) and what a search answers (`Hit`, `Results`, `Group`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access.roles import is_staff, roles_for
from portal.people.models import PositionKind, ScopeKind
from portal.people.scopes import _scope_page_ids

KIND_LABELS = {
    "person": _("People"),
    "workplace": _("Workplaces"),
    "employer": _("Employers"),
    "branch": _("Branches"),
    "agreement": _("Agreements"),
    "page": _("Pages"),
    "staff": _("Union staff"),
    "office": _("Offices"),
}
# The group names of the autocomplete JSON.
GROUP_TYPES = {"person": "people", "workplace": "workplaces", "employer": "employers",
               "branch": "branches", "agreement": "agreements", "page": "pages",
               "staff": "staff", "office": "offices"}
KIND_LABEL = {
    "person": _("Person"),
    "workplace": _("Workplace"),
    "employer": _("Employer"),
    "branch": _("Branch"),
    "agreement": _("Collective agreement"),
    "page": _("Page"),
    "staff": _("Union staff member"),
    "office": _("Office"),
}
MAX_QUERY_LENGTH = 200
_BUSINESS_ID = re.compile(r"^(\d{7})-?(\d)$")


@dataclass(frozen=True)
class Requester:
    """Who is searching, reduced to the few values the visibility filter needs."""

    user_id: int
    union_id: int
    staff: bool
    branch_ids: tuple[int, ...] = ()
    workplace_ids: tuple[int, ...] = ()
    employer_ids: tuple[int, ...] = ()
    today: dt.date = field(default_factory=timezone.localdate)


def requester_for(user, union) -> Requester | None:
    """None when the user may find nothing in this union (no role there, anonymous)."""
    if union is None or not roles_for(user, union):
        return None
    if is_staff(user, union):
        return Requester(user_id=user.pk, union_id=union.pk, staff=True)
    # The same rows people_visible_to reads: current positions that see a scope.
    scopes = _scope_page_ids(user, union)
    return Requester(
        user_id=user.pk,
        union_id=union.pk,
        staff=False,
        branch_ids=tuple(sorted(scopes.get(ScopeKind.BRANCH, ()))),
        workplace_ids=tuple(sorted(scopes.get(ScopeKind.WORKPLACE, ()))),
        employer_ids=tuple(sorted(scopes.get(ScopeKind.EMPLOYER, ()))),
    )


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    subtitle: str = ""
    # Bulletins: their branch and date.
    branch: str = ""
    date: dt.date | None = None

    @property
    def kind_label(self) -> str:
        if self.kind == "page" and self.date is not None:
            return str(_("Bulletin"))  # only bulletins have a date
        return str(KIND_LABEL[self.kind])


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, int]
    kind: str | None = None
    engine: str = "database"

    @property
    def person_ids(self) -> list[int]:
        return [h.object_id for h in self.hits if h.kind == "person"]


@dataclass
class Group:
    kind: str
    hits: list[Hit]

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def type(self) -> str:
        return GROUP_TYPES[self.kind]


def clean_query(query: str | None) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


def _position_labels(kinds) -> str:
    return ", ".join(str(PositionKind(k).label) for k in kinds if k in PositionKind.values)

