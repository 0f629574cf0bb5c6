"""The staging table of one batch: records checked in Python, streamed in with COPY.

One unlogged table per batch holds every good record (its 0-based index, a bitmask of
the fields present, the cleaned values, the ids of its references, resolved in Python
as it is staged: refs.py). The merge with the stored rows (plans.merge) then writes a
second table holding only the records that create or change something — with the
stored row's id and the list of changed fields — and every later step reads that one,
so an unchanged record costs one read and nothing else. Python never holds more than
one chunk of records.
"""

# ruff: noqa: S608 - SQL built from model metadata, the staging table's generated name and
# the kind's declared field names; every value is a query parameter.

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection

from portal.people.models import hash_identity_code

from . import records as R
from . import refs
from .records import BatchResult, Kind, RecordError

CHUNK_SIZE = 5000

_PG_TYPE = {R.DATE: "date", R.INT: "integer"}


def col(name: str) -> str:
    """The staging column of a record field."""
    return f"f_{name}"


def bit(kind: Kind, name: str) -> int:
    return 1 << [f.name for f in kind.fields].index(name)


def default_of(spec: R.Field, union) -> Any:
    """What a new row gets for a field absent from its record."""
    if spec.type in (R.TEXT, R.EMAIL, R.BUSINESS_ID, R.IDENTITY_CODE):
        return ""
    if spec.type == R.CHOICE:
        if spec.name == "preferred_language":
            return union.default_language
        if spec.name == "membership_status":
            return "active"
        return ""
    return None  # dates, ints, references


