"""The people list's selection as an Excel or CSV file.

Names and addresses are typed by people and registers, so a cell may start like a
formula: `portal/spreadsheets.py` escapes every cell (a leading apostrophe, OWASP's
advice for CSV injection) and in the .xlsx file stores it as text, never as a formula.
Rows are read in chunks, with their current employments, not one by one."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from portal.people.models import Employment, MembershipStatus
from portal.spreadsheets import csv_bytes, text_cell

COLUMNS = ("member_number", "first_name", "last_name", "email", "phone", "street_address",
           "postal_code", "city", "membership_status", "branch__title", "joined_on")
CHUNK = 2000


def header() -> list[str]:
    return [_("Member number"), _("First name"), _("Last name"), _("Email"), _("Phone"),
            _("Street address"), _("Postal code"), _("City"), _("Membership status"),
            _("Branch"), _("Joined"), _("Employer"), _("Workplace")]


def lines(people, union) -> Iterator[list]:
    """The people's rows, `CHUNK` at a time (2 queries per chunk)."""
    labels = dict(MembershipStatus.choices)
    rows = people.order_by("last_name", "first_name", "pk").values_list("pk", *COLUMNS)
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _with_jobs(chunk, union, labels)
            chunk = []
    yield from _with_jobs(chunk, union, labels)


def _with_jobs(chunk, union, labels) -> Iterator[list]:
    if not chunk:
        return
    jobs: dict[int, tuple[str, str]] = {}
    for person_id, employer, workplace in (
        Employment.objects.for_union(union).current().filter(person_id__in=[r[0] for r in chunk])
        .order_by("person_id", "-starts_on").values_list("person_id", "employer__title",
                                                          "workplace__title")
    ):
        jobs.setdefault(person_id, (employer or "", workplace or ""))
    for pk, *values in chunk:
        values[8] = str(labels.get(values[8], values[8]))
        values[10] = values[10].isoformat() if values[10] else ""
        yield [*values, *jobs.get(pk, ("", ""))]


def as_csv(people, union) -> bytes:
    return csv_bytes(header(), lines(people, union))


def as_xlsx(people, union) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("People")[:31])
    sheet.append([text_cell(sheet, value) for value in header()])
    for line in lines(people, union):
        sheet.append([text_cell(sheet, value) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
