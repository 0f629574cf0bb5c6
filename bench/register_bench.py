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

from __future__ import annotations

import argparse
import csv
import os
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

from django.db import connection  # noqa: E402

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


def plain_copy(path: Path) -> float:
    """COPY of the same file into an unindexed table of text columns: the baseline."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS register_bench_copy")
        cursor.execute(f"CREATE TABLE register_bench_copy ({_text_columns()})")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY register_bench_copy FROM STDIN "
                                "(FORMAT csv, DELIMITER ';', HEADER true)") as copy, \
                path.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE register_bench_copy")
    return elapsed


def people_floor(path: Path, union) -> float:
    """The least a database can do to land the file in people_person with its indexes:
    the plain COPY, then one INSERT … SELECT (no checks, no audit, no search), in a
    transaction rolled back afterwards. Shows what the table's indexes cost."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE register_bench_floor ({_text_columns()})")
        started = time.perf_counter()
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
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def _index_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'people_person'")
        return cursor.fetchone()[0]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}


def timed(label, fn, timings):
    started, cpu = time.perf_counter(), cpu_s()
    result = fn()
    timings[label] = time.perf_counter() - started
    CPU[label] = cpu_s() - cpu
    assert not result.errors, result.errors[:5]
    print(f"  {label}: {timings[label]:.1f} s ({result.created} created, "
          f"{result.updated} updated, {result.unchanged} unchanged)", flush=True)
    return result


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
        floor_s = people_floor(path, union)

    copy_s = statistics.median(copies)
    import_s = timings["people"] + timings["employments"]
    copy_rate, import_rate = args.members / copy_s, args.members / import_s
    body = f"""
{report.machine()}; {report.postgres_version()}; load average {report.load_average()};
revision {report.git_revision()}. `bench/register_bench.py`: one union with
{args.members:,} people (each with an employment), {args.employers:,} employers,
{args.workplaces:,} workplaces, {args.branches:,} branches. The CSV file
({size_mb:.0f} MB, {args.members:,} rows) is streamed through
`register.actions.upsert_records` (checks every record, COPY into a staging table,
set-based upsert, audit entries and search outbox rows for every person) — people, then
employments from the same file — and, in the same run, loaded by a plain `COPY` into an
unindexed table of text columns (median of {len(copies)} runs: before, between and
after the imports).

| step | time | rows/s | Python CPU |
|---|---|---|---|
| plain `COPY` of the file (baseline) | {copy_s:.1f} s | {copy_rate:,.0f} | |
| reference: `COPY` + one `INSERT … SELECT` into `people_person` (its {_index_count()} indexes), nothing else | {floor_s:.1f} s | {args.members / floor_s:,.0f} | |
| import: people + employments | {import_s:.1f} s | {import_rate:,.0f} (**{import_rate / copy_rate:.2f}× COPY**) | {CPU['people'] + CPU['employments']:.1f} s |
| — people | {timings['people']:.1f} s | {args.members / timings['people']:,.0f} | {CPU['people']:.1f} s |
| — employments | {timings['employments']:.1f} s | {args.members / timings['employments']:,.0f} | {CPU['employments']:.1f} s |
| employers (pages, bulk tree insert) | {timings['employers']:.1f} s | {args.employers / timings['employers']:,.0f} | {CPU['employers']:.1f} s |
| workplaces (pages, bulk tree insert) | {timings['workplaces']:.1f} s | {args.workplaces / timings['workplaces']:,.0f} | {CPU['workplaces']:.1f} s |
| the same people file again (nothing changed) | {timings['same file again']:.1f} s | {args.members / timings['same file again']:,.0f} | {CPU['same file again']:.1f} s |
| sync: the whole file with 1 % of the people changed | {timings['1 % changed, whole file']:.1f} s | | {CPU['1 % changed, whole file']:.1f} s |
| sync: only the 1 % changed ({len(delta):,} records) | {timings['1 % changed, sent alone']:.1f} s | | {CPU['1 % changed, sent alone']:.1f} s |

Goals: import ≥ 0.5× COPY; a 1 % sync into the {args.members:,}-member union ≤ 30 s.
Landing the rows in `people_person` alone, with nothing else (the reference row), takes
{floor_s / copy_s:.0f}× the baseline COPY: the table's indexes (three of them trigram
GIN indexes for the database search) cost more than the whole goal allows.
The database is shared with the rest of the run's machine (load average above): "Python
CPU" is the benchmark process's own CPU time (checking records, writing COPY lines);
the rest of each step is PostgreSQL.
Peak RSS of the process: {rss_before:.0f} MB before the imports, {rss_after:.0f} MB
after them (records are read and copied in chunks of 5,000; the process never holds
the file).
"""
    print(body)
    if not args.no_write:
        report.write_section("Member-register import", body)


if __name__ == "__main__":
    main()
