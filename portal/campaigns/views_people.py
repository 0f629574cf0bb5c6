"""People of a campaign: whom to contact, the contact log, potential leaders.

Permission (each view): staff and admins the campaign's whole target group; an official
the people of their scope in it; a campaign team member their team's workplace while their
place lasts (selectors.contactable_people). Potential members (workplace mapping's
non-member colleagues) only to their workplace's mappers — staff, its officials, its
team — while the union has workplace mapping on (selectors.contactable_potential).
Everything shown of a person is audited; potential members by their ids in the target."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.log import AuditAction, record, record_many
from portal.people.models import ACTIVE_MEMBER_STATUSES, Employment
from portal.people.selectors import own_person
from portal.union.features import feature_on
from portal.union.models import UnionFeature

from . import actions
from .forms import ContactForm
from .models import ContactEntry, Outcome
from .permissions import access_for, visible_campaigns
from .selectors import contact_log, contactable_people, contactable_potential, potential_leaders
from .views import PAGE_SIZE, campaign_for

PEOPLE_FIELDS = ("name", "phone", "membership_status", "employments", "campaign_contacts")
POTENTIAL_FIELDS = ("name", "phone", "email", "job_title", "campaign_contacts")


def mapping_on(request) -> bool:
    return feature_on(request, UnionFeature.WORKPLACE_MAPPING)


def _audit_potential(request, campaign, potential, action, where: str) -> None:
    if potential:
        record(actor=request.user, union=request.union, action=action,
               target=f"campaign:{campaign.pk}:{where}:potential:"
               f"{','.join(str(p.pk) for p in potential)}"[:200], fields=POTENTIAL_FIELDS)


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


def _annotated_potential(potential, campaign):
    last = (ContactEntry.objects.filter(campaign=campaign, potential=OuterRef("pk"))
            .order_by("-contacted_at"))
    return potential.select_related("workplace").annotate(
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
    # Potential members: not members by definition, so "members only" leaves them out.
    potential = _annotated_potential(
        contactable_potential(access, campaign, mapping_on=mapping_on(request)), campaign)
    if query:
        for word in query.split()[:3]:
            potential = potential.filter(Q(first_name__icontains=word)
                                         | Q(last_name__icontains=word))
    if contacted in ("yes", "no"):
        potential = potential.filter(contacted=contacted == "yes")
    if member == "yes":
        potential = potential.none()
    ppage = Paginator(potential.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("ppage"))
    outcomes = dict(Outcome.choices)
    for row in (*page.object_list, *ppage.object_list):
        row.last_outcome_label = outcomes.get(row.last_outcome, "")
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=page.object_list, fields=PEOPLE_FIELDS,
                target=f"campaign:{campaign.pk}:people")
    _audit_potential(request, campaign, ppage.object_list, AuditAction.LIST, "people")
    filters = {"q": query, "contacted": contacted, "member": member}
    return render(request, "campaigns/people.html", {
        "campaign": campaign, "page": page, "ppage": ppage, "filters": filters,
        "pfilters": {**filters, "page": page.number if page.number > 1 else ""},
        "mapping_on": mapping_on(request)})


def _contact_page(request, access, campaign, *, person=None, potential=None):
    """The contact form and earlier entries of one person or potential member."""
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["contacted_on"]
        when = timezone.now() if day == timezone.localdate() else timezone.make_aware(
            dt.datetime.combine(day, dt.time(12)))
        try:
            actions.log_contact(
                campaign=campaign, person=person, potential=potential,
                acting_user=request.user, channel=data["channel"], outcome=data["outcome"],
                contacted_at=when, next_step=data["next_step"], notes=data["notes"],
                contacted_by=own_person(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact was logged."))
            return redirect(request.path)
    entries = list(contact_log(access, campaign, person_id=getattr(person, "pk", None),
                               potential_id=getattr(potential, "pk", None))[:50])
    if person is not None:
        record(actor=request.user, union=request.union, action=AuditAction.VIEW,
               person=person, target=f"campaign:{campaign.pk}:contact",
               fields=["name", "phone", "email", "campaign_contacts"])
    else:
        _audit_potential(request, campaign, [potential], AuditAction.VIEW, "contact")
    return render(request, "campaigns/contact.html", {
        "campaign": campaign, "person": person or potential, "potential": potential,
        "form": form, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk: int, person_id: int):
    """Permission: see the module. Log a contact with one person; their earlier entries."""
    access, campaign = campaign_for(request, pk)
    person = get_object_or_404(contactable_people(access, campaign), pk=person_id)
    return _contact_page(request, access, campaign, person=person)


@login_required
@require_http_methods(["GET", "POST"])
def contact_potential(request, pk: int, potential_id: int):
    """Permission: see the module (a potential member: their workplace's mappers only).
    Log a contact with one potential member; their earlier entries."""
    access, campaign = campaign_for(request, pk)
    potential = get_object_or_404(
        contactable_potential(access, campaign, mapping_on=mapping_on(request))
        .select_related("workplace"), pk=potential_id)
    return _contact_page(request, access, campaign, potential=potential)


@login_required
def log(request, pk: int):
    """Permission: see the module. The campaign's contact log, newest first."""
    access, campaign = campaign_for(request, pk)
    entries = contact_log(access, campaign, mapping_on=mapping_on(request))
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        entries = entries.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=[e.person for e in page.object_list if e.person_id],
                fields=("name", "campaign_contacts"), target=f"campaign:{campaign.pk}:log")
    _audit_potential(request, campaign, [e.potential for e in page.object_list if e.potential_id],
                     AuditAction.LIST, "log")
    return render(request, "campaigns/log.html", {
        "campaign": campaign, "page": page, "outcome": outcome, "outcomes": Outcome.choices,
        "filter_params": {"outcome": outcome}})


