"""The merge of two duplicates and its undo at scale (issue 15 item 6, goal ≤ 1 s):
wall time and query count of `merging.actions.merge_people` and `undo_merge` for a
person with many related rows, in a union of 300,000 people
(docs/benchmarks.md, "Compare and merge").

Everything runs in one transaction that is rolled back at the end, so the database is
left as it was (a seeded database can be reused, and borrowed). Each run builds the
removed person's rows again in a savepoint: employments, positions of trust (with their
grants), trainings, bulletin deliveries (half of them also the kept person's, so
deduplicated), activity events, group memberships, custom values, temporary statuses,
household links.
Usage: DATABASE_URL=... python -m bench.merge_bench [--union norden] [--runs 3] [--rows 500]
(seed first, e.g. `manage.py seed_demo --only norden --members 300000 ...`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

from bench.common import setup_django
from bench.populate import bulletin_sends, give_work_history  # noqa: E402

setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.dev"))

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.activity.models import ActivityEvent  # noqa: E402
from portal.customfields.models import PersonCustomValues  # noqa: E402
from portal.groups.models import Group, GroupMembership  # noqa: E402
from portal.lifeevents.models import HouseholdLink, TemporaryStatus  # noqa: E402
from portal.merging import actions  # noqa: E402
from portal.merging.models import MergeRecord  # noqa: E402
from portal.messaging.models import Delivery  # noqa: E402
from portal.people import actions as people_actions  # noqa: E402
from portal.people.models import Person  # noqa: E402
from portal.union.models import Role, Union  # noqa: E402


def _schema_up_to_date() -> None:
    """Columns of merging migrations the borrowed database lacks (rolled back too)."""
    columns = {c.name for c in connection.introspection.get_table_description(
        connection.cursor(), MergeRecord._meta.db_table)}
    with connection.schema_editor() as editor:
        for field in MergeRecord._meta.concrete_fields:
            if field.column not in columns:
                editor.add_field(MergeRecord, field)


def _duplicate(union, kept, staff, rows: int):
    """A duplicate of `kept` with `rows` deliveries and activity events and tens of
    rows of every other kind."""
    now = timezone.now()
    removed = people_actions.create_person(
        union=union, first_name=kept.first_name + "x", last_name=kept.last_name,
        birth_date=kept.birth_date, phone="040 555 1200")
    give_work_history(removed, union)
    sends = bulletin_sends(union, rows)
    Delivery.objects.bulk_create([Delivery(union=union, send=s, person=removed) for s in sends]
                                 + [Delivery(union=union, send=s, person=kept)
                                    for s in sends[::2]])
    ActivityEvent.objects.bulk_create(
        ActivityEvent(union=union, person=removed, kind="other", title=f"Event {n}",
                      source=f"bench:{n}", occurs_at=now) for n in range(rows))
    groups = Group.objects.bulk_create(Group(union=union, name=f"Bench {n}") for n in range(30))
    GroupMembership.objects.bulk_create(
        GroupMembership(union=union, group=g, person=p, added_at=now)
        for g in groups for p in ((removed,) if g.pk % 2 else (removed, kept)))
    PersonCustomValues.objects.update_or_create(person=kept, defaults={
        "union": union, "values": {"size": "M"}})
    PersonCustomValues.objects.create(union=union, person=removed, values={"shoe": 42})
    TemporaryStatus.objects.bulk_create(
        TemporaryStatus(union=union, person=removed, kind="student",
                        starts_on=dt.date(2000 + n, 1, 1), ends_on=dt.date(2000 + n, 6, 1))
        for n in range(10))
    others = list(Person.objects.for_union(union).exclude(pk__in=[kept.pk, removed.pk])[:5])
    HouseholdLink.objects.bulk_create(
        [HouseholdLink(union=union, person_a=removed, person_b=o) for o in others]
        + [HouseholdLink(union=union, person_a=kept, person_b=others[0])])
    return removed


def _timed(function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="norden")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    union = Union.objects.get(slug=args.union)
    print(f"{union.slug}: {Person.objects.for_union(union).count()} people, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    merges, undos = [], []
    with transaction.atomic():
        _schema_up_to_date()
        staff = User.objects.filter(union=union, groups__union_role__role=Role.STAFF).first()
        for run in range(args.runs):
            sid = transaction.savepoint()
            kept = Person.objects.for_union(union).filter(user__isnull=True)[run]
            removed = _duplicate(union, kept, staff, args.rows)
            counts = actions.moves.related_counts(removed.pk)
            if run == 0:
                print(f"the removed person's rows: {counts}")
            merge, seconds, queries = _timed(lambda k=kept, r=removed: actions.merge_people(
                union=union, kept=k, removed=r, take=["phone"], acting_user=staff))
            merges.append((seconds, queries, merge.moved_count, len(merge.deleted)))
            _restored, seconds, queries = _timed(
                lambda m=merge: actions.undo_merge(merge=m, acting_user=staff))
            undos.append((seconds, queries))
            print(f"run {run + 1}: {sum(counts.values())} rows in {len(counts)} tables; "
                  f"merge {merges[-1][0]:.3f} s "
                  f"({merges[-1][1]} queries, {merges[-1][2]} rows moved, {merges[-1][3]} "
                  f"duplicates dropped); undo {seconds:.3f} s ({queries} queries); "
                  f"load {os.getloadavg()[0]:.1f}")
            transaction.savepoint_rollback(sid)
        transaction.set_rollback(True)
    print(f"median merge {statistics.median(m[0] for m in merges):.3f} s, "
          f"undo {statistics.median(u[0] for u in undos):.3f} s")


if __name__ == "__main__":
    main()
