"""The full strong sign-in round trip on loopback (docs/benchmarks.md, "Strong sign-in"):
the sign-in link → the provider's authorization endpoint (signed request object) → its
login form, where a test identity is picked → the callback (token request with
private_key_jwt, ID token decrypted and verified, profile matched by keyed hash) → the
signed-in front page. Each run is a new browser session (plain HTTP, no browser).

Against a running demo whose unions `connect_demo_identity` connected to the test
provider (`make demo`, or bin/services start-oidc + seed_demo + connect_demo_identity):

    python -m bench.identity_bench [--base http://127.0.0.1:8000] [--runs 40]
                                   [--identity test-aino]

The first run of an identity not yet activated is the activation and is reported apart.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from urllib.parse import urljoin

import requests

LOA3 = "http://ftn.ficora.fi/2017/loa3"


def round_trip(base: str, identity: str) -> float:
    browser = requests.Session()
    started = time.perf_counter()
    answer = browser.get(f"{base}/oidc/start/", timeout=30)
    form = re.search(r'action="(/interaction/[^"]+/login)"', answer.text)
    if not form:
        raise SystemExit(f"no login form at the provider: {answer.url} {answer.status_code}")
    answer = browser.post(urljoin(answer.url, form.group(1)),
                          data={"sub": identity, "acr": LOA3}, timeout=30)
    elapsed = time.perf_counter() - started
    if not answer.url.startswith(base) or "/oidc/" in answer.url or answer.status_code != 200:
        raise SystemExit(f"did not come back signed in: {answer.url} {answer.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--identity", default="test-aino")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    first = round_trip(base, args.identity)
    times = sorted(round_trip(base, args.identity) for _ in range(args.runs))
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"first run (activation if the profile was new): {first * 1000:.0f} ms")
    print(f"{args.runs} sign-ins: p50 {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