@login_required
def leaders(request, pk: int):
    """Permission: see the module (assessments are mapping data: staff, the workplace's
    officials and its campaign team only, which is who reaches this view)."""
    access, campaign = campaign_for(request, pk)
    rows = potential_leaders(access, campaign, limit=1000)
    workplaces = sorted({(r["person"].workplace_id, r["person"].workplace_title or "")
                         for r in rows if r["person"].workplace_id}, key=lambda w: w[1])
    chosen = request.GET.get("workplace", "")
    chosen = int(chosen) if chosen.isdigit() else None
    query = request.GET.get("q", "").strip()[:100]
    if chosen is not None:
        rows = [r for r in rows if r["person"].workplace_id == chosen]
    if query:
        words = query.lower().split()[:3]
        rows = [r for r in rows if all(w in r["person"].full_name.lower() for w in words)]
    rows = rows[:100]
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=[row["person"] for row in rows],
                fields=("name", "assessment", "positions", "campaign_contacts"),
                target=f"campaign:{campaign.pk}:leaders")
    return render(request, "campaigns/leaders.html", {
        "campaign": campaign, "rows": rows, "workplaces": workplaces, "chosen": chosen,
        "query": query})


def subject_contacts_section(request, *, workplace, person=None, potential=None) -> str:
    """Workplace mapping's page of a person or potential member (through the hook
    `mapping_subject_contacts`; the mapping view checked the user maps the workplace and
    audits the page): their contacts in the campaigns this user sees, newest first, and a
    link to log one in each running campaign where this user may contact them."""
    access = access_for(request)
    if not access.any:
        return ""
    campaigns = visible_campaigns(access)
    subject = {"person": person} if person is not None else {"potential": potential}
    entries = list(ContactEntry.objects.for_union(request.union)
                   .filter(campaign__in=campaigns, **subject)
                   .select_related("campaign", "contacted_by").order_by("-contacted_at")[:20])
    running = list(campaigns.running().order_by("name")[:10])
    for campaign in running:
        campaign.union = request.union  # the request's row: no read per campaign
    # Where this user may log a contact with them: one query for all the running
    # campaigns (an EXISTS per campaign as a column), not one per campaign.
    if person is not None:
        model, pk, name = type(person), person.pk, "campaigns:contact"
        contactable = contactable_people
    else:
        model, pk, name = type(potential), potential.pk, "campaigns:contact_potential"
        contactable = contactable_potential
    found = (model.objects.for_union(request.union).filter(pk=pk).values(**{
        f"c{campaign.pk}": Exists(contactable(access, campaign).filter(pk=OuterRef("pk")))
        for campaign in running}).first() or {}) if running else {}
    links = [(campaign, reverse(name, args=[campaign.pk, pk])) for campaign in running
             if found.get(f"c{campaign.pk}")]
    if not entries and not links:
        return ""
    return render_to_string("campaigns/_subject_contacts.html",
                            {"entries": entries, "links": links}, request=request)
