"""Turning a file's rows into register records and sending them in batches.

Each batch of rows goes to `register.actions.upsert_records` in a transaction (a
savepoint when one is open) of its own: when the database refuses a batch, that batch
is rolled back and its rows reported, and the next batch goes on. Rows that the
register refuses are listed by the register and never block the good rows of their
batch. A row with a cell that cannot be read at all (a formula saved without a value)
is refused here and never sent.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portal.register import records
from portal.register.actions import upsert_records

from .fields import label
from .reading import FORMULA_WITHOUT_VALUE, Row, Table
from .values import CellError, cell_value

log = logging.getLogger(__name__)
SOURCE = "import"


def batch_rows() -> int:
    return getattr(settings, "IMPORTS_BATCH_ROWS", 1000)


@dataclass
class RowProblem:
    row: int
    column: str
    reason: str
    value: str = ""


@dataclass
class Totals:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class Mapper:
    """One row of the file → one record of the kind, by the job's column mapping."""

    def __init__(self, kind: str, headers: list[str], mapping: list[str]):
        self.kind = records.KINDS[kind]
        self.columns = [(index, headers[index], self.kind.by_name[name])
                        for index, name in enumerate(mapping) if name]
        self.header_of = {spec.name: header for _index, header, spec in self.columns}
        self.index_of = {spec.name: index for index, _header, spec in self.columns}

    def record(self, row: Row) -> tuple[dict | None, list[RowProblem]]:
        record, problems = {}, []
        for index, header, spec in self.columns:
            try:
                record[spec.name] = cell_value(spec, row.cells[index])
            except CellError as error:
                problems.append(RowProblem(row.number, header, error.reason,
                                           displayed(spec, row.cells[index])))
        return (None if problems else record), problems

    def column(self, field_name: str) -> str:
        """The file's header for a field the register named ('' for the whole row)."""
        if not field_name:
            return ""
        return self.header_of.get(field_name) or label(self.kind.name, field_name)

    def value(self, row: Row, field_name: str) -> str:
        index = self.index_of.get(field_name)
        if index is None:
            return ""
        return displayed(self.kind.by_name[field_name], row.cells[index])


def displayed(spec: records.Field, value) -> str:
    """A cell as the preview and the rejected rows show it: a personal identity code
    never (it is stored only as a keyed hash and shown nowhere)."""
    text = shown(value)
    if spec.type == records.IDENTITY_CODE and text:
        return "•" * 6
    return text


def shown(value) -> str:
    """A cell as text for the preview and the error list."""
    if value is None or value is FORMULA_WITHOUT_VALUE:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:500]


def send_batch(*, union, mapper: Mapper, rows: list[Row], acting_user, dry_run: bool,
               totals: Totals) -> None:
    """Check and (unless `dry_run`) write one batch of rows; add what happened to
    `totals`."""
    good, good_rows = [], []
    for row in rows:
        record, problems = mapper.record(row)
        if problems:
            totals.rejected += 1
            totals.problems.extend(problems)
        else:
            good.append(record)
            good_rows.append(row)
    totals.rows += len(rows)
    if not good:
        return
    try:
        with transaction.atomic():
            result = upsert_records(union=union, kind=mapper.kind.name, records=good,
                                    acting_user=acting_user, source=SOURCE, dry_run=dry_run)
    except Exception as error:  # the batch is rolled back; the next one goes on
        log.exception("import batch of %s rows refused by the database", len(good))
        reason = _("The rows of this batch could not be saved, so none of them was: "
                   "%(error)s") % {"error": type(error).__name__}
        totals.rejected += len(good)
        totals.problems.extend(RowProblem(row.number, "", reason) for row in good_rows)
        return
    totals.created += result.created
    totals.updated += result.updated
    totals.unchanged += result.unchanged
    refused = set()
    for error in result.errors:
        row = good_rows[error.index]
        refused.add(error.index)
        totals.problems.append(RowProblem(row.number, mapper.column(error.field),
                                          str(error.message), mapper.value(row, error.field)))
    totals.rejected += len(refused)


def in_batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def process(*, union, table: Table, mapper: Mapper, acting_user, dry_run: bool,
            limit: int | None = None,
            after_batch: Callable[[Totals], None] | None = None) -> Totals:
    """Send the file's rows (the first `limit` of them) batch by batch."""
    totals = Totals()
    rows = table.rows()
    if limit is not None:
        rows = itertools.islice(rows, limit)
    for batch in in_batches(rows, batch_rows()):
        send_batch(union=union, mapper=mapper, rows=batch, acting_user=acting_user,
                   dry_run=dry_run, totals=totals)
        if after_batch is not None:
            after_batch(totals)
    return totals


def missing_required(kind: str, mapping: list[str]) -> list[str]:
    chosen = set(mapping)
    return [spec.name for spec in records.KINDS[kind].fields
            if spec.required and spec.name not in chosen]
