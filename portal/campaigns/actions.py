"""Every write of the campaign centre: campaigns and their target groups, teams and
their members, the contact log. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.access.actions import sync_grants_for_person
from portal.audit.log import AuditAction, record
from portal.notifications.actions import notify
from portal.union.viewer import forget_viewer

from . import targeting
from .models import (
    Campaign,
    CampaignTarget,
    CampaignTeam,
    ContactEntry,
    MemberStatus,
    TargetKind,
    TeamMember,
)
from .selectors import people_of_targets, target_of_person, target_of_potential

CAMPAIGN_FIELDS = ("name", "goal", "starts_on", "ends_on", "owner", "owner_user",
                   "target_kind", "target_filters")


def _check_owner_user(user, union) -> None:
    if user is not None and user.union_id != union.pk:
        raise ValidationError(_("Choose an owner of your own union."))


def _check_dates(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The campaign ends before it starts."))


@transaction.atomic
def create_campaign(*, union, acting_user, name: str, goal: str, starts_on: dt.date,
                    ends_on: dt.date | None, owner=None, owner_user=None,
                    target_kind: str = TargetKind.WORKPLACE,
                    target_filters: dict | None = None) -> Campaign:
    _check_dates(starts_on, ends_on)
    if owner is not None and owner.union_id != union.pk:
        raise ValidationError(_("Choose an owner of your own union."))
    _check_owner_user(owner_user, union)
    filters = targeting.clean_filters(union, target_kind, target_filters or {})
    campaign = Campaign.objects.create(
        union=union, name=name, goal=goal, starts_on=starts_on, ends_on=ends_on, owner=owner,
        owner_user=owner_user, target_kind=target_kind, target_filters=filters,
        created_by=acting_user)
    count = _resolve_targets(campaign)
    record(actor=acting_user, union=union, action=AuditAction.CREATE,
           target=f"campaign:{campaign.pk}", fields=[*CAMPAIGN_FIELDS, f"targets={count}"])
    return campaign


@transaction.atomic
def update_campaign(*, campaign: Campaign, acting_user, **changes) -> Campaign:
    """Change the given fields; a changed target kind or filters resolves the target
    group again (targets that stay keep their baseline and their contacts)."""
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    kind = changes.get("target_kind", campaign.target_kind)
    if "target_filters" in changes or "target_kind" in changes:
        changes["target_filters"] = targeting.clean_filters(
            campaign.union, kind, changes.get("target_filters", campaign.target_filters))
    owner = changes.get("owner")
    if owner is not None and owner.union_id != campaign.union_id:
        raise ValidationError(_("Choose an owner of your own union."))
    _check_owner_user(changes.get("owner_user"), campaign.union)
    changed = [k for k, v in changes.items() if getattr(campaign, k) != v]
    for key, value in changes.items():
        setattr(campaign, key, value)
    _check_dates(campaign.starts_on, campaign.ends_on)
    campaign.save()
    if "ends_on" in changed and campaign.ends_on is not None:
        # A campaign ended (or shortened) ends its teams' rights with it.
        for team in campaign.teams.filter(ends_on__gt=campaign.ends_on):
            _move_team_end(team, campaign.ends_on, acting_user)
            record(actor=acting_user, union=campaign.union, action=AuditAction.EDIT,
                   target=f"campaign-team:{team.pk}", fields=["ends_on"])
    if "target_kind" in changed or "target_filters" in changed:
        if "target_kind" in changed:
            campaign.targets.all().delete()
        changed.append(f"targets={_resolve_targets(campaign)}")
    record(actor=acting_user, union=campaign.union, action=AuditAction.EDIT,
           target=f"campaign:{campaign.pk}", fields=changed)
    return campaign


def _resolve_targets(campaign: Campaign) -> int:
    """Make the campaign's target rows the filters' result, set-based: delete those that
    left, insert the new ones with today's density as their baseline."""
    figures = targeting.resolve(campaign.union, campaign.target_kind, campaign.target_filters)
    wanted = set(figures)
    existing = set(campaign.targets.values_list("scope_id", flat=True))
    gone = existing - wanted
    if gone:
        campaign.targets.filter(scope_id__in=list(gone)).delete()
    CampaignTarget.objects.bulk_create(
        [CampaignTarget(campaign=campaign, scope_id=pk, members_at_start=figures[pk].members,
                        base_at_start=figures[pk].base) for pk in wanted - existing],
        batch_size=2000)
    campaign.target_resolved_at = timezone.now()
    campaign.save(update_fields=["target_resolved_at"])
    return len(wanted)


