"""The added cost of the step-up check on a protected view (portal/stepup/decorators.py).

Calls one trivial view directly and through `second_step_required` with a fresh step in
an already-loaded session (as the authentication middleware leaves it), and reports the
median per call of each and the difference, plus the SQL queries the check made (0).

    DJANGO_SETTINGS_MODULE=portal.settings.dev .venv/bin/python bench/stepup_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.base import SessionBase  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.stepup.decorators import second_step_required  # noqa: E402


class _User:
    is_authenticated = True


def view(request):
    return HttpResponse("ok")


def _median_ns(func, request, rounds: int = 30, calls: int = 20_000) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(calls):
            func(request)
        samples.append((time.perf_counter_ns() - start) / calls)
    return statistics.median(samples)


def main() -> None:
    settings.STEPUP_ENFORCED = True
    request = RequestFactory().get("/protected/")
    request.user = _User()
    request.session = SessionBase()
    request.session._session_cache = {"stepup_at": int(time.time())}  # loaded already
    protected = second_step_required(view)
    with CaptureQueriesContext(connection) as queries:
        assert protected(request).status_code == 200
    plain, guarded = _median_ns(view, request), _median_ns(protected, request)
    print(f"plain view      {plain / 1000:.2f} µs per call")
    print(f"with the check  {guarded / 1000:.2f} µs per call")
    print(f"added           {(guarded - plain) / 1000:.2f} µs per call, "
          f"{len(queries.captured_queries)} SQL queries")


if __name__ == "__main__":
    main()
