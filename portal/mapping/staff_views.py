"""The rest of mapping's pages: the CSV export (mappers), the employer's head count and
the union's mapping settings (staff), and a member's own assessment (when the union
lets members see it). Each view states its permission; all are `private, no-store`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from portal.access.roles import is_staff
from portal.audit.log import AuditAction, record, record_many
from portal.people.selectors import NoProfile, own_person
from portal.spreadsheets import csv_bytes
from portal.stepup.decorators import step_is_fresh, stepup_redirect
from portal.union.features import require_feature
from portal.union.models import UnionFeature
from portal.workplaces.models import EmployerPage

from . import actions, listing
from .forms import HeadCountForm, SettingsForm
from .models import Assessment, EmployerFacts, Level, MappingSettings
from .permissions import mapped_workplace
from .views import PERSON_FIELDS

private = cache_control(private=True, no_store=True)
EXPORT_LIMIT = 5000


def _staff_only(request) -> None:
    require_feature(request, UnionFeature.WORKPLACE_MAPPING)
    if not is_staff(request.user, request.union):
        raise Http404


@private
@login_required
def export(request, workplace_id: int):
    """Permission: maps this workplace (views.py), with a fresh second step. The filtered
    list as CSV, at most EXPORT_LIMIT rows of each kind; every row exported is audited."""
    workplace = mapped_workplace(request, workplace_id)
    if not step_is_fresh(request):  # exporting people needs the second step (portal/stepup)
        return stepup_redirect(request)
    filters = listing.Filters.from_query(request.GET)
    people = list(listing.people(workplace, filters)[:EXPORT_LIMIT])
    potential = list(listing.potential_members(workplace, filters)[:EXPORT_LIMIT])
    record_many(actor=request.user, union=request.union, action=AuditAction.EXPORT,
                people=people, fields=PERSON_FIELDS, target=request.path)
    if potential:
        record(actor=request.user, union=request.union, action=AuditAction.EXPORT,
               target=f"{request.path} potential:{len(potential)}", fields=PERSON_FIELDS)
    levels = dict(Level.choices)
    header = [_("Last name"), _("First name"), _("Membership"), _("Unit"), _("Shift"),
              _("Assessment"), _("Assessed on"), _("Phone"), _("Email")]
    rows = [[p.last_name, p.first_name, p.get_membership_status_display(), p.unit_name or "",
             p.shift_name or "", levels.get(p.level, ""), p.level_on or "", p.phone, p.email]
            for p in people]
    rows += [[p.last_name, p.first_name, _("Potential member"), p.unit.name if p.unit else "",
              p.shift.name if p.shift else "", levels.get(p.level, ""), p.level_on or "",
              p.phone, p.email] for p in potential]
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mapping-{workplace.pk}.csv"'
    return response


@private
@login_required
@require_http_methods(["GET", "POST"])
def head_count(request, employer_id: int):
    """Permission: staff of the union. The employer's reported head count."""
    _staff_only(request)
    employer = get_object_or_404(EmployerPage.objects.for_union(request.union), pk=employer_id)
    facts = EmployerFacts.objects.filter(employer=employer).first()
    form = HeadCountForm(request.POST or None,
                         initial={"head_count": facts.head_count if facts else None})
    if request.method == "POST" and form.is_valid():
        actions.set_employer_head_count(employer=employer, acting_user=request.user,
                                        head_count=form.cleaned_data["head_count"])
        messages.success(request, _("Saved."))
        return redirect(employer.url)
    return render(request, "mapping/head_count.html", {"employer": employer, "form": form})


@private
@login_required
@require_http_methods(["GET", "POST"])
def settings(request):
    """Permission: staff of the union. How long potential members are kept; whether
    members see their own assessment."""
    _staff_only(request)
    current = MappingSettings.for_union(request.union)
    form = SettingsForm(request.POST or None, initial={
        "potential_retention_days": current.potential_retention_days,
        "members_see_own_assessment": current.members_see_own_assessment})
    if request.method == "POST" and form.is_valid():
        actions.update_settings(union=request.union, acting_user=request.user,
                                **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("mapping:settings")
    return render(request, "mapping/settings.html", {"form": form})


@private
@login_required
def own_assessment(request):
    """Permission: signed in with a profile here, and the union lets members see their
    own assessment (off by default: a 404 then)."""
    require_feature(request, UnionFeature.WORKPLACE_MAPPING)
    if not MappingSettings.for_union(request.union).members_see_own_assessment:
        raise Http404
    person = own_person(request)
    if person is None:
        raise NoProfile
    assessments = list(Assessment.objects.for_union(request.union).filter(person=person)
                       .select_related("workplace").order_by("-created_at")[:20])
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           target=request.path, fields=["assessment"])
    return render(request, "mapping/own_assessment.html", {"assessments": assessments})
