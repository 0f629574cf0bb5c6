"""Workplace mapping pages (U-3.11), mobile first: stewards use phones.

Permission of every view here: `permissions.mapped_workplace` — the feature is on for
the union, and the signed-in user maps this workplace of their union (staff, the
workplace's officials, a campaign team member while their grant lasts); anyone else
gets a 404. Every view of people is audited; responses are `private, no-store`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from portal.audit.log import AuditAction, record, record_many
from portal.people.models import ACTIVE_MEMBER_STATUSES

from . import actions, listing
from .density import density_for, units_of
from .forms import (
    AssessmentForm,
    PlacementForm,
    PotentialMemberForm,
    UnitForm,
    WorkplaceInfoForm,
)
from .models import Assessment, Level, PotentialMember, Unit
from .permissions import mapped_workplace

PER_PAGE = 50
PERSON_FIELDS = ("name", "phone", "email", "membership_status", "unit", "shift", "assessment")
private = cache_control(private=True, no_store=True)


def _audit_list(request, workplace, people, potential) -> None:
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=people, fields=PERSON_FIELDS, target=request.path)
    if potential:
        record(actor=request.user, union=request.union, action=AuditAction.LIST,
               target=f"potential:{','.join(str(p.pk) for p in potential)}"[:200],
               fields=PERSON_FIELDS)


@private
@login_required
def workplace_mapping(request, workplace_id: int):
    """Permission: maps this workplace (module docstring). The overview: density, the
    structure with each unit's density, and the filtered people and potential members."""
    workplace = mapped_workplace(request, workplace_id)
    filters = listing.Filters.from_query(request.GET)
    people_page = Paginator(listing.people(workplace, filters), PER_PAGE).get_page(
        request.GET.get("page"))
    potential_page = Paginator(listing.potential_members(workplace, filters), PER_PAGE
                               ).get_page(request.GET.get("ppage"))
    _audit_list(request, workplace, people_page.object_list, potential_page.object_list)
    tree, shifts = listing.tree_and_shifts(workplace)
    unit_density = units_of(union=request.union, workplace=workplace)
    for unit in (*tree, *shifts):
        unit.density = unit_density.get(unit.pk)
    query = request.GET.copy()
    for name in ("page", "ppage"):
        query.pop(name, None)
    return render(request, "mapping/workplace.html", {
        "workplace": workplace,
        "density": density_for(union=request.union, workplaces=[workplace.pk])
        .workplaces.get(workplace.pk),
        "tree": tree, "shifts": shifts, "filters": filters,
        "levels": Level.choices,
        "contacted_offered": listing.contacted(workplace) is not None,
        "people_page": people_page, "potential_page": potential_page,
        "query": query.urlencode(),
    })


@private
@login_required
@require_http_methods(["GET", "POST"])
def structure(request, workplace_id: int):
    """Permission: maps this workplace. Add, rename and remove departments, units and
    shifts (removing asks to confirm first, saying how many people it unplaces)."""
    workplace = mapped_workplace(request, workplace_id)
    form = UnitForm(request.POST if request.POST.get("op") == "add" else None,
                    workplace=workplace)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "add" and form.is_valid():
            try:
                actions.create_unit(workplace=workplace, acting_user=request.user,
                                    **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s was added.") % {
                    "name": form.cleaned_data["name"]})
                return redirect("mapping:structure", workplace.pk)
        elif op in ("rename", "delete"):
            unit = get_object_or_404(Unit.objects.for_union(request.union),
                                     workplace=workplace,
                                     pk=int(unit_id) if (unit_id := request.POST.get("unit", "")
                                                         ).isdigit() else 0)
            if op == "delete" and request.POST.get("confirmed") != "1":
                # Removing unplaces its people: a step to confirm, without JavaScript.
                return render(request, "mapping/confirm_remove.html", {
                    "workplace": workplace, "unit": unit,
                    "below": Unit.objects.filter(workplace=workplace,
                                                 path__startswith=unit.path).count() - 1,
                    "placed": listing.placed_in(unit)})
            if op == "delete":
                actions.delete_unit(unit=unit, acting_user=request.user)
                messages.success(request, _("Removed. Its people are no longer placed."))
            elif request.POST.get("name", "").strip():
                actions.rename_unit(unit=unit, name=request.POST["name"][:120],
                                    acting_user=request.user)
                messages.success(request, _("Saved."))
            return redirect("mapping:structure", workplace.pk)
    tree, shifts = listing.tree_and_shifts(workplace)
    return render(request, "mapping/structure.html", {
        "workplace": workplace, "form": form, "tree": tree, "shifts": shifts})


def _contact_sections(request, workplace, **subject) -> list[str]:
    """Sections other apps add to a subject's page (campaigns: their contacts, through
    the `mapping_subject_contacts` hook; mapping cannot import campaigns)."""
    found = [hook(request=request, workplace=workplace, **subject)
             for hook in hooks.get_hooks("mapping_subject_contacts")]
    return [section for section in found if section]


def _history(**subject):
    return list(Assessment.objects.filter(**subject).select_related("assessed_by")
                .order_by("-created_at", "-pk")[:20])


