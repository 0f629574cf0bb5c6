"""Read helpers shared by the page views: officials of a scope, people lists, density.

Every function here that returns people also writes the audit entries for showing
them, so a view cannot show person data without it being logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access.roles import roles_for
from portal.audit.log import AuditAction, record_many
from portal.union.compiled import run_compiled_query
from portal.union.sections import cached_section
from portal.union.viewer import viewer_fact

from .models import Employment, Person, PositionKind, PositionOfTrust, Training
from .scopes import VISIBLE_FIELDS, Visibility, people_visible_to

PEOPLE_PER_PAGE = 50
_OWN_PERSON = "_own_person_cache"


class NoProfile(Http404):
    """Raised by a view of one's own member data (profile, card, activity) for an account
    without a profile in this union, such as staff: `NoProfileMiddleware` answers with a
    page that says so, in the site's own look, instead of a bare "Not Found"."""

    def __init__(self):
        super().__init__(_("You have no profile in this union."))


def own_person(request) -> Person | None:
    """The signed-in user's profile in this site's union, or None; one query per request.

    Every feature that needs "me" (profile, card, activity, navigation) asks here, so the
    tenancy rule (the profile must be in `request.union`) lives in one place.
    """
    if not hasattr(request, _OWN_PERSON):
        person = None
        union = getattr(request, "union", None)
        if union is not None and request.user.is_authenticated:
            # Every personal page asks this: SQL compiled once (union/compiled.py).
            found = run_compiled_query(
                lambda: Person.objects.for_union(union).select_related("branch")
                .filter(user=request.user).order_by("pk")[:1],
                ("own-person",), [union.pk, request.user.pk])
            person = found[0] if found else None
            if person is not None:
                # The request's union (its row is the person's): no join, no second copy.
                person.union = union
        setattr(request, _OWN_PERSON, person)
    return getattr(request, _OWN_PERSON)


def profile_links(request) -> list[tuple[str, str]]:
    """(label, url) of the links other apps add to the member's own profile, such as
    "who viewed my data" (dpo): the Wagtail hook `register_profile_link` takes the
    request and returns a link or None. People is below those apps and imports none."""
    from wagtail import hooks

    return [link for hook in hooks.get_hooks("register_profile_link")
            if (link := hook(request))]



# A person's own pages (profile, person page, timeline) read the same few rows on every
# view: their SQL is compiled once per shape (union/compiled.py), scoped to the union and
# the person, with the person's ids as parameters.

def employment_rows(person: Person) -> list[tuple]:
    """(pk, employer's title, workplace's title, job title, starts_on, ends_on) of the
    person's employments, latest first: the pages' titles, not page objects."""
    return run_compiled_query(
        lambda: Employment.objects.for_union(person.union_id).filter(person_id=person.pk)
        .order_by("-starts_on", "-pk")
        .values_list("pk", "employer__title", "workplace__title", "title", "starts_on",
                     "ends_on"),
        ("person-employments",), [person.union_id, person.pk])


def position_rows(person: Person, *, with_paths: bool = False) -> list[tuple]:
    """(kind, scope page's title, starts_on, ends_on[, scope page's url_path]) of the
    person's positions of trust, latest first."""
    columns = ["kind", "scope_page__title", "starts_on", "ends_on"]
    return run_compiled_query(
        lambda: PositionOfTrust.objects.for_union(person.union_id)
        .filter(person_id=person.pk).order_by("-starts_on", "-pk")
        .values_list(*columns, *(["scope_page__url_path"] if with_paths else [])),
        ("person-positions", with_paths), [person.union_id, person.pk])


def trainings_of(person: Person) -> list:
    """The person's trainings, latest first."""
    return run_compiled_query(
        lambda: Training.objects.for_union(person.union_id).filter(person_id=person.pk)
        .order_by("-completed_on", "-pk"),
        ("person-trainings",), [person.union_id, person.pk])

def has_profile(request) -> bool:
    """Whether the signed-in user has a profile in this site's union: a yes/no that every
    page's chrome asks (member card, activity stream), kept briefly per process
    (union/viewer.py) instead of loading the profile; `own_person` loads it."""
    if hasattr(request, _OWN_PERSON):
        return getattr(request, _OWN_PERSON) is not None
    union = getattr(request, "union", None)
    if union is None or not request.user.is_authenticated:
        return False
    return viewer_fact(union_id=union.pk, user=request.user, name="has_profile",
                       build=lambda: Person.objects.for_union(union)
                       .filter(user=request.user).exists())


