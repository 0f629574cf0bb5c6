"""The campaign centre: list, create, edit, and a campaign's situation picture.

Permissions (permissions.py): staff and admins everything of their union; officials the
campaigns targeting their scope and those targets only; team members their team's
campaign and workplace while their place lasts; anyone else a 404. Every view is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from portal.audit.log import AuditAction, record
from portal.union.features import feature_on
from portal.union.models import UnionFeature

from . import actions, charts, figures, targeting
from .forms import CampaignForm
from .models import TargetKind
from .permissions import access_for, feature_enabled, visible_campaigns
from .selectors import targets_for

PAGE_SIZE = 50


def centre_access(request):
    """The request's access, or 404 for those without any (the feature off, members)."""
    if not feature_enabled(request):
        raise Http404
    access = access_for(request)
    if not access.any:
        raise Http404
    return access


def campaign_for(request, pk: int):
    access = centre_access(request)
    campaign = get_object_or_404(
        visible_campaigns(access).select_related("owner", "owner_user"), pk=pk)
    return access, campaign


@login_required
def campaign_list(request):
    """Permission: staff, officials and campaign team members (their campaigns only).
    `?show=ended` lists ended campaigns, else running and upcoming ones."""
    access = centre_access(request)
    show = "ended" if request.GET.get("show") == "ended" else "running"
    query = request.GET.get("q", "").strip()[:100]
    campaigns = visible_campaigns(access).select_related("owner", "owner_user")
    if query:
        campaigns = campaigns.filter(name__icontains=query)
    today = timezone.localdate()
    if show == "ended":
        groups = [(_("Ended campaigns"), list(campaigns.ended(today).order_by("-ends_on")[:200]))]
    else:
        groups = [(_("Running campaigns"), list(campaigns.running(today)[:200])),
                  (_("Upcoming campaigns"), list(campaigns.upcoming(today)[:200]))]
    record(actor=request.user, union=request.union, action=AuditAction.LIST,
           target=request.path, fields=["campaigns"])
    return render(request, "campaigns/list.html", {
        "groups": groups, "show": show, "query": query, "may_create": access.may_create()})


def _save_form(request, form, campaign=None):
    data = {"name": form.cleaned_data["name"], "goal": form.cleaned_data["goal"],
            "starts_on": form.cleaned_data["starts_on"], "ends_on": form.cleaned_data["ends_on"],
            "target_kind": form.cleaned_data["target_kind"], "target_filters": form.filters()}
    data["owner_user"] = form.owner_user()
    data["owner"] = form.owner_person(data["owner_user"])
    if campaign is None:
        return actions.create_campaign(union=request.union, acting_user=request.user, **data)
    return actions.update_campaign(campaign=campaign, acting_user=request.user, **data)


def _preview(request, form) -> int | None:
    """The number of targets the form's filters find now, without saving (the form's
    "Count the target group" button; no JavaScript)."""
    kind = form.cleaned_data["target_kind"]
    try:
        filters = targeting.clean_filters(request.union, kind, form.filters())
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return len(targeting.resolve(request.union, kind, filters))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    """Permission: staff and admins of the union."""
    access = centre_access(request)
    if not access.may_create():
        raise Http404
    form = CampaignForm(request.POST or None, union=request.union, initial={
        "starts_on": timezone.localdate(), "target_kind": "workplace",
        "owner": request.user.pk})
    preview = None
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        preview = _preview(request, form)
    elif request.method == "POST" and form.is_valid():
        try:
            campaign = _save_form(request, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None,
                                                   "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    """Permission: staff and admins, and the campaign's owner."""
    access, campaign = campaign_for(request, pk)
    if not access.may_edit(campaign):
        raise Http404
    form = CampaignForm(request.POST or None, union=request.union,
                        initial=CampaignForm.initial_for(campaign))
    preview = None
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        preview = _preview(request, form)
    elif request.method == "POST" and form.is_valid():
        try:
            _save_form(request, form, campaign)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign,
                                                   "preview": preview})


def _filter_names(campaign) -> dict[str, str]:
    filters = campaign.target_filters
    ids = {f"{key}:{filters[key]}": filters[key] for key in ("agreement", "employer")
           if key in filters}
    titles = dict(Page.objects.filter(pk__in=list(ids.values())).values_list("pk", "title"))
    return {key: titles.get(pk, "–") for key, pk in ids.items()}


