"""Imports of Excel and CSV files by union staff, end to end on PostgreSQL: upload,
columns, preview, dry run, import by the test's task backend (run where enqueued),
rejected rows and their files, the history. Who may reach it: test_access.py."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection

from portal.audit.models import AuditAction, AuditEntry
from portal.imports.models import ImportFile, ImportJob, ImportMapping, ImportStatus
from portal.people.models import Person

from .files import Text, csv_bytes, xlsx_bytes, zip_bomb_xlsx
from .flow import _client, _columns, _job, _run, _text, _upload

pytestmark = pytest.mark.usefixtures("postgres")


PEOPLE_HEADERS = ["Jäsennumero", "Etunimi", "Sukunimi", "Osasto", "Liittynyt", "Sähköposti"]


def test_a_cp1252_csv_with_semicolons_and_finnish_dates(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    data = csv_bytes([PEOPLE_HEADERS,
                      ["9001", "Äinö", "Öhman", "101", "30.11.2025", "aino@example.fi"],
                      ["9002", "Pekka", "Mäkelä", "101", "1.2.2026", ""]], encoding="cp1252")
    job = _job(_upload(client, "jäsenet.csv", data))
    # The Finnish headers suggest the fields.
    assert job.mapping == ["member_number", "first_name", "last_name", "branch", "joined_on",
                           "email"]
    assert _columns(client, job).status_code == 302
    preview = client.get(f"/admin/union-admin/imports/{job.pk}/preview/")
    assert preview.status_code == 200
    assert "Öhman" in _text(preview) and not Person.objects.filter(member_number="9001").exists()
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert (job.status, job.created, job.rejected, job.processed_rows) == ("done", 2, 0, 2)
    aino = Person.objects.for_union(world["a"]).get(member_number="9001")
    assert (aino.first_name, aino.last_name, aino.joined_on, aino.branch_id) == (
        "Äinö", "Öhman", dt.date(2025, 11, 30), world["branch"].pk)
    assert Person.objects.for_union(world["a"]).get(member_number="9002").joined_on == dt.date(
        2026, 2, 1)
    assert not ImportFile.objects.filter(job=job).exists()  # the file is not kept
    assert AuditEntry.objects.filter(union=world["a"], target=f"import:{job.pk}",
                                     action=AuditAction.CREATE, actor=world["staff"]).count() == 2


def test_utf8_with_bom_and_commas(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["admin"])
    data = csv_bytes([["member_number", "first_name", "last_name", "city"],
                      ["9101", "Åsa", "Öberg", "Vaasa"]], delimiter=",", bom=True)
    job = _job(_upload(client, "people.csv", data))
    assert job.headers[0] == "member_number"  # no BOM left on the first header
    _columns(client, job)
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert job.created == 1
    assert Person.objects.for_union(world["a"]).get(member_number="9101").city == "Vaasa"


def test_an_xlsx_with_good_and_bad_rows(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    data = xlsx_bytes([
        ["Member number", "First name", "Last name", "Joined", "Email", "Notes"],
        [9201, "Good", "One", dt.date(2026, 1, 5), "one@example.fi", "x"],
        [9202, "Bad", "Date", "31.2.2026", "two@example.fi", "x"],
        [9203, "Good", "Two", "2026-03-01", "three@example.fi", "x"],
        [9204, "", "Nameless", None, Text('=HYPERLINK("http://evil.example","x")'), "x"],
        [9205, "Formula", "Uncached", "=TODAY()", None, "x"],
        [9206, "Good", "Three", None, None, "x"],
    ])
    job = _job(_upload(client, "members.xlsx", data))
    assert job.mapping == ["member_number", "first_name", "last_name", "joined_on", "email", ""]
    _columns(client, job)
    preview = _text(client.get(f"/admin/union-admin/imports/{job.pk}/preview/"))
    assert "3 of them would be rejected" in preview

    job = _run(client, job, "dry_run", django_capture_on_commit_callbacks)
    assert (job.status, job.created, job.rejected) == ("checked", 3, 3)
    assert not Person.objects.filter(member_number__startswith="92").exists()

    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert (job.status, job.created, job.rejected, job.processed_rows) == ("done", 3, 3, 6)
    assert sorted(Person.objects.for_union(world["a"]).filter(
        member_number__startswith="92").values_list("member_number", flat=True)) == [
        "9201", "9203", "9206"]
    problems = {(e.row, e.column) for e in job.errors.all()}
    assert {(3, "Joined"), (5, "Email"), (6, "Joined")} <= problems, problems

    page = client.get(f"/admin/union-admin/imports/{job.pk}/")
    assert page.status_code == 200
    assert "formula saved without its value" in _text(page)
    assert "Imported" in _text(page) and "every row was rejected" not in _text(page)

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/admin/union-admin/imports/{job.pk}/rejected.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Row", "Column", "Reason", "Value")
    email = next(r for r in rows[1:] if r[1] == "Email")
    assert email[3] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_col=2) for cell in row
               if cell.value is not None)
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])  # numbers
    csv_text = client.get(f"/admin/union-admin/imports/{job.pk}/rejected.csv").content.decode(
        "utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text
    assert AuditEntry.objects.filter(target__startswith=f"import:{job.pk}:errors.",
                                     action=AuditAction.EXPORT).count() == 2


def test_cached_formula_values_are_imported_not_recalculated(world,
                                                             django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    data = xlsx_bytes([["member_number", "first_name", "last_name", "city"],
                       ["9301", "=\"Ai\"&\"no\"", "Lahti", "=NOW()"]],
                      cached={"B2": "Aino", "D2": "Kotka"})
    job = _job(_upload(client, "f.xlsx", data))
    _columns(client, job)
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    person = Person.objects.for_union(world["a"]).get(member_number="9301")
    assert (person.first_name, person.city) == ("Aino", "Kotka")


def test_the_remembered_mapping(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    headers = ["Nro", "Etu", "Suku", "Kommentti"]
    mapping = ["member_number", "first_name", "last_name", ""]
    job = _job(_upload(client, "a.csv", csv_bytes([headers, ["9401", "A", "B", "x"]])))
    assert job.mapping == ["", "", "", ""]  # nothing to go by
    assert _columns(client, job, mapping).status_code == 302
    assert ImportMapping.objects.get(union=world["a"], kind="people").columns["etu"] == (
        "first_name")
    again = _job(_upload(client, "b.csv", csv_bytes([headers, ["9402", "C", "D", "y"]])))
    assert again.mapping == mapping
    # Another union's mapping is its own.
    other = _job(_upload(_client(world["b"], world["staff_b"]), "c.csv",
                         csv_bytes([headers, ["1", "C", "D", "y"]])))
    assert other.mapping == ["", "", "", ""]


def test_required_fields_must_be_mapped(world):
    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "a.csv", csv_bytes([["Nro", "Etu"], ["1", "A"]])))
    response = _columns(client, job, ["member_number", "first_name"])
    assert response.status_code == 200
    assert "Last name" in _text(response)
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


@pytest.mark.parametrize("name,make,says", [
    ("bomb.xlsx", lambda: zip_bomb_xlsx(200), "zip bomb"),
    ("big.csv", lambda: b"a;b\n" + b"1;2\n" * 5000, "at most"),
    # Far past the limit: refused by its Content-Length before the body is read.
    ("huge.csv", lambda: b"a;b\n" + b"1;2\n" * 50_000, "larger than"),
    ("broken.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 500, "damaged"),
    # A header row alone (blank rows under it are no rows) is not an empty success.
    ("header.csv", lambda: b"member_number;last_name\r\n;\r\n", "has no rows"),
    ("header.xlsx", lambda: xlsx_bytes([["member_number", "last_name"], [None, " "]]),
     "has no rows"),
])
def test_bad_files_are_refused_at_upload(world, settings, name, make, says):
    settings.IMPORTS_MAX_FILE_BYTES = 15_000
    client = _client(world["a"], world["staff"])
    data = make()
    if name == "bomb.xlsx":
        settings.IMPORTS_MAX_FILE_BYTES = len(data) + 1
    response = _upload(client, name, data)
    assert response.status_code == 200
    assert says in _text(response)
    assert not ImportJob.objects.exists()


def test_a_file_past_the_row_limit_writes_nothing(world, settings,
                                                  django_capture_on_commit_callbacks):
    settings.IMPORTS_MAX_ROWS = 3
    settings.IMPORTS_BATCH_ROWS = 1
    client = _client(world["a"], world["staff"])
    rows = [[f"95{n:02}", "A", f"Row{n}"] for n in range(5)]
    job = _job(_upload(client, "a.csv", csv_bytes([["member_number", "first_name",
                                                    "last_name"], *rows])))
    _columns(client, job)
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED and "more than 3 rows" in job.message
    assert not Person.objects.filter(member_number__startswith="95").exists()
    assert "Nothing was saved" in _text(client.get(f"/admin/union-admin/imports/{job.pk}/"))


def test_a_batch_the_database_refuses_rolls_back_only_itself(world, settings,
                                                             django_capture_on_commit_callbacks):
    settings.IMPORTS_BATCH_ROWS = 2
    table = Person._meta.db_table
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("""
            CREATE FUNCTION pg_temp.refuse_poison() RETURNS trigger AS $$
            BEGIN
                IF NEW.last_name = 'Poison' THEN RAISE EXCEPTION 'poison'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        cursor.execute(f"CREATE TRIGGER refuse_poison BEFORE INSERT ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_poison()")
    client = _client(world["a"], world["staff"])
    rows = [["9601", "A", "Fine"], ["9602", "B", "Fine"],   # batch 1
            ["9603", "C", "Fine"], ["9604", "D", "Poison"],  # batch 2: refused whole
            ["9605", "E", "Fine"]]                            # batch 3
    job = _job(_upload(client, "a.csv", csv_bytes([["member_number", "first_name",
                                                    "last_name"], *rows])))
    _columns(client, job)
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE
    assert sorted(Person.objects.filter(member_number__startswith="96").values_list(
        "member_number", flat=True)) == ["9601", "9602", "9605"]
    assert (job.created, job.rejected) == (3, 2)
    assert sorted(e.row for e in job.errors.all()) == [4, 5]


