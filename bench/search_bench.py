"""Main search at scale: full reindex rate, search and autocomplete latency measured at
Elasticsearch (`took`) and end to end through Django, and the database fallback.

Run by `make bench` (bin/run-bench) with throwaway PostgreSQL and Elasticsearch; never
by tests. Seeds the two demo unions at the given size when they are missing.
Usage: DATABASE_URL=... ELASTICSEARCH_URL=... python -m bench.search_bench [--members N]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import statistics
import time

from bench.common import add_scale_arguments, scale_from, setup_django  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench import report  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.people.models import Person  # noqa: E402
from portal.union.demo import (  # noqa: E402
    DEMO_UNIONS,
    DemoSize,
    remove_wagtail_welcome_site,
    seed_union,
)
from portal.union.models import Union  # noqa: E402
from portal.workplaces.models import EmployerPage, WorkplacePage  # noqa: E402
from search import engine  # noqa: E402
from search.client import get_client, is_enabled  # noqa: E402
from search.documents import alias_name  # noqa: E402
from search.indexing import count_all  # noqa: E402
from search.reindex import reindex  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def ensure_unions(size: DemoSize) -> tuple[list[Union], float | None]:
    unions, seeded = [], None
    for i, spec in enumerate(DEMO_UNIONS):
        union = Union.objects.filter(slug=spec.slug).first()
        if union is None:
            remove_wagtail_welcome_site()
            started = time.monotonic()
            union = seed_union(spec, size=size, port=80, default_site=(i == 0)).union
            seeded = (seeded or 0) + time.monotonic() - started
        unions.append(union)
    return unions, seeded


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + rng.choice("aeiklmnrst") + word[i + 1:]


def queries(union: Union, rng: random.Random, n: int) -> dict[str, list[str]]:
    people = list(Person.objects.for_union(union).order_by("?").values_list(
        "first_name", "last_name")[: n])
    cities = list(WorkplacePage.objects.for_union(union).order_by("?").values_list(
        "city", flat=True)[: n // 4])
    ids = list(EmployerPage.objects.for_union(union).order_by("?").values_list(
        "business_id", flat=True)[: n // 4])
    words = [last for _first, last in people[: n // 2]]
    words += [f"{first} {last}" for first, last in people[n // 2: 3 * n // 4]]
    words += [typo(last, rng) for _first, last in people[3 * n // 4:]]
    words += cities + [i.replace("-", "") for i in ids]
    rng.shuffle(words)
    prefixes = [w.split()[0][: rng.randint(2, 5)] for w in words]
    return {"search": words[:n], "autocomplete": prefixes[:n]}


def requesters(union: Union) -> dict[str, User]:
    return {role: User.objects.get(email=f"{role}@{union.slug}.example")
            for role in ("staff", "chair", "member")}


def measure_es(union, users, words, body_of) -> tuple[list[float], list[float]]:
    client, took, wall = get_client(), [], []
    for i, word in enumerate(words):
        user = list(users.values())[i % len(users)]
        requester = engine.requester_for(user, union)
        body = body_of(requester, word)
        started = time.perf_counter()
        response = client.search(index=alias_name(), body=body)
        wall.append((time.perf_counter() - started) * 1000)
        took.append(float(response["took"]))
    return took, wall


def _phase_ms() -> tuple[int, int]:
    stats = get_client().indices.stats(index=alias_name(), metric="search")
    search = stats["_all"]["primaries"]["search"]
    return search["query_total"], search["query_time_in_millis"] + search["fetch_time_in_millis"]


def measure_es_phases(union, users, words, body_of) -> float:
    """Mean ms a search spends in Elasticsearch's query and fetch phases on the search
    index (the index's own statistics: without the HTTP layer and the client)."""
    before = _phase_ms()
    measure_es(union, users, words, body_of)
    after = _phase_ms()
    return (after[1] - before[1]) / max(1, after[0] - before[0])


def without_fuzzy(body: dict) -> dict:
    """The request with its typo-tolerant (fuzzy) clauses left out: what they cost."""
    query = body["query"]["bool"]
    should = [c for c in query["should"] if "fuzziness" not in json.dumps(c)]
    return {**body, "query": {"bool": {**query, "should": should}}}


def profile_items(union, users, words) -> str:
    """Where the results page's request spends its time (`profile: true`), as mean ms
    per search and shares. Profiling adds its own timers: the shares are what counts."""
    client, items = get_client(), collections.Counter()
    for i, word in enumerate(words):
        requester = engine.requester_for(list(users.values())[i % len(users)], union)
        body = {**engine.search_body(requester, word), "profile": True}
        shard = client.search(index=alias_name(), body=body)["profile"]["shards"][0]
        for search in shard["searches"]:
            items["query (matching and scoring)"] += sum(q["time_in_nanos"]
                                                         for q in search["query"])
            items["rewrite (fuzzy term expansion)"] += search["rewrite_time"]
            items["collector"] += sum(c["time_in_nanos"] for c in search["collector"])
        items["aggregation (facets)"] += sum(a["time_in_nanos"] for a in shard["aggregations"])
        items["fetch (`_source` of the hits)"] += shard.get("fetch", {}).get("time_in_nanos", 0)
    total = sum(items.values())
    return "; ".join(f"{name} {ns / len(words) / 1e6:.1f} ms ({100 * ns / total:.0f} %)"
                     for name, ns in items.most_common())


def measure_django(union, users, words, path: str) -> list[float]:
    clients = []
    for user in users.values():
        client = Client(HTTP_HOST=union.site.hostname)
        client.force_login(user)
        clients.append(client)
    latencies = []
    for i, word in enumerate(words):
        client = clients[i % len(clients)]
        started = time.perf_counter()
        response = client.get(path, {"q": word})
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return latencies


def measure_db(union, users, words, function=engine.search) -> list[float]:
    """`engine.search`/`autocomplete` on the database, as when Elasticsearch is down."""
    latencies = []
    with override_settings(ELASTICSEARCH_URL=""):
        for i, word in enumerate(words):
            user = list(users.values())[i % len(users)]
            started = time.perf_counter()
            function(user=user, union=union, query=word)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def row(name: str, values: list[float], target: str) -> str:
    return (f"| {name} | {len(values)} | {statistics.median(values):.1f} | "
            f"{p95(values):.1f} | {target} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    add_scale_arguments(parser)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--db-queries", type=int, default=100)
    args = parser.parse_args()
    if not is_enabled():
        raise SystemExit("ELASTICSEARCH_URL is required")
    size = scale_from(args)
    unions, seeded = ensure_unions(size)
    union = unions[0]
    rng = random.Random(4)

    documents = count_all()
    started = time.monotonic()
    result = reindex()
    reindex_seconds = time.monotonic() - started
    rate = result.documents / reindex_seconds

    users = requesters(union)
    q = queries(union, rng, args.queries)
    # Warm up caches of both engines and of Django.
    measure_es(union, users, q["search"][:50], engine.search_body)
    measure_es(union, users, q["autocomplete"][:50], engine.autocomplete_body)
    search_took, search_wall = measure_es(union, users, q["search"], engine.search_body)
    ac_took, ac_wall = measure_es(union, users, q["autocomplete"], engine.autocomplete_body)
    phases = measure_es_phases(union, users, q["search"], engine.search_body)
    fuzzless = measure_es_phases(union, users, q["search"],
                                 lambda r, word: without_fuzzy(engine.search_body(r, word)))
    profile = profile_items(union, users, q["search"][:100])
    django_search = measure_django(union, users, q["search"], "/search/")
    django_ac = measure_django(union, users, q["autocomplete"], "/search/autocomplete/")
    measure_db(union, users, q["search"][:10])
    db = measure_db(union, users, q["search"][: args.db_queries])
    db_ac = measure_db(union, users, q["autocomplete"][: args.db_queries], engine.autocomplete)

    people = Person.objects.count()
    body = f"""
Machine: {report.machine()}; load average at start {report.load_average()}.
{report.postgres_version()}; Elasticsearch 8.14.3 (one node, dev launcher, see
docs/dev-services.md); revision {report.git_revision()}.

Data: {len(unions)} unions, {people:,} people in all, {documents:,} searchable documents
(people + live branch, employer, workplace, agreement and content pages); per union
{args.members:,} members, {args.employers:,} employers, {args.workplaces:,} workplaces,
{args.branches:,} branches{f"; seeding took {seeded:.0f} s" if seeded else ""}.

Queries: {args.queries} per series, cycling the union's staff, a branch chair and a member
(each with the permission filter of their role): surnames, full names, surnames with one
typo, workplace cities and business IDs without the dash; autocomplete on 2–5 letter
prefixes. "ES took" is Elasticsearch's own `took`; "client" adds the Python client's
round trip; "Django" is the whole view in-process (session, union middleware, query,
audit entries, template) without HTTP.

| series | n | median ms | p95 ms | target |
|---|---|---|---|---|
{row("search, ES took", search_took, "p95 ≤ 50")}
{row("search, ES client round trip", search_wall, "")}
{row("search, through Django", django_search, "p95 ≤ 100")}
{row("autocomplete, ES took", ac_took, "p95 ≤ 30")}
{row("autocomplete, through Django", django_ac, "")}
{row("database fallback search (PostgreSQL)", db, "p95 ≤ 300")}
{row("database fallback autocomplete (PostgreSQL)", db_ac, "")}

Inside Elasticsearch (the search index's own statistics, query and fetch phases):
{phases:.1f} ms a search on average, {fuzzless:.1f} ms with the fuzzy clauses left out.
Profile of the results page's request (`profile: true`, first 100 queries, mean per
search): {profile}.

The database fallback runs `engine.search`/`autocomplete` with `ELASTICSEARCH_URL`
unset (as during an outage), on the accent-folded pg_trgm indexes (`portal_fold`,
migration portal_search 0003),
for the first {args.db_queries} queries of each series.

Full reindex (`search_reindex`): {result.documents:,} documents in {reindex_seconds:.1f} s =
**{rate:,.0f} documents/s** (target ≥ 5,000/s), reading PostgreSQL in batches of 2,000,
bulk-indexing with refresh off, and merging the new index into one segment before the
alias swap (included in the time).
"""
    report.write_section("Search", body)
    print(body)
    print(f"settings: {settings.SEARCH_INDEX_PREFIX}")


if __name__ == "__main__":
    main()
