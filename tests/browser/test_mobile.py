"""Phones (issue 12, item 19): at 390×844 every front-end table is a stack of cards that
fits the screen (no sideways scrolling), each cell under its column's label, and the top
bar shows the union's short name in full; from the desktop layout on, the full name."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The pages with tables, and who sees the tables on them: staff list (union page),
# employments (profile), members (branch, for its chair), employees (workplace, for its
# steward), the branch's bulletins (for its chair).
TABLE_PAGES = {
    "member": ("union", "profile"),
    "chair": ("union", "profile", "branch", "bulletin_list"),
    "steward": ("profile", "workplace"),
}

LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll("main table")].map(table => {
    const box = table.getBoundingClientRect();
    // A cell that is only an action link (class table__action) needs no label.
    const cells = [...table.querySelectorAll("tbody td:not(.table__action)")];
    return {
      left: box.left, right: box.right, scroll: table.scrollWidth, client: table.clientWidth,
      header: table.tHead ? table.tHead.getBoundingClientRect().height : 0,
      cells: cells.length,
      labelled: cells.filter(td => getComputedStyle(td, "::before").content
                             === `"${td.dataset.label}"`).length,
      display: getComputedStyle(table.querySelector("tbody tr")).display,
    };
  });
  const name = selector => {
    const el = document.querySelector(selector);
    return el && el.offsetParent !== null
      ? {text: el.textContent, truncated: el.scrollWidth > el.clientWidth} : null;
  };
  return {width, page: document.documentElement.scrollWidth, tables,
          short: name(".topbar .brand__name--short"), long: name(".topbar .brand__name--long")};
}"""


def _urls(site) -> dict[str, str]:
    from portal.branches.models import BranchPage

    branch = BranchPage.objects.for_union(site.union).get(url_path__endswith=site.urls["branch"])
    return {**site.urls, "bulletin_list": f"/branches/{branch.pk}/bulletins/"}


def test_tables_stack_and_the_header_shows_the_short_name_on_a_phone(browser, union_sites):
    problems: list[str] = []
    seen_tables = 0
    for site in union_sites:
        short_name = site.union.root_page.short_name
        assert short_name and short_name != site.union.name
        urls = _urls(site)
        for role, kinds in TABLE_PAGES.items():
            context, page = new_page(browser, "mobile")
            try:
                login(page, site, role)
                for kind in kinds:
                    response = page.goto(site.base + urls[kind])
                    assert response is not None and response.status == 200, (site.slug, kind)
                    shot(page, path=str(SCREENSHOTS / f"{site.slug}-mobile-{role}-"
                                             f"{kind}-tables.png"), full_page=True)
                    where = f"{site.slug} {role} {kind}"
                    layout = page.evaluate(LAYOUT)
                    if not layout["tables"]:
                        problems.append(f"{where}: no table to check")
                    if layout["page"] > layout["width"]:
                        problems.append(f"{where}: page scrolls sideways ({layout['page']}px)")
                    for i, table in enumerate(layout["tables"]):
                        seen_tables += 1
                        if table["right"] > layout["width"] or table["left"] < 0:
                            problems.append(f"{where}: table {i} leaves the screen {table}")
                        if table["scroll"] > table["client"]:
                            problems.append(f"{where}: table {i} overflows {table}")
                        if table["display"] != "block" or table["header"] > 1:
                            problems.append(f"{where}: table {i} is not stacked {table}")
                        if table["labelled"] != table["cells"]:
                            problems.append(f"{where}: table {i} has cells without a label")
                    if layout["short"] != {"text": short_name, "truncated": False}:
                        problems.append(f"{where}: header shows {layout['short']}")
                    if layout["long"] is not None:
                        problems.append(f"{where}: the full name is shown on a phone")
            finally:
                context.close()
    assert seen_tables >= 10
    assert not problems, "\n".join(problems)


def test_the_desktop_header_shows_the_full_name_and_tables_stay_tables(browser, union_sites):
    site = union_sites[1]
    context, page = new_page(browser, "desktop")
    try:
        login(page, site, "member")
        page.goto(site.base + "/")
        layout = page.evaluate(LAYOUT)
        assert layout["long"] == {"text": site.union.name, "truncated": False}
        assert layout["short"] is None
        assert layout["tables"] and layout["tables"][0]["display"] == "table-row"
        assert layout["tables"][0]["header"] > 1
    finally:
        context.close()