def test_the_progress_and_the_history(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "progress.csv", csv_bytes(
        [["member_number", "first_name", "last_name"], ["9701", "A", "B"]])))
    _columns(client, job)
    status = client.get(f"/admin/union-admin/imports/{job.pk}/status/").json()
    assert status["status"] == "mapped" and status["running"] is False
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    status = client.get(f"/admin/union-admin/imports/{job.pk}/status/").json()
    assert (status["percent"], status["created"], status["running"]) == (100, 1, False)
    assert "/admin/union-admin/imports/" in client.get("/admin/").content.decode()  # menu
    history = _text(client.get("/admin/union-admin/imports/"))
    assert "progress.csv" in history and "Imported" in history


def test_the_progress_bar_is_a_script_file_under_the_csp(world):
    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "p.csv", csv_bytes([["member_number"], ["1"]])))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total_rows=10,
                                               processed_rows=4)
    page = client.get(f"/admin/union-admin/imports/{job.pk}/")
    html = page.content.decode()
    assert 'src="/static/imports/progress.js"' in html and 'value="40"' in html
    assert "4 of 10 rows" in _text(page)
    assert "'unsafe-inline'" not in page["Content-Security-Policy"].split("script-src")[1].split(
        ";")[0]


def test_a_run_whose_worker_stopped_can_be_started_again(world, settings,
                                                         django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "stalled.csv", csv_bytes(
        [["member_number", "first_name", "last_name"], ["9801", "A", "B"]])))
    _columns(client, job)
    # As a worker stopped mid-run leaves it: running, with its last sign of life long ago.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    status = client.get(f"/admin/union-admin/imports/{job.pk}/status/").json()
    assert status["running"] is False and "stopped before the end" in status["text"]
    assert "Start again" in _text(client.get(f"/admin/union-admin/imports/{job.pk}/"))
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert (job.status, job.created) == ("done", 1)


