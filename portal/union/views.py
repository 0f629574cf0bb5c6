from portal.people.models import PositionKind
from portal.people.selectors import officials_of


def union_page_context(page, request) -> dict:
    positions = officials_of(
        request=request,
        pages=[page],
        kinds=[PositionKind.UNION_BOARD_MEMBER, PositionKind.UNION_COUNCIL_MEMBER],
    )
    return {
        "board": [p for p in positions if p.kind == PositionKind.UNION_BOARD_MEMBER],
        "council": [p for p in positions if p.kind == PositionKind.UNION_COUNCIL_MEMBER],
        "offices": list(page.offices.all()),
        "staff_members": list(page.staff_members.all()),
    }
