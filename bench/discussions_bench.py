"""Discussions (issue 18): query counts that do not grow, send-to-visible with 50 open
conversations polling, and memory per open listener.

1. In process (Django's test client): the conversation list with 10 and 100
   conversations and a conversation of 50 and of 1,000 messages — SQL per request and
   the median time of 20 requests.
2. gunicorn (sync workers, as in production) on loopback: 50 listeners, each a member
   with their own conversation page open, poll it as the page's script does (every 4 s,
   starting at random offsets); staff send 100 messages round-robin over HTTP (POST, CSRF
   and all). Send-to-visible = from the start of the POST to the first poll answer that
   carries the message; its p50/p95, and the poll requests' own latency.
3. Memory: the gunicorn workers' resident memory with no listener and with 50 (polling
   holds nothing between requests, so the difference per listener is the figure).

    source var/services/env
    export DATABASE_URL=${DATABASE_URL%/*}/portal_discbench SEARCH_INDEX_PREFIX=portal-discbench
    .venv/bin/python -m bench.discussions_bench [--no-write]

4. With `--picker SLUG`, only this: the New conversation page's default list (before any
   search, `picker.picker_for`) and two searches (a common first name, three letters
   found in many names) of the demo logins of an already seeded union (staff,
   member, chair, steward; `seed_demo --only SLUG --members 300000 ...`), in process: SQL
   queries, the median time of `--runs` calls after a warm-up (and of the time spent in
   the database driver's execute, and the process's CPU time: Django building the
   queries), and what each list holds. Prints, writes nothing.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import statistics
import threading
import time
from pathlib import Path

from bench.common import setup_django

LISTENERS = 50
MESSAGES = 100
POLL_EVERY = 4.0  # discussions.js while the tab is visible
WORKERS = 3
STAFF = 10
RUN = int(time.time())  # markers of this run's messages (earlier runs' are in the history)
SLUG = "discbench"


def _world():
    from portal.accounts.actions import create_user
    from portal.discussions import actions
    from portal.discussions.models import Conversation
    from portal.union.actions import create_union
    from portal.union.models import Role, Union

    union = Union.objects.filter(slug=SLUG).first()
    if union is None:
        union = create_union(name="Discussions bench", slug=SLUG, hostname=f"{SLUG}.localhost",
                             port=80)
    users = {}
    # Ten staff accounts send, so that no one of them passes the per-account pace.
    for key, role in [*[(f"staff{k}", Role.STAFF) for k in range(STAFF)],
                      *[(f"m{i}", Role.MEMBER) for i in range(100)]]:
        from portal.accounts.models import User

        user = User.objects.filter(union=union, email=f"{key}@{SLUG}.example").first()
        users[key] = user or create_user(email=f"{key}@{SLUG}.example", union=union,
                                         roles=(role,), first_name=key,
                                         last_name="Bench")
    conversations = []
    for i in range(100):
        member = users[f"m{i}"]
        conversation = (Conversation.objects.for_union(union)
                        .filter(participants__user=member)
                        .filter(participants__user=users[f"staff{i % STAFF}"]).first())
        if conversation is None:
            conversation = actions.start_conversation(
                union=union, acting_user=member, recipient_ids=[users[f"staff{i % STAFF}"].pk],
                body="Hello")
        conversations.append(conversation)
    return union, users, conversations


def _fill(conversation, user, count):
    from portal.discussions.models import Conversation, Message

    have = conversation.messages.count()
    if have < count:
        Message.objects.bulk_create([
            Message(union_id=conversation.union_id, conversation=conversation, sender=user,
                    body=f"Message {n} about the shift list and https://example.org/{n}")
            for n in range(have, count)], batch_size=1000)
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_id=conversation.messages.order_by("-pk").values_list(
                "pk", flat=True).first())
    # Written two days ago: the history does not count against its sender's pace.
    from datetime import timedelta

    from django.utils import timezone

    Message.objects.filter(conversation=conversation, body__startswith="Message ").update(
        created_at=timezone.now() - timedelta(days=2))


def _in_process(union, users, conversations) -> list[tuple[str, int, float]]:
    from django.db import connection
    from django.test import Client

    rows = []
    host = union.site.hostname

    def measure(label, user, url):
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        client.get(url)  # warm the per-process caches and read the conversation
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(20):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        rows.append((label, len(queries), statistics.median(times) * 1000))

    small = conversations[1]
    _fill(small, users["m1"], 50)
    big = conversations[0]
    _fill(big, users["m0"], 1000)
    measure("a conversation of 50 messages", users["m1"], f"/discussions/{small.pk}/")
    measure("a conversation of 1,000 messages", users["m0"], f"/discussions/{big.pk}/")
    big.refresh_from_db()
    measure("a poll with nothing new (conversation of 1,000)", users["m0"],
            f"/discussions/{big.pk}/poll/?v={big.changed_at.timestamp()}:{big.last_message_id}")
    measure("the list, 1 conversation", users["m2"], "/discussions/")
    # Each staff account takes part in 10; a member who wrote to all 100 is the long list.
    many = users["m99"]
    for i in range(100):
        from portal.discussions.models import Participant

        Participant.objects.get_or_create(union=union, conversation=conversations[i], user=many)
    measure("the list, 100 conversations", many, "/discussions/")
    return rows


def _cookie_header(user) -> str:
    from bench.common import session_cookie

    name, key = session_cookie(user)
    return f"{name}={key}"


def _rss_kb(master_pid: int) -> int:
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def _live(union, users, conversations, port, master):
    host = union.site.hostname
    marker_sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    poll_times: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()

    def listener(i):
        conversation = conversations[i]
        cookie = _cookie_header(users[f"m{i}"])
        token = ""
        time.sleep(random.uniform(0, POLL_EVERY))
        while not stop.is_set():
            start = time.perf_counter()
            # Sync workers close the connection after each answer, as a browser then sees.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", f"/discussions/{conversation.pk}/poll/?v={token}",
                               headers={"Host": host, "Cookie": cookie})
            response = connection.getresponse()
            body = response.read().decode()
            connection.close()
            now = time.perf_counter()
            with lock:
                poll_times.append(now - start)
            if '"changed": true' in body:
                token = re.search(r'"token": "([^"]+)"', body).group(1)
                for marker in re.findall(rf"bench-{RUN}-\d+", body):
                    with lock:
                        seen.setdefault(marker, now)
            stop.wait(POLL_EVERY)

    # Every worker has answered polls before (templates and caches loaded): what grows
    # after this is what listeners cost.
    warm_cookie = _cookie_header(users["m0"])
    for _ in range(WORKERS * 10):
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        warm.request("GET", f"/discussions/{conversations[0].pk}/poll/?v=",
                     headers={"Host": host, "Cookie": warm_cookie})
        warm.getresponse().read()
        warm.close()
    idle_rss = _rss_kb(master)
    threads = [threading.Thread(target=listener, args=(i,), daemon=True)
               for i in range(LISTENERS)]
    for thread in threads:
        thread.start()
    time.sleep(POLL_EVERY * 2)  # every listener is polling
    busy_rss = _rss_kb(master)
    def sender():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    staff = {}
    for k in range(STAFF):
        cookie = _cookie_header(users[f"staff{k}"])
        get = sender()
        get.request("GET", f"/discussions/{conversations[k].pk}/",
                       headers={"Host": host, "Cookie": cookie})
        response = get.getresponse()
        response.read()
        get.close()
        staff[k] = (cookie, re.search(r"csrftoken=([^;]+)",
                                      response.getheader("Set-Cookie") or "").group(1))
    send_times = []
    for n in range(MESSAGES):
        conversation = conversations[n % LISTENERS]
        staff_cookie, csrf = staff[(n % LISTENERS) % STAFF]
        marker = f"bench-{RUN}-{n}"
        body = f"body={marker}&csrfmiddlewaretoken={csrf}"
        start = time.perf_counter()
        post = sender()
        post.request("POST", f"/discussions/{conversation.pk}/", body=body, headers={
            "Host": host, "Cookie": f"{staff_cookie}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded"})
        reply = post.getresponse()
        reply.read()
        post.close()
        assert reply.status == 302, reply.status
        send_times.append(time.perf_counter() - start)
        marker_sent[marker] = start
        time.sleep(0.4)
    deadline = time.monotonic() + POLL_EVERY * 3
    while time.monotonic() < deadline and len(seen) < MESSAGES:
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=POLL_EVERY * 2)
    delays = sorted(seen[m] - marker_sent[m] for m in marker_sent if m in seen)
    return {
        "delivered": len(delays), "p50": _pct(delays, 50), "p95": _pct(delays, 95),
        "send_p50": _pct(sorted(send_times), 50), "send_p95": _pct(sorted(send_times), 95),
        "poll_p50": _pct(sorted(poll_times), 50), "poll_p95": _pct(sorted(poll_times), 95),
        "polls": len(poll_times), "idle_rss": idle_rss, "busy_rss": busy_rss,
    }


def _pct(values, p):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


PICKER_ROLES = (("staff", "staff"), ("member", "a member"),
                ("chair", "an official: branch chair"),
                ("steward", "an official: shop steward"))


# The searches measured besides the default list: a common first name and a three-letter
# piece of many names (the page matches any part of a first or last name).
PICKER_SEARCHES = ("", "Oskar", "And")


def _picker(slug: str, runs: int) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import User
    from portal.discussions.picker import picker_for
    from portal.people.models import Person
    from portal.union.models import Union

    union = Union.objects.get(slug=slug)
    people = Person.objects.for_union(union).count()
    accounts = Person.objects.for_union(union).filter(user__isnull=False).count()
    lines = [f"Union {slug}: {people:,} people, {accounts:,} of them with an account. "
             f"`picker_for(user, union, query=..., chosen=[])`, median of {runs} calls "
             "after one warm-up.", "",
             "| viewer | search | SQL queries | median ms | min ms "
             "| in the driver's execute, median ms | Python CPU, median ms | choices "
             "| unavailable |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, label in PICKER_ROLES:
        user = User.objects.get(union=union, email=f"{key}@{slug}.example")
        for query in PICKER_SEARCHES:
            picker_for(user, union, query=query, chosen=[])
            with CaptureQueriesContext(connection) as queries:
                picked = picker_for(user, union, query=query, chosen=[])
            times, sql_times, cpu_times = [], [], []

            def timed(execute, sql, params, many, context, sql_times=sql_times):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    sql_times[-1] += time.perf_counter() - start

            for _ in range(runs):
                sql_times.append(0.0)
                start, cpu = time.perf_counter(), time.process_time()
                with connection.execute_wrapper(timed):
                    picker_for(user, union, query=query, chosen=[])
                times.append((time.perf_counter() - start) * 1000)
                cpu_times.append((time.process_time() - cpu) * 1000)
            lines.append(f"| {label} | {query or '(none: the default list)'} | "
                         f"{len(queries)} | {statistics.median(times):.1f} | "
                         f"{min(times):.1f} | {statistics.median(sql_times) * 1000:.1f} | "
                         f"{statistics.median(cpu_times):.1f} | "
                         f"{len(picked.choices)} | {len(picked.unavailable)} |")
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--picker", metavar="SLUG",
                        help="Only the New conversation default list of this seeded union.")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_django()
    if args.picker:
        from bench.report import git_revision, load_average, machine, machine_state

        load = load_average()
        lines = _picker(args.picker, args.runs)
        body = "\n".join([f"Revision {git_revision()}, {machine()}; load average {load}: "
                          f"{machine_state(load)}.", "", *lines])
        print(body)
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Histories of an earlier run, written two days ago (the senders' pace).
    from datetime import timedelta

    from django.utils import timezone

    from bench.report import git_revision, load_average, machine, machine_state, write_section
    from bench.serve import gunicorn
    from portal.discussions.models import Message

    Message.objects.filter(body__startswith="Message ").update(
        created_at=timezone.now() - timedelta(days=2))
    union, users, conversations = _world()
    counts = _in_process(union, users, conversations)
    print(counts, flush=True)
    load_before = load_average()
    with gunicorn("portal.wsgi", settings="portal.settings.bench", workers=WORKERS,
                  host=union.site.hostname) as (port, master):
        live = _live(union, users, conversations, port, master)
    lines = [
        f"Revision {git_revision()}, {machine()}; load average {load_before} before the live "
        f"part: {machine_state(load_before)}.",
        "",
        "| request (in process) | SQL queries | median ms |",
        "|---|---:|---:|",
        *[f"| {label} | {queries} | {ms:.1f} |" for label, queries, ms in counts],
        "",
        f"gunicorn, {WORKERS} sync workers, loopback; {LISTENERS} listeners each polling "
        f"their open conversation every {POLL_EVERY:.0f} s; {MESSAGES} messages sent by "
        "staff over HTTP, round-robin, one every 0.4 s:",
        "",
        "| figure | p50 | p95 |",
        "|---|---:|---:|",
        f"| send-to-visible ({live['delivered']}/{MESSAGES} seen) | {live['p50']:.2f} s | "
        f"{live['p95']:.2f} s |",
        f"| sending (POST → redirect) | {live['send_p50'] * 1000:.0f} ms | "
        f"{live['send_p95'] * 1000:.0f} ms |",
        f"| a poll ({live['polls']} requests) | {live['poll_p50'] * 1000:.0f} ms | "
        f"{live['poll_p95'] * 1000:.0f} ms |",
        "",
        f"Workers' resident memory: {live['idle_rss'] / 1024:.0f} MB with no listener, "
        f"{live['busy_rss'] / 1024:.0f} MB with {LISTENERS} polling: "
        f"{(live['busy_rss'] - live['idle_rss']) / LISTENERS:.0f} kB per listener. A "
        "listener holds nothing between polls (no connection, no worker), so the server's "
        "memory does not grow with open pages; what grows is requests: "
        f"{LISTENERS / POLL_EVERY:.1f} polls a second for {LISTENERS} open pages, each "
        "answered, when nothing changed, by the queries of the poll's row above.",
        "",
        "Send-to-visible is bounded by the poll interval: a message shows at the listener's "
        f"next poll, on average half an interval ({POLL_EVERY / 2:.0f} s) later, at most one "
        f"interval ({POLL_EVERY:.0f} s) plus the request. Server-sent events would show it "
        "at once but hold one sync worker per open page (docs/discussions.md).",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("Discussions (issue 18)", body)


if __name__ == "__main__":
    main()