def test_a_restarted_run_keeps_its_own_counters(world, django_capture_on_commit_callbacks):
    """A stalled run that wakes up after staff started the import again writes neither
    counts, rows nor its end into the new run."""
    from portal.imports import actions

    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "twice.csv", csv_bytes(
        [["member_number", "first_name", "last_name"], ["9811", "A", "B"], ["x" * 99, "", ""]])))
    _columns(client, job)
    client.post(f"/admin/union-admin/imports/{job.pk}/start/", {"run": "import"})
    first = actions.claim(job.pk)  # a worker takes it, then stops answering
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=dt.datetime(2020, 1, 1,
                                                                        tzinfo=dt.UTC))
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert (job.run, job.status, job.created, job.rejected) == (2, "done", 1, 1)
    errors = list(job.errors.values_list("row", "column"))
    assert actions.execute(first) == "superseded"  # the first worker wakes up
    job.refresh_from_db()
    assert (job.status, job.created, job.unchanged, job.rejected) == ("done", 1, 0, 1)
    assert list(job.errors.values_list("row", "column")) == errors


def test_a_running_import_cannot_be_started_twice(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "twice.csv", csv_bytes(
        [["member_number", "first_name", "last_name"], ["9901", "A", "B"]])))
    _columns(client, job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING,
                                               heartbeat_at=dt.datetime.now(dt.UTC))
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.RUNNING
    assert not Person.objects.filter(member_number="9901").exists()


