"""References of register records (branch number, business ID, workplace register ID,
member number) resolved to ids in Python, chunk by chunk, as the records are staged.

One query per reference table and chunk (`key = ANY(%s)`, always filtered by the
union), so a reference never costs a pass over the whole staging table: the ids go in
with the COPY. A record whose reference is not found in the union is staged with the
number of its error (`ERRORS[kind]`); the staging table refuses those rows after the
duplicate keys, so a record gets the same single error as it always did.
"""

# ruff: noqa: S608 - SQL built from model metadata; every value is a query parameter.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.branches.models import BranchPage
from portal.people.models import Person, ScopeKind
from portal.workplaces.models import EmployerPage, WorkplacePage

from . import records as R

NOT_FOUND = _("Not found in this union.")
# A person's branch is given by its number; a name or a wrong number gets this.
BRANCH_NOT_FOUND = _("The union has no branch with this number.")
AMBIGUOUS = _("Two or more of the union's employers have this business ID: merge them "
              "first (Union → Data quality).")
# The cached id of a business ID that two employers of the union's language share.
_AMBIGUOUS = "ambiguous"
WRONG_EMPLOYER = _("The workplace does not belong to the employer.")

# Per kind: the reference errors a record can get, in the order they are checked (the
# first one found is the record's error). The staging column `ref_error` holds the
# position in this tuple.
ERRORS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    R.PEOPLE: (("branch", "not_found", BRANCH_NOT_FOUND),),
    R.EMPLOYERS: (),
    R.WORKPLACES: (("employer", "not_found", NOT_FOUND),
                   ("employer", "ambiguous", AMBIGUOUS)),
    R.EMPLOYMENTS: (("member_number", "not_found", NOT_FOUND),
                    ("employer", "not_found", NOT_FOUND),
                    ("workplace", "not_found", NOT_FOUND),
                    ("workplace", "wrong_employer", WRONG_EMPLOYER),
                    ("employer", "ambiguous", AMBIGUOUS)),
    R.POSITIONS: (("member_number", "not_found", NOT_FOUND),
                  ("scope", "not_found", NOT_FOUND),
                  ("scope", "ambiguous", AMBIGUOUS)),
    R.TRAININGS: (("member_number", "not_found", NOT_FOUND),),
}

PEOPLE_PER_QUERY = 500

# Per kind: the staging columns the references fill (staging.py adds them), in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    R.PEOPLE: ("branch_id",),
    R.EMPLOYERS: (),
    R.WORKPLACES: ("employer_id",),
    R.EMPLOYMENTS: ("person_id", "employer_id", "workplace_id"),
    R.POSITIONS: ("person_id", "scope_page_id"),
    R.TRAININGS: ("person_id",),
}

_TABLES = {
    # name: (SQL with %(union)s and %(keys)s returning key, id[, employer id]). The
    # "<> ''" conditions let PostgreSQL use the partial unique indexes of the keys.
    "branch": f"SELECT number, page_ptr_id FROM {BranchPage._meta.db_table} "
              "WHERE union_id = %(union)s AND number = ANY(%(keys)s)",
    # A translated employer page shares its business ID: the union's own language's page
    # is the one meant; two of those with one ID are duplicates, and which one a record
    # means can't be told (the data-quality report lists them for merging).
    "employer": f"SELECT e.business_id, min(e.page_ptr_id), count(*) "
                f"FROM {EmployerPage._meta.db_table} e JOIN wagtailcore_page p "
                "ON p.id = e.page_ptr_id WHERE e.union_id = %(union)s "
                "AND e.business_id = ANY(%(keys)s) AND p.locale_id = (SELECT locale_id "
                "FROM wagtailcore_page WHERE id = %(root)s) GROUP BY e.business_id",
    "workplace": f"SELECT register_id, page_ptr_id, employer_id "
                 f"FROM {WorkplacePage._meta.db_table} "
                 "WHERE union_id = %(union)s AND register_id <> '' "
                 "AND register_id = ANY(%(keys)s)",
    "person": f"SELECT member_number, id FROM {Person._meta.db_table} "
              "WHERE union_id = %(union)s AND member_number <> '' "
              "AND member_number = ANY(%(keys)s)",
}

