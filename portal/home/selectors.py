"""What a signed-in user's personal home shows, read through `for_union()`.

A fixed number of queries whatever the data: each part is one query (at most a few
rows), so the home costs the same for a member of one workplace and a chair of a
branch of thousands. Officials' contact cards are person data: the one function that
reads them also audits them, as the organisation pages do (`people.selectors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Subquery
from django.urls import reverse
from wagtail.models import Page

from portal.access.grants import PAGE_PERMISSIONS_BY_POSITION
from portal.access.roles import is_staff, roles_for
from portal.activity.models import ActivityEvent, ActivityKind, translated_title
from portal.audit.log import AuditAction, record_many
from portal.people.forms import register_owned
from portal.people.models import Employment, Person, PositionKind, PositionOfTrust, ScopeKind
from portal.people.scopes import VISIBLE_FIELDS, Visibility
from portal.people.selectors import OfficialCard
from portal.union.features import feature_on
from portal.union.links import PageLink, page_links, site_url
from portal.union.models import UnionFeature

MAX_JOBS = 5  # current employments shown (people rarely have more than two)
MAX_OFFICIALS = 30  # officials of all the viewer's scopes together
MAX_SCOPES = 20
BULLETINS_SHOWN = 5
UNREAD_SHOWN = 5
# My officials: those I turn to at my branch, workplace and employer, chair first. The
# branch board's members are on the branch page (a dozen names would crowd the home).
HOME_OFFICIAL_KINDS = (
    PositionKind.BRANCH_CHAIR, PositionKind.BRANCH_SECRETARY, PositionKind.SHOP_STEWARD,
    PositionKind.DEPUTY_SHOP_STEWARD, PositionKind.SAFETY_REPRESENTATIVE,
)
_KIND_ORDER = {kind: i for i, kind in enumerate(PositionKind.values)}
_SCOPE_ORDER = {ScopeKind.BRANCH: 0, ScopeKind.WORKPLACE: 1, ScopeKind.EMPLOYER: 2}


def nav_visible(request) -> bool:
    """The "My home" entry: signed in on their own union's site (no query)."""
    union = getattr(request, "union", None)
    return bool(request.user.is_authenticated and union is not None
                and request.user.union_id == union.pk)


@dataclass(frozen=True)
class Job:
    employer: PageLink
    workplace: PageLink | None
    title: str


@dataclass
class OfficialsOf:
    """The officials of one of my scopes (my branch, workplace or employer)."""

    scope: PageLink
    scope_kind: str
    cards: list[OfficialCard] = field(default_factory=list)


@dataclass(frozen=True)
class MyScope:
    """One of my current positions of trust and where it takes me."""

    kind: str
    page: PageLink
    ends_on: object = None
    bulletins_url: str = ""

    def get_kind_display(self) -> str:
        return PositionKind(self.kind).label


@dataclass(frozen=True)
class Notice:
    """An unread item of the activity stream."""

    kind_label: str
    title: str
    url: str
    occurs_at: object


@dataclass
class Home:
    person: Person | None
    staff: bool
    branch: PageLink | None = None
    jobs: list[Job] = field(default_factory=list)
    officials: list[OfficialsOf] = field(default_factory=list)
    scopes: list[MyScope] = field(default_factory=list)
    bulletins: list[BulletinLink] = field(default_factory=list)
    activity_on: bool = False
    discussions_on: bool = False  # officials get a "Send a message" link
    unread: list[Notice] = field(default_factory=list)
    unread_count: int = 0
    sections: list[PageLink] = field(default_factory=list)
    # One-way member register (U-2.5): employments are the register's, not added here.
    may_add_employment: bool = True


def _link(union, pk, title, url_path) -> PageLink | None:
    if pk is None:
        return None
    return PageLink(pk=pk, title=title, url=site_url(union.site_id, url_path))


