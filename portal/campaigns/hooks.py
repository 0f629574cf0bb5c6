"""What the campaign centre lends to lower apps that cannot import it (access and workplace
mapping are below campaigns in the app order), connected from `CampaignsConfig.ready()`.

- A campaign team member's right to map the team's workplace is a page grant
  (`change_page` on the workplace, which `mapping.permissions.can_map` asks) lent through
  `access.grants.register_lent_grants`: from accepting until the team's end date, merged
  by `access.actions.sync_grants_for_person` with the person's positions, checked by
  date at every request and removed by the daily expiry like a position's.
- Cached densities of target groups go stale when mapping data that density counts
  changes (signals of mapping's models).
"""

from __future__ import annotations

from .models import MemberStatus, TeamMember

TEAM_PAGE_RIGHTS = ("change_page",)


def team_grants(person, today):
    rows = (TeamMember.objects.filter(person=person, status=MemberStatus.ACTIVE,
                                      ends_on__gte=today, starts_on__isnull=False)
            .values_list("team__workplace_id", "starts_on", "ends_on"))
    for workplace_id, starts_on, ends_on in rows:
        yield workplace_id, TEAM_PAGE_RIGHTS, starts_on, ends_on


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
