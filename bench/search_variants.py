"""Cheaper settings of the results page's fuzzy clauses, weighed (issue 13): for each
variant, how many of the same queries get a different top 20 than the request as it is,
and what a search costs Elasticsearch.

Queries: those of `search_bench` (names, full names, names with a typo, cities, business
ids; same seed), searched by staff, a branch chair and a member in turn. Cost: the
index's own query + fetch time per search (index statistics) and the node's process
CPU per search (`_nodes/stats`), over alternating blocks of the variants, the median of
the blocks. On a busy machine both include other work: compare variants of one run.

Usage: DATABASE_URL=... SEARCH_INDEX_PREFIX=... python -m bench.search_variants \
    [--union pal] [--queries 200] [--blocks 5]
Reads only (searches and SELECTs); writes nothing.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics

from bench.common import setup_django

setup_django()

from bench.search_bench import queries, requesters  # noqa: E402
from portal.union.models import Union  # noqa: E402
from search import engine  # noqa: E402
from search.client import get_client  # noqa: E402
from search.documents import alias_name  # noqa: E402


def _fuzzy(body: dict, change) -> dict:
    body = copy.deepcopy(body)
    for clause in body["query"]["bool"]["should"]:
        for kind in ("match", "multi_match"):
            inner = clause.get(kind)
            if inner is None:
                continue
            # match: {"title": {...}}; multi_match: {... "fields": [...]}
            options = inner if kind == "multi_match" else next(iter(inner.values()))
            if "fuzziness" in options:
                change(options, "fields" in options)
    return body


def _set(title: dict | None = None, subfields: dict | None = None):
    def change(options, is_subfields):
        options.update((subfields if is_subfields else title) or {})
    return lambda body: _fuzzy(body, change)


VARIANTS = {
    "as it is": lambda body: body,
    "title prefix_length 1": _set(title={"prefix_length": 1}),
    "title max_expansions 10": _set(title={"max_expansions": 10}),
    "both max_expansions 10": _set(title={"max_expansions": 10},
                                   subfields={"max_expansions": 10}),
    "both max_expansions 20": _set(title={"max_expansions": 20},
                                   subfields={"max_expansions": 20}),
    "both max_expansions 5": _set(title={"max_expansions": 5},
                                  subfields={"max_expansions": 5}),
    "subfields prefix_length 3": _set(subfields={"prefix_length": 3}),
}


def _top(client, body) -> list:
    hits = client.search(index=alias_name(), body=body)["hits"]["hits"]
    return [(h["_source"]["kind"], h["_source"]["object_id"]) for h in hits]


def _stats(client) -> tuple[int, int, int]:
    search = client.indices.stats(index=alias_name(), metric="search")["_all"]["primaries"][
        "search"]
    nodes = client.nodes.stats(metric="process")["nodes"]
    cpu = sum(node["process"]["cpu"]["total_in_millis"] for node in nodes.values())
    return search["query_total"], search["query_time_in_millis"] + search[
        "fetch_time_in_millis"], cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="pal")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=5)
    args = parser.parse_args()
    union = Union.objects.get(slug=args.union)
    words = queries(union, random.Random(4), args.queries)["search"]
    users = list(requesters(union).values())
    searches = [(engine.requester_for(users[i % len(users)], union), word)
                for i, word in enumerate(words)]
    client = get_client()
    bodies = {name: [variant(engine.search_body(r, word)) for r, word in searches]
              for name, variant in VARIANTS.items()}
    baseline = [_top(client, body) for body in bodies["as it is"]]
    cost = {name: ([], []) for name in VARIANTS}
    for block in range(args.blocks):
        names = list(VARIANTS)
        names = names[block % len(names):] + names[:block % len(names)]
        for name in names:
            before = _stats(client)
            for body in bodies[name]:
                client.search(index=alias_name(), body=body)
            after = _stats(client)
            count = max(1, after[0] - before[0])
            cost[name][0].append((after[1] - before[1]) / count)
            cost[name][1].append((after[2] - before[2]) / count)
    print(f"{len(words)} queries, {args.blocks} blocks; median per search")  # noqa: T201
    print("| variant | top 20 changed | query + fetch ms | ES process CPU ms |")  # noqa: T201
    print("|---|---|---|---|")  # noqa: T201
    for name in VARIANTS:
        changed = [word for (r, word), body, top in zip(searches, bodies[name], baseline,
                                                         strict=True)
                   if _top(client, body) != top]
        print(f"| {name} | {len(changed)} of {len(words)} | "  # noqa: T201
              f"{statistics.median(cost[name][0]):.2f} | "
              f"{statistics.median(cost[name][1]):.2f} |")
        if changed:
            print(f"|   e.g. | {', '.join(changed[:8])} | | |")  # noqa: T201


if __name__ == "__main__":
    main()
