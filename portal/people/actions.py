"""All writes on person profiles, employments, positions of trust and trainings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.actions import sync_grants_for_person
from portal.audit.log import AuditAction, record
from portal.union.models import Role, Union
from search import outbox as search_outbox

from .models import (
    ALLOWED_SCOPES,
    Employment,
    Person,
    PositionKind,
    PositionOfTrust,
    ScopeKind,
    Training,
    hash_identity_code,
)
from .selectors import holders_on

# Fields a person may edit on their own profile (U-3.9.2).
SELF_EDITABLE_FIELDS = (
    "alternative_name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "preferred_language",
)


def apply_changes(instance, values: dict[str, Any]) -> list[str]:
    """Sets the `values` that differ on `instance` (unsaved); returns their names, for
    `save(update_fields=...)` and the audit entry. Also used by the register's fallback."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def save_person_changes(person: Person, values: dict[str, Any], *, acting_user) -> list[str]:
    """Sets the `values` that differ, validates and saves just those, audits them and
    sends the person to the search outbox; the caller has checked who may change which
    fields. Returns the names changed (none: nothing written)."""
    changed = apply_changes(person, values)
    if changed:
        person.full_clean()
        person.save(update_fields=[*changed, "updated_at"])
        record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
               fields=changed)
        search_outbox.enqueue(person)
    return changed


@transaction.atomic
def create_person(
    *,
    union: Union,
    first_name: str,
    last_name: str,
    acting_user=None,
    identity_code: str = "",
    **fields: Any,
) -> Person:
    person = Person(union=union, first_name=first_name, last_name=last_name, **fields)
    if identity_code:
        person.identity_code_hash = hash_identity_code(identity_code)
    if person.branch_id and person.branch.union_id != union.pk:
        raise ValidationError(_("The branch belongs to another union."))
    person.full_clean()
    person.save()
    record(
        actor=acting_user,
        union=union,
        action=AuditAction.CREATE,
        person=person,
        fields=sorted(["first_name", "last_name", *fields]),
    )
    search_outbox.enqueue(person)
    return person


@transaction.atomic
def update_own_profile(*, person: Person, acting_user, values: dict[str, Any]) -> list[str]:
    """A person edits their own basic info; only SELF_EDITABLE_FIELDS may change."""
    if acting_user is None or person.user_id != acting_user.pk:
        raise PermissionDenied
    unknown = set(values) - set(SELF_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %s") % ", ".join(sorted(unknown))
        )
    return save_person_changes(person, values, acting_user=acting_user)


@transaction.atomic
def activate_profile(*, person: Person, user, acting_user=None) -> Person:
    """Link a user account to a pre-existing profile (activation, U-2.6/2.7)."""
    from portal.accounts.actions import add_role

    if user.union_id != person.union_id:
        raise ValidationError(_("The account belongs to another union."))
    if person.user_id and person.user_id != user.pk:
        raise ValidationError(_("This profile is already activated by another account."))
    person.user = user
    person.activated_at = person.activated_at or timezone.now()
    person.save(update_fields=["user", "activated_at", "updated_at"])
    search_outbox.enqueue(person)
    add_role(user=user, role=Role.MEMBER, acting_user=acting_user)
    sync_grants_for_person(person, acting_user=acting_user)
    record(actor=acting_user, union=person.union, action=AuditAction.ACTIVATE, person=person)
    return person


def _check_employment(person: Person, employer, workplace) -> None:
    if employer.union_id != person.union_id:
        raise ValidationError(_("The employer belongs to another union."))
    if workplace is not None and workplace.employer_id != employer.pk:
        raise ValidationError(_("The workplace does not belong to the employer."))


