from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel, UnionScopedQuerySet


def hash_identity_code(code: str) -> str:
    """Keyed hash of a personal identity code (henkilötunnus), for matching only.

    The code itself is never stored or shown. A keyed hash (HMAC) is used because the
    code space is small enough that a plain hash could be reversed by enumeration.
    """
    key = settings.IDENTITY_CODE_HASH_KEY.encode()
    if not key:
        raise RuntimeError("IDENTITY_CODE_HASH_KEY is not configured")
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    RESIGNED = "resigned", _("Resigned")
    NON_MEMBER = "non_member", _("Not a member")
    POTENTIAL = "potential", _("Potential member")


ACTIVE_MEMBER_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)

# Fields of the portal's forms that the member register owns (register/records.py says
# so per record kind). When the union's data of that kind flows one way, register →
# portal (UnionSettings.register_flow), the forms show them read-only.
REGISTER_OWNED_FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("alternative_name", "email", "phone", "street_address", "postal_code", "city"),
    "employments": ("employer", "workplace", "title", "starts_on", "ends_on"),
}


class PersonQuerySet(UnionScopedQuerySet):
    def members(self):
        return self.filter(membership_status__in=ACTIVE_MEMBER_STATUSES)

    def living(self):
        """People not marked deceased nor erased; mail, messages and lists use only these."""
        return self.filter(deceased_on__isnull=True, anonymised_at__isnull=True)


class Person(UnionOwnedModel):
    """A person profile in one union. Exists before anyone activates it (U-2.6)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    alternative_name = models.CharField(
        _("alternative spelling"),
        max_length=200,
        blank=True,
        help_text=_("The name in another script or spelling, e.g. Cyrillic."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fi"
    )
    identity_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    member_number = models.CharField(_("member number"), max_length=20, blank=True)
    membership_status = models.CharField(
        _("membership status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    branch = models.ForeignKey(
        "branches.BranchPage",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Set only through lifeevents.actions.mark_deceased; the record is kept.
    deceased_on = models.DateField(_("date of death"), null=True, blank=True)
    membership_valid_until = models.DateField(_("membership valid until"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by erasure (portal/erasure): the profile is an empty stub kept only so the rows
    # the law requires (delivery records, the group log) keep their reference.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["union", "last_name", "first_name"]),
            models.Index(fields=["branch", "membership_status"]),
            models.Index(fields=["union", "identity_code_hash"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "member_number"],
                condition=~Q(member_number=""),
                name="unique_member_number_per_union",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_member(self) -> bool:
        return self.membership_status in ACTIVE_MEMBER_STATUSES


class CurrentQuerySet(UnionScopedQuerySet):
    """Rows with a term (starts_on, ends_on); `current()` are those in force on a day."""

    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on) | Q(starts_on__isnull=True)).filter(
            Q(ends_on__gte=on) | Q(ends_on__isnull=True)
        )


class Employment(UnionOwnedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    employer = models.ForeignKey(
        "workplaces.EmployerPage",
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="employments",
    )
    workplace = models.ForeignKey(
        "workplaces.WorkplacePage",
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employments",
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["workplace", "ends_on"]),
            models.Index(fields=["employer", "ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title or self.employer}"


class PositionKind(models.TextChoices):
    SHOP_STEWARD = "shop_steward", _("Shop steward")
    DEPUTY_SHOP_STEWARD = "deputy_shop_steward", _("Deputy shop steward")
    SAFETY_REPRESENTATIVE = "safety_representative", _("Occupational safety representative")
    BRANCH_CHAIR = "branch_chair", _("Branch chair")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    BRANCH_BOARD_MEMBER = "branch_board_member", _("Branch board member")
    UNION_BOARD_MEMBER = "union_board_member", _("Union board member")
    UNION_COUNCIL_MEMBER = "union_council_member", _("Union council member")


class ScopeKind(models.TextChoices):
    WORKPLACE = "workplace", _("Workplace")
    EMPLOYER = "employer", _("Employer")
    BRANCH = "branch", _("Branch")
    UNION = "union", _("Union")


# Which scopes each kind of position may have. Enforced by the actions.
ALLOWED_SCOPES: dict[str, tuple[str, ...]] = {
    PositionKind.SHOP_STEWARD: (ScopeKind.WORKPLACE, ScopeKind.EMPLOYER),
    PositionKind.DEPUTY_SHOP_STEWARD: (ScopeKind.WORKPLACE, ScopeKind.EMPLOYER),
    PositionKind.SAFETY_REPRESENTATIVE: (ScopeKind.WORKPLACE, ScopeKind.EMPLOYER),
    PositionKind.BRANCH_CHAIR: (ScopeKind.BRANCH,),
    PositionKind.BRANCH_SECRETARY: (ScopeKind.BRANCH,),
    PositionKind.BRANCH_BOARD_MEMBER: (ScopeKind.BRANCH,),
    PositionKind.UNION_BOARD_MEMBER: (ScopeKind.UNION,),
    PositionKind.UNION_COUNCIL_MEMBER: (ScopeKind.UNION,),
}


class PositionSource(models.TextChoices):
    REGISTER = "register", _("Member register")
    ELECTION = "election", _("Election")
    MANUAL = "manual", _("Entered by staff")


class PositionOfTrust(UnionOwnedModel):
    """A position of trust (luottamustehtävä) with a term; the scope is a page."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(_("position"), max_length=32, choices=PositionKind.choices)
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    scope_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("scope"),
        on_delete=models.CASCADE,
        related_name="positions_of_trust",
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=PositionSource.choices, default=PositionSource.MANUAL
    )

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("position of trust")
        verbose_name_plural = _("positions of trust")
        ordering = ["kind", "-starts_on"]
        indexes = [
            models.Index(fields=["scope_page", "ends_on"]),
            models.Index(fields=["union", "kind", "ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Training(UnionOwnedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("union training")
        verbose_name_plural = _("union trainings")
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return self.name
