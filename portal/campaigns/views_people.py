"""People of a campaign: whom to contact, the contact log, potential leaders.

Permission (each view): staff and admins the campaign's whole target group; an official
the people of their scope in it; a campaign team member their team's workplace while their
place lasts (selectors.contactable_people). Everything shown of a person is audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.audit.log import AuditAction, record, record_many
from portal.people.models import ACTIVE_MEMBER_STATUSES, Employment
from portal.people.selectors import own_person

from . import actions
from .forms import ContactForm
from .models import ContactEntry, Outcome
from .selectors import contact_log, contactable_people, potential_leaders
from .views import PAGE_SIZE, campaign_for

PEOPLE_FIELDS = ("name", "phone", "membership_status", "employments", "campaign_contacts")


def _annotated(people, campaign):
    today = timezone.localdate()
    jobs = (Employment.objects.filter(person=OuterRef("pk"), workplace__isnull=False)
            .filter(Q(starts_on__lte=today) | Q(starts_on__isnull=True))
            .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True))
            .order_by("workplace_id").values("workplace__title")[:1])
    last = (ContactEntry.objects.filter(campaign=campaign, person=OuterRef("pk"))
            .order_by("-contacted_at"))
    return people.annotate(
        workplace_title=Subquery(jobs, output_field=CharField()),
        last_outcome=Subquery(last.values("outcome")[:1], output_field=CharField()),
        last_next_step=Subquery(last.values("next_step")[:1], output_field=CharField()),
        contacted=Exists(last))


@login_required
def people(request, pk: int):
    """Permission: see the module. Filters: name, contacted or not, member or not."""
    access, campaign = campaign_for(request, pk)
    people = _annotated(contactable_people(access, campaign), campaign)
    query = request.GET.get("q", "").strip()[:100]
    contacted = request.GET.get("contacted", "")
    member = request.GET.get("member", "")
    if query:
        for word in query.split()[:3]:
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if contacted in ("yes", "no"):
        people = people.filter(contacted=contacted == "yes")
    if member == "yes":
        people = people.filter(membership_status__in=ACTIVE_MEMBER_STATUSES)
    elif member == "no":
        people = people.exclude(membership_status__in=ACTIVE_MEMBER_STATUSES)
    page = Paginator(people.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    outcomes = dict(Outcome.choices)
    for person in page.object_list:
        person.last_outcome_label = outcomes.get(person.last_outcome, "")
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=page.object_list, fields=PEOPLE_FIELDS,
                target=f"campaign:{campaign.pk}:people")
    return render(request, "campaigns/people.html", {
        "campaign": campaign, "page": page,
        "filters": {"q": query, "contacted": contacted, "member": member}})


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk: int, person_id: int):
    """Permission: see the module. Log a contact with one person; their earlier entries."""
    access, campaign = campaign_for(request, pk)
    person = get_object_or_404(contactable_people(access, campaign), pk=person_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["contacted_on"]
        when = timezone.now() if day == timezone.localdate() else timezone.make_aware(
            dt.datetime.combine(day, dt.time(12)))
        try:
            actions.log_contact(
                campaign=campaign, person=person, acting_user=request.user,
                channel=data["channel"], outcome=data["outcome"], contacted_at=when,
                next_step=data["next_step"], notes=data["notes"],
                contacted_by=own_person(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{request.path}?saved=1")
    entries = list(contact_log(access, campaign, person_id=person.pk)[:50])
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           target=f"campaign:{campaign.pk}:contact",
           fields=["name", "phone", "email", "campaign_contacts"])
    return render(request, "campaigns/contact.html", {
        "campaign": campaign, "person": person, "form": form, "entries": entries,
        "saved": request.GET.get("saved") == "1"})


@login_required
def log(request, pk: int):
    """Permission: see the module. The campaign's contact log, newest first."""
    access, campaign = campaign_for(request, pk)
    entries = contact_log(access, campaign)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        entries = entries.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=[e.person for e in page.object_list if e.person_id],
                fields=("name", "campaign_contacts"), target=f"campaign:{campaign.pk}:log")
    return render(request, "campaigns/log.html", {
        "campaign": campaign, "page": page, "outcome": outcome, "outcomes": Outcome.choices,
        "filter_params": {"outcome": outcome}})


@login_required
def leaders(request, pk: int):
    """Permission: see the module (assessments are mapping data: staff, the workplace's
    officials and its campaign team only, which is who reaches this view)."""
    access, campaign = campaign_for(request, pk)
    rows = potential_leaders(access, campaign)
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=[row["person"] for row in rows],
                fields=("name", "assessment", "positions", "campaign_contacts"),
                target=f"campaign:{campaign.pk}:leaders")
    return render(request, "campaigns/leaders.html", {
        "campaign": campaign, "rows": rows})
