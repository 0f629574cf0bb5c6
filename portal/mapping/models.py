"""Workplace mapping (U-3.11): the workplace's own structure (departments, units, shifts),
where its people are placed, organising assessments with their history, potential
members, and union density (a daily snapshot per unit, workplace, employer and branch).

The structure is a tree of its own, not Wagtail pages: a unit keeps a materialised
`path` (its ancestors' ids) so that a subtree's people are one indexed prefix match.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class MappingSettings(UnionOwnedModel):
    """Per union; no row means the defaults (`for_union`)."""

    potential_retention_days = models.PositiveIntegerField(
        _("keep potential members for (days)"), default=180,
        help_text=_("A potential member who has not joined is erased this many days after "
                    "they were added."))
    members_see_own_assessment = models.BooleanField(
        _("members see their own assessment"), default=False)

    class Meta:
        verbose_name = _("mapping settings")
        verbose_name_plural = _("mapping settings")
        constraints = [models.UniqueConstraint(fields=["union"],
                                               name="one_mapping_settings_per_union")]

    @classmethod
    def for_union(cls, union) -> MappingSettings:
        found = cls.objects.for_union(union).first()
        return found if found is not None else cls(union=union)


class EmployerFacts(UnionOwnedModel):
    """What the employer reports that the page does not hold: its head count, which the
    employer's union density uses as its base when given (the workplace's own is
    `WorkplacePage.employee_count`)."""

    employer = models.OneToOneField("workplaces.EmployerPage", on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("employer"))
    head_count = models.PositiveIntegerField(_("employees (reported)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employer facts")
        verbose_name_plural = _("employer facts")


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    UNIT = "unit", _("Unit")
    SHIFT = "shift", _("Shift")


class Unit(UnionOwnedModel):
    """A department or unit of a workplace (a tree), or one of its shifts (flat)."""

    workplace = models.ForeignKey("workplaces.WorkplacePage", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("workplace"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", verbose_name=_("part of"))
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices,
                            default=UnitKind.UNIT)
    name = models.CharField(_("name"), max_length=120)
    # "<root id>/<child id>/…/": the unit and its ancestors, written by the actions.
    path = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [models.Index(fields=["workplace", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0


class Placement(UnionOwnedModel):
    """Where a person of the register works inside the workplace."""

    workplace = models.ForeignKey("workplaces.WorkplacePage", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("workplace"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("person"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="placements", verbose_name=_("unit"))
    shift = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="shift_placements", verbose_name=_("shift"))

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [models.UniqueConstraint(fields=["workplace", "person"],
                                               name="one_placement_per_workplace_person")]


class PotentialMember(UnionOwnedModel):
    """A colleague who is not a member, added by a mapper: minimal fields, legitimate
    interest, seen only by the workplace's mappers, erased `erase_on` unless they join."""

    workplace = models.ForeignKey("workplaces.WorkplacePage", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("workplace"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="potential_members", verbose_name=_("unit"))
    shift = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="potential_shift_members", verbose_name=_("shift"))
    # GDPR art. 6(1)(f): recorded on the row as the issue asks, never another value.
    legal_basis = models.CharField(max_length=16, default="legitimate", editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    erase_on = models.DateField(_("erased on"), db_index=True)

    class Meta:
        verbose_name = _("potential member")
        verbose_name_plural = _("potential members")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["workplace", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Level(models.IntegerChoices):
    LEADER = 1, _("1 – leader, active")
    SUPPORTER = 2, _("2 – supporter")
    UNDECIDED = 3, _("3 – undecided")
    SCEPTICAL = 4, _("4 – sceptical")
    OPPOSED = 5, _("5 – opposed")


class Assessment(UnionOwnedModel):
    """One organising assessment of a person or potential member; every one is kept, the
    latest per subject and workplace is the current one."""

    workplace = models.ForeignKey("workplaces.WorkplacePage", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("workplace"))
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("person"))
    potential = models.ForeignKey(PotentialMember, null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="assessments",
                                  verbose_name=_("potential member"))
    level = models.PositiveSmallIntegerField(_("assessment"), choices=Level.choices)
    assessed_on = models.DateField(_("date"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("assessed by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["workplace", "person", "-created_at"]),
                   models.Index(fields=["potential", "-created_at"])]
        constraints = [models.CheckConstraint(
            condition=Q(person__isnull=False, potential__isnull=True)
            | Q(person__isnull=True, potential__isnull=False),
            name="assessment_of_one_subject")]


class ScopeType(models.TextChoices):
    UNIT = "unit", _("Unit")
    WORKPLACE = "workplace", _("Workplace")
    EMPLOYER = "employer", _("Employer")
    BRANCH = "branch", _("Branch")


class DensitySnapshot(UnionOwnedModel):
    """Members and the density's base of one scope on one day (written by the daily
    task in a few INSERT … SELECT statements; campaigns read it for density over time)."""

    date = models.DateField()
    scope_type = models.CharField(max_length=16, choices=ScopeType.choices)
    scope_id = models.BigIntegerField()
    members = models.PositiveIntegerField()
    base = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["union", "scope_type", "scope_id", "date"], name="one_density_snapshot")]
        indexes = [models.Index(fields=["union", "date", "scope_type"])]

    @property
    def density(self) -> float | None:
        return self.members / self.base if self.base else None