def jobs_of(union, person: Person) -> list[Job]:
    """The person's current employments, newest first (one query)."""
    rows = (
        Employment.objects.for_union(union).current().filter(person=person)
        .order_by("-starts_on", "-pk")
        .values_list("employer_id", "employer__title", "employer__url_path",
                     "workplace_id", "workplace__title", "workplace__url_path", "title")
    )[:MAX_JOBS]
    return [
        Job(employer=_link(union, e_id, e_title, e_path),
            workplace=_link(union, w_id, w_title, w_path), title=title)
        for e_id, e_title, e_path, w_id, w_title, w_path, title in rows
    ]


def scopes_of(union, person: Person) -> tuple[list[MyScope], list[str]]:
    """The person's current positions of trust (one query), and the tree paths of the
    branches they hold one in (their bulletins are "for me" too)."""
    rows = (
        PositionOfTrust.objects.for_union(union).current().filter(person=person)
        .order_by("scope_kind", "kind", "pk")
        .values_list("kind", "scope_kind", "scope_page_id", "scope_page__title",
                     "scope_page__url_path", "scope_page__path", "ends_on")
    )[:MAX_SCOPES]
    scopes, branch_paths = [], []
    for kind, scope_kind, page_id, title, url_path, path, ends_on in rows:
        bulletins_url = ""
        if scope_kind == ScopeKind.BRANCH:
            branch_paths.append(path)
            # The add right on the branch (access.grants) is what the bulletin list asks.
            if "add_page" in PAGE_PERMISSIONS_BY_POSITION.get(kind, ()):
                bulletins_url = reverse("bulletins:list", args=[page_id])
        scopes.append(MyScope(kind=kind, page=_link(union, page_id, title, url_path),
                              ends_on=ends_on, bulletins_url=bulletins_url))
    return scopes, branch_paths


def officials_for(request, person: Person, branch: PageLink | None,
                  jobs: list[Job]) -> list[OfficialsOf]:
    """The current officials of my branch, workplaces and employers, with their contact
    fields only (Visibility.OFFICIAL_CONTACT); one query and one audit INSERT."""
    union = request.union
    scopes: dict[int, OfficialsOf] = {}
    if branch is not None:
        scopes[branch.pk] = OfficialsOf(scope=branch, scope_kind=ScopeKind.BRANCH)
    for job in jobs:
        if job.workplace is not None:
            scopes.setdefault(job.workplace.pk,
                              OfficialsOf(scope=job.workplace, scope_kind=ScopeKind.WORKPLACE))
        scopes.setdefault(job.employer.pk,
                          OfficialsOf(scope=job.employer, scope_kind=ScopeKind.EMPLOYER))
    if not scopes:
        return []
    rows = (
        PositionOfTrust.objects.for_union(union).current()
        .filter(scope_page_id__in=list(scopes), kind__in=HOME_OFFICIAL_KINDS)
        .exclude(person=person)
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list("scope_page_id", "person_id", "person__first_name", "person__last_name",
                     "person__email", "person__phone", "kind", "ends_on", "person__user_id")
    )[:MAX_OFFICIALS]
    shown = {}
    for scope_id, person_id, first, last, email, phone, kind, ends_on, user_id in rows:
        card = OfficialCard(person_id=person_id, full_name=f"{first} {last}", email=email,
                            phone=phone, kind=kind, ends_on=ends_on, user_id=user_id)
        scopes[scope_id].cards.append(card)
        shown[person_id] = card
    record_many(actor=request.user, union=union, action=AuditAction.LIST,
                people=shown.values(), fields=VISIBLE_FIELDS[Visibility.OFFICIAL_CONTACT],
                target=request.path)
    result = [group for group in scopes.values() if group.cards]
    for group in result:
        group.cards.sort(key=lambda c: _KIND_ORDER.get(c.kind, 99))
    return sorted(result, key=lambda g: _SCOPE_ORDER.get(g.scope_kind, 9))


