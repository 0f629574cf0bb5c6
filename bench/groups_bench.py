"""One group automation over a seeded union, run as one task (issue 15: ≤ 30 s at
300,000 people).

    DATABASE_URL=…/bench_c3 DJANGO_SETTINGS_MODULE=portal.settings.dev TASKS_BACKEND=immediate \\
        python -m bench.groups_bench --union norden

Gives people without a birth date one (random, 18–70 years ago; the seed sets none), then
times `evaluate_group_task` for: "membership status active" (most of the union enters),
the same again (nothing changes), "age 60–64" and "branch X and age 60–64", and the first
rule after 10 % of the members resigned (they leave). The groups are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="norden")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    django.setup()
    from django.db import connection

    from portal.branches.models import BranchPage
    from portal.groups import actions
    from portal.groups.models import Group, GroupLogEntry, GroupMembership
    from portal.groups.tasks import evaluate_group_task
    from portal.people.models import Person
    from portal.union.models import Union

    union = Union.objects.get(slug=args.union)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET birth_date = current_date - "
                       "(6570 + floor(random() * 18980))::int WHERE union_id = %s "
                       "AND birth_date IS NULL", [union.pk])
        cursor.execute("ANALYZE people_person")
    people = Person.objects.for_union(union).count()
    branch = (BranchPage.objects.for_union(union).order_by("pk")
              .annotate(n=django.db.models.Count("members")).order_by("-n").first())
    print(f"{union.slug}: {people:,} people; branch {branch.title} has {branch.n:,} members")

    def run(label, group):
        started = time.perf_counter()
        entered, left = evaluate_group_task.enqueue(group.pk).return_value
        took = time.perf_counter() - started
        members = GroupMembership.objects.filter(group=group).count()
        print(f"{label}: {took:.2f} s — entered {entered:,}, left {left:,}, members {members:,}")
        return took

    groups = []
    try:
        with django.db.transaction.atomic():
            active = actions.create_group(union=union, name="bench active", acting_user=None)
            Group.objects.filter(pk=active.pk).update(
                rule={"conditions": [{"kind": "status", "statuses": ["active"]}]})
            groups.append(active)
        run("status active, first run", active)
        run("status active, nothing changed", active)
        ages = Group.objects.create(union=union, name="bench 60-64", rule={
            "conditions": [{"kind": "age", "min": 60, "max": 64}]})
        groups.append(ages)
        run("age 60–64", ages)
        both = Group.objects.create(union=union, name="bench branch 60-64", rule={
            "conditions": [{"kind": "branch", "branch": branch.pk},
                           {"kind": "age", "min": 60, "max": 64}]})
        groups.append(both)
        run("branch and age 60–64", both)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE people_person SET membership_status = 'resigned' WHERE "
                           "union_id = %s AND membership_status = 'active' AND id %% 10 = 0 "
                           "RETURNING id", [union.pk])
            resigned = [row[0] for row in cursor.fetchall()]
        run("status active after 10 % resigned", active)
        Person.objects.filter(pk__in=resigned).update(membership_status="active")
    finally:
        for group in groups:
            GroupLogEntry.objects.filter(group=group).delete()
            GroupMembership.objects.filter(group=group).delete()
            group.delete()


if __name__ == "__main__":
    main()
