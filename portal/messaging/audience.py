"""The audience of a bulletin: the branch's people, narrowed by filters."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from portal.people.models import ACTIVE_MEMBER_STATUSES, Employment, MembershipStatus, Person
from portal.workplaces.models import EmployerPage, WorkplacePage

from .models import EmailStatus


@dataclass(frozen=True)
class Audience:
    """Empty filters mean "any". The default is every member of the branch."""

    statuses: tuple[str, ...] = tuple(str(s) for s in ACTIVE_MEMBER_STATUSES)
    workplaces: tuple[int, ...] = ()
    employers: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {k: list(v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict | None) -> Audience:
        data = data or {}
        return cls(
            statuses=tuple(data.get("statuses") or cls.statuses),
            workplaces=tuple(int(x) for x in data.get("workplaces") or ()),
            employers=tuple(int(x) for x in data.get("employers") or ()),
            languages=tuple(data.get("languages") or ()),
        )

    @property
    def whole_branch(self) -> bool:
        """Every active and on-leave member of the branch (or more statuses): such a
        bulletin becomes public once sent; a narrower one stays with its audience."""
        return (set(self.statuses) >= {str(s) for s in ACTIVE_MEMBER_STATUSES}
                and not (self.workplaces or self.employers or self.languages))

    def validate(self, union) -> None:
        """Filters must name this union's pages and known values only."""
        if not self.statuses or set(self.statuses) - set(MembershipStatus.values):
            raise ValidationError(_("Choose a valid membership status."))
        if set(self.languages) - {code for code, _name in settings.LANGUAGES}:
            raise ValidationError(_("Choose a valid language."))
        own_workplaces = WorkplacePage.objects.for_union(union).filter(pk__in=self.workplaces)
        if own_workplaces.count() != len(set(self.workplaces)):
            raise ValidationError(_("Choose workplaces of your own union."))
        own_employers = EmployerPage.objects.for_union(union).filter(pk__in=self.employers)
        if own_employers.count() != len(set(self.employers)):
            raise ValidationError(_("Choose employers of your own union."))


def audience_people(branch, audience: Audience) -> QuerySet[Person]:
    """Everyone the bulletin concerns (with or without an email address); never the
    deceased (portal/lifeevents)."""
    people = Person.objects.for_union(branch.union).living().filter(
        branch=branch, membership_status__in=audience.statuses
    )
    if audience.languages:
        people = people.filter(preferred_language__in=audience.languages)
    if audience.workplaces or audience.employers:
        jobs = Employment.objects.current().filter(person=OuterRef("pk"))
        if audience.workplaces:
            people = people.filter(Exists(jobs.filter(workplace_id__in=audience.workplaces)))
        if audience.employers:
            people = people.filter(Exists(jobs.filter(employer_id__in=audience.employers)))
    return people


def unsubscribed_q():
    return Exists(EmailStatus.objects.filter(person=OuterRef("pk"), unsubscribed_at__isnull=False))


def bounced_q():
    # A bounce counts only while the person still has the address that bounced.
    return Exists(EmailStatus.objects.filter(person=OuterRef("pk"), bounced_at__isnull=False,
                                             bounced_address__iexact=OuterRef("email")))


@dataclass
class AudienceCounts:
    total: int
    no_address: int
    unsubscribed: int
    bounced: int

    @property
    def emailed(self) -> int:
        return self.total - self.no_address - self.unsubscribed - self.bounced


def count_audience(branch, audience: Audience) -> AudienceCounts:
    people = audience_people(branch, audience)
    annotated = people.annotate(_unsub=unsubscribed_q(), _bounced=bounced_q())
    total = annotated.count()
    no_address = annotated.filter(email="").count()
    with_address = annotated.exclude(email="")
    unsubscribed = with_address.filter(_unsub=True).count()
    bounced = with_address.filter(_unsub=False, _bounced=True).count()
    return AudienceCounts(total=total, no_address=no_address, unsubscribed=unsubscribed,
                          bounced=bounced)


def audience_choices(branch) -> dict:
    """Workplaces and employers where the branch's members currently work."""
    jobs = Employment.objects.current().filter(person__branch=branch)
    return {
        "workplaces": list(
            WorkplacePage.objects.for_union(branch.union)
            .filter(pk__in=jobs.values("workplace_id")).order_by("title")
            .values_list("pk", "title")[:200]
        ),
        "employers": list(
            EmployerPage.objects.for_union(branch.union)
            .filter(pk__in=jobs.values("employer_id")).order_by("title")
            .values_list("pk", "title")[:200]
        ),
    }
