"""Hooks other apps ask without importing campaigns (docs/organising.md)."""

from wagtail import hooks

from portal.union.features import feature_on
from portal.union.models import UnionFeature

from .permissions import access_for, nav_visible
from .selectors import contacted_person_ids


@hooks.register("mapping_contacted")
def contacted_at_workplace(workplace):
    """Workplace mapping's "contacted or not" filter: people with a logged contact in any
    campaign of the union (the mapping intersects them with the workplace's people).
    Contacts are logged with register people only, not with potential members."""
    return {"people": contacted_person_ids(union=workplace.union_id), "potential": None}


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
