"""How to store custom-field values (issue 15, item 3): a JSON object per person with a
GIN index, or typed value rows? EXPLAIN ANALYZE of "field = value" and "number between"
at the scale of the seeded union, for both layouts.

    DATABASE_URL=…/bench_c3 DJANGO_SETTINGS_MODULE=portal.settings.dev \\
        python -m bench.customfields_plans --union norden

Fills `customfields_personcustomvalues` for every person of the union (shift: night 5 %,
evening 35 %, day 60 %; years 0–39 uniform; skills a subset of three) and the same data
as typed rows in a scratch table `bench_custom_value` with btree indexes on
(field, text) and (field, number). Prints each query's plan head and the median
execution time of three runs (the rows stay for the next run; --refill rebuilds them).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics

import django

QUERIES = {
    "json: shift = night": (
        "SELECT count(*) FROM people_person p JOIN customfields_personcustomvalues v "
        "ON v.person_id = p.id WHERE p.union_id = %(union)s "
        "AND v.values @> '{\"shift\": \"night\"}'"),
    "json: years between 5 and 10": (
        "SELECT count(*) FROM people_person p JOIN customfields_personcustomvalues v "
        "ON v.person_id = p.id WHERE p.union_id = %(union)s AND v.values ? 'years' "
        "AND (v.values ->> 'years')::numeric BETWEEN 5 AND 10"),
    "json: first page, shift = night": (
        "SELECT p.id FROM people_person p JOIN customfields_personcustomvalues v "
        "ON v.person_id = p.id WHERE p.union_id = %(union)s "
        "AND v.values @> '{\"shift\": \"night\"}' ORDER BY p.last_name, p.first_name, p.id "
        "LIMIT 50"),
    "json: first page, years between 5 and 10": (
        "SELECT p.id FROM people_person p JOIN customfields_personcustomvalues v "
        "ON v.person_id = p.id WHERE p.union_id = %(union)s AND v.values ? 'years' "
        "AND (v.values ->> 'years')::numeric BETWEEN 5 AND 10 "
        "ORDER BY p.last_name, p.first_name, p.id LIMIT 50"),
    "rows: shift = night": (
        "SELECT count(*) FROM people_person p WHERE p.union_id = %(union)s AND EXISTS ("
        "SELECT 1 FROM bench_custom_value r WHERE r.person_id = p.id AND r.field_id = 1 "
        "AND r.text_value = 'night')"),
    "rows: years between 5 and 10": (
        "SELECT count(*) FROM people_person p WHERE p.union_id = %(union)s AND EXISTS ("
        "SELECT 1 FROM bench_custom_value r WHERE r.person_id = p.id AND r.field_id = 2 "
        "AND r.number_value BETWEEN 5 AND 10)"),
    "rows: first page, shift = night": (
        "SELECT p.id FROM people_person p WHERE p.union_id = %(union)s AND EXISTS ("
        "SELECT 1 FROM bench_custom_value r WHERE r.person_id = p.id AND r.field_id = 1 "
        "AND r.text_value = 'night') ORDER BY p.last_name, p.first_name, p.id LIMIT 50"),
    "rows: first page, years between 5 and 10": (
        "SELECT p.id FROM people_person p WHERE p.union_id = %(union)s AND EXISTS ("
        "SELECT 1 FROM bench_custom_value r WHERE r.person_id = p.id AND r.field_id = 2 "
        "AND r.number_value BETWEEN 5 AND 10) ORDER BY p.last_name, p.first_name, p.id "
        "LIMIT 50"),
}


def fill(cursor, union_id: int, refill: bool) -> None:
    cursor.execute("SELECT count(*) FROM customfields_personcustomvalues WHERE union_id = %s",
                   [union_id])
    if cursor.fetchone()[0] and not refill:
        return
    cursor.execute("DELETE FROM customfields_personcustomvalues WHERE union_id = %s", [union_id])
    cursor.execute("SELECT setseed(0.15)")
    cursor.execute("""
        INSERT INTO customfields_personcustomvalues (union_id, person_id, values, updated_at)
        SELECT union_id, id, jsonb_build_object(
            'shift', CASE WHEN r < 0.05 THEN 'night' WHEN r < 0.40 THEN 'evening'
                          ELSE 'day' END,
            'years', floor(random() * 40)::int,
            'skills', CASE WHEN r2 < 0.1 THEN '["first_aid", "forklift"]'::jsonb
                           WHEN r2 < 0.4 THEN '["forklift"]'::jsonb ELSE '[]'::jsonb END),
            now()
        FROM (SELECT union_id, id, random() AS r, random() AS r2 FROM people_person
              WHERE union_id = %s) s""", [union_id])
    cursor.execute("DROP TABLE IF EXISTS bench_custom_value")
    cursor.execute("""
        CREATE TABLE bench_custom_value (id bigserial PRIMARY KEY, field_id int NOT NULL,
            person_id bigint NOT NULL, text_value text, number_value numeric,
            date_value date, bool_value boolean)""")
    cursor.execute("""
        INSERT INTO bench_custom_value (field_id, person_id, text_value)
        SELECT 1, person_id, values ->> 'shift' FROM customfields_personcustomvalues
        WHERE union_id = %(u)s
        UNION ALL
        SELECT 2, person_id, NULL FROM customfields_personcustomvalues WHERE union_id = %(u)s
        UNION ALL
        SELECT 3, person_id, jsonb_array_elements_text(values -> 'skills')
        FROM customfields_personcustomvalues WHERE union_id = %(u)s""", {"u": union_id})
    cursor.execute("""
        UPDATE bench_custom_value r SET number_value = (v.values ->> 'years')::numeric
        FROM customfields_personcustomvalues v WHERE r.field_id = 2
        AND v.person_id = r.person_id""")
    cursor.execute("CREATE INDEX ON bench_custom_value (field_id, text_value, person_id)")
    cursor.execute("CREATE INDEX ON bench_custom_value (field_id, number_value, person_id)")
    cursor.execute("CREATE INDEX ON bench_custom_value (person_id)")
    cursor.execute("ANALYZE customfields_personcustomvalues")
    cursor.execute("ANALYZE bench_custom_value")


def sizes(cursor) -> dict:
    out = {}
    for name in ("customfields_personcustomvalues", "bench_custom_value"):
        sql = f"SELECT pg_total_relation_size(%s), (SELECT count(*) FROM {name})"  # noqa: S608
        cursor.execute(sql, [name])
        out[name] = cursor.fetchone()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="norden")
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    django.setup()
    from django.db import connection

    from portal.union.models import Union

    union = Union.objects.get(slug=args.union)
    with connection.cursor() as cursor:
        fill(cursor, union.pk, args.refill)
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT count(*) FROM people_person WHERE union_id = %s", [union.pk])
        print(f"people of {args.union}: {cursor.fetchone()[0]:,}")
        for table, (size, rows) in sizes(cursor).items():
            print(f"{table}: {rows:,} rows, {size / 1_048_576:.1f} MiB with indexes")
        for name, sql in QUERIES.items():
            times, plan = [], []
            for _run in range(4):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, {"union": union.pk})
                plan = [row[0] for row in cursor.fetchall()]
                times.append(float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1)))
            nodes = [line.strip() for line in plan if "->" in line or line is plan[0]]
            print(f"\n{name}: median {statistics.median(times[1:]):.1f} ms "
                  f"(runs {', '.join(f'{t:.1f}' for t in times[1:])})")
            for line in nodes[:7]:
                print("   ", line[:150])


if __name__ == "__main__":
    main()
