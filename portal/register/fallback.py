"""The plain path of `upsert_records` for databases without COPY (SQLite: the demo).

Record by record through the ORM, with the same checks, keys, references and counts
as the set-based path, in one transaction. It is for small demo batches: no two-way
conflict detection, one audit entry for the batch. PostgreSQL never takes this path.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.audit.log import AuditAction, record
from portal.branches.models import BranchPage
from portal.people.actions import apply_changes
from portal.people.models import (
    Employment,
    Person,
    PositionOfTrust,
    ScopeKind,
    Training,
    hash_identity_code,
)
from portal.union.bulk import bulk_create_children
from portal.workplaces.models import EmployerIndexPage, EmployerPage, WorkplacePage

from . import records as R
from .plans import NOT_FOUND
from .records import BatchResult, RecordError
from .signals import register_synced


class _Refused(Exception):
    def __init__(self, field: str, code: str = "not_found", message=NOT_FOUND):
        self.field, self.code, self.message = field, code, message


def _one(queryset, field: str):
    found = queryset.first()
    if found is None:
        raise _Refused(field)
    return found


def _person(union, number):
    return _one(Person.objects.for_union(union).filter(member_number=number), "member_number")


def _employer(union, business_id, field="employer"):
    return _one(EmployerPage.objects.for_union(union).filter(business_id=business_id), field)


def _values(cleaned, names, rename=None) -> dict[str, Any]:
    rename = rename or {}
    return {rename.get(n, n): ("" if cleaned[n] is None else cleaned[n])
            for n in names if n in cleaned}


def _people(union, cleaned):
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
            BranchPage.objects.for_union(union).filter(number=cleaned["branch"]), "branch").pk
    person = Person.objects.for_union(union).filter(
        member_number=cleaned["member_number"]).first()
    if person is None:
        values.setdefault("preferred_language", union.default_language)
        Person.objects.create(union=union, member_number=cleaned["member_number"], **values)
        return "created"
    values.pop("preferred_language", None)  # the member's own choice after creation
    if apply_changes(person, values):
        person.save()
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


def _employers(union, cleaned):
    values = _values(cleaned, ("industry", "street_address", "postal_code", "city"))
    values["title"] = cleaned["name"]
    found = EmployerPage.objects.for_union(union).filter(
        business_id=cleaned["business_id"]).first()
    index = EmployerIndexPage.objects.for_union(union).get()
    return _page(EmployerPage, found, values, lambda: bulk_create_children(index, [
        EmployerPage(union=union, business_id=cleaned["business_id"],
                     slug=f"{slugify(values['title'])[:40] or 'employer'}-"
                          f"{cleaned['business_id']}",
                     **values)]))


def _workplaces(union, cleaned):
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


def _employments(union, cleaned):
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
    return _row(Employment, union, {"person": person, "employer": employer,
                                    "starts_on": cleaned["starts_on"]}, values)


def _positions(union, cleaned):
    person = _person(union, cleaned["member_number"])
    scope_kind, scope = cleaned["scope_kind"], cleaned.get("scope") or ""
    if scope_kind == ScopeKind.UNION:
        page_id = union.root_page_id
    else:
        model, attr = {ScopeKind.WORKPLACE: (WorkplacePage, "register_id"),
                       ScopeKind.EMPLOYER: (EmployerPage, "business_id"),
                       ScopeKind.BRANCH: (BranchPage, "number")}[scope_kind]
        page_id = _one(model.objects.for_union(union).filter(**{attr: scope}), "scope").pk
    values = {"ends_on": cleaned["ends_on"]} if "ends_on" in cleaned else {}
    result = _row(PositionOfTrust, union, {
        "person": person, "kind": cleaned["kind"], "scope_kind": scope_kind,
        "scope_page_id": page_id, "starts_on": cleaned["starts_on"], "source": "register",
    }, values)
    if result != "unchanged":
        from portal.access.actions import sync_grants_for_person

        sync_grants_for_person(person)
    return result


def _trainings(union, cleaned):
    person = _person(union, cleaned["member_number"])
    return _row(Training, union, {"person": person, "name": cleaned["name"],
                                  "completed_on": cleaned["completed_on"]},
                _values(cleaned, ("provider",)))


HANDLERS = {R.PEOPLE: _people, R.EMPLOYERS: _employers, R.WORKPLACES: _workplaces,
            R.EMPLOYMENTS: _employments, R.POSITIONS: _positions, R.TRAININGS: _trainings}


def run(*, union, kind, records, acting_user, api_client, source, dry_run,
        result: BatchResult) -> BatchResult:
    from .upsert import audit_target

    spec = R.KINDS[kind]
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
                    outcome = HANDLERS[kind](union, cleaned)
            except _Refused as refused:
                result.errors.append(RecordError(index, refused.field, refused.code,
                                                 refused.message))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            if result.outcomes is not None:
                result.outcomes.append((index, outcome))
        if dry_run:
            transaction.set_rollback(True)
        elif result.created or result.updated:
            record(actor=acting_user, union=union, action=AuditAction.EDIT,
                   target=(f"{audit_target(kind, source, api_client)} "
                           f"created={result.created} updated={result.updated} "
                           f"unchanged={result.unchanged} rejected={len(result.errors)}"))
            transaction.on_commit(functools.partial(
                register_synced.send, sender="portal.register", union=union,
                kinds=(kind,), result=result), robust=True)
    result.errors.sort(key=lambda e: (e.index, e.field))
    return result
