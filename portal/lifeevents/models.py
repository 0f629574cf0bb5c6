"""Life events of a person (G-1): temporary statuses with dates, couple and household
links between two people of one union, and the union's reminder setting. Marking a
person deceased is `Person.deceased_on` (people app), set by `actions.mark_deceased`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.people.models import CurrentQuerySet
from portal.union.tenancy import UnionOwnedModel


class StatusKind(models.TextChoices):
    ON_LEAVE = "on_leave", _("On leave")
    PARENTAL_LEAVE = "parental_leave", _("Parental leave")
    UNEMPLOYED = "unemployed", _("Unemployed")
    STUDENT = "student", _("Student")
    SERVICE = "service", _("Military or non-military service")


class TemporaryStatus(UnionOwnedModel):
    """A status in force from `starts_on` to `ends_on` (both days included). Nothing
    stores whether it is current: `current()` compares the dates with today, so a
    status ends by itself without a scheduled job."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="temporary_statuses")
    kind = models.CharField(_("status"), max_length=20, choices=StatusKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("temporary status")
        verbose_name_plural = _("temporary statuses")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["union", "kind", "ends_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="temporary_status_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.get_kind_display()}"

    def state(self, on: dt.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.ends_on < on:
            return "ended"
        return "upcoming" if self.starts_on > on else "current"


class LinkKind(models.TextChoices):
    COUPLE = "couple", _("Couple")
    HOUSEHOLD = "household", _("Same household")


class HouseholdLink(UnionOwnedModel):
    """A symmetric link between two people of one union: one row per pair, whichever
    way round it was entered (the unique index is on the smaller and larger id)."""

    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("link"), max_length=16, choices=LinkKind.choices,
                            default=LinkKind.COUPLE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("couple or household link")
        verbose_name_plural = _("couple and household links")
        constraints = [
            models.CheckConstraint(condition=~Q(person_a=F("person_b")),
                                   name="household_link_two_people"),
            models.UniqueConstraint(Least("person_a", "person_b"),
                                    Greatest("person_a", "person_b"),
                                    name="one_household_link_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} – {self.person_b_id}: {self.kind}"

    def other(self, person_id: int):
        return self.person_b if self.person_a_id == person_id else self.person_a


class LifeEventSettings(UnionOwnedModel):
    """Per union; no row means the defaults."""

    chair_birthday_reminders = models.BooleanField(
        _("remind branch chairs of milestone birthdays"), default=False,
        help_text=_("Each Monday the chair of a branch gets an item in their activity "
                    "stream for each member of the branch who turns 50, 60, 70… that week."))

    class Meta:
        verbose_name = _("life-event settings")
        verbose_name_plural = _("life-event settings")
        constraints = [models.UniqueConstraint(fields=["union"],
                                               name="one_life_event_settings_per_union")]
