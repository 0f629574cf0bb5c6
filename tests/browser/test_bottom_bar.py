"""The phone's bottom bar (discussions, campaign centre, menu) fits a 360 px screen in
Finnish, the longest of the three languages: "Valikko" was pushed past the edge, out of
reach, on the common 360 px Android phones (it just fitted at 390 px)."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, login, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FITS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll(".mainbar__link")].map(link => {
    const box = link.getBoundingClientRect();
    return {text: link.textContent.trim(), left: box.left, right: box.right, width,
            clipped: link.scrollWidth > link.clientWidth + 1};
  });
}"""


@pytest.mark.parametrize("width", [360, 320])
def test_the_bottom_bar_fits_a_narrow_phone_in_finnish(browser, union_sites, width):
    site = union_sites[0]  # PAL, Finnish
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="fi-FI")
    try:
        page = context.new_page()
        login(page, site, "steward")  # every entry: discussions, campaign centre, menu
        page.goto(site.base + "/discussions/")
        shot(page, path=str(SCREENSHOTS / f"{site.slug}-{width}-steward-bottom-bar.png"))
        links = page.evaluate(FITS)
        assert [link["text"] for link in links] == ["Keskustelut", "Kampanjakeskus", "Valikko"]
        for link in links:
            assert link["left"] >= 0 and link["right"] <= link["width"], link
            assert not link["clipped"], link
    finally:
        context.close()


LINES = """() => [...document.querySelectorAll(".mainbar__link")].map(link => {
  const range = document.createRange();
  range.selectNodeContents(link);
  return [link.textContent.trim().split(/\\s/)[0],
          new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size];
})"""


@pytest.mark.parametrize("width", [960, 1366])
def test_the_desktop_top_bar_keeps_whole_words_in_finnish(browser, union_sites, width):
    """On desktop the same entries join the top bar: the phone's narrowing broke them
    mid-word there ("Keskuste|lut") beside the search and the activity stream."""
    site = union_sites[0]
    context = browser.new_context(viewport={"width": width, "height": 700}, locale="fi-FI")
    try:
        page = context.new_page()
        login(page, site, "steward")
        page.goto(site.base + "/discussions/")
        shot(page, path=str(SCREENSHOTS / f"{site.slug}-{width}-steward-top-bar.png"))
        assert page.evaluate(LINES) == [["Keskustelut", 1], ["Kampanjakeskus", 1],
                                        ["Valikko", 1]]
        assert page.evaluate("document.documentElement.scrollWidth"
                             " <= document.documentElement.clientWidth")
    finally:
        context.close()
