"""Who may use the campaign centre, and for which targets and people.

- staff and admins: every campaign of their union, create and edit;
- officials (positions that see their scope: stewards, safety representatives, branch
  officers): campaigns whose target group holds a workplace, employer or branch of their
  current positions, and those targets only; they log contacts with people they see
  (`people.scopes`) and form teams for their workplaces;
- campaign team members, while their place lasts (`TeamMember.current`): their team's
  campaign, its workplace only, its current employees;
- members and everyone else: nothing (the centre answers 404, no navigation entry).

Campaigns' owners edit their campaign. The rights are read per request (one query for
positions and teams together), never stored as grants.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, F, IntegerField, Q, Value

from portal.access.grants import SCOPE_SEEING_POSITIONS
from portal.access.roles import is_staff, roles_for
from portal.people.models import PositionOfTrust, ScopeKind
from portal.union.features import feature_on
from portal.union.models import Role, UnionFeature
from portal.union.viewer import viewer_fact
from portal.workplaces.models import WorkplacePage

from .models import Campaign, TargetKind, TeamMember

_CACHE = "_campaign_access"


@dataclass
class Access:
    union: object
    user: object
    staff: bool = False
    # Page ids of the official's current scope-seeing positions, by scope kind; workplaces
    # also holds the workplaces of their employers.
    scopes: dict[str, set[int]] = field(default_factory=dict)
    # campaign id -> workplace ids of the user's current team places.
    teams: dict[int, set[int]] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return self.staff or bool(self.scopes) or bool(self.teams)

    @property
    def official(self) -> bool:
        return bool(self.scopes)

    def scope_ids(self, kind: str) -> set[int]:
        return self.scopes.get(kind, set())

    def may_create(self) -> bool:
        return self.staff

    def may_edit(self, campaign: Campaign) -> bool:
        if self.staff or (campaign.owner_user_id and campaign.owner_user_id == self.user.pk):
            return True
        person_id = getattr(getattr(self.user, "person", None), "pk", None)
        return person_id is not None and campaign.owner_id == person_id

    def workplace_ids(self, campaign_id: int) -> set[int]:
        """Workplaces whose people this user may contact and map in the campaign
        (staff: unrestricted, answered by the caller)."""
        return self.scope_ids(ScopeKind.WORKPLACE) | self.teams.get(campaign_id, set())

    def may_form_team(self, workplace_id: int) -> bool:
        return self.staff or workplace_id in self.scope_ids(ScopeKind.WORKPLACE)


def access_for(request) -> Access:
    """The request's rights in the campaign centre (cached on the request)."""
    cached = getattr(request, _CACHE, None)
    if cached is not None:
        return cached
    access = build_access(request.user, getattr(request, "union", None))
    setattr(request, _CACHE, access)
    return access


def build_access(user, union) -> Access:
    access = Access(union=union, user=user)
    roles = roles_for(user, union)
    if not roles:
        return access
    if is_staff(user, union):
        access.staff = True
        return access
    for kind, page_id, campaign_id in places(user, union, roles):
        if kind:
            access.scopes.setdefault(kind, set()).add(page_id)
        else:
            access.teams.setdefault(campaign_id, set()).add(page_id)
    employers = access.scopes.get(ScopeKind.EMPLOYER)
    if employers:
        access.scopes.setdefault(ScopeKind.WORKPLACE, set()).update(
            WorkplacePage.objects.for_union(union).filter(employer_id__in=employers)
            .values_list("pk", flat=True))
    return access


def places(user, union, roles):
    """The team places, and an official's positions with them: one query (UNION ALL; a
    team row has no scope kind, a position row no campaign). Each part without its
    model's default ordering: SQLite (the demo's database) refuses an ORDER BY inside
    a compound statement, and every official's page answered 500 there."""
    rows = (TeamMember.objects.for_union(union).current().filter(person__user=user)
            .annotate(row_kind=Value("", output_field=CharField()),
                      page_id=F("team__workplace_id"), campaign_id=F("team__campaign_id"))
            .order_by().values_list("row_kind", "page_id", "campaign_id"))
    if Role.OFFICIAL in roles:
        rows = (PositionOfTrust.objects.for_union(union).current()
                .filter(person__user=user, kind__in=SCOPE_SEEING_POSITIONS)
                .annotate(row_kind=F("scope_kind"), page_id=F("scope_page_id"),
                          campaign_id=Value(None, output_field=IntegerField()))
                .order_by().values_list("row_kind", "page_id", "campaign_id")
                .union(rows, all=True))
    return rows


def nav_visible(request) -> bool:
    """The navigation entry: for those who may use the centre (a cheap roles check first:
    a plain member without a team place costs one query)."""
    if not request.user.is_authenticated or getattr(request, "union", None) is None:
        return False
    if getattr(request, _CACHE, None) is not None:
        return access_for(request).any
    # Asked on every page: kept with the viewer's other facts (union/viewer.py); joining
    # or leaving a team forgets them at once in this process.
    return viewer_fact(union_id=request.union.pk, user=request.user, name="campaigns-nav",
                       build=lambda: access_for(request).any)


def visible_campaigns(access: Access):
    campaigns = Campaign.objects.for_union(access.union)
    if access.staff:
        return campaigns
    q = Q(pk__in=list(access.teams))
    for kind in TargetKind.values:
        ids = access.scope_ids(kind)
        if ids:
            q |= Q(target_kind=kind, targets__scope_id__in=ids)
    return campaigns.filter(q).distinct()


def visible_target_ids(access: Access, campaign: Campaign) -> set[int] | None:
    """Scope ids of the campaign's targets this user sees; None = all (staff)."""
    if access.staff:
        return None
    ids = set(access.scope_ids(campaign.target_kind))
    if campaign.target_kind == TargetKind.WORKPLACE:
        ids |= access.teams.get(campaign.pk, set())
    return ids


def feature_enabled(request) -> bool:
    return feature_on(request, UnionFeature.CAMPAIGNS)
