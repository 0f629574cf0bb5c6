"""With CI=true a test that needs a missing service fails; locally it is skipped."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = "tests/test_services.py::test_elasticsearch_finnish_analyzer_round_trip"


def _run(ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": ci, "ELASTICSEARCH_URL": ""}
    # Under pytest-xdist the child is a plain run of its own, not one of the workers.
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-rs", TARGET],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_missing_service_fails_in_ci():
    result = _run("true")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    # The test fails on the missing Elasticsearch, or (without DATABASE_URL) the test
    # settings already refuse to run CI on anything but PostgreSQL: never a skip.
    assert "required in CI" in output or "CI runs the suite on PostgreSQL" in output
    assert "skipped" not in result.stdout


def test_missing_service_is_skipped_outside_ci():
    result = _run("")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
