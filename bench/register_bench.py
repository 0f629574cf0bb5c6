"""Member-register import: 300,000 people with employments from a CSV file through
`register.actions.upsert_records`, next to a plain PostgreSQL COPY of the same file into
an unindexed table in the same run; peak memory; and a sync of 1 % changed records into
the full union.

Run by `make bench` (bin/run-bench). By itself, on a migrated database of its own:
    source var/services/env
    DATABASE_URL=${DATABASE_URL%/*}/portal_r1bench .venv/bin/python -m bench.register_bench \\
        --members 20000 --employers 2000 --workplaces 4000 --no-write
"""

# ruff: noqa: E501 - the report's Markdown table rows are kept one per line.
# ruff: noqa: S608 - SQL from fixed texts and the file's own index names.

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

# Search indexing of the imported people is the task worker's job, as in production:
# the outbox rows are written in the import, the drain is queued, not run here.
os.environ.setdefault("TASKS_BACKEND", "database")

from bench.common import add_scale_arguments, setup_django  # noqa: E402

setup_django()

from django.db import connection, connections  # noqa: E402

from bench import report  # noqa: E402
from portal.branches.models import BranchPage  # noqa: E402
from portal.register.actions import upsert_records  # noqa: E402
from portal.union.actions import create_union, union_indexes  # noqa: E402
from portal.union.bulk import bulk_create_children  # noqa: E402
from portal.union.models import Union  # noqa: E402
from portal.workplaces.validators import business_id_check_digit  # noqa: E402

COLUMNS = ("member_number", "first_name", "last_name", "email", "phone", "street_address",
           "postal_code", "city", "joined_on", "branch", "employer", "workplace", "starts_on",
           "title")
PERSON = COLUMNS[:10]
FIRST = ("Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Aada", "Oliver", "Ella", "Ilmari")
LAST = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Lindqvist", "Heikkinen", "Koskinen")
CITIES = ("Helsinki", "Tampere", "Turku", "Oulu", "Vaasa", "Jyväskylä", "Kuopio", "Pori")
SLUG = "regbench"


def business_ids(count: int) -> list[str]:
    ids, n = [], 0
    while len(ids) < count:
        digits = f"{2000000 + n:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            ids.append(f"{digits}-{check}")
        n += 1
    return ids


def row(i: int, args, bids: list[str], city_shift: int = 0) -> list[str]:
    workplace = i % args.workplaces
    return [
        f"{100000 + i}", FIRST[i % len(FIRST)], LAST[(i // 10) % len(LAST)],
        f"m{i}@example.org", f"040 {i:07d}", f"Katu {i % 200 + 1}", f"{i % 99000:05d}",
        CITIES[(i + city_shift) % len(CITIES)], f"{i % 28 + 1}.{i % 12 + 1}.{2000 + i % 25}",
        str(1000 + i % args.branches), bids[workplace % args.employers], f"W{workplace}",
        f"{2000 + i % 25}-{i % 12 + 1:02d}-01", "Asentaja",
    ]


def write_csv(path: Path, args, bids, changed_every: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(COLUMNS)
        for i in range(args.members):
            shift = 1 if changed_every and i % changed_every == 0 else 0
            writer.writerow(row(i, args, bids, shift))


def read(path: Path, columns):
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=";")
        header = next(reader)
        positions = [header.index(c) for c in columns]
        for line in reader:
            yield {c: line[p] for c, p in zip(columns, positions, strict=True)}


def employment_records(path: Path):
    yield from read(path, ("member_number", "employer", "workplace", "starts_on", "title"))


def _text_columns() -> str:
    return ", ".join(f"{c} text" for c in COLUMNS)


def plain_copy(path: Path) -> tuple[float, float]:
    """COPY of the same file into an unindexed table of text columns: the baseline."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS register_bench_copy")
        cursor.execute(f"CREATE TABLE register_bench_copy ({_text_columns()})")
        started, db_cpu = time.perf_counter(), db_cpu_s()
        with cursor.cursor.copy("COPY register_bench_copy FROM STDIN "
                                "(FORMAT csv, DELIMITER ';', HEADER true)") as copy, \
                path.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started, db_cpu_s() - db_cpu
        cursor.execute("DROP TABLE register_bench_copy")
    return elapsed


def people_floor(path: Path, union, drop: list[str] = (),
                 foreign_keys: bool = False) -> tuple[float, float]:
    """The least a database can do to land the file in people_person with its indexes:
    the plain COPY, then one INSERT … SELECT (no checks, no audit, no search), in a
    transaction rolled back afterwards. Shows what the table's indexes cost; `drop`
    names indexes dropped first (inside the transaction: they come back with the
    rollback). The rollback skips the deferred foreign-key checks a commit makes;
    `foreign_keys` makes them (SET CONSTRAINTS ALL IMMEDIATE), as the import's commit
    does. Returns (seconds, PostgreSQL CPU seconds)."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for name in drop:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE register_bench_floor ({_text_columns()})")
        started, db_cpu = time.perf_counter(), db_cpu_s()
        with cursor.cursor.copy("COPY register_bench_floor FROM STDIN "
                                "(FORMAT csv, DELIMITER ';', HEADER true)") as copy, \
                path.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        cursor.execute(
            "INSERT INTO people_person (union_id, member_number, first_name, last_name, "
            "alternative_name, email, phone, street_address, postal_code, city, "
            "preferred_language, identity_code_hash, membership_status, joined_on, "
            "created_at, updated_at) SELECT %s, 'floor' || member_number, first_name, "
            "last_name, '', email, phone, street_address, postal_code, city, 'fi', '', "
            "'active', to_date(joined_on, 'DD.MM.YYYY'), now(), now() "
            "FROM register_bench_floor", [union.pk])
        if foreign_keys:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - started, db_cpu_s() - db_cpu
        transaction.set_rollback(True)
    return elapsed


def _indexes(which: str) -> list[str]:
    """people_person's indexes: all, its trigram (GIN) ones, or all but the unique ones."""
    where = {"all": "true", "trigram": "indexdef ILIKE '%gin_trgm_ops%'",
             "secondary": "indexdef NOT ILIKE 'CREATE UNIQUE%'"}[which]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'people_person' "
            f"AND {where} ORDER BY indexname")
        return [row[0] for row in cursor.fetchall()]


