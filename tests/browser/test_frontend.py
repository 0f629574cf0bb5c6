"""The member-facing front end in Debian Chromium: each role's journeys at phone and
desktop size (also by keyboard alone), screenshots of every page type for both demo
unions, axe-core on every page type in both themes at both sizes, the language switcher,
and the member card offline."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, SIZES, follow_by_keyboard, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Which account sees each page type (the verification page is for staff).
PAGE_VIEWERS = {
    "login": None,
    "union": "member",
    "branch_index": "member",
    "branch": "chair",
    "bulletin": "member",
    "employer_index": "member",
    "employer": "staff",
    "workplace": "staff",
    "agreement_index": "member",
    "agreement": "member",
    "content": "member",
    "profile": "member",
    "card": "member",
    "person": "member",
    "verify": "staff",
}
BLOCKING_IMPACTS = {"serious", "critical"}
# The language switcher keeps the page: one of each way a page is served (the login form,
# the union's root, an organisation page routed by the union, a bulletin, a view outside
# the page tree, a person); switching on every page type cost a quarter of this test.
LANGUAGE_SWITCH_KINDS = {"login", "union", "branch", "bulletin", "profile", "person"}
LOGO_LOADED = """() => {
  const img = document.querySelector(".topbar .brand__logo");
  return Boolean(img && img.complete && img.naturalWidth > 0);
}"""


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def _assert_no_third_party_and_small(requests: list, base: str) -> None:
    foreign = [url for url, _kind, _size in requests if not url.startswith((base, "data:"))]
    assert not foreign, f"third-party requests: {foreign}"
    weight = sum(size for _url, kind, size in requests if kind in ("stylesheet", "script"))
    assert weight <= 100 * 1024, f"{weight} bytes of CSS and JS"


# One test per screen size and union (its own theme), so parallel workers share the load.
@pytest.mark.parametrize("union_index", [0, 1])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_type_in_both_themes(browser, union_sites, size, union_index):
    """Screenshots, axe-core (0 serious/critical), no third-party requests, ≤ 100 KB CSS+JS,
    the union's logo in the top bar on every page type, and the language switcher keeps
    the page (LANGUAGE_SWITCH_KINDS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for site in union_sites[union_index:union_index + 1]:
        pages = {}
        try:
            for viewer in sorted({v for v in PAGE_VIEWERS.values() if v}) + [None]:
                context, page = new_page(browser, size)
                pages[viewer] = (context, page)
                if viewer:
                    login(page, site, viewer)
            for kind, viewer in PAGE_VIEWERS.items():
                context, page = pages[viewer]
                requests: list = []

                def on_response(response, requests=requests):
                    try:
                        body = len(response.body())
                    except Exception:  # redirects and aborted loads have no body
                        body = 0
                    requests.append((response.url, response.request.resource_type, body))

                page.on("response", on_response)
                response = page.goto(site.base + site.urls[kind])
                page.remove_listener("response", on_response)
                if response is None or response.status != 200:
                    problems.append(f"{site.slug} {size} {kind}: HTTP "
                                    f"{response.status if response else '?'}")
                    continue
                shot(page, path=str(SCREENSHOTS / f"{site.slug}-{size}-{kind}.png"),
                                full_page=True)
                problems += [f"{site.slug} {size} {kind}: {v}" for v in _axe_violations(page)]
                if not page.evaluate(LOGO_LOADED):
                    problems.append(f"{site.slug} {size} {kind}: the logo did not load")
                if size == "mobile":
                    try:
                        _assert_no_third_party_and_small(requests, site.base)
                    except AssertionError as error:
                        problems.append(f"{site.slug} {kind}: {error}")
                if size == "desktop" and kind in LANGUAGE_SWITCH_KINDS:
                    problems += _check_language_switch(page, site, kind)
        finally:
            for context, _page in pages.values():
                context.close()
    assert not problems, "\n".join(problems)


def _check_language_switch(page, site, kind) -> list[str]:
    before = page.url
    page.locator('#side-menu button[value="sv"]').click()
    page.wait_for_load_state()
    problems = []
    if page.locator("html").get_attribute("lang") != "sv":
        problems.append(f"{site.slug} {kind}: switching to Swedish did not apply")
    if page.url != before:
        problems.append(f"{site.slug} {kind}: switching language left {before} for {page.url}")
    page.locator('#side-menu button[value="fi"]').click()
    page.wait_for_load_state()
    return problems


def _journey_member(page, site, keyboard: bool) -> None:
    """Union → branches → own branch → own workplace → employer → agreement."""
    page.goto(site.base + "/")
    steps = ["branch_index", "branch", "workplace", "employer", "agreement"]
    for step in steps:
        href = site.urls[step]
        if keyboard:
            follow_by_keyboard(page, href)
        else:
            with page.expect_navigation():
                page.locator(f'main a[href="{href}"]').first.click()
        assert page.url == site.base + href, f"member did not reach {step}"
    assert page.locator("h1").first.is_visible()


@pytest.mark.parametrize("union_index", [0, 1])
@pytest.mark.parametrize("size", list(SIZES))
def test_role_journeys(browser, union_sites, size, union_index):
    for site in union_sites[union_index:union_index + 1]:
        # Member: by mouse (a tap on a phone), then on a desktop again by keyboard alone.
        for keyboard in (False, True) if size == "desktop" else (False,):
            context, page = new_page(browser, size)
            try:
                login(page, site, "member")
                _journey_member(page, site, keyboard)
            finally:
                context.close()

        # Chair opens their branch (and sees its members) and a bulletin.
        context, page = new_page(browser, size)
        try:
            login(page, site, "chair")
            page.goto(site.base + "/")
            follow_by_keyboard(page, site.urls["branch_index"])
            follow_by_keyboard(page, site.urls["branch"])
            assert page.locator("#members-heading").is_visible()
            follow_by_keyboard(page, site.urls["bulletin"])
            assert page.locator("article h1").is_visible()
        finally:
            context.close()

        # Staff open the union page's board and offices.
        context, page = new_page(browser, size)
        try:
            login(page, site, "staff")
            page.goto(site.base + "/")
            assert page.locator("#board-heading").is_visible()
            page.locator("#offices-heading").scroll_into_view_if_needed()
            assert page.locator("#offices-heading").is_visible()
            assert page.locator("#offices-heading ~ .grid h3").count() >= 1
        finally:
            context.close()

        # Admin edits the link menu in Wagtail and sees it change in the side menu (on a
        # desktop: the admin at phone size is walked by test_admin_csp).
        if size != "desktop":
            continue
        context, page = new_page(browser, size)
        try:
            login(page, site, "admin")
            page.goto(f"{site.base}/admin/settings/themes/linkmenu/{site.union.site_id}/")
            new_label = f"Uusi linkki {site.slug} {size}"
            # The side menu shows the label in the site's language: a visitor without a
            # language cookie sees the union's default language (docs/languages.md).
            language = site.union.default_language
            field = "label" if language == "fi" else f"label_{language}"
            page.fill(f'input[name="items-0-{field}"]', new_label)
            with page.expect_navigation():
                page.locator('form[method="post"] button[type="submit"]').last.click()
            page.goto(site.base + "/")
            side = page.locator("#side-menu")
            assert side.get_by_role("link", name=new_label).count() == 1
            # The other union's side menu is unchanged.
            other = next(s for s in union_sites if s is not site)
            page.goto(other.base + "/")
            assert page.locator("#side-menu").get_by_text(new_label).count() == 0
        finally:
            context.close()


def test_bars_follow_the_layout(browser, union_sites):
    """Mobile: search and user menu at the top, the main entries at the bottom, the side
    menu (member card, links) in the scroll area. Desktop: all entries in the top bar."""
    site = union_sites[0]
    for size in SIZES:
        context, page = new_page(browser, size)
        try:
            login(page, site, "member")
            page.goto(site.base + "/")
            bar = page.locator(".mainbar").bounding_box()
            top = page.locator(".topbar").bounding_box()
            menu = page.locator(".mainbar__link--menu")
            if size == "mobile":
                assert bar["y"] + bar["height"] == pytest.approx(SIZES[size]["height"], abs=2)
            else:
                assert top["y"] <= bar["y"] < top["y"] + top["height"]
            menu.click()
            card = page.locator("#side-menu .member-card")
            assert card.is_visible()
            assert page.locator("#side-menu .linklist a").count() >= 3
        finally:
            context.close()


def test_member_card_is_installable_and_shows_offline(browser, union_sites):
    site = union_sites[1]
    context, page = new_page(browser, "mobile", language="sv-SE")
    try:
        login(page, site, "member")
        page.goto(site.base + "/card/")
        manifest = page.locator('link[rel="manifest"]').get_attribute("href")
        assert manifest == "/manifest.webmanifest"
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        # The worker controls the page from the next load on; that load caches the card.
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
        page.reload()
        name = page.locator("main .member-card__name").inner_text()
        context.set_offline(True)
        page.reload()
        assert page.locator("main .member-card__name").inner_text() == name
        assert page.locator(".member-card__qr img").is_visible()
        shot(page, path=str(SCREENSHOTS / f"{site.slug}-mobile-card-offline.png"))
    finally:
        context.set_offline(False)
        context.close()