@dataclass(frozen=True)
class OfficialCard:
    """What a page shows of an official: Visibility.OFFICIAL_CONTACT, nothing more."""

    person_id: int
    full_name: str
    email: str
    phone: str
    kind: str
    ends_on: date | None
    # The person page's address, made when the (cached) card is built: a page lists
    # dozens of officials, and reversing a URL per name on every view added up.
    url: str = ""
    # Their account, where a page offers to write to them (the home's "Send a message").
    user_id: int | None = None

    @property
    def pk(self) -> int:  # the audit log's "person shown"
        return self.person_id

    def get_kind_display(self) -> str:
        return PositionKind(self.kind).label


def _official_cards(union, pages, kinds) -> list[OfficialCard]:
    positions = (
        PositionOfTrust.objects.for_union(union)
        .current()
        .filter(scope_page__in=pages, person__deceased_on__isnull=True)
        .order_by("kind", "person__last_name", "person__first_name")
    )
    if kinds is not None:
        positions = positions.filter(kind__in=kinds)
    return [
        OfficialCard(person_id=row[0], full_name=f"{row[1]} {row[2]}", email=row[3],
                     phone=row[4], kind=row[5], ends_on=row[6],
                     url=reverse("people:person_detail", args=[row[0]]))
        for row in positions.values_list(
            "person_id", "person__first_name", "person__last_name", "person__email",
            "person__phone", "kind", "ends_on")
    ]


def officials_of(*, request, pages, kinds=None) -> list[OfficialCard]:
    """Current officials of `pages`, shown to the union's own people; every view audited.

    The cards of one page are cached with its other sections (portal.union.sections):
    a change to a position or a person makes them stale, and the date is in the key
    so that a term that ends at midnight is gone the next morning.
    """
    union = request.union
    if union is None or not roles_for(request.user, union):
        return []  # officials are shown to the union's own people only
    if len(pages) == 1:
        name = f"officials:{','.join(sorted(kinds or ['*']))}:{timezone.localdate()}"
        cards = cached_section(request=request, page=pages[0], name=name,
                               build=lambda: _official_cards(union, pages, kinds))
    else:
        cards = _official_cards(union, pages, kinds)
    record_many(
        actor=request.user,
        union=union,
        action=AuditAction.LIST,
        people={card.person_id: card for card in cards}.values(),
        fields=VISIBLE_FIELDS[Visibility.OFFICIAL_CONTACT],
        target=request.path,
    )
    return cards


@dataclass
class PeoplePage:
    people: PaginatorPage
    total: int


def paginated_people(*, request, people, fields=VISIBLE_FIELDS[Visibility.SCOPE]) -> PeoplePage:
    """Page through `people` (already scoped) and log each person shown."""
    paginator = Paginator(people, PEOPLE_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    record_many(
        actor=request.user,
        union=request.union,
        action=AuditAction.LIST,
        people=page.object_list,
        fields=fields,
        target=request.path,
    )
    return PeoplePage(people=page, total=paginator.count)


def members_of_branch(*, request, branch) -> PeoplePage:
    people = (
        people_visible_to(request.user, request.union)
        .members()
        .living()
        .filter(branch=branch)
        .order_by("last_name", "first_name", "pk")
    )
    return paginated_people(request=request, people=people)


def employees_of(*, request, employer=None, workplace=None, unattached=False) -> PeoplePage:
    current = Employment.objects.current()
    if workplace is not None:
        current = current.filter(workplace=workplace)
    else:
        current = current.filter(employer=employer)
        if unattached:
            current = current.filter(workplace__isnull=True)
    people = (
        people_visible_to(request.user, request.union)
        .living()
        .filter(pk__in=current.values("person_id"))
        .order_by("last_name", "first_name", "pk")
        .prefetch_related(
            Prefetch("employments", queryset=Employment.objects.current(), to_attr="current_jobs")
        )
    )
    return paginated_people(request=request, people=people)


@dataclass
class Density:
    members: int
    employees: int

    @property
    def percent(self) -> int | None:
        if not self.employees:
            return None
        return round(100 * self.members / self.employees)


def density_of(*, workplace) -> Density:
    """Union density: members among the workplace's current employees (U-3.11.3)."""
    employees = Employment.objects.current().filter(workplace=workplace)
    members = Person.objects.members().filter(pk__in=employees.values("person_id")).count()
    known = employees.values("person_id").distinct().count()
    return Density(members=members, employees=workplace.employee_count or known)


def holders_on(*, union, scope_page, kind: str, day: date) -> list[PositionOfTrust]:
    """The union's terms of `kind` on `scope_page` that cover `day`, with their people
    (who holds the position then: the officials' appoint screen asks before a second
    branch chair, `actions.hand_over_position` ends their terms)."""
    return list(PositionOfTrust.objects.for_union(union)
                .filter(scope_page=scope_page, kind=kind, starts_on__lte=day)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
                .select_related("person").order_by("starts_on", "pk"))
