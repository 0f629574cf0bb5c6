"""Runs wrk (the C load generator from Debian's `wrk` package) against one URL and reads
the JSON line bench/wrk_report.lua prints: requests, req/s, latency percentiles, errors.

wrk runs in one thread: at 1 and 10 connections that is enough, and it leaves the two
cores to the servers under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
MARK = "WRK_JSON "


@dataclass
class WrkResult:
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failures(self) -> int:
        return self.non2xx + self.socket_errors


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is missing: run `bin/install-system-deps --bench` as root "
                         "(Debian package `wrk`)")
    return path


def run(*, port: int, path: str, host: str, cookie: str = "", connections: int = 10,
        seconds: float = 10.0, timeout_s: float = 30.0) -> WrkResult:
    command = [require_wrk(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               f"--timeout={timeout_s:.0f}s", "-s", str(SCRIPT), "-H", f"Host: {host}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    finished = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=seconds + timeout_s + 30)
    line = next((x for x in finished.stdout.splitlines() if x.startswith(MARK)), None)
    if finished.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {path}: {finished.stderr or finished.stdout}")
    data = json.loads(line[len(MARK):])
    errors = data["errors"]
    latency = data["latency_us"]
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non2xx=data["non2xx"],
        # wrk's `status` errors are responses >= 400, already in non2xx.
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        p50_ms=latency["p50"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
    )
