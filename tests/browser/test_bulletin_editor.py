"""The bulletin editor and sending in Chromium, under the site's real security policy
(`script-src 'self'`): a chair writes with Draftail's toolbar, saves, narrows the
audience with the filter box, is asked "send to N people?" and confirms; the
bulletin's visibility then follows portal/branches/visibility.py. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from .helpers import SCREENSHOTS, SIZES, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.parametrize("size", list(SIZES))
def test_a_chair_writes_with_draftail_and_confirms_the_audience(browser, union_sites, size):
    from portal.branches.models import BulletinPage
    from portal.messaging.models import BulletinSend

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    site = union_sites[0]
    context, page = new_page(browser, size)
    errors = _console_errors(page)
    try:
        login(page, site, "chair")
        branch_url = site.urls["branch"]
        page.goto(site.base + branch_url)
        page.locator("a.button[href$='/bulletins/new/']").click()
        page.wait_for_load_state()
        page.fill("#id_title", "Browser bulletin")
        editor = page.locator(".Draftail-Editor .public-DraftEditor-content")
        editor.wait_for()
        editor.click()
        page.keyboard.type("Hello ")
        # The toolbar's own Bold button (pinned toolbar: branches/editor.js).
        page.locator(".Draftail-ToolbarButton[name='BOLD']").click()
        page.keyboard.type("members")
        page.locator(".Draftail-ToolbarButton[name='BOLD']").click()  # and off again
        page.keyboard.press("Enter")
        page.keyboard.type("Second paragraph")
        # A link through Wagtail's own chooser (its modal, styled by branches/editor.css).
        page.keyboard.press("Enter")
        page.keyboard.type("Read the rules")
        page.keyboard.press("Shift+Home")
        page.locator(".Draftail-ToolbarButton[name='LINK']").click()
        page.locator(".modal .link-types a[href*='choose-external-link']").click()
        page.locator(".modal input[name='external-link-chooser-url']").fill(
            "https://example.org/rules")
        page.locator(".modal form [type=submit]:visible").first.click()
        page.locator(".modal").wait_for(state="detached")
        shot(page, path=str(SCREENSHOTS / f"bulletin-editor-{size}.png"), full_page=True)
        # The editor fits the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size[
            "width"]
        # Draftail writes its state to the form a moment after typing; saving at once
        # must still post the last words (branches/editor.js holds the submission).
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.type("Last words")
        with page.expect_navigation():
            page.locator("form[method=post] button.button[type=submit]").click()
        assert "/preview/" in page.url
        pk = int(re.search(r"/bulletins/(\d+)/preview/", page.url).group(1))
        draft = BulletinPage.objects.get(pk=pk).get_latest_revision_as_object()
        assert "<b>members</b>" in draft.body and "<p>Second paragraph</p>" in draft.body
        assert '<p><a href="https://example.org/rules">Read the rules</a></p>' in draft.body
        assert "<p>Last words</p>" in draft.body

        page.goto(site.base + f"/bulletins/{pk}/send/")
        lists = page.locator("[data-choice-filter]")
        assert lists.count() == 2
        workplaces = lists.first
        items = workplaces.locator("[data-filter-item]")
        total = items.count()
        first = items.first.inner_text().strip()
        if total >= 8:  # the filter box appears for long lists only
            workplaces.locator("[data-filter-input]").fill(first.split(",")[0])
            assert workplaces.locator("[data-filter-item]:visible").count() < total
        items.first.locator("input").check()
        with page.expect_navigation():
            page.locator("form[method=post] button.button[type=submit][value=send]").click()
        heading = page.locator("#confirm-heading").inner_text()
        count = int(re.search(r"\d+", heading).group(0))
        assert count >= 1
        assert not BulletinSend.objects.filter(bulletin_id=pk).exists()
        shot(page, path=str(SCREENSHOTS / f"bulletin-confirm-{size}.png"), full_page=True)
        with page.expect_navigation():
            page.locator("form[method=post] button.button[type=submit]").click()
        assert "/report/" in page.url
        send = BulletinSend.objects.get(bulletin_id=pk)
        assert send.deliveries.count() == count and not send.whole_branch
        assert errors == [], errors
    finally:
        context.close()

    # Sent to one workplace: not on the public branch page, not at its URL.
    context, page = new_page(browser, size)
    try:
        page.goto(site.base + branch_url)
        assert "Browser bulletin" not in page.content()
    finally:
        context.close()