@transaction.atomic
def add_employment(
    *,
    person: Person,
    employer,
    workplace=None,
    title: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    acting_user=None,
) -> Employment:
    _check_employment(person, employer, workplace)
    employment = Employment(
        union_id=person.union_id,
        person=person,
        employer=employer,
        workplace=workplace,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    employment.full_clean()
    employment.save()
    search_outbox.enqueue(employment)
    record(
        actor=acting_user,
        union=person.union,
        action=AuditAction.CREATE,
        person=person,
        target=f"employment:{employment.pk}",
        fields=["employments"],
    )
    sync_grants_for_person(person, acting_user=acting_user)
    return employment


@transaction.atomic
def update_employment(*, employment: Employment, acting_user, values: dict[str, Any]) -> list[str]:
    allowed = {"employer", "workplace", "title", "starts_on", "ends_on"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %s") % ", ".join(sorted(unknown))
        )
    changed = apply_changes(employment, values)
    _check_employment(employment.person, employment.employer, employment.workplace)
    if employment.ends_on and employment.starts_on and employment.ends_on < employment.starts_on:
        raise ValidationError(_("An employment cannot end before it starts."))
    if changed:
        employment.full_clean()
        employment.save()
        search_outbox.enqueue(employment)
        record(
            actor=acting_user,
            union=employment.person.union,
            action=AuditAction.EDIT,
            person=employment.person,
            target=f"employment:{employment.pk}",
            fields=changed,
        )
    return changed


def _scope_kind_of(page) -> str:
    from portal.branches.models import BranchPage
    from portal.union.models import UnionPage
    from portal.workplaces.models import EmployerPage, WorkplacePage

    specific_class = page.specific_class
    for cls, kind in (
        (WorkplacePage, ScopeKind.WORKPLACE),
        (EmployerPage, ScopeKind.EMPLOYER),
        (BranchPage, ScopeKind.BRANCH),
        (UnionPage, ScopeKind.UNION),
    ):
        if specific_class is not None and issubclass(specific_class, cls):
            return kind
    raise ValidationError(
        _("A position of trust is scoped to a workplace, employer, branch or union.")
    )


def _page_union_id(page) -> int | None:
    union_id = getattr(page.specific, "union_id", None)
    if union_id is None:  # a UnionPage is the union's root page
        union_id = Union.objects.filter(root_page_id=page.pk).values_list("pk", flat=True).first()
    return union_id


@transaction.atomic
def appoint_position(
    *,
    person: Person,
    kind: str,
    scope_page,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    source: str = "manual",
    acting_user=None,
) -> PositionOfTrust:
    scope_kind = _scope_kind_of(scope_page)
    if scope_kind not in ALLOWED_SCOPES[kind]:
        raise ValidationError(_("This position cannot be scoped to that page."))
    if _page_union_id(scope_page) != person.union_id:
        raise ValidationError(_("The scope belongs to another union."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("A term cannot end before it starts."))
    # The same post twice for one person over the same days means nothing more (and the
    # lists would show them twice), whoever appoints: the admin, the panel, an import.
    overlapping = PositionOfTrust.objects.filter(
        union_id=person.union_id, person=person, kind=kind, scope_page=scope_page,
        starts_on__lte=ends_on or dt.date.max).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if overlapping.exists():
        raise ValidationError(_("%(person)s already holds this position here on those "
                                "days.") % {"person": person.full_name})
    position = PositionOfTrust.objects.create(
        union_id=person.union_id,
        person=person,
        kind=kind,
        scope_kind=scope_kind,
        scope_page=scope_page,
        starts_on=starts_on,
        ends_on=ends_on,
        source=source,
    )
    search_outbox.enqueue(position)
    record(
        actor=acting_user,
        union=person.union,
        action=AuditAction.CREATE,
        person=person,
        target=f"position:{position.pk}",
        fields=["positions"],
    )
    sync_grants_for_person(person, acting_user=acting_user)
    return position


@transaction.atomic
def change_position_term(
    *, position: PositionOfTrust, starts_on: dt.date, ends_on: dt.date | None, acting_user=None
) -> PositionOfTrust:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("A term cannot end before it starts."))
    position.starts_on, position.ends_on = starts_on, ends_on
    position.save(update_fields=["starts_on", "ends_on"])
    search_outbox.enqueue(position)
    record(
        actor=acting_user,
        union=position.person.union,
        action=AuditAction.EDIT,
        person=position.person,
        target=f"position:{position.pk}",
        fields=["positions"],
    )
    sync_grants_for_person(position.person, acting_user=acting_user)
    return position


def end_position(*, position: PositionOfTrust, ends_on: dt.date | None = None, acting_user=None):
    """End the term on `ends_on` (yesterday: the grants stop today). A term that would
    not have started by then is cancelled instead (see `cancel_position`), not shortened
    into a one-day term that never was; then None is returned."""
    ends_on = ends_on or timezone.localdate() - dt.timedelta(days=1)
    if position.starts_on > ends_on:
        # Also a term that starts today, which cancel_position refuses as started.
        _delete_position(position, acting_user=acting_user)
        return None
    return change_position_term(
        position=position,
        starts_on=min(position.starts_on, ends_on),
        ends_on=ends_on,
        acting_user=acting_user,
    )


# Held by one person at a time: appointing another asks whether the term of the one
# holding it ends the day before (officials' appoint screen).
SINGLE_HOLDER_KINDS = (PositionKind.BRANCH_CHAIR, PositionKind.BRANCH_SECRETARY)


@transaction.atomic
def hand_over_position(*, person: Person, kind: str, scope_page, starts_on: dt.date,
                       ends_on: dt.date | None = None, acting_user=None) -> PositionOfTrust:
    """Appoint `person` and end, the day before, the terms of the others holding the
    position on that day (each ended and audited by `end_position`): one step, so the
    page never has two chairs nor none."""
    for held in holders_on(union=person.union, scope_page=scope_page, kind=kind,
                           day=starts_on):
        if held.person_id != person.pk:
            end_position(position=held, ends_on=starts_on - dt.timedelta(days=1),
                         acting_user=acting_user)
    return appoint_position(person=person, kind=kind, scope_page=scope_page,
                            starts_on=starts_on, ends_on=ends_on, acting_user=acting_user)


@transaction.atomic
def cancel_position(*, position: PositionOfTrust, acting_user=None) -> None:
    """Delete a position whose term has not started: it was never held, so no history
    is lost (a started term is ended with `end_position`)."""
    if position.starts_on <= timezone.localdate():
        raise ValidationError(_("A term that has started is ended, not cancelled."))
    _delete_position(position, acting_user=acting_user)


@transaction.atomic
def _delete_position(position: PositionOfTrust, *, acting_user) -> None:
    person, pk = position.person, position.pk
    position.delete()
    search_outbox.enqueue(person)
    record(
        actor=acting_user,
        union=person.union,
        action=AuditAction.DELETE,
        person=person,
        target=f"position:{pk}",
        fields=["positions"],
    )
    sync_grants_for_person(person, acting_user=acting_user)


@transaction.atomic
def add_training(
    *,
    person: Person,
    name: str,
    provider: str = "",
    completed_on: dt.date | None = None,
    acting_user=None,
) -> Training:
    training = Training.objects.create(
        union_id=person.union_id,
        person=person,
        name=name,
        provider=provider,
        completed_on=completed_on,
    )
    record(
        actor=acting_user,
        union=person.union,
        action=AuditAction.CREATE,
        person=person,
        target=f"training:{training.pk}",
        fields=["trainings"],
    )
    return training


# The people admin's writes (staff editing, adding and bulk-changing people) live in
# staff_actions.py (this module had reached ~400 lines); they are part of this API.
from .staff_actions import (  # noqa: E402, F401 - re-exported
    STAFF_EDITABLE_FIELDS,
    add_person,
    set_membership_status,
    update_person,
)
