"""The data-quality checks of a union's register data (U-2.5, issue 14 item 6).

Each check is one set-based query over the union's rows (`for_union`), so a union of
300,000 members is checked in seconds (docs/benchmarks.md): the snapshot stores each
check's `count()`, the drill-down pages the same query. A row's `dq_reason` says which
rule of the check it broke (labels in `REASONS`). The duplicate-pair check is SQL of its
own (pairs.py). Everything here runs on PostgreSQL and, for the demo, on SQLite:
`portal_fold` (accent folding) and `similarity` (trigrams) exist on both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Concat,
    Length,
    Lower,
    Mod,
    Replace,
    Right,
    Substr,
    Trim,
    Upper,
)
from django.utils.translation import gettext_lazy as _

from portal.people.models import Employment, Person
from portal.workplaces.models import EmployerPage, WorkplacePage

BUSINESS_ID_FORMAT = r"^[0-9]{7}-?[0-9]$"
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
# A phone number once spaces, dashes, dots, slashes and brackets are dropped: +/00 and a
# country code with 7 to 15 digits in all, or a national number starting with 0.
PHONE_FORMAT = r"^((\+|00)[1-9][0-9]{6,14}|0[1-9][0-9]{4,11})$"
PHONE_SEPARATORS = (" ", "-", ".", "/", "(", ")")
# One @, no spaces, a domain of at least two labels without empty ones.
EMAIL_FORMAT = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
UNTIDY_SPACE = r"^\s|\s$|\s\s"


class Fold(Func):
    """Accent- and case-folded text (search migration 0003 / search.folding)."""

    function = "portal_fold"
    output_field = CharField()


class CaseLower(Lower):
    """lower() that follows Unicode on SQLite too (similarity.register_on_sqlite)."""

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="dq_lower", **extra)


class CaseUpper(Upper):
    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="dq_upper", **extra)


def tidy(expression):
    """Folded, trimmed, double spaces made single: the form two spellings share."""
    text = Trim(expression)
    for _i in range(2):
        text = Replace(text, Value("  "), Value(" "))
    return Fold(text)


def full_name(prefix: str = ""):
    return Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name",
                  output_field=CharField())


REASONS = {
    "no_employer": _("no employer"),
    "employer_unpublished": _("the employer is unpublished"),
    "outside_employer": _("not under its employer in the page tree"),
    "no_workplace": _("no workplace"),
    "other_employer": _("the workplace belongs to another employer"),
    "no_branch": _("no branch"),
    "same_identity": _("same personal identity code as another person"),
    "identity_spelling": _("same personal identity code, spelled differently"),
    "alternative_name": _("the name is another person's alternative spelling"),
    "untidy": _("extra spaces or all in one case"),
    "same_business_id": _("same business ID as another employer"),
    "spelling": _("spelled like another employer apart from case, spaces or accents"),
    "format": _("not in the form 1234567-8"),
    "check_digit": _("the check digit does not match"),
    "phone": _("not a phone number"),
    "email": _("not an email address"),
    "similar_postal_code": _("similar names, same postal code"),
    "similar_email": _("similar names, same email"),
    "similar_birth_date": _("similar names, same date of birth"),
}


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    description: str
    subject: str  # person, employer, workplace, employment or pair
    rows: Callable[..., QuerySet] | None = None

    def count(self, union) -> int:
        if self.subject == "pair":
            from .pairs import count_pairs

            return count_pairs(union)
        return self.rows(union).count()


def _reason(*whens, default="") -> Case:
    return Case(*whens, default=Value(default), output_field=CharField())


def workplaces_without_employer(union) -> QuerySet:
    step = WorkplacePage.steplen
    return (
        WorkplacePage.objects.for_union(union)
        .annotate(parent_path=Substr("path", 1, Length("path") - step))
        .annotate(dq_reason=_reason(
            When(employer__isnull=True, then=Value("no_employer")),
            When(employer__live=False, then=Value("employer_unpublished")),
            default="outside_employer"))
        .filter(Q(employer__isnull=True) | Q(employer__live=False)
                | ~Q(parent_path=F("employer__path")))
    )


def employments_not_attached(union) -> QuerySet:
    """U-3.12.7: current employments without a workplace (or with another employer's)."""
    return (
        Employment.objects.for_union(union).current()
        .filter(Q(workplace__isnull=True) | ~Q(workplace__employer_id=F("employer_id")))
        .annotate(dq_reason=_reason(When(workplace__isnull=True, then=Value("no_workplace")),
                                    default="other_employer"))
    )


def members_without_branch(union) -> QuerySet:
    return (Person.objects.for_union(union).members().filter(branch__isnull=True)
            .annotate(dq_reason=Value("no_branch", output_field=CharField())))


def _shared_identity_hashes(union, *, differing_names: bool = False) -> QuerySet:
    people = Person.objects.for_union(union).order_by()
    shared = (people.exclude(identity_code_hash="").values("identity_code_hash")
              .annotate(n=Count("pk")).filter(n__gt=1).values("identity_code_hash"))
    if not differing_names:
        return shared
    # Names are compared only within the (few) shared codes, not across every person.
    return (people.filter(identity_code_hash__in=shared).values("identity_code_hash")
            .annotate(n=Count(full_name(), distinct=True)).filter(n__gt=1)
            .values("identity_code_hash"))


def duplicate_identity(union) -> QuerySet:
    return (Person.objects.for_union(union)
            .filter(identity_code_hash__in=_shared_identity_hashes(union))
            .annotate(dq_reason=Value("same_identity", output_field=CharField())))


def person_name_variants(union) -> QuerySet:
    """Set-based: each rule is an IN over a grouped or listed subquery, which PostgreSQL
    hashes once (an EXISTS per person was a scan per person: minutes at 300,000)."""
    people = Person.objects.for_union(union)
    spelled = Q(identity_code_hash__in=_shared_identity_hashes(union, differing_names=True))
    # A name that is written as someone else's alternative spelling, or an alternative
    # spelling that is someone else's name: probably one person entered twice. An
    # alternative spelling equal to its own name is left out of the list (no match with
    # oneself).
    with_alternative = (people.exclude(alternative_name="")
                        .annotate(dq_alt=tidy("alternative_name"), dq_name=tidy(full_name()))
                        .exclude(dq_alt=F("dq_name")))
    alternatives = with_alternative.values("dq_alt")
    # Only the names that are someone's alternative spelling: a short list PostgreSQL
    # hashes (all 300,000 names do not fit work_mem and were scanned once per person).
    names = people.annotate(n=tidy(full_name())).filter(n__in=alternatives).values("n")
    alternative = Q(dq_name__in=alternatives) | Q(dq_alt__in=names)
    untidy = Q()
    for field in ("first_name", "last_name"):
        untidy |= Q(**{f"{field}__regex": UNTIDY_SPACE})
        untidy |= Q(**{field: CaseUpper(field)}) & ~Q(**{field: CaseLower(field)})
        untidy |= Q(**{field: CaseLower(field)}) & ~Q(**{field: CaseUpper(field)})
    return (
        people.alias(dq_name=tidy(full_name()),
                     dq_alt=Case(When(alternative_name="", then=Value(None)),
                                 default=tidy("alternative_name"), output_field=CharField()))
        .filter(spelled | alternative | untidy)
        .annotate(dq_reason=_reason(When(spelled, then=Value("identity_spelling")),
                                    When(alternative, then=Value("alternative_name")),
                                    default="untidy"))
    )


def employer_name_variants(union) -> QuerySet:
    employers = EmployerPage.objects.for_union(union)
    # The same ID is unique per union (a constraint); written apart ("01120389",
    # "0112038 9", kept from before the form normalised them) it is the same company.
    bare = Replace(Replace(Trim("business_id"), Value("-"), Value("")), Value(" "), Value(""))
    shared_ids = (employers.exclude(business_id="").order_by().annotate(b=bare).values("b")
                  .annotate(n=Count("pk")).filter(n__gt=1).values("b"))
    spelled = (employers.order_by().annotate(t=tidy("title")).values("t")
               .annotate(n=Count("title", distinct=True)).filter(n__gt=1).values("t"))
    same_id = Q(dq_bid__in=shared_ids)
    return (
        employers.alias(dq_name=tidy("title"), dq_bid=bare)
        .filter(same_id | Q(dq_name__in=spelled))
        .annotate(dq_reason=_reason(When(same_id, then=Value("same_business_id")),
                                    default="spelling"))
    )


def _check_digit_sum():
    total = None
    for position, weight in enumerate(BUSINESS_ID_WEIGHTS, start=1):
        term = Cast(Substr("business_id", position, 1), IntegerField()) * weight
        total = term if total is None else total + term
    return Mod(total, 11)


def invalid_business_ids(union) -> QuerySet:
    remainder = _check_digit_sum()
    check = Cast(Right("business_id", 1), IntegerField())
    well_formed = Q(business_id__regex=BUSINESS_ID_FORMAT)
    # CASE evaluates in order: the digits are cast only for well-formed IDs.
    reason = _reason(
        When(~well_formed, then=Value("format")),
        When(Q(dq_remainder=1), then=Value("check_digit")),
        When(Q(dq_remainder=0) & ~Q(dq_check=0), then=Value("check_digit")),
        When(Q(dq_remainder__gt=1) & ~Q(dq_check=11 - F("dq_remainder")),
             then=Value("check_digit")),
    )
    return (EmployerPage.objects.for_union(union)
            .alias(dq_remainder=remainder, dq_check=check)
            .annotate(dq_reason=reason).exclude(dq_reason=""))


def _phone_digits():
    text = F("phone")
    for separator in PHONE_SEPARATORS:
        text = Replace(text, Value(separator), Value(""))
    return text


def invalid_phones(union) -> QuerySet:
    return (Person.objects.for_union(union).exclude(phone="")
            .alias(dq_phone=_phone_digits()).exclude(dq_phone__regex=PHONE_FORMAT)
            .annotate(dq_reason=Value("phone", output_field=CharField())))


def invalid_emails(union) -> QuerySet:
    return (Person.objects.for_union(union).exclude(email="")
            .exclude(email__regex=EMAIL_FORMAT)
            .annotate(dq_reason=Value("email", output_field=CharField())))


CHECKS: tuple[Check, ...] = (
    Check("workplaces_without_employer", _("Workplaces without an employer"),
          _("Workplaces whose employer is missing or unpublished, or that are not under "
            "their employer in the page tree."), "workplace", workplaces_without_employer),
    Check("employments_not_attached", _("Employments not attached to a workplace"),
          _("Current employments without a workplace, or with a workplace of another "
            "employer."), "employment", employments_not_attached),
    Check("members_without_branch", _("Members without a branch"),
          _("Active members and members on leave who belong to no branch."), "person",
          members_without_branch),
    Check("duplicate_identity", _("Same personal identity code"),
          _("People who share a personal identity code with another person of the union."),
          "person", duplicate_identity),
    Check("duplicate_similar", _("Duplicate candidates"),
          _("Pairs of people with similar names and the same postal code, email or date "
            "of birth."),
          "pair"),
    Check("person_name_variants", _("Name spelling variants"),
          _("People with the same identity code spelled differently, a name that is another "
            "person's alternative spelling, or extra spaces or one case only."), "person",
          person_name_variants),
    Check("employer_name_variants", _("Employer name variants"),
          _("Employers with the same business ID, or names that differ only in case, "
            "spaces or accents."), "employer", employer_name_variants),
    Check("invalid_business_ids", _("Invalid business IDs"),
          _("Business IDs not in the form 1234567-8 or with a wrong check digit."),
          "employer", invalid_business_ids),
    Check("invalid_phones", _("Invalid phone numbers"),
          _("Phone numbers that are not +358 40 123 4567, 040 123 4567 or alike."), "person",
          invalid_phones),
    Check("invalid_emails", _("Invalid email addresses"),
          _("Email addresses without one @ and a domain."), "person", invalid_emails),
)
BY_KEY = {check.key: check for check in CHECKS}
