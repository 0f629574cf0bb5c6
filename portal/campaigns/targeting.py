"""A campaign's target group: structured filters, validated against the union, turned
into a query only through this whitelist (never keyword arguments taken from input).

    {"city": "Tampere", "industry": "Logistics", "agreement": 12, "employer": 34,
     "size_min": 20, "size_max": 500, "density_below": 40}

Every filter is optional; all given must hold. Which apply depends on the target kind:
workplaces take them all; employers all but `employer`; branches `city` (the branch's
municipality), size (members) and density. Size is the reported head count when given,
else the current employments (members for a branch). Density comes from
`mapping.selectors.density_for`, asked once for the candidates left by the others.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agreements.models import CollectiveAgreementPage
from portal.branches.models import BranchPage
from portal.people.models import ACTIVE_MEMBER_STATUSES, Employment, Person
from portal.workplaces.models import EmployerPage, WorkplacePage

from . import density
from .models import TargetKind

FILTERS: dict[str, tuple[str, ...]] = {
    TargetKind.WORKPLACE: ("city", "industry", "agreement", "employer", "size_min", "size_max",
                           "density_below"),
    TargetKind.EMPLOYER: ("city", "industry", "agreement", "size_min", "size_max",
                          "density_below"),
    TargetKind.BRANCH: ("city", "size_min", "size_max", "density_below"),
}
MAX_SIZE = 10_000_000


def _int(value, *, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(message) from None
    if not low <= number <= high:
        raise ValidationError(message)
    return number


def clean_filters(union, kind: str, raw: dict) -> dict:
    """The filters as stored: only known keys of the kind, values checked and typed,
    ids only of the union's own pages. Raises ValidationError with what is wrong."""
    if kind not in FILTERS:
        raise ValidationError(_("Choose what the target group consists of."))
    if not isinstance(raw, dict):
        raise ValidationError(_("The target group's filters are not valid."))
    allowed = FILTERS[kind]
    clean: dict = {}
    for key in allowed:
        value = raw.get(key)
        if value in (None, "", []):
            continue
        if key in ("city", "industry"):
            clean[key] = str(value).strip()[:100]
        elif key == "agreement":
            pk = _int(value, low=1, high=2**63 - 1, message=_("Choose an agreement."))
            if not CollectiveAgreementPage.objects.for_union(union).filter(pk=pk).exists():
                raise ValidationError(_("Choose one of your union's own agreements."))
            clean[key] = pk
        elif key == "employer":
            pk = _int(value, low=1, high=2**63 - 1, message=_("Choose an employer."))
            if not EmployerPage.objects.for_union(union).filter(pk=pk).exists():
                raise ValidationError(_("Choose one of your union's own employers."))
            clean[key] = pk
        elif key in ("size_min", "size_max"):
            clean[key] = _int(value, low=0, high=MAX_SIZE,
                              message=_("Give the size as a whole number of people."))
        elif key == "density_below":
            clean[key] = _int(value, low=1, high=100,
                              message=_("Give the density limit as a percentage, 1–100."))
    if clean.get("size_min") is not None and clean.get("size_max") is not None \
            and clean["size_min"] > clean["size_max"]:
        raise ValidationError(_("The smallest size is above the largest."))
    return clean


def _current_count(field: str):
    today = timezone.localdate()
    jobs = (Employment.objects.filter(**{field: OuterRef("pk")})
            .filter(Q(starts_on__lte=today) | Q(starts_on__isnull=True))
            .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True))
            .order_by().values(field).annotate(n=Count("person_id", distinct=True))
            .values("n"))
    return Coalesce(Subquery(jobs, output_field=IntegerField()), Value(0))


def candidates(union, kind: str, filters: dict):
    """The pages matching every filter but density, as a queryset (no rows read)."""
    if kind == TargetKind.WORKPLACE:
        pages = WorkplacePage.objects.for_union(union).live()
        if "city" in filters:
            pages = pages.filter(city__iexact=filters["city"])
        if "industry" in filters:
            pages = pages.filter(employer__industry__iexact=filters["industry"])
        if "agreement" in filters:
            pages = pages.filter(employer__agreements=filters["agreement"])
        if "employer" in filters:
            pages = pages.filter(employer_id=filters["employer"])
        size = Coalesce("employee_count", _current_count("workplace_id"))
    elif kind == TargetKind.EMPLOYER:
        pages = EmployerPage.objects.for_union(union).live()
        if "city" in filters:
            pages = pages.filter(city__iexact=filters["city"])
        if "industry" in filters:
            pages = pages.filter(industry__iexact=filters["industry"])
        if "agreement" in filters:
            pages = pages.filter(agreements=filters["agreement"])
        size = _current_count("employer_id")
    else:
        pages = BranchPage.objects.for_union(union).live()
        if "city" in filters:
            pages = pages.filter(municipality__iexact=filters["city"])
        members = (Person.objects.filter(branch_id=OuterRef("pk"),
                                         membership_status__in=ACTIVE_MEMBER_STATUSES)
                   .order_by().values("branch_id").annotate(n=Count("pk")).values("n"))
        size = Coalesce(Subquery(members, output_field=IntegerField()), Value(0))
    if "size_min" in filters or "size_max" in filters:
        pages = pages.annotate(target_size=size)
        if "size_min" in filters:
            pages = pages.filter(target_size__gte=filters["size_min"])
        if "size_max" in filters:
            pages = pages.filter(target_size__lte=filters["size_max"])
    return pages.order_by()


def resolve(union, kind: str, filters: dict) -> dict[int, density.Figures]:
    """The target group: page id -> its density figures now, every filter applied."""
    figures = density.now(union=union, kind=kind, ids=candidates(union, kind, filters))
    limit = filters.get("density_below")
    if limit is not None:
        # A target without a base (nobody known to work there) has no density: left out.
        figures = {pk: f for pk, f in figures.items()
                   if f.base and f.members * 100 < limit * f.base}
    return figures


def describe(kind: str, filters: dict, names: dict[str, str]) -> list[str]:
    """The filters in words, for the campaign's page ('names': ids' titles)."""
    words = []
    if "city" in filters:
        words.append(_("City: %s") % filters["city"])
    if "industry" in filters:
        words.append(_("Sector: %s") % filters["industry"])
    if "agreement" in filters:
        words.append(_("Agreement: %s") % names.get(f"agreement:{filters['agreement']}", "–"))
    if "employer" in filters:
        words.append(_("Employer: %s") % names.get(f"employer:{filters['employer']}", "–"))
    if "size_min" in filters:
        words.append(_("At least %d people") % filters["size_min"])
    if "size_max" in filters:
        words.append(_("At most %d people") % filters["size_max"])
    if "density_below" in filters:
        words.append(_("Density below %d %%") % filters["density_below"])
    return words
