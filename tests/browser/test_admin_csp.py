"""The Wagtail admin under the site's Content-Security-Policy (issue 12, item 11).

`script-src` allows 'self' and the request's nonce only (portal/adminpanel/csp.py). Wagtail's
inline scripts start the "add" buttons of inline panels and the choosers; blocked, they did
nothing. Here a union admin adds an office, a staff member and a link-menu entry, picks a
page with the page chooser and saves; then the union admin and staff walk the other admin
screens they use. Every `securitypolicyviolation` the browser reports fails the test.
"""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Collects what the browser blocks, before any of the page's own scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push([event.violatedDirective, event.blockedURI,
    (event.sourceFile || "") + ":" + event.lineNumber, event.sample || ""].join(" "));
}, true);
"""


class Violations:
    """The CSP violations of every page a browser context opened, with the page's URL."""

    def __init__(self, context, page):
        self.found: list[str] = []
        context.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        self.page = page

    def _console(self, message) -> None:
        # The console also names violations the event misses (e.g. in a closing page).
        if message.type == "error" and "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url}: console: {message.text[:300]}")

    def collect(self) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        self.found.extend(f"{self.page.url}: {event}" for event in events)
        self.page.evaluate("window.__cspViolations = []")


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot(page, path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)


def _form_count(page, prefix: str) -> int:
    return int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())


def _save_page(page) -> None:
    """Publish from the editor's footer (the admin may publish the union page)."""
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        page.locator('button[name="action-publish"]').click()


def _fill_label(page, item: str, text: str) -> None:
    """The link's label in every language the form offers."""
    for field in ("label", "label_fi", "label_sv", "label_en"):
        box = page.locator(f"#id_{item}-{field}")
        if box.count():
            box.fill(text)


def _add_office_staff_and_link(page, site, size: str, violations) -> None:
    from portal.union.models import UnionPage
    from themes.models import LinkMenu

    union = site.union
    login(page, site, "admin")

    # The union page: add an office and a staff member (inline panels).
    page.goto(site.base + "/admin/union-admin/union-page/")
    offices, staff = _form_count(page, "offices"), _form_count(page, "staff_members")
    page.click("#id_offices-ADD")
    office = f"#id_offices-{offices}"
    page.locator(f"{office}-name").wait_for()
    page.fill(f"{office}-name", f"Toimisto {size}")
    page.fill(f"{office}-street_address", "Testikatu 1")
    page.fill(f"{office}-postal_code", "00100")
    page.fill(f"{office}-city", "Helsinki")
    page.click("#id_staff_members-ADD")
    member = f"#id_staff_members-{staff}"
    page.locator(f"{member}-name").wait_for()
    page.fill(f"{member}-name", f"Testi Henkilö {size}")
    page.fill(f"{member}-title", "Lakimies")
    _shot(page, f"{site.slug}-{size}-union-page-added")
    violations.collect()
    _save_page(page)
    root = UnionPage.objects.get(pk=union.root_page_id)
    # Published: a draft would keep the new rows in its revision only.
    assert root.live
    assert root.offices.filter(name=f"Toimisto {size}").exists()
    assert root.staff_members.filter(name=f"Testi Henkilö {size}", title="Lakimies").exists()

    # The link menu: add a link and pick its page with the page chooser.
    page.goto(f"{site.base}/admin/settings/themes/linkmenu/{union.site_id}/")
    items = _form_count(page, "items")
    page.click("#id_items-ADD")
    item = f"items-{items}"
    page.locator(f"#id_{item}-link_page-chooser").wait_for()
    _fill_label(page, item, f"Sivulinkki {size}")
    page.locator(f"#id_{item}-link_page-chooser [data-chooser-action-choose]").click()
    chosen = page.locator(".modal-dialog a.choose-page").first
    chosen.wait_for()
    chosen_id = int(chosen.get_attribute("data-id"))
    chosen.click()
    page.locator(".modal-dialog").wait_for(state="hidden")
    assert page.locator(f"#id_{item}-link_page").input_value() == str(chosen_id)
    _shot(page, f"{site.slug}-{size}-link-menu-chosen")
    violations.collect()
    with page.expect_navigation():
        page.locator('form[method="post"] button[type="submit"]').last.click()
    menu = LinkMenu.objects.get(site_id=union.site_id)
    assert menu.items.filter(link_page_id=chosen_id).exists(), "the link was not saved"
    assert union.root_page.get_descendants(inclusive=True).filter(pk=chosen_id).exists()


def _pick(page, field: str, colour: str) -> None:
    """Choose `colour` in the field's colour picker as the browser's dialog would."""
    page.locator(f'[data-brand-colour-picker][data-for="id_{field}"]').evaluate(
        "(picker, colour) => { picker.value = colour;"
        " picker.dispatchEvent(new Event('input', {bubbles: true})); }", colour)


def _preview_colours(page) -> tuple[str, str]:
    return tuple(page.locator(".brand-preview__topbar").evaluate(
        "(bar) => [getComputedStyle(bar).backgroundColor, getComputedStyle(bar).color]"))


