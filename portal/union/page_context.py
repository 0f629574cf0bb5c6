"""What the union app's pages show: their `get_context` reads it from here (selectors and
cached sections), so that page models import no views."""

from portal.people.models import PositionKind
from portal.people.selectors import officials_of

from .links import page_links
from .models import Union
from .sections import sections_of


def _sections_of(page, union) -> list:
    """The union page's sections: the children shown in menus, or all live children."""
    children = page.get_children().live()
    links = page_links(union, children.in_menu().order_by("path"))
    return links or page_links(union, children.order_by("path"))


def union_page_context(page, request) -> dict:
    positions = officials_of(
        request=request,
        pages=[page],
        kinds=[PositionKind.UNION_BOARD_MEMBER, PositionKind.UNION_COUNCIL_MEMBER],
    )
    # The union whose page this is (request.union is None on a host of no union's site).
    union = request.union or Union.objects.filter(root_page_id=page.pk).first()
    section = sections_of(request, page)
    return {
        "board": [p for p in positions if p.kind == PositionKind.UNION_BOARD_MEMBER],
        "council": [p for p in positions if p.kind == PositionKind.UNION_COUNCIL_MEMBER],
        "sections": (section(name="sections", build=lambda: _sections_of(page, union))
                     if union else []),
        "offices": section(name="offices", build=lambda: list(page.offices.all())),
        "staff_members": section(name="staff", build=lambda: list(page.staff_members.all())),
    }