# --- the contact log --------------------------------------------------------------------

@transaction.atomic
def log_contact(*, campaign: Campaign, acting_user, channel: str, outcome: str,
                person=None, potential=None, contacted_at: dt.datetime | None = None,
                next_step: str = "", notes: str = "", contacted_by=None) -> ContactEntry:
    """Log one contact with `person` or with `potential` (a potential member of workplace
    mapping), who must be in the campaign's target group (the view has checked the acting
    user may contact them)."""
    if (person is None) == (potential is None):
        raise ValueError("log a contact with a person or a potential member")
    subject = person if person is not None else potential
    if subject.union_id != campaign.union_id:
        raise ValidationError(_("This person is not in the campaign's target group."))
    target = (target_of_person(campaign, person) if person is not None
              else target_of_potential(campaign, potential))
    if target is None:
        raise ValidationError(_("This person is not in the campaign's target group."))
    entry = ContactEntry.objects.create(
        union_id=campaign.union_id, campaign=campaign, target=target, person=person,
        potential=potential, potential_ref=getattr(potential, "pk", None),
        contacted_by=contacted_by, logged_by=acting_user,
        contacted_at=contacted_at or timezone.now(), channel=channel, outcome=outcome,
        next_step=next_step, notes=notes)
    # A potential member has no person id: the entry names them as mapping's do.
    record(actor=acting_user, union=campaign.union, action=AuditAction.CREATE, person=person,
           target=f"campaign:{campaign.pk}:contact:{entry.pk}"
           + (f":potential:{potential.pk}" if potential is not None else ""),
           fields=["channel", "outcome", "next_step", "notes"])
    return entry


def potential_joined(*, potential, person) -> int:
    """Workplace mapping's `mapping_potential_joined` hook: the potential member joined and
    is `person` in the register, so their contacts follow them (run inside mapping's
    `mark_joined`, which audits it)."""
    return ContactEntry.objects.filter(potential=potential).update(
        person=person, potential=None, potential_ref=None)


# --- teams ------------------------------------------------------------------------------

def _check_team_workplace(campaign: Campaign, workplace) -> None:
    if workplace.union_id != campaign.union_id:
        raise ValidationError(_("Choose a workplace of your own union."))
    if campaign.target_kind == TargetKind.WORKPLACE and not campaign.targets.filter(
            scope_id=workplace.pk).exists():
        raise ValidationError(_("The workplace is not in the campaign's target group."))


@transaction.atomic
def create_team(*, campaign: Campaign, workplace, acting_user, name: str, terms: str,
                ends_on: dt.date) -> CampaignTeam:
    _check_team_workplace(campaign, workplace)
    if ends_on < timezone.localdate():
        raise ValidationError(_("The team's rights would already have ended."))
    team = CampaignTeam.objects.create(
        union_id=campaign.union_id, campaign=campaign, workplace=workplace, name=name,
        terms=terms, ends_on=ends_on, created_by=acting_user)
    record(actor=acting_user, union=campaign.union, action=AuditAction.CREATE,
           target=f"campaign-team:{team.pk}", fields=["name", "terms", "ends_on", "workplace"])
    return team


@transaction.atomic
def update_team(*, team: CampaignTeam, acting_user, name: str, terms: str,
                ends_on: dt.date) -> CampaignTeam:
    """Members' rights follow the team's end date (moved earlier or later)."""
    changed = [k for k, v in (("name", name), ("terms", terms), ("ends_on", ends_on))
               if getattr(team, k) != v]
    team.name, team.terms = name, terms
    team.save()
    if "ends_on" in changed:
        _move_team_end(team, ends_on, acting_user)
    record(actor=acting_user, union=team.union, action=AuditAction.EDIT,
           target=f"campaign-team:{team.pk}", fields=changed)
    return team


