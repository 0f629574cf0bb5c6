"""Campaigns (U-3.5), their target groups, teams (U-3.6) and the contact log (U-3.5.10).

A campaign's target group is resolved once, when its filters are saved, into one
`CampaignTarget` row per workplace, employer or branch, with that object's density at the
time (the baseline the key figures compare against). Key figures are aggregated in SQL over
these rows, the contact log and the register (`figures.py`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel, UnionScopedQuerySet


class TargetKind(models.TextChoices):
    WORKPLACE = "workplace", _("Workplaces")
    EMPLOYER = "employer", _("Employers")
    BRANCH = "branch", _("Branches")


class CampaignQuerySet(UnionScopedQuerySet):
    def running(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def ended(self, on: dt.date | None = None):
        return self.filter(ends_on__lt=on or timezone.localdate())

    def upcoming(self, on: dt.date | None = None):
        return self.filter(starts_on__gt=on or timezone.localdate())


class Campaign(UnionOwnedModel):
    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    owner = models.ForeignKey(
        "people.Person", verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    # The owner as an account: staff often have no member profile (owner stays empty then).
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    target_kind = models.CharField(_("target group of"), max_length=16,
                                   choices=TargetKind.choices, default=TargetKind.WORKPLACE)
    # Whitelisted structured filters (targeting.py validates and applies them).
    target_filters = models.JSONField(_("target group filters"), default=dict, blank=True)
    target_resolved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["union", "ends_on", "starts_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_name(self) -> str:
        """The owner's name: their member profile's, else their account's (select_related
        owner and owner_user to avoid queries)."""
        if self.owner_id:
            return self.owner.full_name
        if not self.owner_user_id:
            return ""
        # Officials and team members see this: an account's email is never shown for it.
        return self.owner_user.get_full_name() or str(_("Union office"))

    def status(self, on: dt.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.starts_on > on:
            return "upcoming"
        if self.ends_on is not None and self.ends_on < on:
            return "ended"
        return "running"


class CampaignTarget(models.Model):
    """One workplace, employer or branch of a campaign's target group (a page id), with its
    density when the target group was resolved."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    scope_id = models.BigIntegerField()  # a page of the campaign's target kind
    members_at_start = models.IntegerField(default=0)
    base_at_start = models.IntegerField(default=0)  # members + potential (or head count)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "scope_id"],
                                               name="campaign_target_once")]
        indexes = [models.Index(fields=["scope_id"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.scope_id}"


class TeamQuerySet(UnionScopedQuerySet):
    pass


class CampaignTeam(UnionOwnedModel):
    """A campaign team for one workplace (U-3.5.12, U-3.6). Its members hold rights to
    the campaign's tools and the workplace's mapping from accepting until `ends_on`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    workplace = models.ForeignKey("workplaces.WorkplacePage", verbose_name=_("workplace"),
                                  on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    terms = models.TextField(_("team's terms"), help_text=_(
        "What members agree to, e.g. to keep mapping information confidential."))
    ends_on = models.DateField(_("rights end"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign team")
        verbose_name_plural = _("campaign teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    REMOVED = "removed", _("Removed")


class TeamMemberQuerySet(UnionScopedQuerySet):
    def current(self, on: dt.date | None = None):
        """Members whose rights hold on `on`: accepted, not removed, before the end date.
        Read-time dates, so rights end by themselves (no task has to remove them)."""
        on = on or timezone.localdate()
        return self.filter(status=MemberStatus.ACTIVE, starts_on__lte=on, ends_on__gte=on)


class TeamMember(UnionOwnedModel):
    """A person's place in a campaign team: the time-limited right (U-3.5.13).

    Not a `people.PositionOfTrust`: its kinds are model choices, so a new kind needs a
    migration of `people`, which is closed today (docs/organising.md, "Campaign teams")."""

    team = models.ForeignKey(CampaignTeam, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("campaign team"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="campaign_teams", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices,
                              default=MemberStatus.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("invited by"))
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The terms' text the member accepted (the team's terms may be edited later).
    accepted_terms = models.TextField(_("terms accepted"), blank=True)
    starts_on = models.DateField(_("rights start"), null=True, blank=True)
    ends_on = models.DateField(_("rights end"), null=True, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign team member")
        verbose_name_plural = _("campaign team members")
        constraints = [models.UniqueConstraint(fields=["team", "person"],
                                               name="campaign_team_member_once")]
        indexes = [models.Index(fields=["person", "status", "ends_on"])]


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    MESSAGE = "message", _("Message")
    IN_PERSON = "in_person", _("In person")


class Outcome(models.TextChoices):
    """`NOT_REACHED` is a contact attempt; every other outcome is a conversation held."""

    NOT_REACHED = "not_reached", _("Not reached")
    POSITIVE = "positive", _("Positive")
    UNDECIDED = "undecided", _("Undecided")
    NEGATIVE = "negative", _("Negative")
    JOINED = "joined", _("Joined the union")


def anonymise_contact(collector, field, sub_objs, using):
    """`on_delete` of a contact's potential member: erased (by hand, or on their date by
    mapping's daily task), their entries stay unlinked — the figures still count them —
    with the free texts cleared, as `personal_data.py` declares. Set-based, like SET_NULL."""
    # The texts first: `sub_objs` is a lazy queryset of the rows pointing at the potential
    # member, empty once the link is NULL (updates run in the order they are added).
    for name in ("next_step", "notes"):
        collector.add_field_update(field.model._meta.get_field(name), "", sub_objs)
    collector.add_field_update(field, None, sub_objs)


anonymise_contact.lazy_sub_objs = True


class ContactEntry(UnionOwnedModel):
    """One contact in a campaign, with a person of the register or a potential member
    (workplace mapping's non-member colleague): who, when, how, outcome, next step."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("campaign"))
    # The target the person belonged to when contacted: the key figures group by it.
    target = models.ForeignKey(CampaignTarget, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="contacts",
                               verbose_name=_("target of the campaign"))
    # Null once the person is erased: the entry is anonymised, it still counts.
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="campaign_contacts",
                               verbose_name=_("person"))
    # A potential member instead of a person (never both). Erased, the entry stays.
    potential = models.ForeignKey("mapping.PotentialMember", null=True, blank=True,
                                  on_delete=anonymise_contact, related_name="+",
                                  verbose_name=_("potential member"))
    # The potential member's number, kept when they are erased so that "people
    # contacted" still counts them once (a bare number: the row it named is gone).
    potential_ref = models.BigIntegerField(null=True, blank=True, editable=False)
    contacted_by = models.ForeignKey("people.Person", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("contacted by"))
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("logged by"))
    contacted_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("how"), max_length=16, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log entries")
        ordering = ["-contacted_at"]
        indexes = [
            models.Index(fields=["campaign", "target"]),
            models.Index(fields=["union", "person"]),
            models.Index(fields=["potential"]),
        ]
        constraints = [models.CheckConstraint(
            condition=Q(person__isnull=True) | Q(potential__isnull=True),
            name="contact_of_one_subject")]

    @property
    def is_conversation(self) -> bool:
        return self.outcome != Outcome.NOT_REACHED
