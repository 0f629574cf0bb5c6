"""A small closed-loop load generator for loopback benchmarks.

N client threads each keep one HTTP/1.1 connection and send requests back to back for
a fixed number of requests or seconds, whichever comes first. Reports throughput and
latency percentiles. Bounded in count and time, and it only talks to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def run(*, port: int, path: str, host: str, cookie: str = "", clients: int = 10,
        max_requests: int = 2000, max_seconds: float = 20.0) -> Result:
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    sent = [0]
    deadline = time.monotonic() + max_seconds
    headers = {"Host": host, "Connection": "keep-alive"}
    if cookie:
        headers["Cookie"] = cookie

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(requests=len(latencies), errors=errors[0],
                  seconds=time.monotonic() - started, latencies_ms=latencies)
