"""What the campaign centre lends to lower apps that cannot import it (access and workplace
mapping are below campaigns in the app order), connected from `CampaignsConfig.ready()`.

- A campaign team member's right to map the team's workplace is a page grant
  (`change_page` on the workplace, which `mapping.permissions.can_map` asks) lent through
  `access.grants.register_lent_grants`: from accepting until the team's end date, merged
  by `access.actions.sync_grants_for_person` with the person's positions, checked by
  date at every request and removed by the daily expiry like a position's.
- Cached densities of target groups go stale when mapping data that density counts
  changes (signals of mapping's models).
- Merging two duplicate people (`merging`'s `before_merge_people` hook): where both have a
  place in the same team, the more active place wins (`merge_team_places`).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core import serializers
from django.utils import timezone

from .models import MemberStatus, TeamMember

TEAM_PAGE_RIGHTS = ("change_page",)


def team_grants(person, today):
    rows = (TeamMember.objects.filter(person=person, status=MemberStatus.ACTIVE,
                                      ends_on__gte=today, starts_on__isnull=False)
            .values_list("team__workplace_id", "starts_on", "ends_on"))
    for workplace_id, starts_on, ends_on in rows:
        yield workplace_id, TEAM_PAGE_RIGHTS, starts_on, ends_on


# What a team place carries of its state; the winner's is copied onto the kept person's.
PLACE_FIELDS = ("status", "invited_by", "invited_at", "accepted_at", "accepted_terms",
                "starts_on", "ends_on")


def _activity(place: TeamMember, today) -> tuple:
    """How active a place is: a place whose rights hold (accepted, not past its end) over
    an open invitation over the rest (declined, removed, or accepted and ended); then the
    later end date."""
    if place.status == MemberStatus.ACTIVE and (place.ends_on is None or place.ends_on >= today):
        rank = 3
    elif place.status == MemberStatus.INVITED:
        rank = 2
    else:
        rank = 1
    return rank, place.ends_on or dt.date.min


def merge_team_places(*, kept_id: int, removed_id: int) -> list:
    """Before a merge moves the removed person's rows (where a place in a team the kept
    person is also in would be dropped as a duplicate): the kept person's place takes the
    removed one's state when that is more active. Returns the kept places' earlier state,
    serialised (the merge's undo restores it). Kept wins a tie."""
    today = timezone.localdate()
    mine = {place.team_id: place for place in TeamMember.objects.filter(person_id=kept_id)}
    if not mine:
        return []
    before = []
    for theirs in TeamMember.objects.filter(person_id=removed_id, team_id__in=list(mine)):
        place = mine[theirs.team_id]
        if _activity(theirs, today) <= _activity(place, today):
            continue
        before.append(place)
        names = [TeamMember._meta.get_field(name).attname for name in PLACE_FIELDS]
        TeamMember.objects.filter(pk=place.pk).update(
            **{name: getattr(theirs, name) for name in names})
    return json.loads(serializers.serialize("json", before)) if before else []


def _mapping_changed(sender, instance, **kwargs) -> None:
    from .density import mapping_changed

    mapping_changed(union_id=instance.union_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from portal.access.grants import register_lent_grants
    from portal.mapping.models import EmployerFacts, PotentialMember

    register_lent_grants(team_grants)
    # Density counts potential members and reported head counts: cached densities of
    # target groups (density.now_cached) go stale with them.
    for model in (PotentialMember, EmployerFacts):
        post_save.connect(_mapping_changed, sender=model, dispatch_uid=f"campaigns-{model}")
        post_delete.connect(_mapping_changed, sender=model,
                            dispatch_uid=f"campaigns-del-{model}")
