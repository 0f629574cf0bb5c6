"""The staging table of one batch: records checked in Python, streamed in with COPY.

One unlogged table per batch holds every good record (its 0-based index, a bitmask of
the fields present, the cleaned values) and, after the set-based steps in plans.py,
the resolved references, the id of the existing row and the list of changed fields.
Python never holds more than one chunk of records.
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
from .records import BatchResult, Kind, RecordError

CHUNK_SIZE = 5000

_PG_TYPE = {R.DATE: "date", R.INT: "integer"}

# Resolved reference and bookkeeping columns, per kind (added to every staging table).
_EXTRA = {
    R.PEOPLE: ("branch_id bigint",),
    R.EMPLOYERS: (),
    R.WORKPLACES: ("employer_id bigint", "old_employer_id bigint"),
    R.EMPLOYMENTS: ("person_id bigint", "employer_id bigint", "workplace_id bigint",
                    "wp_employer_id bigint"),
    R.POSITIONS: ("person_id bigint", "scope_page_id bigint"),
    R.TRAININGS: ("person_id bigint",),
}


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
    """The staging table of one batch of one kind."""

    def __init__(self, kind: Kind, union):
        self.kind, self.union = kind, union
        self.name = f"register_stage_{uuid.uuid4().hex[:12]}"
        self.defaults = {f.name: default_of(f, union) for f in kind.fields}

    def create(self, cursor) -> None:
        columns = ["idx integer NOT NULL", "present integer NOT NULL",
                   "changed_at timestamptz"]
        columns += [f"{col(f.name)} {_PG_TYPE.get(f.type, 'text')}" for f in self.kind.fields]
        columns += list(_EXTRA[self.kind.name])
        columns += ["target_id bigint", "is_new boolean NOT NULL DEFAULT true",
                    "changed text[]"]
        # Unlogged: nothing of it reaches the WAL. Not TEMPORARY: temporary tables live in
        # the session's small temp_buffers (8 MB), and a 300,000-row batch is rewritten by
        # each set-based step. Its name is unique; it is dropped at the end, and a
        # rolled-back batch (or dry run) takes the CREATE back with it.
        cursor.execute(f"CREATE UNLOGGED TABLE {self.name} ({', '.join(columns)})")

    def drop(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def _row(self, index: int, cleaned: Mapping[str, Any]) -> tuple:
        present = 0
        values = []
        given = []
        for position, spec in enumerate(self.kind.fields):
            if spec.name in cleaned:
                given.append(spec.name)
                value = cleaned[spec.name]
                if value is None:  # present and empty: clear it
                    value = self.defaults[spec.name]
                elif spec.type == R.IDENTITY_CODE:
                    value = hash_identity_code(value)
                present |= 1 << position
                values.append(value)
            else:
                values.append(self.defaults[spec.name])
        # `changed` starts as the fields given (what a new row gets); the merge with the
        # stored rows replaces it with the fields that really change.
        return (index, present, cleaned.get(R.CHANGED_AT), *values, given)

    def load(self, cursor, records: Iterable[Any], result: BatchResult) -> int:
        """Check every record and COPY the good ones in, chunk by chunk; returns the
        number of records read. Errors go to `result.errors`."""
        columns = ["idx", "present", "changed_at", *(col(f.name) for f in self.kind.fields),
                   "changed"]
        copy_sql = f"COPY {self.name} ({', '.join(columns)}) FROM STDIN"
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        count = 0
        chunk: list[tuple] = []
        clean = R.clean_record

        def flush():
            if chunk:
                with raw.copy(copy_sql) as copy:
                    copy.write("".join(chunk))
                chunk.clear()

        for index, record in enumerate(records):
            count += 1
            cleaned, errors = clean(self.kind, index, record)
            if errors:
                result.errors.extend(errors)
                continue
            chunk.append(_line(self._row(index, cleaned)))
            if len(chunk) >= CHUNK_SIZE:
                flush()
        flush()
        # The key is what every join of the batch goes by.
        key = ", ".join(col(name) for name in self.kind.key)
        cursor.execute(f"CREATE INDEX ON {self.name} ({key})")
        cursor.execute(f"ANALYZE {self.name}")
        return count

    def refuse(self, cursor, result: BatchResult, where: str, field: str, code: str,
               message, params: Iterable[Any] = ()) -> None:
        """Move the rows matching `where` from the staging table to the errors."""
        cursor.execute(f"DELETE FROM {self.name} s WHERE {where} RETURNING idx", list(params))
        result.errors.extend(RecordError(idx, field, code, message)
                             for (idx,) in cursor.fetchall())

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


_SPECIAL = ("\\", "\t", "\n", "\r")
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value) -> str:
    """One value in COPY's text format (what psycopg's write_row does, at a fraction of
    its cost per row: the values here are only str, int, date, datetime, None and the
    list of field names)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPE) if any(c in value for c in _SPECIAL) else value
    if isinstance(value, list):
        return "{" + ",".join(value) + "}"  # field names: plain identifiers
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _line(row: tuple) -> str:
    return "\t".join(map(_field, row)) + "\n"


def now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"
