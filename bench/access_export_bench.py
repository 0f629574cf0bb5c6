"""The access export of a fully populated person (issue 17 item 3, goal ≤ 1 s): wall time
and query count of `privacy.export.build` (what the member's download and the staff's
file both run), median of several runs, with a baseline in the same run: the export of a
person with a bare profile, which is the registry's fixed cost (one query per declared
model) before any data (docs/benchmarks.md, "Access export").

Everything runs in one transaction that is rolled back at the end, so the database is left
as it was. The full person gets: employments, positions of trust (with their grants),
trainings, bulletin deliveries and an email status, activity events, group memberships,
custom values, temporary statuses, household links, a terms acceptance, and audit entries
about them (others' views) and by them.
Usage: DATABASE_URL=... python -m bench.access_export_bench [--union pal] [--runs 7]
       [--rows 500]   (a seeded union: `manage.py seed_demo --only pal ...`).
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
from portal.audit.log import AuditAction, record_many  # noqa: E402
from portal.audit.models import AuditEntry  # noqa: E402
from portal.customfields.models import PersonCustomValues  # noqa: E402
from portal.groups.models import Group, GroupMembership  # noqa: E402
from portal.lifeevents.models import HouseholdLink, TemporaryStatus  # noqa: E402
from portal.messaging.models import Delivery, EmailStatus  # noqa: E402
from portal.people import actions as people_actions  # noqa: E402
from portal.people.models import Person  # noqa: E402
from portal.privacy import export  # noqa: E402
from portal.terms.models import TermsAcceptance, TermsVersion  # noqa: E402
from portal.union.models import Role, Union  # noqa: E402


def _populate(union, person, staff, rows: int) -> None:
    """`rows` deliveries, activity events and audit entries, tens of every other kind."""
    now = timezone.now()
    give_work_history(person, union)
    sends = bulletin_sends(union, rows)
    Delivery.objects.bulk_create(  # the seeded person's own deliveries stay
        [Delivery(union=union, send=s, person=person, sent_at=now,
                  email=person.email or "bench@example.org") for s in sends],
        ignore_conflicts=True)
    EmailStatus.objects.get_or_create(person=person, defaults={"union": union})
    ActivityEvent.objects.bulk_create(
        ActivityEvent(union=union, person=person, kind="other", title=f"Event {n}",
                      source=f"bench:{n}", occurs_at=now) for n in range(rows))
    groups = Group.objects.bulk_create(Group(union=union, name=f"Bench {n}") for n in range(30))
    GroupMembership.objects.bulk_create(
        GroupMembership(union=union, group=g, person=person, added_at=now) for g in groups)
    PersonCustomValues.objects.update_or_create(person=person, defaults={
        "union": union, "values": {"size": "M", "shoe": 42}})
    TemporaryStatus.objects.bulk_create(
        TemporaryStatus(union=union, person=person, kind="student",
                        starts_on=dt.date(2000 + n, 1, 1), ends_on=dt.date(2000 + n, 6, 1))
        for n in range(10))
    others = list(Person.objects.for_union(union).exclude(pk=person.pk)[:5])
    HouseholdLink.objects.bulk_create(
        HouseholdLink(union=union, person_a=person, person_b=o) for o in others)
    version = TermsVersion.objects.for_union(union).filter(published_at__isnull=False).first()
    if version is None:
        version = TermsVersion.objects.create(union=union, number=999, body_fi="<p>x</p>",
                                              published_at=now)
    if person.user_id:
        TermsAcceptance.objects.get_or_create(union=union, version=version,
                                              user_id=person.user_id)
    # Others' reads of the person (the log a long-time member gathers), and their own.
    for _ in range(rows // 50):
        record_many(actor=staff, union=union, action=AuditAction.VIEW,
                    people=[person] * 50, target="bench")
    if person.user_id:
        AuditEntry.objects.bulk_create(
            AuditEntry(union=union, actor_id=person.user_id, person_id=person.pk,
                       action=AuditAction.VIEW, target="/profile/") for _ in range(rows // 5))


def _timed(function):
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The CPU time of this process alone: on a busy machine the wall time also counts
    # waiting for a core; PostgreSQL's own work is in the wall time only.
    _timed.cpu.append(cpu)
    return result, elapsed, len(queries)


_timed.cpu = []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="pal")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    union = Union.objects.get(slug=args.union)
    print(f"{union.slug}: {Person.objects.for_union(union).count()} people, "
          f"{AuditEntry.objects.count()} audit entries, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    bare_times, full_times = [], []
    with transaction.atomic():
        staff = User.objects.filter(union=union, groups__union_role__role=Role.STAFF).first()
        bare = people_actions.create_person(union=union, first_name="Bare",
                                            last_name="Profile")
        full = Person.objects.for_union(union).filter(user__isnull=False,
                                                      user__groups__union_role__role=Role.MEMBER
                                                      ).first()
        _populate(union, full, staff, args.rows)
        full = Person.objects.select_related("union").get(pk=full.pk)
        bare = Person.objects.select_related("union").get(pk=bare.pk)
        print(f"the full person's rows: {export.count_rows(full)}; the bare one's: "
              f"{export.count_rows(bare)}")
        export.build(full)  # warm: the registry's querysets, the translations
        for run in range(args.runs):
            # Alternating, so both see the same moments of a busy machine.
            document, seconds, queries = _timed(lambda: export.build(bare)[0])
            bare_times.append((seconds, queries))
            document, seconds, queries = _timed(lambda: export.build(full)[0])
            rows = sum(len(section["rows"]) for section in document["data"])
            full_times.append((seconds, queries, rows))
            bare_cpu, full_cpu = _timed.cpu[-2:]
            print(f"run {run + 1}: bare {bare_times[-1][0] * 1000:.0f} ms "
                  f"(CPU {bare_cpu * 1000:.0f} ms, {bare_times[-1][1]} queries); "
                  f"full {seconds * 1000:.0f} ms (CPU {full_cpu * 1000:.0f} ms, "
                  f"{queries} queries, {rows} rows in {len(document['data'])} models); "
                  f"load {os.getloadavg()[0]:.1f}")
        transaction.set_rollback(True)
    cpu = _timed.cpu[-2 * args.runs:]
    print(f"median: bare {statistics.median(t[0] for t in bare_times) * 1000:.0f} ms "
          f"(CPU {statistics.median(cpu[0::2]) * 1000:.0f} ms), "
          f"full {statistics.median(t[0] for t in full_times) * 1000:.0f} ms "
          f"(CPU {statistics.median(cpu[1::2]) * 1000:.0f} ms) "
          f"(min {min(t[0] for t in full_times) * 1000:.0f}, "
          f"max {max(t[0] for t in full_times) * 1000:.0f})")


if __name__ == "__main__":
    main()
