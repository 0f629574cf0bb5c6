"""gunicorn, started the same way for the bare project and the portal."""

from __future__ import annotations

import http.client
import os
import subprocess
import time
from contextlib import contextmanager

from bench.common import ROOT, free_port


def gunicorn_flags(workers: int) -> list[str]:
    """The one configuration both projects are served with."""
    return ["--workers", str(workers), "--worker-class", "sync", "--timeout", "120",
            "--log-level", "warning"]


def wait_for(port: int, host: str, path: str = "/", timeout: float = 90.0) -> None:
    """Until the server answers anything at all (a redirect or 404 too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host})
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


@contextmanager
def gunicorn(wsgi: str, *, settings: str, workers: int, host: str, env: dict | None = None):
    """Serves `wsgi` on a free loopback port; yields (port, master pid)."""
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), wsgi, "--bind", f"127.0.0.1:{port}",
         *gunicorn_flags(workers)],
        cwd=ROOT, env={**os.environ, **(env or {}), "DJANGO_SETTINGS_MODULE": settings})
    try:
        wait_for(port, host)
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
