"""Reads of the officials screens: a union's branch, employer or workplace page, its
positions of trust, a person's trainings and the person page's section. Everything is
read through `for_union()`; another union's ids find nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from portal.access.roles import is_staff
from portal.branches.models import BranchPage
from portal.people.models import (
    ALLOWED_SCOPES,
    Employment,
    PositionKind,
    PositionOfTrust,
    ScopeKind,
    Training,
)
from portal.workplaces.models import EmployerPage, WorkplacePage

# The pages that have officials here, with the scope kind of their positions. The
# union's own board and council are the admin panel's (adminpanel/positions.py).
SCOPE_MODELS = {
    WorkplacePage: ScopeKind.WORKPLACE,
    EmployerPage: ScopeKind.EMPLOYER,
    BranchPage: ScopeKind.BRANCH,
}
# Ended terms listed on a page's screen, newest first; older ones stay in the audit log
# and on the person's page.
PAST_SHOWN = 50


def kinds_for(scope_kind: str) -> list[PositionKind]:
    """The position kinds a page of `scope_kind` may have (`people.models.ALLOWED_SCOPES`,
    which `appoint_position` enforces), in the order of `PositionKind`."""
    return [kind for kind in PositionKind if scope_kind in ALLOWED_SCOPES[kind]]


def has_officials(page) -> bool:
    """Whether `page` (any Page, specific or not) is a branch, employer or workplace:
    answered from its content type, without loading the specific page."""
    specific_class = page.specific_class
    return specific_class is not None and any(
        issubclass(specific_class, model) for model in SCOPE_MODELS)


def scope_page(union, page_id: int):
    """The union's branch, employer or workplace page with id `page_id` (specific), or
    None: another union's page, or a page of another type, is nobody's here."""
    page = Page.objects.filter(pk=page_id).only("content_type").first()
    if page is None or not has_officials(page):
        return None
    model = page.specific_class
    return model.objects.for_union(union).filter(pk=page_id).first()


def scope_kind_of(page) -> str:
    return next(kind for model, kind in SCOPE_MODELS.items() if isinstance(page, model))


@dataclass(frozen=True)
class PageOfficials:
    current: list[PositionOfTrust]  # in force today or starting later
    past: list[PositionOfTrust]  # ended, newest first, at most PAST_SHOWN
    today: dt.date


def officials_of(page) -> PageOfficials:
    today = timezone.localdate()
    positions = (PositionOfTrust.objects.for_union(page.union_id).filter(scope_page_id=page.pk)
                 .select_related("person").only(
                     "kind", "starts_on", "ends_on", "source", "scope_page_id", "person__id",
                     "person__first_name", "person__last_name", "person__member_number"))
    current = list(positions.exclude(ends_on__lt=today)
                   .order_by("kind", "person__last_name", "person__first_name"))
    past = list(positions.filter(ends_on__lt=today).order_by("-ends_on", "kind")[:PAST_SHOWN])
    return PageOfficials(current=current, past=past, today=today)


def position_on_page(union, page, position_id: int) -> PositionOfTrust | None:
    return (PositionOfTrust.objects.for_union(union).filter(scope_page_id=page.pk)
            .select_related("person").filter(pk=position_id).first())


def trainings_of(person) -> list[Training]:
    return list(Training.objects.for_union(person.union_id).filter(person=person)
                .order_by("-completed_on", "name"))


def person_section(*, request, person) -> dict | None:
    """The person page's "Positions of trust and trainings" (contacts renders it with
    `officials/person_section.html`): staff and admins of the person's union only.
    Each position links to its page's officials; "Appoint" offers the person's branch
    and current workplaces (or employers), with the person chosen already."""
    union = getattr(request, "union", None)
    if union is None or person.union_id != union.pk or not is_staff(request.user, union):
        return None
    today = timezone.localdate()
    positions = list(PositionOfTrust.objects.for_union(union).filter(person=person)
                     .select_related("scope_page").only(
                         "kind", "scope_kind", "starts_on", "ends_on", "scope_page_id",
                         "scope_page__title").order_by("-starts_on"))
    places = []
    if person.branch_id:
        places.append((person.branch_id, person.branch.title))
    jobs = (Employment.objects.for_union(union).current().filter(person=person)
            .select_related("workplace", "employer").only(
                "workplace_id", "workplace__title", "employer_id", "employer__title"))
    for job in jobs:
        places.append((job.workplace_id, job.workplace.title) if job.workplace_id
                      else (job.employer_id, job.employer.title))
    # The deceased are not appointed (the form offers the living only).
    appoint_at = [] if person.deceased_on else [
        {"title": title, "url": f"{reverse('officials:page', args=[pk])}?person={person.pk}"}
        for pk, title in dict(places).items()]
    return {
        "positions": [{"position": p, "current": p.ends_on is None or p.ends_on >= today,
                       # The union's board and council are kept in the admin panel.
                       "url": reverse("adminpanel:positions") if p.scope_kind == ScopeKind.UNION
                       else reverse("officials:page", args=[p.scope_page_id])}
                      for p in positions],
        "trainings": trainings_of(person),
        "appoint_at": appoint_at,
        "trainings_url": reverse("officials:person_trainings", args=[person.pk]),
    }
