"""Hooks other apps ask without importing campaigns (docs/organising.md)."""

from wagtail import hooks

from .selectors import contacted_person_ids


@hooks.register("mapping_contacted")
def contacted_at_workplace(workplace):
    """Workplace mapping's "contacted or not" filter: people with a logged contact in any
    campaign of the union (the mapping intersects them with the workplace's people).
    Contacts are logged with register people only, not with potential members."""
    return {"people": contacted_person_ids(union=workplace.union_id), "potential": None}
