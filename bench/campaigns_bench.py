"""Key figures of a campaign targeting 5,000 workplaces of the 300,000-member union
(issue 19: ≤ 300 ms warm).

    source var/services/env
    export DATABASE_URL=${DATABASE_URL%/*}/portal_o2bench SEARCH_INDEX_PREFIX=portal-o2bench
    psql "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE portal_o2bench"   # once
    .venv/bin/python -m bench.campaigns_bench [--no-write]

Migrates the database and seeds the union (`pal`) at the design scale if it is missing.
Then, inside one transaction that is rolled back at the end: a campaign whose target group
is resolved from filters (timed), its targets cut or filled to exactly 5,000 workplaces,
20,000 contact-log entries over them, and 30 days of density snapshots of every workplace
of the union (the snapshot table as the daily task would have left it). Measures the key
figures (`figures.key_figures`, every aggregate of the page) and the campaign page as the
union's staff sees it (Django's test client: key figures, one page of the heat list, the
charts), once cold and `--repeat` times warm, with their SQL query counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from bench.common import add_scale_arguments, scale_from, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import report  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.campaigns import actions, density, figures  # noqa: E402
from portal.campaigns.models import CampaignTarget, ContactEntry  # noqa: E402
from portal.campaigns.permissions import build_access  # noqa: E402
from portal.campaigns.selectors import targets_for  # noqa: E402
from portal.people.models import Employment  # noqa: E402
from portal.union.demo import DEMO_UNIONS, remove_wagtail_welcome_site, seed_union  # noqa: E402
from portal.union.models import Union  # noqa: E402
from portal.workplaces.models import WorkplacePage  # noqa: E402

TARGETS = 5_000
CONTACTS = 20_000
DAYS = 30


class Rollback(Exception):
    pass


def ensure_union(size, slug: str) -> tuple[Union, float | None]:
    union = Union.objects.filter(slug=slug).first()
    if union is not None:
        return union, None
    remove_wagtail_welcome_site()
    started = time.monotonic()
    spec = next(spec for spec in DEMO_UNIONS if spec.slug == slug)
    return seed_union(spec, size=size, port=80, default_site=True).union, \
        time.monotonic() - started


def timed(function, repeat: int) -> tuple[float, list[float], int]:
    """Cold time, warm times (ms) and the queries of one warm run."""
    started = time.perf_counter()
    function()
    cold = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        warm.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    timed.last = [(float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries]
    return cold, warm, len(queries)


def _label(sql: str) -> str:
    for needle, label in (("campaigns_campaigntarget\".\"id\" AS", "targets"),
                          ("AS \"attempts\"", "contacts per target"),
                          ("COUNT(DISTINCT \"campaigns_contactentry\".\"person_id\") AS \"n\"",
                           "people contacted in total"),
                          # Since potential members count too: people and potential ones.
                          ("AS \"people\"", "people contacted in total"),
                          ("campaigns_contactentry", "contacts per target"),
                          ("people_employment\".\"workplace_id\" AS", "new members per target"),
                          ("workplaces_workplacepage", "density now (mapping.density_for)"),
                          ("campaigns:density", "density now (cached)"),
                          ("MAX(", "newest snapshot day"),
                          ("mapping_densitysnapshot", "density per day")):
        if needle in sql:
            return label
    return sql[:40]


def fill(union, campaign) -> None:
    """Exactly TARGETS targets, contacts over them, DAYS days of snapshots."""
    have = list(campaign.targets.values_list("scope_id", flat=True))
    if len(have) > TARGETS:
        campaign.targets.filter(scope_id__in=have[TARGETS:]).delete()
    elif len(have) < TARGETS:
        more = (WorkplacePage.objects.for_union(union).exclude(pk__in=have)
                .order_by("pk").values_list("pk", flat=True)[:TARGETS - len(have)])
        CampaignTarget.objects.bulk_create(
            [CampaignTarget(campaign=campaign, scope_id=pk, members_at_start=5,
                            base_at_start=20) for pk in more], batch_size=2000)
    targets = dict(campaign.targets.values_list("scope_id", "pk"))
    people = list(Employment.objects.current().filter(workplace_id__in=list(targets))
                  .values_list("person_id", "workplace_id")[:CONTACTS])
    now = timezone.now()
    ContactEntry.objects.bulk_create(
        [ContactEntry(union=union, campaign=campaign, target_id=targets[workplace],
                      person_id=person, contacted_at=now - dt.timedelta(hours=n % 700),
                      channel="call", outcome=("positive", "not_reached", "undecided")[n % 3])
         for n, (person, workplace) in enumerate(people)], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO mapping_densitysnapshot (union_id, date, scope_type, scope_id, "
            "members, base) SELECT %s, d::date, 'workplace', w.page_ptr_id, "
            "(w.page_ptr_id %% 7) + (extract(day from d)::int %% 3), 20 "
            "FROM workplaces_workplacepage w, generate_series(%s::date, %s::date, "
            "interval '1 day') d WHERE w.union_id = %s ON CONFLICT DO NOTHING",
            [union.pk, campaign.starts_on, timezone.localdate() - dt.timedelta(days=1),
             union.pk])
        cursor.execute("ANALYZE mapping_densitysnapshot")
        cursor.execute("ANALYZE campaigns_contactentry")
        cursor.execute("ANALYZE campaigns_campaigntarget")


def main() -> None:
    parser = argparse.ArgumentParser()
    add_scale_arguments(parser)
    parser.add_argument("--union", default="pal")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    union, seeded = ensure_union(scale_from(args), args.union)
    staff = User.objects.get(union=union, email=f"staff@{union.slug}.example")
    lines = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            campaign = actions.create_campaign(
                union=union, acting_user=staff, name="Bench campaign", goal="",
                starts_on=timezone.localdate() - dt.timedelta(days=DAYS), ends_on=None,
                target_kind="workplace", target_filters={"density_below": 50})
            resolve_ms = (time.perf_counter() - started) * 1000
            resolved = campaign.targets.count()
            fill(union, campaign)
            access = build_access(staff, union)

            def key():
                return figures.key_figures(campaign, targets_for(access, campaign))

            client = Client(HTTP_HOST=union.site.hostname)
            client.force_login(staff)

            def page():
                response = client.get(f"/campaigns/{campaign.pk}/")
                assert response.status_code == 200, response.status_code

            result = key()
            key_cold, key_warm, key_queries = timed(key, args.repeat)
            parts = ", ".join(f"{_label(sql)} {ms:.0f} ms" for ms, sql in timed.last)
            page_cold, page_warm, page_queries = timed(page, args.repeat)
            ids = list(campaign.targets.values_list("scope_id", flat=True))

            def live_density():
                density.now(union=union, kind="workplace", ids=ids)

            _cold, density_warm, _queries = timed(live_density, max(3, args.repeat // 3))
            reset_queries()
            lines = [
                f"Machine: {report.machine()}; {report.postgres_version()}; revision "
                f"{report.git_revision()}; load average {report.load_average()} at the end "
                f"({report.machine_state(report.load_average())}).",
                "",
                f"Union `{union.slug}` at the design scale (300,000 members, 60,000 workplaces)"
                + (f", seeded in {seeded:.0f} s for this run" if seeded else "") + ". A "
                f"campaign of {result.targets:,} target workplaces, {CONTACTS:,} contact-log "
                f"entries over them ({result.total.contacted:,} people), {DAYS} days of "
                "density snapshots of every workplace of the union. "
                f"Median of {args.repeat} warm runs (p90 in brackets):",
                "",
                "| what | cold | warm median (p90) | SQL queries |",
                "|---|---|---|---|",
                f"| resolving the target group (density below 50 % over the whole union: "
                f"{resolved:,} workplaces) | {resolve_ms:.0f} ms | – | – |",
                f"| key figures (`figures.key_figures`) | {key_cold:.0f} ms | "
                f"**{statistics.median(key_warm):.0f} ms** ({_p90(key_warm):.0f}) | "
                f"{key_queries} |",
                f"| density now of the 5,000 targets uncached (`mapping.density_for`, what a "
                f"view pays once a minute per process or after a change) | – | "
                f"{statistics.median(density_warm):.0f} ms ({_p90(density_warm):.0f}) | 1 |",
                f"| campaign page as staff (figures, charts, 50 rows of the heat list) | "
                f"{page_cold:.0f} ms | **{statistics.median(page_warm):.0f} ms** "
                f"({_p90(page_warm):.0f}) | {page_queries} |",
                "",
                f"One warm run of the key figures, per query: {parts}.",
                "",
                "Goal: key figures ≤ 300 ms warm. The query count does not grow with the "
                "target group: targets, contacts per target, new members per target, density "
                "now (`mapping.density_for`, one query over the targets as a subquery), "
                "density per day (the snapshot table grouped by day, kept in the cache under the "
                "newest snapshot day: it changes once a day), page titles for the rows shown.",
            ]
            print("\n".join(lines))
            raise Rollback
    except Rollback:
        pass
    if not args.no_write:
        report.write_section("Campaign key figures (issue 19)", "\n".join(lines))


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


if __name__ == "__main__":
    main()