def _percent(value):
    return None if value is None else round(value * 100, 1)


def _heat(density):
    if density is None:
        return ""
    return "low" if density < 0.25 else "mid" if density < 0.5 else "high"


def _heat_rows(request, key):
    """The heat list's filters (U-3.5.7): name, density below, reached or not."""
    rows = figures.heat_sorted(key.rows)
    query = request.GET.get("q", "").strip()[:100]
    below = request.GET.get("below", "").strip()
    reached = request.GET.get("reached", "")
    if query:
        titled = set(Page.objects.filter(pk__in=[r.scope_id for r in rows],
                                         title__icontains=query).values_list("pk", flat=True))
        rows = [r for r in rows if r.scope_id in titled]
    if below.isdigit() and 0 < int(below) <= 100:
        rows = [r for r in rows if r.density_now is not None and r.density_now * 100 < int(below)]
    else:
        below = ""
    if reached in ("yes", "no"):
        rows = [r for r in rows if r.reached == (reached == "yes")]
    else:
        reached = ""
    return rows, {"q": query, "below": below, "reached": reached}


@login_required
def campaign_detail(request, pk: int):
    """Permission: as the list; officials and team members see the figures of their own
    targets only. Key figures are counts (no person is shown); the view is audited."""
    access, campaign = campaign_for(request, pk)
    key = figures.key_figures(campaign, targets_for(access, campaign))
    rows, heat_filters = _heat_rows(request, key)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    figures.add_titles(list(page.object_list))
    mappable = (campaign.target_kind == TargetKind.WORKPLACE
                and feature_on(request, UnionFeature.WORKPLACE_MAPPING))
    own = access.workplace_ids(campaign.pk)
    for row in page.object_list:
        row.map_url = (reverse("mapping:workplace", args=[row.scope_id])
                       if mappable and (access.staff or row.scope_id in own) else "")
        row.pct_start, row.pct_now = _percent(row.density_at_start), _percent(row.density_now)
        row.pct_change = _percent(row.change)
        row.heat = _heat(row.density_now)
    total = key.total
    bars = charts.bars(
        title=_("Campaign in numbers"),
        description=_("Workplaces reached %(reached)s of %(targets)s, people contacted "
                      "%(contacted)s, conversations held %(conversations)s, new members "
                      "%(new)s.") % {"reached": key.reached, "targets": key.targets,
                                     "contacted": total.contacted,
                                     "conversations": total.conversations,
                                     "new": total.new_members},
        items=[(_("Targets reached"), key.reached), (_("People contacted"), total.contacted),
               (_("Conversations held"), total.conversations),
               (_("New members"), total.new_members)], chart_id="numbers")
    points = [(day, members * 100 / base) for day, members, base in key.series if base]
    today = timezone.localdate()
    if total.density_now is not None and campaign.status(today) == "running":
        # The snapshots are taken once a day; today's point is the density now, the same
        # figure as "density now" above the chart (a potential member mapped this
        # morning lowered the figure while the chart still drew the night's snapshot).
        points = [(day, value) for day, value in points if day < today]
        points.append((today, total.density_now * 100))
    start = _percent(total.density_at_start)
    line = charts.density_line(
        title=_("Union density over time"),
        description=_("Density of the target group per day since the campaign started; "
                      "the dashed line is the density at the start. The table below gives "
                      "the values."),
        points=points, start=start, start_label=_("At start"), chart_id="density")
    record(actor=request.user, union=request.union, action=AuditAction.VIEW,
           target=f"campaign:{campaign.pk}", fields=["key_figures"])
    return render(request, "campaigns/detail.html", {
        "campaign": campaign, "access": access, "key": key, "total": total,
        "status": campaign.status(), "may_edit": access.may_edit(campaign),
        "filter_words": targeting.describe(campaign.target_kind, campaign.target_filters,
                                           _filter_names(campaign)),
        "density_start": start, "density_now": _percent(total.density_now),
        "change": _percent(total.change),
        "page": page, "heat_filters": heat_filters, "bars": bars, "line": line,
        "series": [(day, round(value, 1)) for day, value in points][-60:],
    })
