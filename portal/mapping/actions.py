"""All writes of workplace mapping. Each asks `can_map` (or staff, for the union's
settings), runs in a transaction and writes an audit entry. Potential members have no
person id: their entries name them in `target` ("potential:<id>")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.access.roles import is_staff
from portal.audit.log import AuditAction, record
from portal.people.models import Employment, Person
from portal.union import sections
from portal.union.models import Union
from portal.workplaces.models import EmployerPage, WorkplacePage

from .models import (
    Assessment,
    EmployerFacts,
    Level,
    MappingSettings,
    Placement,
    PotentialMember,
    Unit,
    UnitKind,
)
from .permissions import can_map

WORKPLACE_INFO_FIELDS = ("street_address", "postal_code", "city", "employee_count",
                         "description")


def _require_mapper(acting_user, workplace: WorkplacePage) -> None:
    if acting_user is None or not can_map(acting_user, workplace.union, workplace):
        raise PermissionDenied


def _require_staff(acting_user, union) -> None:
    if acting_user is None or not is_staff(acting_user, union):
        raise PermissionDenied


def _audit(acting_user, workplace, action, *, person=None, target="", fields=()):
    record(actor=acting_user, union=workplace.union, action=action, person=person,
           target=target or f"workplace:{workplace.pk}", fields=list(fields))


@transaction.atomic
def update_workplace_info(*, workplace: WorkplacePage, values: dict, acting_user) -> None:
    """The workplace page's basic info, published as a new revision (so a later publish
    of the page does not bring the old values back)."""
    _require_mapper(acting_user, workplace)
    page = WorkplacePage.objects.get(pk=workplace.pk).get_latest_revision_as_object()
    changed = [name for name in WORKPLACE_INFO_FIELDS
               if name in values and getattr(page, name) != values[name]]
    if not changed:
        return
    for name in changed:
        setattr(page, name, values[name])
    page.full_clean()
    page.save_revision(user=acting_user, log_action=True).publish(user=acting_user)
    _audit(acting_user, workplace, AuditAction.EDIT, fields=changed)


@transaction.atomic
def set_employer_head_count(*, employer: EmployerPage, head_count: int | None,
                            acting_user) -> EmployerFacts:
    _require_staff(acting_user, employer.union)
    facts, _created = EmployerFacts.objects.update_or_create(
        employer=employer, defaults={"union_id": employer.union_id, "head_count": head_count})
    record(actor=acting_user, union=employer.union, action=AuditAction.EDIT,
           target=f"employer:{employer.pk}", fields=["head_count"])
    return facts


@transaction.atomic
def create_unit(*, workplace: WorkplacePage, name: str, kind: str = UnitKind.UNIT,
                parent: Unit | None = None, acting_user) -> Unit:
    _require_mapper(acting_user, workplace)
    if parent is not None and (parent.workplace_id != workplace.pk
                               or parent.kind == UnitKind.SHIFT):
        raise ValidationError(_("Choose a department or unit of this workplace."))
    if kind == UnitKind.SHIFT:
        parent = None  # shifts are a flat list beside the tree
    unit = Unit(union_id=workplace.union_id, workplace=workplace, parent=parent, kind=kind,
                name=name.strip())
    unit.full_clean()
    unit.save()
    # Fixed-width ids: siblings sort in the order they were made.
    unit.path = f"{parent.path if parent else ''}{unit.pk:07d}/"
    if len(unit.path) > Unit._meta.get_field("path").max_length:
        raise ValidationError(_("The structure is too deep."))
    unit.save(update_fields=["path"])
    _audit(acting_user, workplace, AuditAction.CREATE, target=f"unit:{unit.pk}",
           fields=["name", "kind"])
    return unit


@transaction.atomic
def rename_unit(*, unit: Unit, name: str, acting_user) -> Unit:
    _require_mapper(acting_user, unit.workplace)
    unit.name = name.strip()
    unit.full_clean()
    unit.save(update_fields=["name"])
    _audit(acting_user, unit.workplace, AuditAction.EDIT, target=f"unit:{unit.pk}",
           fields=["name"])
    return unit


@transaction.atomic
def delete_unit(*, unit: Unit, acting_user) -> None:
    """The unit and the units under it; their people stay, unplaced."""
    workplace = unit.workplace
    _require_mapper(acting_user, workplace)
    target = f"unit:{unit.pk}"
    Unit.objects.filter(workplace=workplace, path__startswith=unit.path).delete()
    _audit(acting_user, workplace, AuditAction.DELETE, target=target, fields=["name"])


def _checked_units(workplace, unit, shift) -> None:
    if unit is not None and (unit.workplace_id != workplace.pk or unit.kind == UnitKind.SHIFT):
        raise ValidationError(_("Choose a department or unit of this workplace."))
    if shift is not None and (shift.workplace_id != workplace.pk or shift.kind != UnitKind.SHIFT):
        raise ValidationError(_("Choose a shift of this workplace."))


def employees(workplace):
    """The workplace's people in the register: living, currently employed there."""
    return (Person.objects.for_union(workplace.union).living()
            .filter(pk__in=Employment.objects.current().filter(workplace=workplace)
                    .values("person_id")))