def test_the_reasons_are_stored_in_the_unions_language(world,
                                                       django_capture_on_commit_callbacks):
    from django.utils import translation

    world["a"].default_language = "sv"
    world["a"].save()
    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "sv.csv", csv_bytes(
        [["member_number", "first_name", "last_name", "joined_on"], ["9951", "A", "B", "x"]])))
    _columns(client, job)
    # As in the task worker: no request, so no union's language active.
    from portal.imports.actions import start_run

    job.refresh_from_db()
    with translation.override("fi"), django_capture_on_commit_callbacks(execute=True):
        start_run(job=job, dry_run=False, acting_user=world["staff"])
    job.refresh_from_db()
    with translation.override("sv"):
        swedish = str(translation.gettext("Give a date as 31.12.2025 or 2025-12-31."))
    assert swedish != "Give a date as 31.12.2025 or 2025-12-31."
    assert [e.reason for e in job.errors.all()] == [swedish]


def test_files_never_imported_are_deleted_after_a_week(world):
    client = _client(world["a"], world["staff"])
    old = _job(_upload(client, "old.csv", csv_bytes(
        [["member_number", "first_name", "last_name"], ["1", "A", "B"]])))
    other = _job(_upload(_client(world["b"], world["staff_b"]), "b.csv",
                         csv_bytes([["member_number"], ["1"]])))
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    ImportJob.objects.filter(pk__in=[old.pk, other.pk]).update(created_at=week_ago)
    new = _job(_upload(client, "new.csv", csv_bytes([["member_number"], ["2"]])))
    assert not ImportFile.objects.filter(job=old).exists()
    assert ImportFile.objects.filter(job=new).exists()
    assert ImportFile.objects.filter(job=other).exists()  # another union's: its own
    _columns(client, old)
    assert "no longer stored" in _text(client.get(f"/admin/union-admin/imports/{old.pk}/preview/"))


