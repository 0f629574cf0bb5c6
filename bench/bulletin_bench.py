"""Benchmark: send one bulletin to a 10,000-member branch through a loopback SMTP server.

    DATABASE_URL=postgres://... .venv/bin/python bench/bulletin_bench.py [--members N]

Builds a throwaway test database (Django's test-database machinery, so nothing real is
touched), starts aiosmtpd (Sink handler) in a subprocess on 127.0.0.1 at a free port,
runs the real sending loop (`portal.messaging.sending.deliver`) through Django's SMTP
backend with the throttle off, and prints messages/s and the process RSS sampled while
sending. Target (issue 6): >= 200 messages/s with flat memory.
BENCH_PROFILE=tottime (or cumulative) profiles a single-thread run instead.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time

from bench.common import free_port, setup_django  # noqa: E402


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the SMTP server did not start")


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.25):
            self.samples.append(rss_mib())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()

    setup_django("portal.settings.test")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        # Enqueue into the dummy backend, so the loop below is what gets measured.
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        ):
            run(args.members, connection.vendor)
        with open(f"/proc/{server.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        print(f"SMTP server CPU time: {cpu:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=10)
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(members: int, vendor: str) -> None:
    from portal.messaging.actions import send_bulletin
    from portal.messaging.audience import Audience
    from portal.messaging.models import Delivery, DeliveryStatus
    from portal.messaging.sending import deliver
    from portal.people.models import Person, PositionKind
    from tests.factories import appoint, make_branch, make_bulletin, make_person, make_union

    union = make_union("bench")
    branch = make_branch(union)
    chair = make_person(union, branch=branch)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    Person.objects.bulk_create(
        [Person(union=union, branch=branch, first_name=f"M{i}", last_name="Bench",
                email=f"m{i}@bench.example", preferred_language=("fi", "sv", "en")[i % 3])
         for i in range(members - 1)],
        batch_size=2000)
    bulletin = make_bulletin(branch, "Benchmark")
    send = send_bulletin(bulletin=bulletin, audience=Audience(), acting_user=chair.user)

    sampler = Sampler()
    before = rss_mib()
    sampler.start()
    started = time.perf_counter()
    cpu_started = time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(deliver, send.pk, rate=0, workers=1)
        stats = pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"])
        stats.print_stats(30)
    else:
        result = deliver(send.pk, rate=0)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    sampler.stop.set()
    sampler.join()
    sent = Delivery.objects.filter(send=send, status=DeliveryStatus.SENT).count()
    samples = sampler.samples or [rss_mib()]
    warm = samples[len(samples) // 5:] or samples
    print(f"database: {vendor}")
    print(f"recipients: {members}, sent: {sent}, loop result: {result}")
    print(f"elapsed: {elapsed:.1f} s (listing recipients + sending)")
    print(f"rate: {sent / elapsed:.0f} messages/s")
    print(f"CPU of the sending process: {cpu:.1f} s ({1000 * cpu / max(sent, 1):.2f} ms/message)")
    print(f"RSS before: {before:.0f} MiB; while sending: min {min(samples):.0f}, "
          f"max {max(samples):.0f} MiB; after the first 20 %: {min(warm):.0f}–{max(warm):.0f} MiB")


if __name__ == "__main__":
    main()