def _index_count() -> int:
    return len(_indexes("all"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}
DB_CPU: dict[str, float] = {}
_BACKEND: list[int] = []


def db_cpu_s() -> float:
    """CPU time of this connection's PostgreSQL backend process (same machine), from
    /proc: on a shared machine the wall time says more about the load than the code.
    Parallel workers, if the planner starts any, are not counted; 0 when unreadable."""
    if not _BACKEND:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND.append(cursor.fetchone()[0])
    try:
        fields = Path(f"/proc/{_BACKEND[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, fn, timings):
    global _current
    _current = PARTS[label] = {}
    started, cpu, db_cpu = time.perf_counter(), cpu_s(), db_cpu_s()
    result = fn()
    timings[label] = time.perf_counter() - started
    _current = None
    CPU[label] = cpu_s() - cpu
    DB_CPU[label] = db_cpu_s() - db_cpu
    assert not result.errors, result.errors[:5]
    print(f"  {label}: {timings[label]:.1f} s ({result.created} created, "
          f"{result.updated} updated, {result.unchanged} unchanged)", flush=True)
    return result


# Where each step's time goes: the SQL statements by what they write, the checking and
# staging of the records (Python and COPY), and the commit (where PostgreSQL checks
# the deferred foreign keys of every row written).
PARTS: dict[str, dict[str, float]] = {}
_PART_OF = (
    ("merge", re.compile(r"^CREATE UNLOGGED TABLE register_stage_\w+ AS")),
    ("write", re.compile(r"^(WITH w AS \()?(INSERT INTO|UPDATE) (people_|workplaces_|wagtailcore_)")),
    ("audit", re.compile(r"^INSERT INTO audit_auditentry")),
    ("outbox", re.compile(r"^INSERT INTO portal_search_outboxentry")),
)
_current: dict[str, float] | None = None


def _add(part: str, seconds: float) -> None:
    if _current is not None:
        _current[part] = _current.get(part, 0.0) + seconds


def _collect_parts(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        part = next((name for name, pattern in _PART_OF if pattern.match(str(sql))), "other")
        _add(part, time.perf_counter() - started)


def _watch_parts() -> None:
    from portal.register import staging

    load = staging.Stage.load

    def timed_load(self, *args, **kwargs):
        started = time.perf_counter()
        other = (_current or {}).get("other", 0.0)
        try:
            return load(self, *args, **kwargs)
        finally:
            # Its own statements (reference lookups, ANALYZE) belong to the staging.
            if _current is not None:
                _current["other"] = other
            _add("stage", time.perf_counter() - started)

    staging.Stage.load = timed_load
    wrapper = connections["default"]
    commit = wrapper.commit

    def timed_commit():
        started = time.perf_counter()
        try:
            return commit()
        finally:
            _add("commit", time.perf_counter() - started)

    wrapper.commit = timed_commit
    connection.execute_wrappers.append(_collect_parts)


def _slow_statements(limit: float):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            if took > limit:
                print(f"    {took:.2f} s  {' '.join(str(sql).split())[:160]}", flush=True)
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_scale_arguments(parser)
    parser.add_argument("--no-write", action="store_true", help="do not touch the docs")
    parser.add_argument("--slug", default=SLUG, help="the bench union's slug (a new one)")
    parser.add_argument("--slow", type=float, default=0,
                        help="print statements slower than this many seconds")
    args = parser.parse_args()
    if Union.objects.filter(slug=args.slug).exists():
        raise SystemExit(f"union {args.slug!r} exists: run on a fresh database")
    if args.slow:
        connection.execute_wrappers.append(_slow_statements(args.slow))
    _watch_parts()
    union = create_union(name="Register bench", slug=args.slug,
                         hostname=f"{args.slug}.localhost", port=80)
    bulk_create_children(union_indexes(union).branches, [
        BranchPage(title=f"Osasto {1000 + i}", slug=f"osasto-{1000 + i}", union=union,
                   number=str(1000 + i)) for i in range(args.branches)])
    bids = business_ids(args.employers)
    timings: dict[str, float] = {}
    print(f"register bench: {args.members} people, {args.employers} employers, "
          f"{args.workplaces} workplaces", flush=True)
    timed("employers", lambda: upsert_records(union=union, kind="employers", source="bench",
          records=({"business_id": b, "name": f"Yritys {k} Oy", "city": CITIES[k % 8]}
                   for k, b in enumerate(bids))), timings)
    timed("workplaces", lambda: upsert_records(union=union, kind="workplaces", source="bench",
          records=({"register_id": f"W{j}", "employer": bids[j % args.employers],
                    "name": f"Toimipaikka {j}", "city": CITIES[j % 8]}
                   for j in range(args.workplaces))), timings)

    with tempfile.TemporaryDirectory() as tmp:
        path, changed_path = Path(tmp) / "people.csv", Path(tmp) / "people-1pct.csv"
        write_csv(path, args, bids)
        write_csv(changed_path, args, bids, changed_every=100)
        size_mb = path.stat().st_size / 1e6
        copies = [plain_copy(path)]
        rss_before = rss_mb()
        timed("people", lambda: upsert_records(union=union, kind="people", source="bench",
              records=read(path, PERSON)), timings)
        timed("employments", lambda: upsert_records(
            union=union, kind="employments", source="bench",
            records=employment_records(path)), timings)
        rss_after = rss_mb()
        copies.append(plain_copy(path))
        timed("same file again", lambda: upsert_records(
            union=union, kind="people", source="bench", records=read(path, PERSON)), timings)
        timed("1 % changed, whole file", lambda: upsert_records(
            union=union, kind="people", source="bench",
            records=read(changed_path, PERSON)), timings)
        delta = [dict(zip(COLUMNS, row(i, args, bids, 2), strict=True))
                 for i in range(0, args.members, 100)]
        timed("1 % changed, sent alone", lambda: upsert_records(
            union=union, kind="people", source="bench",
            records=({c: r[c] for c in PERSON} for r in delta)), timings)
        copies.append(plain_copy(path))
        floor_s, floor_db = people_floor(path, union)
        fk_s, fk_db = people_floor(path, union, foreign_keys=True)
        trigram, secondary = _indexes("trigram"), _indexes("secondary")
        no_trigram_s, no_trigram_db = people_floor(path, union, trigram)
        unique_only_s, unique_only_db = people_floor(path, union, secondary)

    parts_rows = "\n".join(
        f"| {label} | " + " | ".join(
            f"{PARTS[label].get(part, 0.0):.1f}"
            for part in ("stage", "merge", "write", "audit", "outbox", "commit", "other"))
        + " |" for label in ("people", "employments", "same file again",
                             "1 % changed, whole file"))
    copy_s = statistics.median(c[0] for c in copies)
    copy_db = statistics.median(c[1] for c in copies)
    import_s = timings["people"] + timings["employments"]
    copy_rate, import_rate = args.members / copy_s, args.members / import_s
    body = f"""
{report.machine()}; {report.postgres_version()}; load average {report.load_average()};
revision {report.git_revision()}. `bench/register_bench.py`: one union with
{args.members:,} people (each with an employment), {args.employers:,} employers,
{args.workplaces:,} workplaces, {args.branches:,} branches. The CSV file
({size_mb:.0f} MB, {args.members:,} rows) is streamed through
`register.actions.upsert_records` (checks every record, COPY into a staging table,
set-based upsert, audit entries and search outbox rows for every person created or
changed) — people, then
employments from the same file — and, in the same run, loaded by a plain `COPY` into an
unindexed table of text columns (median of {len(copies)} runs: before, between and
after the imports).

| step | time | rows/s | Python CPU | PostgreSQL CPU |
|---|---|---|---|---|
| plain `COPY` of the file (baseline) | {copy_s:.1f} s | {copy_rate:,.0f} | | {copy_db:.1f} s |
| reference: `COPY` + one `INSERT … SELECT` into `people_person` (its {_index_count()} indexes), nothing else | {floor_s:.1f} s | {args.members / floor_s:,.0f} | | {floor_db:.1f} s |
| — the same with its foreign keys checked, as a commit does | {fk_s:.1f} s | {args.members / fk_s:,.0f} | | {fk_db:.1f} s |
| — the same without its {len(trigram)} trigram GIN indexes | {no_trigram_s:.1f} s | {args.members / no_trigram_s:,.0f} | | {no_trigram_db:.1f} s |
| — the same with only its {_index_count() - len(secondary)} unique indexes | {unique_only_s:.1f} s | {args.members / unique_only_s:,.0f} | | {unique_only_db:.1f} s |
| import: people + employments | {import_s:.1f} s | {import_rate:,.0f} (**{import_rate / copy_rate:.2f}× COPY**) | {CPU['people'] + CPU['employments']:.1f} s | {DB_CPU['people'] + DB_CPU['employments']:.1f} s |
| — people | {timings['people']:.1f} s | {args.members / timings['people']:,.0f} | {CPU['people']:.1f} s | {DB_CPU['people']:.1f} s |
| — employments | {timings['employments']:.1f} s | {args.members / timings['employments']:,.0f} | {CPU['employments']:.1f} s | {DB_CPU['employments']:.1f} s |
| employers (pages, bulk tree insert) | {timings['employers']:.1f} s | {args.employers / timings['employers']:,.0f} | {CPU['employers']:.1f} s | {DB_CPU['employers']:.1f} s |
| workplaces (pages, bulk tree insert) | {timings['workplaces']:.1f} s | {args.workplaces / timings['workplaces']:,.0f} | {CPU['workplaces']:.1f} s | {DB_CPU['workplaces']:.1f} s |
| the same people file again (nothing changed) | {timings['same file again']:.1f} s | {args.members / timings['same file again']:,.0f} | {CPU['same file again']:.1f} s | {DB_CPU['same file again']:.1f} s |
| sync: the whole file with 1 % of the people changed | {timings['1 % changed, whole file']:.1f} s | | {CPU['1 % changed, whole file']:.1f} s | {DB_CPU['1 % changed, whole file']:.1f} s |
| sync: only the 1 % changed ({len(delta):,} records) | {timings['1 % changed, sent alone']:.1f} s | | {CPU['1 % changed, sent alone']:.1f} s | {DB_CPU['1 % changed, sent alone']:.1f} s |

Where each step's time goes (seconds): checking the records in Python, looking up
their references and COPYing them into the staging table; the merge with the stored
rows (one `CREATE TABLE … AS SELECT … LEFT JOIN`); the writes to the union's tables;
the audit entries; the search outbox rows; the commit, where PostgreSQL checks the
deferred foreign keys of every row written; the rest (duplicate keys, counts, the
batch's own audit entry).

| step | check + stage | merge | write | audit | outbox | commit | rest |
|---|---|---|---|---|---|---|---|
{parts_rows}

Goals: import ≥ 0.5× COPY; a 1 % sync into the {args.members:,}-member union ≤ 30 s.
What 0.5× would need: the file's people and employments written, checked, audited and
queued for search in {2 * copy_s:.1f} s (twice the plain COPY's {copy_s:.1f} s). Landing
the people alone in `people_person` with nothing else takes {floor_s:.1f} s
({floor_db:.1f} s of PostgreSQL CPU), {fk_db:.1f} s of CPU with the foreign keys checked
as a commit does — {floor_db / (2 * copy_s):.1f}× that whole budget in PostgreSQL's CPU
alone, before the employments, the audit entries, the outbox rows or any check. Even
with only its unique indexes the table takes {unique_only_db:.1f} s of CPU. And checking
the records in Python (types, dates, emails, each bad record reported; with reading the
CSV) takes {CPU['same file again']:.1f} s of CPU for the file (the unchanged pass, which
writes nothing), {CPU['same file again'] / copy_s:.0f}× the whole plain COPY. So 0.5× is
out of reach with this schema and what the product must do; the import costs
{(CPU['people'] + CPU['employments'] + DB_CPU['people'] + DB_CPU['employments']) / fk_db:.1f}×
the CPU of that people-only floor for four times the rows it writes (people,
employments, two audit entries; plus the outbox rows).
The machine is shared (load average above), so the wall times say as much about the
load as about the code: "Python CPU" is the benchmark process's own CPU time
(checking records, writing COPY lines), "PostgreSQL CPU" that of its connection's
backend process (from /proc; parallel workers not counted) — what the step costs
whatever else runs.
Peak RSS of the process: {rss_before:.0f} MB before the imports, {rss_after:.0f} MB
after them (records are read and copied in chunks of 5,000; the process never holds
the file).
"""
    print(body)
    if not args.no_write:
        report.write_section("Member-register import", body)


if __name__ == "__main__":
    main()
