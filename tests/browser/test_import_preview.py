"""The import preview on a desktop: a rejected row's reason is on screen without
scrolling the table sideways. With seven columns of a people file the reason came last
and was cut off at 1366 px (found on a walk through the demo)."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_reason_is_visible_on_a_desktop(browser, union_sites, tmp_path):
    site = union_sites[0]
    path = tmp_path / "jasenet.csv"
    path.write_text(
        "Jäsennumero;Etunimi;Sukunimi;Osasto;Liittynyt;Hetu;Sähköposti;Katuosoite\n"
        "910001;Aino;Virtanen;;1.3.2019;;aino.virtanen@example.org;Pitkä Esimerkkikatu 12 B\n"
        "910004;Väärä;Päivä;;31.2.2026;;vaara.paiva@example.org;Pitkä Esimerkkikatu 14 A\n",
        encoding="utf-8")
    context, page = new_page(browser, "desktop")
    try:
        login(page, site, "staff")
        page.goto(site.base + "/admin/union-admin/imports/new/")
        page.select_option("#id_kind", "people")
        page.set_input_files("#id_file", str(path))
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        reason = page.locator("tr.imports-bad .imports-problems")
        # 31.2. is written right but not in the calendar: the reason says so.
        assert "Tällaista päivämäärää ei ole" in reason.inner_text()
        box = reason.bounding_box()
        visible = page.evaluate("""() => { const s = document.querySelector('.imports-scroll');
            return s.getBoundingClientRect().right; }""")
        assert box["x"] + box["width"] <= visible + 1, (box, visible)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, path=str(SCREENSHOTS / f"import-preview-{site.slug}-desktop.png"))
    finally:
        context.close()
