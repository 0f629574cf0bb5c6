"""Groups and subgroups of a union's people, with manual members and automations (G-1).

An automation (`Group.rule`) is structured data checked by `rules.validate_rule` and
turned into a query only through its whitelist (`rules.rule_q`); evaluating it adds and
removes the rule's members in one INSERT … SELECT and one DELETE (`evaluation.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.customfields.models import validate_plain_text
from portal.people.models import Person
from portal.union.tenancy import UnionOwnedModel


class Group(UnionOwnedModel):
    name = models.CharField(_("name"), max_length=150, validators=[validate_plain_text])
    description = models.CharField(_("description"), max_length=500, blank=True,
                                   validators=[validate_plain_text])
    parent = models.ForeignKey("self", verbose_name=_("parent group"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    # None: members are added by hand only. Otherwise {"conditions": [...]}, rules.py.
    rule = models.JSONField(_("automation"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("automation last run"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["union", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_automated(self) -> bool:
        return bool(self.rule)


class Source(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    RULE = "rule", _("Automation")


class GroupMembership(UnionOwnedModel):
    # Fewer indexes make an automation's INSERT of 260,000 rows cheaper: the unique
    # (group, person) serves lookups by group, and rows are never looked up by union.
    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships",
                              db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_memberships")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="group_member_once"),
        ]


class Change(models.TextChoices):
    ENTERED = "entered", _("Entered")
    LEFT = "left", _("Left")


class GroupLogEntry(UnionOwnedModel):
    """Who entered or left a group, when and why: by whose hand, or by the automation
    (its description at the time is kept, as the rule may change later)."""

    # The two composite indexes below serve lookups by group and by person.
    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="log",
                              db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    change = models.CharField(max_length=8, choices=Change.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("group log entry")
        verbose_name_plural = _("group log entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["group", "at"]), models.Index(fields=["person", "at"])]


class PendingEvaluation(UnionOwnedModel):
    """A union whose automations are due to run: one row while a run is queued, so a burst
    of changes (a register sync of thousands of people) queues one run, not thousands."""

    requested_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["union"], name="one_pending_per_union")]
