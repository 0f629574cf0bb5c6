"""Reads of the imports: a union's imports, one import, the preview of a file."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .models import ImportFile, ImportJob, ImportRowError
from .processing import Mapper, Totals, displayed, send_batch
from .reading import FileRejected, Table

PREVIEW_ROWS = 10
ERRORS_SHOWN = 200


def imports_of(union):
    return (ImportJob.objects.for_union(union).select_related("created_by")
            .defer("headers", "mapping"))


def import_of(union, pk: int) -> ImportJob:
    """One import of the union (DoesNotExist for another union's)."""
    return ImportJob.objects.for_union(union).select_related("created_by").get(pk=pk)


def errors_of(job: ImportJob):
    return ImportRowError.objects.filter(job=job).order_by("row", "pk")


@dataclass
class PreviewRow:
    number: int
    cells: list[tuple[str, str]]  # (column, value)
    problems: list[tuple[str, str]]  # (column, reason)


def preview(job: ImportJob, *, acting_user) -> tuple[list[str], list[PreviewRow]]:
    """The mapped columns and the first rows of the file, each checked by the register
    as a dry run (nothing is written). FileRejected when the file cannot be read."""
    mapper = Mapper(job.kind, job.headers, job.mapping)
    try:
        data = bytes(ImportFile.objects.get(job=job).data)
    except ImportFile.DoesNotExist as error:
        raise FileRejected("") from error
    table = Table(job.file_name, data)
    try:
        rows = list(itertools.islice(table.rows(), PREVIEW_ROWS))
    finally:
        table.close()
    totals = Totals()
    send_batch(union=job.union, mapper=mapper, rows=rows, acting_user=acting_user,
               dry_run=True, totals=totals)
    problems: dict[int, list[tuple[str, str]]] = {}
    for problem in totals.problems:
        problems.setdefault(problem.row, []).append((problem.column, problem.reason))
    columns = [header for _index, header, _spec in mapper.columns]
    return columns, [
        PreviewRow(row.number, [(header, displayed(spec, row.cells[index]))
                                for index, header, spec in mapper.columns],
                   problems.get(row.number, []))
        for row in rows
    ]
