"""Views that show or change person data. Each one states its permission and audits.

`PERSON_DATA_VIEWS` names every URL here; a cross-cutting test requests each one and
checks that an audit entry was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.log import AuditAction, record

from . import actions, choosers
from .forms import EmploymentForm, OwnProfileForm, register_owned
from .models import Employment, Person, PositionKind
from .scopes import VISIBLE_FIELDS, Visibility, people_visible_to, visibility_of
from .selectors import (
    NoProfile,
    employment_rows,
    own_person,
    position_rows,
    profile_links,
    trainings_of,
)

PERSON_DATA_VIEWS = (
    "people:own_profile",
    "people:edit_own_profile",
    "people:add_employment",
    "people:edit_employment",
    "people:person_detail",
)


def _own_person(request) -> Person:
    """The signed-in user's profile in the union of this site, or 404."""
    person = own_person(request)
    if person is None:
        raise NoProfile
    return person


@dataclass(frozen=True)
class EmploymentRow:
    """One employment as the profile shows it: its pages' titles, not page objects."""

    pk: int
    employer_title: str
    workplace_title: str | None
    title: str
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class PositionRow:
    kind: str
    scope_title: str
    starts_on: date | None
    ends_on: date | None

    def get_kind_display(self) -> str:
        return PositionKind(self.kind).label


def _profile_context(person: Person, fields: tuple[str, ...]) -> dict:
    """What a page of `person` shows: `fields` (one level of scopes.VISIBLE_FIELDS) and
    nothing else. The view's audit entry records the same tuple, so the log lists what
    the page showed; sections outside `fields` are not even read."""
    return {
        "person": person,
        "fields": set(fields),
        # Columns, not objects (_profile_sections.html shows the pages' titles): building
        # an employment with two deferred Wagtail pages cost more than reading it.
        # Rows from SQL compiled once per shape (selectors: a page view's ORM work).
        "employments": [EmploymentRow(*row) for row in employment_rows(person)]
        if "employments" in fields else [],
        "positions": [PositionRow(*row) for row in position_rows(person)]
        if "positions" in fields else [],
        "trainings": trainings_of(person) if "trainings" in fields else [],
    }


@login_required
def own_profile(request):
    """Permission: signed in, with a profile in this union (U-3.9)."""
    person = _own_person(request)
    fields = VISIBLE_FIELDS[Visibility.OWN]
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=fields, target=request.path)
    context = _profile_context(person, fields)
    # One-way member register: employments are the register's, shown without edit links.
    context["employments_locked"] = bool(register_owned(request.union, "employments"))
    context["profile_links"] = profile_links(request)
    return render(request, "people/own_profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_own_profile(request):
    """Permission: signed in; edits only their own profile's self-editable fields."""
    person = _own_person(request)
    form = OwnProfileForm(request.POST or None, instance=Person.objects.get(pk=person.pk),
                          union=request.union)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in actions.SELF_EDITABLE_FIELDS}
        actions.update_own_profile(person=person, acting_user=request.user, values=values)
        messages.success(request, _("Your profile was saved."))
        return redirect("people:own_profile")
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=list(actions.SELF_EDITABLE_FIELDS), target=request.path)
    return render(request, "people/edit_own_profile.html", {"form": form, "person": person})


def _employment_form(request, person: Person, employment: Employment | None = None):
    """The add and edit forms. A POST with `find` (a field's Search button, used without
    JavaScript) saves nothing: the form comes back as typed, with that field's matches."""
    instance = Employment.objects.get(pk=employment.pk) if employment is not None else None
    find = request.POST.get("find") if request.method == "POST" else None
    if find:
        form = EmploymentForm(initial=request.POST.dict(), instance=instance, union=request.union)
    else:
        form = EmploymentForm(request.POST or None, instance=instance, union=request.union)
        if request.method == "POST" and form.is_valid():
            if employment is None:
                actions.add_employment(person=person, acting_user=request.user,
                                       **form.cleaned_data)
                messages.success(request, _("The employment was added."))
            else:
                actions.update_employment(employment=employment, acting_user=request.user,
                                          values=form.cleaned_data)
                messages.success(request, _("The employment was saved."))
            return redirect("people:own_profile")
    data = request.POST if request.method == "POST" else {}
    employer = choosers.own_page(form.fields["employer"].queryset,
                                 data.get("employer", instance and instance.employer_id))
    workplace = choosers.own_page(form.fields["workplace"].queryset,
                                  data.get("workplace", instance and instance.workplace_id))
    if workplace is not None and (employer is None or workplace.employer_id != employer.pk):
        workplace = None
    employer_search = data.get("employer_search", "").strip()[:200]
    workplace_search = data.get("workplace_search", "").strip()[:200]
    found_employers = (choosers.find_employers(request, employer_search)
                       if find == "employer" and employer_search else [])
    found_workplaces = (choosers.find_workplaces(request, employer, workplace_search)
                        if find == "workplace" else [])
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=["employments"], target=request.path)
    return render(request, "people/employment_form.html", {
        "form": form, "person": person, "find": find, "show_errors": not find,
        "employer": employer, "workplace": workplace,
        "employer_search": employer_search, "workplace_search": workplace_search,
        "employer_choices": choosers.with_chosen(found_employers, employer),
        "workplace_choices": choosers.with_chosen(found_workplaces, workplace),
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_employment(request):
    """Permission: signed in; adds an employment to their own profile (U-3.9.4)."""
    return _employment_form(request, _own_person(request))


@login_required
@require_http_methods(["GET", "POST"])
def edit_employment(request, pk: int):
    """Permission: signed in; edits an employment of their own profile only."""
    person = _own_person(request)
    employment = get_object_or_404(Employment.objects.for_union(request.union), pk=pk,
                                   person=person)
    return _employment_form(request, person, employment)


@login_required
def person_detail(request, pk: int):
    """Permission: the person is within the viewer's SQL visibility scope (people.scopes)."""
    if request.union is None:
        raise Http404
    person = get_object_or_404(
        people_visible_to(request.user, request.union).select_related("branch"), pk=pk
    )
    level = visibility_of(request.user, request.union, person)
    if level == Visibility.NONE:
        raise PermissionDenied
    # One list for both: what the page shows is what the audit entry says it showed.
    fields = VISIBLE_FIELDS[level]
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=fields, target=request.path)
    context = _profile_context(person, fields)
    context["level"] = level
    return render(request, "people/person_detail.html", context)