_EMPLOYEE_OF = "_mapping_employee_of"


def employee(workplace, person_id: int, fields=()) -> Person | None:
    """The person if they work at the workplace now, else None, with their placement's
    unit and shift ids (`placed_unit_id`, `placed_shift_id`; None when not placed): one
    query. The actions below take the person as checked for this workplace (no second
    EXISTS in the same request)."""
    placement = Placement.objects.filter(workplace=workplace, person=OuterRef("pk"))
    person = (employees(workplace).only(*fields) if fields else employees(workplace)).annotate(
        placed_unit_id=Subquery(placement.values("unit_id")[:1]),
        placed_shift_id=Subquery(placement.values("shift_id")[:1]),
    ).filter(pk=person_id).first()
    if person is not None:
        setattr(person, _EMPLOYEE_OF, workplace.pk)
    return person


def _require_employee(workplace, person: Person) -> None:
    if getattr(person, _EMPLOYEE_OF, None) == workplace.pk:
        return  # loaded by `employee` for this workplace
    if not employees(workplace).filter(pk=person.pk).exists():
        raise ValidationError(_("The person does not work at this workplace."))


@transaction.atomic
def place_person(*, workplace: WorkplacePage, person: Person, unit: Unit | None,
                 shift: Unit | None, acting_user) -> Placement:
    _require_mapper(acting_user, workplace)
    _require_employee(workplace, person)
    _checked_units(workplace, unit, shift)
    placement, _created = Placement.objects.update_or_create(
        workplace=workplace, person=person,
        defaults={"union_id": workplace.union_id, "unit": unit, "shift": shift})
    _audit(acting_user, workplace, AuditAction.EDIT, person=person,
           target=f"workplace:{workplace.pk}", fields=["unit", "shift"])
    return placement


@transaction.atomic
def assess(*, workplace: WorkplacePage, level: int, person: Person | None = None,
           potential: PotentialMember | None = None, note: str = "",
           on: dt.date | None = None, acting_user) -> Assessment:
    """A new assessment (the earlier ones stay as its history)."""
    _require_mapper(acting_user, workplace)
    if (person is None) == (potential is None):
        raise ValidationError("assess a person or a potential member")
    if person is not None:
        _require_employee(workplace, person)
    if potential is not None and potential.workplace_id != workplace.pk:
        raise ValidationError(_("The person does not work at this workplace."))
    if level not in Level.values:
        raise ValidationError(_("Choose an assessment from 1 to 5."))
    assessment = Assessment.objects.create(
        union_id=workplace.union_id, workplace=workplace, person=person, potential=potential,
        level=level, note=note.strip()[:300], assessed_on=on or timezone.localdate(),
        assessed_by=acting_user)
    _audit(acting_user, workplace, AuditAction.CREATE, person=person,
           target=f"potential:{potential.pk}" if potential else f"workplace:{workplace.pk}",
           fields=["assessment"])
    return assessment


def retention_days(union) -> int:
    return MappingSettings.for_union(union).potential_retention_days


@transaction.atomic
def add_potential_member(*, workplace: WorkplacePage, first_name: str, last_name: str = "",
                         phone: str = "", email: str = "", job_title: str = "",
                         unit: Unit | None = None, shift: Unit | None = None,
                         acting_user) -> PotentialMember:
    _require_mapper(acting_user, workplace)
    _checked_units(workplace, unit, shift)
    potential = PotentialMember(
        union_id=workplace.union_id, workplace=workplace, first_name=first_name.strip(),
        last_name=last_name.strip(), phone=phone.strip(), email=email.strip(),
        job_title=job_title.strip(), unit=unit, shift=shift, added_by=acting_user,
        erase_on=timezone.localdate() + dt.timedelta(days=retention_days(workplace.union)))
    potential.full_clean()
    potential.save()
    _audit(acting_user, workplace, AuditAction.CREATE, target=f"potential:{potential.pk}",
           fields=["name", "phone", "email", "job_title", "unit", "shift"])
    return potential


