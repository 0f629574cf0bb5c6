"""The plain path of `upsert_records` for databases without COPY (SQLite: the demo).

Record by record through the ORM, with the same checks, keys, references, counts and
two-way conflict rule as the set-based path (twoway.py), in one transaction: an audit
entry per person written and one for the batch. It is for small demo batches;
PostgreSQL never takes this path.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.audit.log import AuditAction, record
from portal.audit.models import AuditEntry
from portal.branches.models import BranchPage
from portal.people.actions import apply_changes
from portal.people.models import (
    REGISTER_OWNED_FIELDS,
    Employment,
    Person,
    PositionOfTrust,
    ScopeKind,
    Training,
    hash_identity_code,
)
from portal.union.bulk import bulk_create_children
from portal.union.models import UnionSettings
from portal.workplaces.models import EmployerIndexPage, EmployerPage, WorkplacePage

from . import records as R
from .models import Conflict, Winner
from .plans import NOT_FOUND
from .records import BatchResult, RecordError
from .refs import AMBIGUOUS, BRANCH_NOT_FOUND
from .signals import register_synced


class _Refused(Exception):
    def __init__(self, field: str, code: str = "not_found", message=NOT_FOUND):
        self.field, self.code, self.message = field, code, message


@dataclass
class _Batch:
    union: Any
    kind: str
    target: str  # the register's audit target (register:<kind>:<source>)
    acting_user: Any
    now: dt.datetime
    two_way: bool
    conflicts: list[Conflict] = field(default_factory=list)


def _settle(batch: _Batch, cleaned, row, values: dict[str, Any], person_id: int,
            portal_target: str) -> None:
    """twoway.py's rule, row by row: a two-way field this record changes that the portal
    also changed since the register last wrote this person's data of the kind keeps
    the later change (drops out of `values` when the portal's is later); both versions
    go into a Conflict."""
    owned = REGISTER_OWNED_FIELDS[batch.kind]
    changing = {name.removesuffix("_id"): name for name, value in values.items()
                if name.removesuffix("_id") in owned and getattr(row, name) != value}
    if not batch.two_way or not changing:
        return
    entries = AuditEntry.objects.filter(union=batch.union, person_id=person_id)
    last_register = (entries.filter(target__startswith=f"register:{batch.kind}:")
                     .order_by("-created_at").values_list("created_at", flat=True).first())
    edits = entries.filter(action=AuditAction.EDIT, target=portal_target)
    if last_register is not None:
        edits = edits.filter(created_at__gt=last_register)
    portal_at: dict[str, dt.datetime] = {}
    for created_at, fields in edits.values_list("created_at", "fields"):
        for name in fields or ():  # JSON "contains" is not on SQLite: read the lists
            if name in changing:
                portal_at[name] = max(created_at, portal_at.get(name, created_at))
    register_at = cleaned.get(R.CHANGED_AT) or batch.now
    key = "/".join(str(cleaned[n]) for n in R.KINDS[batch.kind].key)
    for name, at in portal_at.items():
        attr = changing[name]
        portal_wins = at > register_at
        batch.conflicts.append(Conflict(
            union=batch.union, kind=batch.kind, key=key[:200], person_id=person_id,
            field=name, portal_value=_text(getattr(row, attr)), portal_changed_at=at,
            register_value=_text(values[attr]), register_changed_at=register_at,
            winner=Winner.PORTAL if portal_wins else Winner.REGISTER))
        if portal_wins:
            del values[attr]


def _text(value) -> str:
    return "" if value is None else str(value)


def _audit_person(batch: _Batch, person_id: int, created: bool, changed) -> None:
    # As the set-based path: the register's write per person, which the two-way rule
    # reads as "the register last wrote this person's data of the kind".
    record(actor=batch.acting_user, union=batch.union, person=person_id,
           action=AuditAction.CREATE if created else AuditAction.EDIT, target=batch.target,
           fields=[name.removesuffix("_id") for name in changed])


def _one(queryset, field: str, message=NOT_FOUND):
    found = queryset.first()
    if found is None:
        raise _Refused(field, message=message)
    return found


def _person(union, number):
    return _one(Person.objects.for_union(union).filter(member_number=number), "member_number")


def _employers_of(union, business_id) -> list:
    """The union's employers of its own language with the business ID (at most two): a
    translation shares its employer's ID in another language and is no duplicate."""
    locale = Page.objects.filter(pk=union.root_page_id).values("locale_id")[:1]
    return list(EmployerPage.objects.for_union(union).filter(
        business_id=business_id, locale_id=locale).order_by("pk")[:2])


def _employer(union, business_id, field="employer"):
    """As refs.py: not found, or refused as ambiguous while two employers share it."""
    found = _employers_of(union, business_id)
    if len(found) > 1:
        raise _Refused(field, "ambiguous", AMBIGUOUS)
    if not found:
        raise _Refused(field)
    return found[0]


def _values(cleaned, names, rename=None) -> dict[str, Any]:
    rename = rename or {}
    return {rename.get(n, n): ("" if cleaned[n] is None else cleaned[n])
            for n in names if n in cleaned}


def _people(batch, cleaned):
    union = batch.union
    kind = R.KINDS[R.PEOPLE]
    texts = [f.name for f in kind.fields if f.type in (R.TEXT, R.EMAIL, R.CHOICE)
             and f.name != "member_number"]
    values = _values(cleaned, texts)
    values.update({n: cleaned[n] for n in ("joined_on", "membership_valid_until", "birth_date")
                   if n in cleaned})
    if "identity_code" in cleaned:
        code = cleaned["identity_code"]
        values["identity_code_hash"] = hash_identity_code(code) if code else ""
    if "branch" in cleaned:
        values["branch_id"] = None if not cleaned["branch"] else _one(
            BranchPage.objects.for_union(union).filter(number=cleaned["branch"]), "branch",
            BRANCH_NOT_FOUND).pk
    person = Person.objects.for_union(union).filter(
        member_number=cleaned["member_number"]).first()
    if person is None:
        values.setdefault("preferred_language", union.default_language)
        person = Person.objects.create(union=union, member_number=cleaned["member_number"],
                                       **values)
        _audit_person(batch, person.pk, True, values)
        return "created"
    values.pop("preferred_language", None)  # the member's own choice after creation
    _settle(batch, cleaned, person, values, person.pk, str(person.pk))
    changed = apply_changes(person, values)
    if changed:
        person.save()
        _audit_person(batch, person.pk, False, changed)
        return "updated"
    return "unchanged"


def _page(model, found, values, create):
    if found is None:
        create()
        return "created"
    title = values.pop("title", None)
    changed = apply_changes(found, values)
    if title is not None and title != found.title:
        found.title = found.draft_title = title
        changed.append("title")
    if changed:
        found.save()
        return "updated"
    return "unchanged"


def _employers(batch, cleaned):
    union = batch.union
    values = _values(cleaned, ("industry", "street_address", "postal_code", "city"))
    values["title"] = cleaned["name"]
    found = _employers_of(union, cleaned["business_id"])
    if len(found) > 1:  # as pages.refuse_ambiguous: which one it updates can't be told
        raise _Refused("business_id", "ambiguous", AMBIGUOUS)
    found = found[0] if found else None
    index = EmployerIndexPage.objects.for_union(union).get(  # the union's own language's
        locale_id=Page.objects.filter(pk=union.root_page_id).values("locale_id")[:1])
    return _page(EmployerPage, found, values, lambda: bulk_create_children(index, [
        EmployerPage(union=union, business_id=cleaned["business_id"],
                     slug=f"{slugify(values['title'])[:40] or 'employer'}-"
                          f"{cleaned['business_id']}",
                     **values)]))


def _workplaces(batch, cleaned):
    union = batch.union
    employer = _employer(union, cleaned["employer"])
    values = _values(cleaned, ("street_address", "postal_code", "city"))
    if "employee_count" in cleaned:
        values["employee_count"] = cleaned["employee_count"]
    values["title"] = cleaned["name"]
    found = WorkplacePage.objects.for_union(union).filter(
        register_id=cleaned["register_id"]).first()
    if found is not None and found.employer_id != employer.pk:
        found.move(employer, pos="last-child")
        found = WorkplacePage.objects.get(pk=found.pk)
        found.employer_id = employer.pk
        found.save()
    return _page(WorkplacePage, found, values, lambda: bulk_create_children(employer, [
        WorkplacePage(union=union, register_id=cleaned["register_id"], employer=employer,
                      slug=f"{slugify(values['title'])[:40] or 'workplace'}-"
                           f"{slugify(cleaned['register_id'])[:40]}", **values)]))


def _row(model, union, match, values):
    found = model.objects.for_union(union).filter(**match).first()
    if found is None:
        model.objects.create(union=union, **match, **values)
        return "created"
    if apply_changes(found, values):
        found.save()
        return "updated"
    return "unchanged"


def _employments(batch, cleaned):
    union = batch.union
    person = _person(union, cleaned["member_number"])
    employer = _employer(union, cleaned["employer"])
    values = _values(cleaned, ("title",))
    if "ends_on" in cleaned:
        values["ends_on"] = cleaned["ends_on"]
    if cleaned.get("workplace"):
        workplace = _one(WorkplacePage.objects.for_union(union).filter(
            register_id=cleaned["workplace"]), "workplace")
        if workplace.employer_id != employer.pk:
            raise _Refused("workplace", "wrong_employer",
                           _("The workplace does not belong to the employer."))
        values["workplace_id"] = workplace.pk
    elif "workplace" in cleaned:
        values["workplace_id"] = None
    match = {"person": person, "employer": employer, "starts_on": cleaned["starts_on"]}
    found = Employment.objects.for_union(union).filter(**match).first()
    if found is not None:
        _settle(batch, cleaned, found, values, person.pk, f"employment:{found.pk}")
    outcome = _row(Employment, union, match, values)
    if outcome != "unchanged":
        _audit_person(batch, person.pk, outcome == "created", values)
    return outcome


def _positions(batch, cleaned):
    union = batch.union
    person = _person(union, cleaned["member_number"])
    scope_kind, scope = cleaned["scope_kind"], cleaned.get("scope") or ""
    if scope_kind == ScopeKind.UNION:
        page_id = union.root_page_id
    else:
        model, attr = {ScopeKind.WORKPLACE: (WorkplacePage, "register_id"),
                       ScopeKind.EMPLOYER: (EmployerPage, "business_id"),
                       ScopeKind.BRANCH: (BranchPage, "number")}[scope_kind]
        page_id = (_employer(union, scope, "scope") if model is EmployerPage else _one(
            model.objects.for_union(union).filter(**{attr: scope}), "scope")).pk
    values = {"ends_on": cleaned["ends_on"]} if "ends_on" in cleaned else {}
    result = _row(PositionOfTrust, union, {
        "person": person, "kind": cleaned["kind"], "scope_kind": scope_kind,
        "scope_page_id": page_id, "starts_on": cleaned["starts_on"], "source": "register",
    }, values)
    if result != "unchanged":
        from portal.access.actions import sync_grants_for_person

        sync_grants_for_person(person)
    return result


def _trainings(batch, cleaned):
    union = batch.union
    person = _person(union, cleaned["member_number"])
    return _row(Training, union, {"person": person, "name": cleaned["name"],
                                  "completed_on": cleaned["completed_on"]},
                _values(cleaned, ("provider",)))


HANDLERS = {R.PEOPLE: _people, R.EMPLOYERS: _employers, R.WORKPLACES: _workplaces,
            R.EMPLOYMENTS: _employments, R.POSITIONS: _positions, R.TRAININGS: _trainings}


def run(*, union, kind, records, acting_user, api_client, source, dry_run,
        result: BatchResult) -> BatchResult:
    from .twoway import KINDS as TWO_WAY_KINDS
    from .upsert import audit_target

    spec = R.KINDS[kind]
    batch = _Batch(union=union, kind=kind, target=audit_target(kind, source, api_client),
                   acting_user=acting_user, now=timezone.now(),
                   two_way=kind in TWO_WAY_KINDS
                   and not UnionSettings.for_union(union).register_one_way(kind))
    good, seen = [], set()
    for index, raw in enumerate(records):
        cleaned, errors = R.clean_record(spec, index, raw)
        if errors:
            result.errors.extend(errors)
            continue
        key = R.key_of(spec, cleaned)
        if key in seen:
            result.errors.append(RecordError(index, spec.key[0], "duplicate_key", _(
                "The same key is earlier in this batch.")))
            continue
        seen.add(key)
        good.append((index, cleaned))
    with transaction.atomic():
        for index, cleaned in good:
            try:
                with transaction.atomic():
                    outcome = HANDLERS[kind](batch, cleaned)
            except _Refused as refused:
                result.errors.append(RecordError(index, refused.field, refused.code,
                                                 refused.message))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            if result.outcomes is not None:
                result.outcomes.append((index, outcome))
        result.conflicts = len(batch.conflicts)
        Conflict.objects.bulk_create(batch.conflicts)
        if dry_run:
            transaction.set_rollback(True)
        elif result.created or result.updated or result.conflicts:
            record(actor=acting_user, union=union, action=AuditAction.EDIT,
                   target=(f"{batch.target} "
                           f"created={result.created} updated={result.updated} "
                           f"unchanged={result.unchanged} rejected={len(result.errors)} "
                           f"conflicts={result.conflicts}"))
            transaction.on_commit(functools.partial(
                register_synced.send, sender="portal.register", union=union,
                kinds=(kind,), result=result), robust=True)
    result.errors.sort(key=lambda e: (e.index, e.field))
    return result