# What each kind refers to: (record field, table) — and for positions, by scope kind.
_WANTS = {
    R.PEOPLE: (("branch", "branch"),),
    R.EMPLOYERS: (),
    R.WORKPLACES: (("employer", "employer"),),
    R.EMPLOYMENTS: (("member_number", "person"), ("employer", "employer"),
                    ("workplace", "workplace")),
    R.POSITIONS: (("member_number", "person"),),
    R.TRAININGS: (("member_number", "person"),),
}
_SCOPE_TABLE = {ScopeKind.WORKPLACE: "workplace", ScopeKind.EMPLOYER: "employer",
                ScopeKind.BRANCH: "branch"}


class Refs:
    """The ids of one batch's references. Organisations (a union has at most tens of
    thousands) stay cached for the batch; people are looked up per chunk only, since
    each member number is usually in one record."""

    def __init__(self, kind: str, union):
        self.kind, self.union = kind, union
        self.found: dict[str, dict[str, Any]] = {name: {} for name in _TABLES}

    def fetch(self, cursor, chunk: list[tuple[int, Mapping[str, Any]]]) -> None:
        """Look up the references of a chunk of cleaned records not looked up yet."""
        wanted: dict[str, set[str]] = {}
        for _index, cleaned in chunk:
            for field_name, name in _WANTS[self.kind]:
                if value := cleaned.get(field_name):
                    wanted.setdefault(name, set()).add(value)
            if self.kind == R.POSITIONS and cleaned.get("scope"):
                name = _SCOPE_TABLE.get(cleaned["scope_kind"])
                if name:
                    wanted.setdefault(name, set()).add(cleaned["scope"])
        self.found["person"].clear()
        for name, keys in wanted.items():
            cache = self.found[name]
            missing = [k for k in keys if k not in cache]
            # People a few hundred keys a query: for the 5,000 of a chunk the planner
            # takes a scan of all of a large union's people over 5,000 index probes.
            step = PEOPLE_PER_QUERY if name == "person" else len(missing)
            for start in range(0, len(missing), step or 1):
                cursor.execute(_TABLES[name], {
                    "union": self.union.pk, "keys": missing[start:start + step],
                    "root": self.union.root_page_id})
                for row in cursor.fetchall():
                    if name == "employer":
                        cache[row[0]] = _AMBIGUOUS if row[2] > 1 else row[1]
                    else:
                        cache[row[0]] = row[1] if len(row) == 2 else row[1:]
            for key in missing:
                cache.setdefault(key, None)

    def resolve(self, cleaned: Mapping[str, Any]) -> tuple[tuple, int | None]:
        """(the values of COLUMNS[kind], the number of the record's error or None)."""
        found, get = self.found, cleaned.get
        kind = self.kind
        if kind == R.PEOPLE:
            branch = get("branch")
            branch_id = found["branch"][branch] if branch else None
            return (branch_id,), (0 if branch and branch_id is None else None)
        if kind == R.EMPLOYERS:
            return (), None
        if kind == R.WORKPLACES:
            employer_id = found["employer"][cleaned["employer"]]
            if employer_id == _AMBIGUOUS:
                return (None,), 1
            return (employer_id,), (0 if employer_id is None else None)
        person_id = found["person"][cleaned["member_number"]]
        error = None if person_id is not None else 0
        if kind == R.TRAININGS:
            return (person_id,), error
        if kind == R.POSITIONS:
            scope_kind = cleaned["scope_kind"]
            if scope_kind == ScopeKind.UNION:
                scope_id = self.union.root_page_id
            else:
                scope_id = found[_SCOPE_TABLE[scope_kind]][cleaned["scope"]]
                if isinstance(scope_id, tuple):  # a workplace: (id, employer id)
                    scope_id = scope_id[0]
            if scope_id == _AMBIGUOUS:
                scope_id, error = None, 2 if error is None else error
            if error is None and scope_id is None:
                error = 1
            return (person_id, scope_id), error
        employer_id = found["employer"][cleaned["employer"]]
        workplace = get("workplace")
        hit = found["workplace"][workplace] if workplace else None
        if employer_id == _AMBIGUOUS:
            employer_id, error = None, 4 if error is None else error
        if error is not None:
            pass
        elif employer_id is None:
            error = 1
        elif workplace and hit is None:
            error = 2
        elif hit is not None and hit[1] != employer_id:
            error = 3
        return (person_id, employer_id, hit[0] if hit is not None else None), error