@private
@login_required
@require_http_methods(["GET", "POST"])
def person(request, workplace_id: int, person_id: int):
    """Permission: maps this workplace; the person works there now. Place them in a unit
    and shift, assess them, see their assessments' history."""
    workplace = mapped_workplace(request, workplace_id)
    # One query: the person, whether they work there now, and their unit and shift.
    person = actions.employee(workplace, person_id, fields=(
        "pk", "union_id", "first_name", "last_name", "phone", "email", "membership_status"))
    if person is None:
        raise Http404
    initial = {"unit": person.placed_unit_id, "shift": person.placed_shift_id}
    op = request.POST.get("op")
    place_form = PlacementForm(request.POST if op == "place" else None, initial=initial,
                               workplace=workplace)
    assess_form = AssessmentForm(request.POST if op == "assess" else None)
    if op == "place" and place_form.is_valid():
        actions.place_person(workplace=workplace, person=person, acting_user=request.user,
                             **place_form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("mapping:person", workplace.pk, person.pk)
    if op == "assess" and assess_form.is_valid():
        actions.assess(workplace=workplace, person=person, acting_user=request.user,
                       **assess_form.cleaned_data)
        messages.success(request, _("The assessment was saved."))
        return redirect("mapping:person", workplace.pk, person.pk)
    sections = _contact_sections(request, workplace, person=person)
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           target=request.path, fields=PERSON_FIELDS + (("campaign_contacts",) if sections
                                                         else ()))
    return render(request, "mapping/subject.html", {"sections": sections,
        "workplace": workplace, "subject": person, "is_member": person.is_member,
        "status": (_("Member (%(status)s)") % {
            "status": person.get_membership_status_display().lower()}
            if person.membership_status in ACTIVE_MEMBER_STATUSES
            else person.get_membership_status_display()),
        "place_form": place_form, "assess_form": assess_form,
        "history": _history(workplace=workplace, person=person)})


@private
@login_required
@require_http_methods(["GET", "POST"])
def add_potential(request, workplace_id: int):
    """Permission: maps this workplace. Add a colleague who is not a member."""
    workplace = mapped_workplace(request, workplace_id)
    form = PotentialMemberForm(request.POST or None, workplace=workplace)
    if request.method == "POST" and form.is_valid():
        potential = actions.add_potential_member(workplace=workplace, acting_user=request.user,
                                                 **form.cleaned_data)
        messages.success(request, _("%(name)s was added.") % {"name": potential.full_name})
        return redirect("mapping:potential", workplace.pk, potential.pk)
    return render(request, "mapping/potential_form.html", {
        "workplace": workplace, "form": form,
        "retention_days": actions.retention_days(request.union)})


@private
@login_required
@require_http_methods(["GET", "POST"])
def potential(request, workplace_id: int, potential_id: int):
    """Permission: maps this workplace. A potential member: edit, assess, remove."""
    workplace = mapped_workplace(request, workplace_id)
    subject = get_object_or_404(PotentialMember.objects.for_union(request.union),
                                workplace=workplace, pk=potential_id)
    subject.workplace = workplace  # the row just read (its actions ask it: no second read)
    op = request.POST.get("op")
    edit_form = PotentialMemberForm(request.POST if op == "edit" else None, instance=subject,
                                    workplace=workplace, prefix="edit")
    assess_form = AssessmentForm(request.POST if op == "assess" else None)
    if op == "edit" and edit_form.is_valid():
        actions.update_potential_member(potential=subject, values=edit_form.cleaned_data,
                                        acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect("mapping:potential", workplace.pk, subject.pk)
    if op == "assess" and assess_form.is_valid():
        actions.assess(workplace=workplace, potential=subject, acting_user=request.user,
                       **assess_form.cleaned_data)
        messages.success(request, _("The assessment was saved."))
        return redirect("mapping:potential", workplace.pk, subject.pk)
    if op == "remove" and request.POST.get("confirmed") != "1":
        # Removing erases them and their assessments: a step to confirm, no JavaScript.
        return render(request, "mapping/confirm_remove_potential.html", {
            "workplace": workplace, "subject": subject})
    if op == "remove":
        actions.remove_potential_member(potential=subject, acting_user=request.user)
        messages.success(request, _("Removed."))
        return redirect("mapping:workplace", workplace.pk)
    # Who may be them in the register: the workplace's members added since (a new member
    # comes from the register as a new person).
    candidates = (actions.employees(workplace).members()
                  .filter(created_at__gte=subject.created_at - dt.timedelta(days=1))
                  .order_by("last_name", "first_name", "pk")
                  .only("pk", "first_name", "last_name"))
    if op == "joined":
        chosen = request.POST.get("person", "")
        if not chosen.isdigit():  # nothing chosen (the list starts empty on purpose)
            messages.error(request, _("Choose the member they are in the register as."))
            return redirect(request.path)
        person = get_object_or_404(candidates, pk=int(chosen))
        actions.mark_joined(potential=subject, person=person, acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect("mapping:person", workplace.pk, person.pk)
    sections = _contact_sections(request, workplace, potential=subject)
    record(actor=request.user, union=request.union, action=AuditAction.VIEW,
           target=f"potential:{subject.pk}", fields=PERSON_FIELDS + (("campaign_contacts",)
                                                                    if sections else ()))
    joiners = list(candidates[:50])
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=joiners, fields=["name"], target=request.path)
    return render(request, "mapping/subject.html", {
        "workplace": workplace, "subject": subject, "is_potential": True,
        "status": _("Potential member"), "edit_form": edit_form, "assess_form": assess_form,
        "history": _history(potential=subject), "joiners": joiners, "sections": sections})


@private
@login_required
@require_http_methods(["GET", "POST"])
def workplace_info(request, workplace_id: int):
    """Permission: maps this workplace. The workplace page's basic info."""
    workplace = mapped_workplace(request, workplace_id)
    form = WorkplaceInfoForm(request.POST or None, initial={
        name: getattr(workplace, name) for name in actions.WORKPLACE_INFO_FIELDS})
    if request.method == "POST" and form.is_valid():
        actions.update_workplace_info(workplace=workplace, values=form.cleaned_data,
                                      acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect("mapping:workplace", workplace.pk)
    return render(request, "mapping/info_form.html", {"workplace": workplace, "form": form})
