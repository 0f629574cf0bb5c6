"""The register REST API's bulk path next to `upsert_records` called directly, in the
same run: the same people and employments posted to /api/v1/<kind>/bulk in calls of
--batch records (JSON parsing, key check, rate count, idempotency key, problem
details, audit of the call) and written straight through `register.actions`, into two
fresh unions of the same shape; a plain COPY of the same rows as the baseline.

    source var/services/env
    DATABASE_URL=${DATABASE_URL%/*}/portal_r2bench .venv/bin/python -m bench.api_bench \\
        --members 20000 --employers 1000 --workplaces 1000 --branches 50 --no-write
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test import Client

from bench import report
from bench.common import add_scale_arguments

# Starts Django (bench.common.setup_django) before the project's models are imported.
from bench.register_bench import COLUMNS, PERSON, business_ids, plain_copy, row, write_csv
from portal.api.actions import create_client
from portal.api.models import ALL_SCOPES
from portal.branches.models import BranchPage
from portal.register.actions import upsert_records
from portal.union.actions import create_union, union_indexes
from portal.union.bulk import bulk_create_children

EMPLOYMENT = ("member_number", "employer", "workplace", "starts_on", "title")


def make_union(slug: str, args, bids):
    union = create_union(name=f"API bench {slug}", slug=slug, hostname=f"{slug}.localhost",
                         port=80)
    bulk_create_children(union_indexes(union).branches, [
        BranchPage(title=f"Osasto {1000 + i}", slug=f"osasto-{1000 + i}", union=union,
                   number=str(1000 + i)) for i in range(args.branches)])
    upsert_records(union=union, kind="employers", source="bench", records=(
        {"business_id": b, "name": f"Yritys {k} Oy"} for k, b in enumerate(bids)))
    upsert_records(union=union, kind="workplaces", source="bench", records=(
        {"register_id": f"W{j}", "employer": bids[j % args.employers], "name": f"Paikka {j}"}
        for j in range(args.workplaces)))
    return union


def batches(rows, columns, size):
    for start in range(0, len(rows), size):
        yield [{c: r[c] for c in columns} for r in rows[start:start + size]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_scale_arguments(parser)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="do not touch the docs")
    args = parser.parse_args()
    settings.API_RATE_LIMIT = 10**9  # the bench measures throughput, not the limit
    settings.API_MAX_RECORDS = max(settings.API_MAX_RECORDS, args.batch)
    bids = business_ids(args.employers)
    stamp = int(time.time())
    direct = make_union(f"apid{stamp}", args, bids)
    via_api = make_union(f"apia{stamp}", args, bids)
    _, key = create_client(union=via_api, name="bench", scopes=ALL_SCOPES, acting_user=None)
    http = Client(HTTP_HOST=f"apia{stamp}.localhost")
    headers = {"Authorization": f"Bearer {key}"}
    http.get("/api/v1/", headers=headers)  # the URL conf's first import is not the API's cost
    rows = [dict(zip(COLUMNS, row(i, args, bids), strict=True)) for i in range(args.members)]
    timings: dict[str, float] = {}

    # Batch by batch, the direct call and the API call one after the other, so that both
    # meet the same load of a shared machine.
    for kind, columns in (("people", PERSON), ("employments", EMPLOYMENT)):
        timings[f"direct {kind}"] = timings[f"api {kind}"] = 0.0
        for n, batch in enumerate(batches(rows, columns, args.batch)):
            started = time.perf_counter()
            result = upsert_records(union=direct, kind=kind, source="bench", records=batch)
            timings[f"direct {kind}"] += time.perf_counter() - started
            assert not result.errors, result.errors[:3]
            body = json.dumps({"records": batch}).encode()
            started = time.perf_counter()
            response = http.post(f"/api/v1/{kind}/bulk", body, content_type="application/json",
                                 headers={**headers, "Idempotency-Key": f"{kind}-{n}"})
            timings[f"api {kind}"] += time.perf_counter() - started
            assert response.status_code == 200, response.content[:300]
        print(f"  {kind}: direct {timings[f'direct {kind}']:.1f} s, "
              f"API {timings[f'api {kind}']:.1f} s", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        write_csv(path, args, bids)
        copy_s = statistics.median(plain_copy(path)[0] for _ in range(3))  # (wall, db cpu)
    direct_s = timings["direct people"] + timings["direct employments"]
    api_s = timings["api people"] + timings["api employments"]
    rate = args.members / copy_s

    def rates(seconds: float) -> str:
        return f"{args.members / seconds:,.0f} ({args.members / seconds / rate:.2f}× COPY)"

    body = f"""
{report.machine()}; {report.postgres_version()}; load average {report.load_average()};
revision {report.git_revision()}. `bench/api_bench.py`: {args.members:,} people, each with
an employment, posted to `/api/v1/people/bulk` and `/api/v1/employments/bulk` in calls
of {args.batch:,} records (in-process Django test client: routing, key check, rate
count, idempotency key, JSON parsing, audit of the call), and the same records given to
`register.actions.upsert_records` directly (batch by batch, one after the other), into
two fresh unions of the same shape
({args.employers:,} employers, {args.workplaces:,} workplaces, {args.branches:,}
branches); a plain `COPY` of the same rows (median of 3) as the baseline.

| path | time | rows/s |
|---|---|---|
| plain `COPY` (baseline) | {copy_s:.2f} s | {rate:,.0f} |
| `upsert_records` directly: people + employments | {direct_s:.1f} s | {rates(direct_s)} |
| bulk API: people + employments | {api_s:.1f} s | {rates(api_s)} |

The API costs {100 * (api_s / direct_s - 1):+.0f} % over the direct calls.
"""
    print(body)
    if not args.no_write:
        report.write_section("Register bulk API", body)


if __name__ == "__main__":
    main()