def test_identity_codes_are_never_shown(world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    good, bad = "131052-308T", "131052-308X"  # a valid code, and one with a wrong check
    job = _job(_upload(client, "hetu.csv", csv_bytes(
        [["Jäsennumero", "Etunimi", "Sukunimi", "Henkilötunnus"],
         ["9961", "A", "B", good], ["9962", "C", "D", bad]])))
    assert job.mapping[3] == "identity_code"
    _columns(client, job)
    preview = client.get(f"/admin/union-admin/imports/{job.pk}/preview/").content.decode()
    assert "131052" not in preview and "••••••" in preview
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert (job.created, job.rejected) == (1, 1)
    for url in ("", "rejected.csv"):  # the .xlsx is built from the same stored values
        assert b"131052" not in client.get(f"/admin/union-admin/imports/{job.pk}/{url}").content
    assert "131052" not in job.errors.get().value


def test_employers_then_workplaces_with_a_decimal_comma(world, django_capture_on_commit_callbacks):
    from portal.workplaces.models import EmployerPage, WorkplacePage

    client = _client(world["a"], world["staff"])
    employers = _job(_upload(client, "tyonantajat.csv", csv_bytes(
        [["Y-tunnus", "Nimi", "Toimiala"], ["0112038-9", "Kahvila Oy", "ravintolat"]],
        encoding="cp1252"), kind="employers"))
    assert employers.mapping == ["business_id", "name", "industry"]
    _columns(client, employers)
    assert _run(client, employers, "import", django_capture_on_commit_callbacks).created == 1
    workplaces = _job(_upload(client, "toimipaikat.csv", csv_bytes(
        [["register_id", "employer", "name", "employee_count"],
         ["TP-1", "0112038-9", "Kahvila Keskusta", "1 234,0"],
         ["TP-2", "0112038-9", "Kahvila Asema", "12,5"]]), kind="workplaces"))
    _columns(client, workplaces)
    job = _run(client, workplaces, "import", django_capture_on_commit_callbacks)
    assert (job.created, job.rejected) == (1, 1)
    employer = EmployerPage.objects.for_union(world["a"]).get(title="Kahvila Oy")
    place = WorkplacePage.objects.for_union(world["a"]).get(register_id="TP-1")
    assert place.employee_count == 1234 and place.get_parent().pk == employer.pk
    assert [(e.row, e.column) for e in job.errors.all()] == [(3, "employee_count")]


def test_the_rejected_rows_file_is_named_after_the_upload(world):
    client = _client(world["a"], world["staff"])
    data = csv_bytes([["Member number", "Last name"], ["9301", "Ek"]])
    plain = _job(_upload(client, "members.csv", data))
    response = client.get(f"/admin/union-admin/imports/{plain.pk}/rejected.csv")
    assert response["Content-Disposition"] == 'attachment; filename="members-rejected.csv"'
    # A Finnish name travels whole, percent-encoded (RFC 6266), not mangled to ASCII.
    finnish = _job(_upload(client, 'Jäsenet "syksy".csv', data))
    response = client.get(f"/admin/union-admin/imports/{finnish.pk}/rejected.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''J%C3%A4senet%20%22syksy%22-rejected.xlsx")


def test_the_rejected_rows_workbook_is_readable(world):
    """Columns sized to their content (capped), a bold frozen header, no formula."""
    from portal.imports.models import ImportRowError

    client = _client(world["a"], world["staff"])
    job = _job(_upload(client, "wide.csv", csv_bytes([["member_number"], ["1"]])))
    ImportRowError.objects.bulk_create([
        ImportRowError(job=job, row=12345, column="Sähköposti", reason="x" * 300,
                       value='=HYPERLINK("http://evil.example","x")'),
        ImportRowError(job=job, row=2, column="", reason="Short", value="")])
    response = client.get(f"/admin/union-admin/imports/{job.pk}/rejected.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    widths = [sheet.column_dimensions[c].width for c in "ABCD"]
    assert widths[0] < widths[1] < widths[3] < widths[2] == 60  # the reason is capped
    assert widths[3] >= len('=HYPERLINK("http://evil.example","x")')
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["C2"].font.b
    cell = sheet["D3"]  # rows in the file's order: row 12345 after row 2
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


def test_the_history_is_paged(world):
    ImportJob.objects.bulk_create(
        ImportJob(union=world["a"], file_name=f"file-{n:02}.csv", kind="people")
        for n in range(51))
    client = _client(world["a"], world["staff"])
    first = client.get("/admin/union-admin/imports/")
    assert len(first.context["imports"]) == 50
    assert "Page 1 of 2" in _text(first) and "51 imports" in _text(first)
    second = client.get("/admin/union-admin/imports/?p=2")
    assert len(second.context["imports"]) == 1 and "Page 2 of 2" in _text(second)


def test_a_persons_branch_column_is_called_the_branch_number_and_osasto_still_maps():
    # Rows naming the branch ("PAL Asikkala 15") were refused as not found while the
    # mapping called the field just "Branch": it is the branch's number.
    from django.utils import translation

    from portal.imports.fields import header_names, label
    from portal.register.records import KINDS, PEOPLE

    with translation.override("fi"):
        assert label(PEOPLE, "branch") == "Osaston numero"
    names = header_names(KINDS[PEOPLE])
    assert names["osasto"] == names["osastonnumero"] == names["avdelning"] == "branch"


def test_an_import_where_every_row_was_rejected_says_nothing_was_imported(
        world, django_capture_on_commit_callbacks):
    client = _client(world["a"], world["staff"])
    data = xlsx_bytes([
        ["Member number", "First name", "Last name", "Joined"],
        [9301, "", "Nameless", None],
        [9302, "Bad", "Date", "31.2.2026"],
    ])
    job = _job(_upload(client, "all-bad.xlsx", data))
    _columns(client, job)
    job = _run(client, job, "import", django_capture_on_commit_callbacks)
    assert (job.status, job.created, job.rejected, job.processed_rows) == ("done", 0, 2, 2)
    page = _text(client.get(f"/admin/union-admin/imports/{job.pk}/"))
    assert "Nothing was imported: every row was rejected" in page
    assert not Person.objects.filter(member_number__startswith="93").exists()