def _move_team_end(team: CampaignTeam, ends_on: dt.date, acting_user) -> None:
    """The team's and its active members' end date, and their lent grants re-synced at
    once (an end date in the past revokes the right to map the workplace now, not at the
    next sync); the campaign centre's nav entry is forgotten with them."""
    team.ends_on = ends_on
    team.save(update_fields=["ends_on"])
    active = team.members.filter(status=MemberStatus.ACTIVE).select_related("person__user",
                                                                           "person__union")
    active.update(ends_on=ends_on)
    for member in active:
        sync_grants_for_person(member.person, acting_user=acting_user)
        forget_viewer(member.person.user_id)


def invitation_url(member: TeamMember) -> str:
    return reverse("campaigns:invitation", args=[member.pk])


@transaction.atomic
def invite(*, team: CampaignTeam, people, acting_user) -> list[TeamMember]:
    """Invite people of the team's workplace; each gets an item in their activity stream
    (and an email per their preference). Someone already in the team is left as is; a
    person who declined or was removed is invited again."""
    allowed = set(people_of_targets(team.campaign, workplace_ids={team.workplace_id})
                  .filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    invited = []
    for person in people:
        if person.pk not in allowed:
            raise ValidationError(_("%(name)s does not work at the team's workplace.")
                                  % {"name": person.full_name})
        if person.user_id is None:
            raise ValidationError(_("%(name)s has no portal account to accept with.")
                                  % {"name": person.full_name})
        member, created = TeamMember.objects.get_or_create(
            team=team, person=person,
            defaults={"union_id": team.union_id, "invited_by": acting_user})
        if not created and member.status in (MemberStatus.INVITED, MemberStatus.ACTIVE):
            continue
        if not created:
            member.status, member.invited_by = MemberStatus.INVITED, acting_user
            member.invited_at = timezone.now()
            member.save()
        invited.append(member)
        # In the invitee's language whenever shown (the team's name as entered).
        notify(union=team.union, people=[person], kind="campaign",
               title=gettext_noop("You are invited to the campaign team %(team)s"),
               title_params={"team": team.name}, url=invitation_url(member),
               source=f"campaign-team-invitation:{member.pk}:"
               f"{int(member.invited_at.timestamp())}", acting_user=acting_user)
        record(actor=acting_user, union=team.union, action=AuditAction.CREATE, person=person,
               target=f"campaign-team:{team.pk}", fields=["invitation"])
    return invited


@transaction.atomic
def accept(*, member: TeamMember, acting_user, terms_accepted: bool) -> TeamMember:
    """The invitee accepts the team's terms; their rights hold from today to the team's
    end date and then end by themselves (read-time dates)."""
    if member.status != MemberStatus.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    if not terms_accepted:
        raise ValidationError(_("Accept the team's terms to join it."))
    team = member.team
    today = timezone.localdate()
    if team.ends_on < today:
        raise ValidationError(_("The team's time has ended."))
    member.status = MemberStatus.ACTIVE
    member.accepted_at = timezone.now()
    member.accepted_terms = team.terms
    member.starts_on, member.ends_on = today, team.ends_on
    member.save()
    sync_grants_for_person(member.person, acting_user=acting_user)
    forget_viewer(member.person.user_id)  # the centre's nav entry shows at once
    record(actor=acting_user, union=team.union, action=AuditAction.GRANT, person=member.person,
           target=f"campaign-team:{team.pk}", fields=["terms", f"until={team.ends_on}"])
    return member


@transaction.atomic
def decline(*, member: TeamMember, acting_user) -> TeamMember:
    if member.status != MemberStatus.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    member.status = MemberStatus.DECLINED
    member.save(update_fields=["status"])
    record(actor=acting_user, union=member.union, action=AuditAction.EDIT,
           person=member.person, target=f"campaign-team:{member.team_id}", fields=["declined"])
    return member


@transaction.atomic
def remove_member(*, member: TeamMember, acting_user) -> TeamMember:
    was_active = member.status == MemberStatus.ACTIVE
    member.status = MemberStatus.REMOVED
    member.save(update_fields=["status"])
    if was_active:
        sync_grants_for_person(member.person, acting_user=acting_user)
        forget_viewer(member.person.user_id)
    record(actor=acting_user, union=member.union,
           action=AuditAction.REVOKE if was_active else AuditAction.EDIT, person=member.person,
           target=f"campaign-team:{member.team_id}", fields=["removed"])
    return member
