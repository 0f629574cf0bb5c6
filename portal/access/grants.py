"""Which page permissions each kind of position of trust grants on its scope page."""

from portal.people.models import PositionKind

PAGE_PERMISSIONS_BY_POSITION: dict[str, tuple[str, ...]] = {
    # Branch chair and secretary edit and publish the branch page and its bulletins.
    PositionKind.BRANCH_CHAIR: ("add_page", "change_page", "publish_page"),
    PositionKind.BRANCH_SECRETARY: ("add_page", "change_page", "publish_page"),
    # Branch board members draft bulletins; the chair or secretary publishes them.
    PositionKind.BRANCH_BOARD_MEMBER: ("add_page", "change_page"),
    # Stewards and safety representatives update their workplace's (or employer's) page.
    PositionKind.SHOP_STEWARD: ("change_page", "publish_page"),
    PositionKind.DEPUTY_SHOP_STEWARD: ("change_page",),
    PositionKind.SAFETY_REPRESENTATIVE: ("change_page",),
    # Union board and council members hold no page rights by virtue of the position.
    PositionKind.UNION_BOARD_MEMBER: (),
    PositionKind.UNION_COUNCIL_MEMBER: (),
}

# Positions whose holders see the people in their scope (members of a branch, employees
# of a workplace or employer). Union board and council members do not: the member
# register is staff's to keep.
SCOPE_SEEING_POSITIONS = frozenset(
    {
        PositionKind.BRANCH_CHAIR,
        PositionKind.BRANCH_SECRETARY,
        PositionKind.BRANCH_BOARD_MEMBER,
        PositionKind.SHOP_STEWARD,
        PositionKind.DEPUTY_SHOP_STEWARD,
        PositionKind.SAFETY_REPRESENTATIVE,
    }
)

# Rights other apps lend for a time without a position of trust (a campaign team's rights
# on its workplace, portal/campaigns/grants.py). Each source is called with (person,
# today) and gives (page id, codenames, valid_from, valid_until) tuples; sync_grants_for_
# person merges them with the positions' grants, so one row per right holds both, the
# term dates count at read time and the daily expiry removes them like any other.
LENT_GRANT_SOURCES: list = []


def register_lent_grants(source) -> None:
    if source not in LENT_GRANT_SOURCES:
        LENT_GRANT_SOURCES.append(source)


def lent_grants(person, today):
    for source in LENT_GRANT_SOURCES:
        yield from source(person, today)