class Stage:
    """The staging table of one batch of one kind.

    `name` is the table the later steps read: the loaded records until `merged`,
    then only the records that create or change a row (`loaded` keeps the first)."""

    def __init__(self, kind: Kind, union):
        self.kind, self.union = kind, union
        self.name = f"register_stage_{uuid.uuid4().hex[:12]}"
        self.loaded = self.name
        self.rows = 0  # records in the loaded table (after refusals)
        self.defaults = {f.name: default_of(f, union) for f in kind.fields}
        self.columns = ["idx", "present", "changed_at",
                        *(col(f.name) for f in kind.fields), *refs.COLUMNS[kind.name],
                        "ref_error", "target_id", "is_new", "changed"]

    def create(self, cursor) -> None:
        columns = ["idx integer NOT NULL", "present integer NOT NULL",
                   "changed_at timestamptz"]
        columns += [f"{col(f.name)} {_PG_TYPE.get(f.type, 'text')}" for f in self.kind.fields]
        columns += [f"{name} bigint" for name in refs.COLUMNS[self.kind.name]]
        columns += ["ref_error smallint", "target_id bigint",
                    "is_new boolean NOT NULL DEFAULT true", "changed text[]"]
        # Unlogged: nothing of it reaches the WAL. Not TEMPORARY: temporary tables live in
        # the session's small temp_buffers (8 MB), and a 300,000-row batch would spill.
        # Its name is unique; it is dropped at the end, and a rolled-back batch (or dry
        # run) takes the CREATE back with it.
        cursor.execute(f"CREATE UNLOGGED TABLE {self.name} ({', '.join(columns)})")

    def merged(self, cursor, select_sql: str, params) -> None:
        """Write the records that create or change something (`select_sql` gives every
        column of `self.columns`, `is_new` and `changed` filled) to a table of their own,
        which the later steps read from now on."""
        name = f"{self.loaded}_w"
        cursor.execute(f"CREATE UNLOGGED TABLE {name} AS SELECT * FROM ({select_sql}) m "
                       "WHERE m.is_new OR cardinality(m.changed) > 0", params)
        self.name = name

    def drop(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {self.loaded}")
        if self.name != self.loaded:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def _prepare_lines(self):
        """Per field: (name, position bit, its default as COPY text, is the identity code)."""
        return [(spec.name, 1 << position, _field(self.defaults[spec.name]),
                 spec.type == R.IDENTITY_CODE)
                for position, spec in enumerate(self.kind.fields)]

    def load(self, cursor, records: Iterable[Any], result: BatchResult) -> int:
        """Check every record, resolve its references and COPY the good ones in, chunk
        by chunk; returns the number of records read. Errors go to `result.errors`."""
        columns = ["idx", "present", "changed_at", *(col(f.name) for f in self.kind.fields),
                   *refs.COLUMNS[self.kind.name], "ref_error", "changed"]
        copy_sql = f"COPY {self.name} ({', '.join(columns)}) FROM STDIN"
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        count = 0
        chunk: list[tuple[int, Mapping[str, Any]]] = []
        clean, kind = R.clean_record, self.kind
        lookups = refs.Refs(kind.name, self.union)
        fields = self._prepare_lines()
        has_refs = bool(refs.COLUMNS[kind.name])

        def flush():
            if not chunk:
                return
            if has_refs:
                lookups.fetch(cursor, chunk)
            lines = []
            for index, cleaned in chunk:
                ids, error = lookups.resolve(cleaned)
                lines.append(_line(index, cleaned, fields, ids, error))
            with raw.copy(copy_sql) as copy:
                copy.write("".join(lines))
            self.rows += len(chunk)
            chunk.clear()

        for index, record in enumerate(records):
            count += 1
            cleaned, errors = clean(kind, index, record)
            if errors:
                result.errors.extend(errors)
                continue
            chunk.append((index, cleaned))
            if len(chunk) >= CHUNK_SIZE:
                flush()
        flush()
        # Statistics for the planner's joins; a small sample is plenty for that (the
        # default target reads 30,000 rows of a table that is read a couple of times).
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute(f"ANALYZE {self.name}")
        cursor.execute("RESET default_statistics_target")
        return count

    def refuse(self, cursor, result: BatchResult, where: str, field: str, code: str,
               message, params: Iterable[Any] = ()) -> None:
        """Move the rows matching `where` from the staging table to the errors."""
        cursor.execute(f"DELETE FROM {self.name} s WHERE {where} RETURNING idx", list(params))
        found = cursor.fetchall()
        self.rows -= len(found)
        result.errors.extend(RecordError(idx, field, code, message) for (idx,) in found)

    def refuse_duplicates(self, cursor, result: BatchResult) -> None:
        """Every occurrence of an external key after its first in the batch."""
        key = ", ".join(col(name) for name in self.kind.key)
        from django.utils.translation import gettext_lazy as _

        self.refuse(
            cursor, result,
            f"idx IN (SELECT idx FROM (SELECT idx, row_number() OVER "
            f"(PARTITION BY {key} ORDER BY idx) AS n FROM {self.name}) d WHERE n > 1)",
            self.kind.key[0], "duplicate_key",
            _("The same key is earlier in this batch."),
        )

    def refuse_references(self, cursor, result: BatchResult) -> None:
        """The records whose references were not found in the union (refs.py); after
        the duplicates, so a duplicate key is reported as that."""
        errors = refs.ERRORS[self.kind.name]
        if not errors:
            return
        cursor.execute(f"DELETE FROM {self.name} WHERE ref_error IS NOT NULL "
                       "RETURNING idx, ref_error")
        found = cursor.fetchall()
        self.rows -= len(found)
        result.errors.extend(RecordError(idx, *errors[number]) for idx, number in found)


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value) -> str:
    """One value in COPY's text format (what psycopg's write_row does, at a fraction of
    its cost per row: the values here are only str, int, date, datetime and None)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPE) if ("\\" in value or "\t" in value
                                            or "\n" in value or "\r" in value) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


_ABSENT = object()


def _line(index: int, cleaned: Mapping[str, Any], fields, ids: tuple, error) -> str:
    """One staging row in COPY's text format, built directly from the cleaned record:
    absent fields get their default, the identity code its keyed hash, `changed` starts
    as the fields given (what a new row gets; the merge replaces it for stored rows)."""
    present = 0
    parts = [str(index), "", _field(cleaned.get(R.CHANGED_AT))]
    given = []
    get = cleaned.get
    for name, flag, default, is_code in fields:
        value = get(name, _ABSENT)
        if value is _ABSENT:
            parts.append(default)
            continue
        present |= flag
        given.append(name)
        if value is None:  # present and empty: clear it
            parts.append(default)
        elif is_code:
            parts.append(hash_identity_code(value))
        elif type(value) is str:
            parts.append(value.translate(_ESCAPE) if ("\\" in value or "\t" in value
                         or "\n" in value or "\r" in value) else value)
        else:
            parts.append(_field(value))
    parts[1] = str(present)
    parts.extend(_field(v) for v in ids)
    parts.append("\\N" if error is None else str(error))
    parts.append("{" + ",".join(given) + "}")  # field names: plain identifiers
    return "\t".join(parts) + "\n"


def now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"
