"""Campaign teams (U-3.5.12, U-3.6): create a team for a workplace, invite people,
edit it; the invitee accepts the team's terms.

Permission: a team is managed by staff and admins and by the officials of its workplace
(Access.may_form_team); its current members see it; an invitation is answered only by
the person invited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from portal.audit.log import AuditAction, record, record_many
from portal.people.selectors import own_person
from portal.union.features import feature_on
from portal.union.models import UnionFeature

from . import actions
from .forms import AcceptForm, TeamForm
from .models import CampaignTeam, MemberStatus, TargetKind, TeamMember
from .permissions import feature_enabled, visible_campaigns
from .selectors import people_of_targets, potential_leaders
from .views import campaign_for, centre_access


def _team_workplaces(access, campaign) -> list[tuple[int, str]]:
    """Workplaces this user may form a team for in the campaign."""
    if campaign.target_kind == TargetKind.WORKPLACE:
        ids = campaign.targets.values_list("scope_id", flat=True)
        if not access.staff:
            ids = ids.filter(scope_id__in=list(access.scope_ids("workplace")))
    else:
        ids = [] if access.staff else list(access.scope_ids("workplace"))
        if access.staff:  # any workplace of the targets' people: staff pick by employer
            ids = people_of_targets(campaign).filter(
                employments__workplace__isnull=False).values_list(
                "employments__workplace_id", flat=True)[:500]
    return list(Page.objects.filter(pk__in=list(ids)).order_by("title")
                .values_list("pk", "title")[:500])


def _visible_teams(access, campaign):
    teams = CampaignTeam.objects.for_union(campaign.union).filter(campaign=campaign)
    if access.staff:
        return teams
    return teams.filter(Q(workplace_id__in=list(access.scope_ids("workplace")))
                        | Q(workplace_id__in=list(access.teams.get(campaign.pk, set()))))


@login_required
@require_http_methods(["GET", "POST"])
def teams(request, pk: int):
    """Permission: see the module. Lists the teams this user sees; creates one for a
    workplace they may form a team for."""
    access, campaign = campaign_for(request, pk)
    workplaces = _team_workplaces(access, campaign)
    form = TeamForm(request.POST or None, workplaces=workplaces,
                    initial={"ends_on": campaign.ends_on})
    if request.method == "POST":
        if not workplaces:
            raise Http404
        if form.is_valid():
            workplace = get_object_or_404(Page, pk=form.cleaned_data["workplace"]).specific
            try:
                team = actions.create_team(
                    campaign=campaign, workplace=workplace, acting_user=request.user,
                    name=form.cleaned_data["name"], terms=form.cleaned_data["terms"],
                    ends_on=form.cleaned_data["ends_on"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The team was created. Invite its members."))
                return redirect("campaigns:team", team.pk)
    rows = list(_visible_teams(access, campaign).select_related("workplace"))
    return render(request, "campaigns/teams.html", {
        "campaign": campaign, "teams": rows, "form": form if workplaces else None})


def _team_for(request, pk: int):
    access = centre_access(request)
    team = get_object_or_404(CampaignTeam.objects.for_union(request.union)
                             .select_related("campaign", "workplace"), pk=pk)
    if not visible_campaigns(access).filter(pk=team.campaign_id).exists():
        raise Http404
    manages = access.may_form_team(team.workplace_id)
    if not manages and team.workplace_id not in access.teams.get(team.campaign_id, set()):
        raise Http404
    return access, team, manages


@login_required
@require_http_methods(["GET", "POST"])
def team(request, pk: int):
    """Permission: managers of the team (staff, the workplace's officials) edit it and
    invite; its current members see it."""
    access, team, manages = _team_for(request, pk)
    campaign = team.campaign
    form = TeamForm(request.POST or None, workplaces=[], initial={
        "name": team.name, "terms": team.terms, "ends_on": team.ends_on})
    del form.fields["workplace"]
    error = None
    if request.method == "POST":
        if not manages:
            raise Http404
        if "invite" in request.POST:
            ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()][:50]
            invitees = list(people_of_targets(campaign, workplace_ids={team.workplace_id})
                            .filter(pk__in=ids))
            if not invitees:
                error = _("Choose whom to invite.")
            else:
                try:
                    invited = actions.invite(team=team, people=invitees,
                                             acting_user=request.user)
                except ValidationError as exc:
                    error = exc.messages[0]
                else:
                    messages.success(request, ngettext(
                        "%(count)s person invited.", "%(count)s people invited.",
                        len(invited)) % {"count": len(invited)})
                    return redirect(request.path)
        elif "remove" in request.POST:
            pk = request.POST.get("remove", "")
            member = get_object_or_404(team.members.all(), pk=int(pk) if pk.isdigit() else 0)
            actions.remove_member(member=member, acting_user=request.user)
            return redirect(request.path)
        elif form.is_valid():
            actions.update_team(team=team, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(request.path)
    members = list(team.members.exclude(status=MemberStatus.REMOVED).select_related("person")
                   .order_by("person__last_name", "person__first_name"))
    candidates = []
    query = request.GET.get("q", "").strip()[:100]
    if manages:
        taken = {m.person_id for m in members if m.status != MemberStatus.DECLINED}
        taken.add(getattr(own_person(request), "pk", None))  # not oneself
        people = people_of_targets(campaign, workplace_ids={team.workplace_id})
        if query:
            for word in query.split()[:3]:
                people = people.filter(Q(first_name__icontains=word)
                                       | Q(last_name__icontains=word))
            candidates = [(p, []) for p in people.order_by("last_name", "first_name")[:50]]
        else:
            workplace_people = set(people.values_list("pk", flat=True)[:5000])
            candidates = [(row["person"], row["reasons"])
                          for row in potential_leaders(access, campaign, limit=500)
                          if row["person"].pk in workplace_people][:30]
        candidates = [(p, reasons) for p, reasons in candidates if p.pk not in taken]
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=[m.person for m in members] + [p for p, _reasons in candidates],
                fields=("name", "campaign_team"), target=f"campaign-team:{team.pk}")
    map_url = (reverse("mapping:workplace", args=[team.workplace_id])
               if feature_on(request, UnionFeature.WORKPLACE_MAPPING) else "")
    return render(request, "campaigns/team.html", {
        "map_url": map_url,
        "campaign": campaign, "team": team, "manages": manages, "form": form,
        "members": members, "candidates": candidates, "query": query, "error": error,
        "ticked": set(request.POST.getlist("person")) if error else set()})


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, pk: int):
    """Permission: the invited person only (anyone else: 404)."""
    person = own_person(request)
    if person is None or not feature_enabled(request):
        raise Http404
    member = get_object_or_404(
        TeamMember.objects.for_union(request.union).select_related("team", "team__campaign",
                                                                   "team__workplace"),
        pk=pk, person=person)
    form = AcceptForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            if "decline" in request.POST:
                actions.decline(member=member, acting_user=request.user)
            else:
                actions.accept(member=member, acting_user=request.user,
                               terms_accepted=form.cleaned_data["terms_accepted"])
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if member.status == MemberStatus.ACTIVE:
                messages.success(request, _("You joined the team %(team)s.") % {
                    "team": member.team.name})
                return redirect("campaigns:detail", member.team.campaign_id)
            return redirect(request.path)
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           target=f"campaign-team:{member.team_id}:invitation", fields=["campaign_team"])
    return render(request, "campaigns/invitation.html", {
        "member": member, "team": member.team, "form": form, "error": error})