@dataclass(frozen=True)
class BulletinLink:
    title: str
    url: str
    date: object
    branch: str  # several branches' bulletins look alike ("Syyskokous"): say whose


def bulletins_for(request, *, staff: bool, branch_paths: list[str]) -> list[BulletinLink]:
    """The newest bulletins for me: of my branch (and the branches I am an official of)
    or sent to me, of those I may see at all (`branches.visibility`, the one rule);
    staff: the union's newest. Two queries: the bulletins, their branches' names."""
    from portal.branches.models import BranchPage
    from portal.branches.visibility import audience_q, visible_bulletins

    union = request.union
    bulletins = visible_bulletins(request.user, union)
    if not staff:
        mine = audience_q(request.user.pk)
        for path in branch_paths:
            mine |= Q(path__startswith=path)
        bulletins = bulletins.filter(mine)
    rows = list(bulletins.order_by("-date", "-pk")
                .values_list("title", "url_path", "date", "path")[:BULLETINS_SHOWN])
    parents = {path[:-Page.steplen] for *_rest, path in rows}
    branches = dict(BranchPage.objects.for_union(union).filter(path__in=parents)
                    .values_list("path", "title")) if rows else {}
    return [BulletinLink(title=title, url=site_url(union.site_id, url_path), date=day,
                         branch=branches.get(path[:-Page.steplen], ""))
            for title, url_path, day, path in rows]


def unread_of(union, person: Person) -> tuple[list[Notice], int]:
    """The newest unread items of the activity stream, and how many are unread: one
    query, a second only when there are more than are shown."""
    labels = dict(ActivityKind.choices)
    events = ActivityEvent.objects.for_union(union).filter(person=person, read_at__isnull=True)
    rows = list(events.order_by("-occurs_at", "-pk")
                .values_list("kind", "title", "url", "occurs_at", "title_msgid", "title_params")
                [:UNREAD_SHOWN + 1])
    count = len(rows) if len(rows) <= UNREAD_SHOWN else events.count()
    return [Notice(kind_label=str(labels.get(kind, kind)),
                   title=translated_title(title, msgid, params), url=url, occurs_at=occurs_at)
            for kind, title, url, occurs_at, msgid, params in rows[:UNREAD_SHOWN]], count


def union_sections(union) -> list[PageLink]:
    """The sections of the union's site (branches, employers, agreements, pages): the
    staff's shortcuts, one query."""
    root_path = Page.objects.filter(pk=union.root_page_id).values("path")
    root_depth = Page.objects.filter(pk=union.root_page_id).values("depth")
    children = Page.objects.live().filter(
        path__startswith=Subquery(root_path), depth=Subquery(root_depth) + 1,
    ).order_by("path")
    return page_links(union, children)


def home_for(request, person: Person | None) -> Home:
    """Everything the home shows `request.user`, whose profile here is `person` (staff
    accounts may have none)."""
    union = request.union
    staff = is_staff(request.user, union)
    home = Home(person=person, staff=staff, activity_on=feature_on(request, UnionFeature.ACTIVITY),
                discussions_on=feature_on(request, UnionFeature.DISCUSSIONS))
    branch_paths: list[str] = []
    if person is not None:
        if person.branch_id is not None and person.branch.live:
            home.branch = _link(union, person.branch_id, person.branch.title,
                                person.branch.url_path)
            branch_paths.append(person.branch.path)
        home.jobs = jobs_of(union, person)
        home.may_add_employment = not register_owned(union, "employments")
        home.officials = officials_for(request, person, home.branch, home.jobs)
        home.scopes, official_paths = scopes_of(union, person)
        branch_paths += official_paths
        if home.activity_on:
            home.unread, home.unread_count = unread_of(union, person)
    if roles_for(request.user, union):
        home.bulletins = bulletins_for(request, staff=staff, branch_paths=branch_paths)
    if staff:
        home.sections = union_sections(union)
    return home

