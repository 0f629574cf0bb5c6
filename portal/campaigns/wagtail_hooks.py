"""Hooks other apps ask without importing campaigns (docs/organising.md)."""

from wagtail import hooks

from portal.union.features import feature_on
from portal.union.models import UnionFeature

from .permissions import access_for, nav_visible
from .selectors import contacted_person_ids


@hooks.register("mapping_contacted")
def contacted_at_workplace(workplace):
    """Workplace mapping's "contacted or not" filter and its rows' mark: people and
    potential members with a logged contact in any campaign of the union (the mapping
    intersects them with the workplace's own)."""
    return {"people": contacted_person_ids(union=workplace.union_id),
            "potential": contacted_person_ids(union=workplace.union_id, field="potential_id")}


@hooks.register("mapping_potential_joined")
def contacts_follow_the_new_member(*, potential, person) -> None:
    """A potential member joined and is `person` in the register: their contacts are
    theirs now (mapping's `mark_joined` asks before it deletes the potential member)."""
    from .actions import potential_joined

    potential_joined(potential=potential, person=person)


@hooks.register("mapping_subject_contacts")
def subject_contacts(*, request, workplace, person=None, potential=None) -> str:
    """The contacts section of a person's or potential member's mapping page: their
    entries in the campaigns this user sees, and where to log a new one."""
    if not (feature_on(request, UnionFeature.CAMPAIGNS) and nav_visible(request)):
        return ""
    from .views_people import subject_contacts_section

    return subject_contacts_section(request, workplace=workplace, person=person,
                                    potential=potential)


@hooks.register("workplace_page_visitor_context")
def team_member_mapping(*, page, request) -> dict:
    """A current campaign team member of this workplace gets the page's organisational
    situation and its mapping link, as its officials do. A plain member is answered by the
    navigation's cached fact (no query: the nav asks the same on every page)."""
    if not (feature_on(request, UnionFeature.CAMPAIGNS)
            and feature_on(request, UnionFeature.WORKPLACE_MAPPING) and nav_visible(request)):
        return {}
    if not any(page.pk in ids for ids in access_for(request).teams.values()):
        return {}
    from portal.mapping.wagtail_hooks import workplace_density

    return workplace_density(page=page, request=request)


@hooks.register("describe_audit_targets")
def describe_audit_targets(union, targets) -> dict:
    """The legal-basis view of a person says where their data was read in words."""
    from .audit_targets import describe

    return describe(union, targets)


@hooks.register("before_merge_people")
def merge_team_places(*, kept_id: int, removed_id: int) -> list:
    """Merging duplicates: the more active of two places in one team wins (hooks.py)."""
    from .hooks import merge_team_places as merge

    return merge(kept_id=kept_id, removed_id=removed_id)
