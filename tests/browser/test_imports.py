"""The Excel/CSV import in Chromium as union staff, at phone and desktop size (issue 14,
item 4): upload → columns → preview → dry run → import → rejected rows, and the progress
bar of a running import following its status until the page shows the result. The
scripts are static files under the admin's CSP: none is blocked."""

from __future__ import annotations

import datetime as dt

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _workbook(path, branch_number):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Jäsennumero", "Etunimi", "Sukunimi", "Osasto", "Liittynyt", "Huom"])
    for n in range(12):
        sheet.append([f"88{n:04}", f"Selain{n}", "Tuontinen", branch_number,
                      dt.date(2025, 3, 1), ""])
    sheet.append(["880100", "Väärä", "Päivä", branch_number, "31.2.2026", ""])
    sheet.append(["880101", "Vieras", "Osasto", "no-such-branch", None, ""])
    book.save(path)


@pytest.mark.parametrize("size", ["mobile", "desktop"])
def test_staff_import_a_workbook(browser, union_sites, size, tmp_path):
    from portal.branches.models import BranchPage
    from portal.imports.models import ImportJob, ImportStatus
    from portal.people.models import Person

    site = union_sites[0]
    branch = BranchPage.objects.filter(union=site.union).exclude(number="").first()
    path = tmp_path / "jasenet.xlsx"
    _workbook(path, branch.number)
    shots = SCREENSHOTS / "imports"
    shots.mkdir(parents=True, exist_ok=True)

    def snap(page, name):
        shot(page, path=str(shots / f"{name}-{site.slug}-{size}.png"))

    context, page = new_page(browser, size)
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "staff")
        page.goto(site.base + "/admin/union-admin/imports/new/")
        page.select_option("#id_kind", "people")
        page.set_input_files("#id_file", str(path))
        snap(page, "1-upload")
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert page.input_value("#id_column_0") == "member_number"
        assert page.input_value("#id_column_4") == "joined_on"
        assert page.input_value("#id_column_5") == ""
        snap(page, "2-columns")
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert page.locator("table.imports-preview tbody tr").count() == 10
        snap(page, "3-preview")
        with page.expect_navigation():
            page.click("button[value=dry_run]")  # the test's task backend runs it now
        assert page.locator("dl.imports-counts").is_visible()
        assert not Person.objects.filter(member_number__startswith="88").exists()
        snap(page, "4-dry-run")
        with page.expect_navigation():
            page.click("button[value=import]")
        assert page.locator("table.imports-errors tbody tr").count() == 2
        snap(page, "5-result")
        assert Person.objects.filter(union=site.union,
                                     member_number__startswith="88").count() == 12
        job = ImportJob.objects.get(union=site.union, file_name="jasenet.xlsx")

        # A running import: the bar follows the status and the page shows the result.
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.RUNNING, dry_run=False, total_rows=14, processed_rows=7,
            heartbeat_at=dt.datetime.now(dt.UTC))
        page.goto(site.base + f"/admin/union-admin/imports/{job.pk}/")
        assert page.locator("progress").get_attribute("value") == "50"
        snap(page, "6-progress")
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=14)
        page.wait_for_function("() => document.querySelector('progress').value === 100")
        with page.expect_navigation():
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
        assert page.locator("dl.imports-counts").is_visible()

        page.goto(site.base + "/admin/union-admin/imports/")
        assert page.locator("text=jasenet.xlsx").first.is_visible()
        snap(page, "7-history")
        blocked = page.evaluate("window.__csp")
        assert [v for v in blocked if v.startswith("script-src")] == [], blocked
    finally:
        context.close()