@transaction.atomic
def update_potential_member(*, potential: PotentialMember, values: dict,
                            acting_user) -> PotentialMember:
    workplace = potential.workplace
    _require_mapper(acting_user, workplace)
    _checked_units(workplace, values.get("unit"), values.get("shift"))
    for name in ("first_name", "last_name", "phone", "email", "job_title", "unit", "shift"):
        if name in values:
            setattr(potential, name, values[name].strip() if isinstance(values[name], str)
                    else values[name])
    # The union, workplace and adder are not changed here: not read again to validate.
    potential.full_clean(exclude=["union", "workplace", "added_by"])
    potential.save()
    _audit(acting_user, workplace, AuditAction.EDIT, target=f"potential:{potential.pk}",
           fields=sorted(values))
    return potential


@transaction.atomic
def remove_potential_member(*, potential: PotentialMember, acting_user) -> None:
    workplace = potential.workplace
    _require_mapper(acting_user, workplace)
    target = f"potential:{potential.pk}"
    potential.delete()  # its assessments with it
    _audit(acting_user, workplace, AuditAction.DELETE, target=target, fields=["name"])


@transaction.atomic
def mark_joined(*, potential: PotentialMember, person: Person, acting_user) -> None:
    """The potential member joined and is now `person` in the register: their unit,
    shift and assessments move to the person (and what other apps hold of them, through
    the `mapping_potential_joined` hook) and the potential member is gone."""
    workplace = potential.workplace
    _require_mapper(acting_user, workplace)
    _require_employee(workplace, person)
    Assessment.objects.filter(potential=potential).update(person=person, potential=None)
    # Apps holding rows of the potential member move them too (campaigns: the contacts),
    # before the delete below unlinks them.
    for hook in hooks.get_hooks("mapping_potential_joined"):
        hook(potential=potential, person=person)
    if potential.unit_id or potential.shift_id:
        Placement.objects.update_or_create(
            workplace=workplace, person=person,
            defaults={"union_id": workplace.union_id, "unit_id": potential.unit_id,
                      "shift_id": potential.shift_id})
    target = f"potential:{potential.pk}"
    potential.delete()
    _audit(acting_user, workplace, AuditAction.EDIT, person=person, target=target,
           fields=["assessment", "unit", "shift"])


@transaction.atomic
def update_settings(*, union, potential_retention_days: int,
                    members_see_own_assessment: bool, acting_user) -> MappingSettings:
    _require_staff(acting_user, union)
    settings, _created = MappingSettings.objects.update_or_create(
        union=union, defaults={"potential_retention_days": potential_retention_days,
                               "members_see_own_assessment": members_see_own_assessment})
    # A shorter period applies to those already added too.
    limit = timezone.localdate() + dt.timedelta(days=potential_retention_days)
    PotentialMember.objects.for_union(union).filter(erase_on__gt=limit).update(erase_on=limit)
    record(actor=acting_user, union=union, action=AuditAction.EDIT, target="mapping-settings",
           fields=["potential_retention_days", "members_see_own_assessment"])
    sections.invalidate(union.pk)  # the profile's link is a cached section of the union
    return settings


def erase_expired_potential_members(*, today: dt.date | None = None) -> int:
    """Daily: potential members past their date who did not join, erased in one DELETE
    (their assessments cascade); one audit entry per union says how many."""
    today = today or timezone.localdate()
    expired = PotentialMember.objects.filter(erase_on__lt=today)
    with transaction.atomic():
        counts = dict(expired.order_by().values_list("union_id").annotate(n=Count("pk")))
        deleted = expired.delete()[1].get(PotentialMember._meta.label, 0)
        for union in Union.objects.filter(pk__in=counts):
            record(actor=None, union=union, action=AuditAction.DELETE,
                   target=f"potential-members-expired:{counts[union.pk]}",
                   fields=["potential_member"])
    return deleted