def _brand_colours_with_picker_and_preview(page, site, size: str, violations) -> None:
    """The colour pickers fill the #rrggbb fields, the preview follows them and warns of
    a pair below 4.5:1 before saving; a good pair is saved."""
    from themes.models import BrandSettings

    page.goto(f"{site.base}/admin/settings/themes/brandsettings/{site.union.site_id}/")
    contrast = page.locator("[data-brand-preview-contrast]")
    _pick(page, "primary_colour", "#ffcc00")
    _pick(page, "secondary_colour", "#ffffff")
    assert page.locator("#id_primary_colour").input_value() == "#ffcc00"
    assert _preview_colours(page) == ("rgb(255, 204, 0)", "rgb(255, 255, 255)")
    assert "brand-preview--low" in page.locator("[data-brand-preview]").get_attribute("class")
    assert "4,5:1" in contrast.text_content() or "4.5:1" in contrast.text_content()
    _shot(page, f"{site.slug}-{size}-brand-low-contrast")
    # Typing into the field moves the picker and the preview too.
    page.fill("#id_secondary_colour", "#1d1d1f")
    picker = page.locator('[data-brand-colour-picker][data-for="id_secondary_colour"]')
    assert picker.input_value() == "#1d1d1f"
    assert _preview_colours(page) == ("rgb(255, 204, 0)", "rgb(29, 29, 31)")
    assert "brand-preview--low" not in page.locator("[data-brand-preview]").get_attribute("class")
    _pick(page, "primary_colour", "#2e7d32")
    _pick(page, "secondary_colour", "#ffffff")
    _shot(page, f"{site.slug}-{size}-brand-preview")
    violations.collect()
    with page.expect_navigation():
        page.locator('form[method="post"] button[type="submit"]').last.click()
    brand = BrandSettings.objects.get(site_id=site.union.site_id)
    assert (brand.primary_colour, brand.secondary_colour) == ("#2e7d32", "#ffffff")


def test_admin_edits_union_page_link_menu_and_brand_under_the_csp(browser, union_sites):
    """PAL's admin on a desktop and Norden's on a phone: add an office and a staff member
    to the union page and publish it, add a link-menu entry whose page is picked with the
    page chooser and save it, pick brand colours with the colour pickers and see the
    preview; all saved, and the browser blocked nothing."""
    found = []
    for site, size in zip(union_sites, ("desktop", "mobile"), strict=True):
        context, page = new_page(browser, size)
        page.set_default_timeout(15_000)
        violations = Violations(context, page)
        try:
            _add_office_staff_and_link(page, site, size, violations)
            _brand_colours_with_picker_and_preview(page, site, size, violations)
            violations.collect()
        finally:
            context.close()
        found += violations.found
    assert not found, "\n".join(found)


def _admin_screens(site, role: str) -> list[str]:
    """The admin URLs of the union that `role` (admin or staff) opens here, with real ids.
    The screens both roles use are shared out between the two walks (every other one):
    what the browser blocks depends on the screen's markup, not on who looks at it."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from wagtail.images.models import Image

    from portal.agreements.models import CollectiveAgreementPage
    from portal.branches.models import BranchPage, BulletinPage
    from portal.people.models import Person
    from portal.workplaces.models import EmployerPage, WorkplacePage

    union = site.union
    branch = BranchPage.objects.for_union(union).first()
    pages = [
        branch,
        BulletinPage.objects.for_union(union).first(),
        EmployerPage.objects.for_union(union).first(),
        WorkplacePage.objects.for_union(union).first(),
        CollectiveAgreementPage.objects.for_union(union).first(),
    ]
    image = Image.objects.filter(collection=union.collection()).first()
    member = Person.objects.for_union(union).get(user__email=site.login_email("member"))
    common = [
        "/admin/",
        "/admin/union-admin/union-page/",
        *(f"/admin/pages/{page.pk}/edit/" for page in pages),
        f"/admin/pages/{branch.pk}/",
        f"/admin/pages/add/branches/bulletinpage/{branch.pk}/",
        "/admin/images/",
        f"/admin/images/{image.pk}/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        "/admin/union-admin/positions/",
        "/admin/union-admin/agreements/",
        "/admin/union-admin/data-quality/",
        "/admin/union-admin/data-quality/duplicate_similar/",
        reverse("contacts:list"),
        reverse("contacts:person", args=[member.pk]),
        reverse("groups:list"),
        reverse("merging:candidates"),
    ]
    screens = common[0::2] if role == "admin" else common[1::2]
    if role == "admin":
        staff = get_user_model().objects.get(email=site.login_email("staff"))
        screens += [
            "/admin/users/",
            f"/admin/users/edit/{staff.pk}/",
            "/admin/union-admin/blacklist/",
            "/admin/union-admin/settings/",
            f"/admin/settings/themes/brandsettings/{union.site_id}/",
            f"/admin/settings/themes/linkmenu/{union.site_id}/",
            reverse("customfields:list"),
            reverse("notifications_admin:list"),
            reverse("erasure:retention"),
        ]
    return screens


def _open_chooser_and_close(page, opener) -> None:
    """Open a chooser modal, wait for its listing (loaded by fetch) and close it."""
    opener.click()
    page.locator(".modal-dialog .modal-body form").first.wait_for()
    page.locator(".modal-dialog [data-dismiss='modal']").first.click()
    page.locator(".modal-dialog").wait_for(state="hidden")


def test_admin_screens_report_no_csp_violation(browser, union_sites):
    """PAL's union admin and Norden's staff open every admin screen they use and the
    image chooser: the browser blocks nothing."""
    found = []
    for site, role in zip(union_sites, ("admin", "staff"), strict=True):
        context, page = new_page(browser, "desktop")
        page.set_default_timeout(15_000)
        violations = Violations(context, page)
        try:
            login(page, site, role)
            for path in _admin_screens(site, role):
                response = page.goto(site.base + path)
                assert response.ok, f"{role} on {site.slug}: {path} answered {response.status}"
                violations.collect()
            assert not violations.found, "\n".join(violations.found)
            # A chooser loads its markup later: open the union logo's image chooser.
            page.goto(site.base + "/admin/union-admin/union-page/")
            logo = page.locator("#id_logo-chooser [data-chooser-action-choose]")
            _open_chooser_and_close(page, logo)
            violations.collect()
        finally:
            context.close()
        found += violations.found
    assert not found, "\n".join(found)
