"""Requests to the app: signing in as a real user would, single timed requests, and concurrent load with wrk."""

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servers import memory_kb

LOAD_SCRIPT = Path(__file__).resolve().parent / "load.lua"
DEMO_PASSWORD = "demo-password-2018"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    seconds: float
    headers: http.client.HTTPMessage


def request(
    port: int, path: str, cookie: str = "", *, method: str = "GET", form: dict[str, str] | None = None
) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Cookie": cookie} if cookie else {}
    body = urllib.parse.urlencode(form) if form is not None else None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return Response(response.status, content, seconds, response.headers)


def cookies_from(response: Response) -> dict[str, str]:
    return {
        header.split("=", 1)[0]: header.split("=", 1)[1].split(";", 1)[0]
        for header in response.headers.get_all("Set-Cookie") or []
    }


def sign_in(port: int, email: str, password: str = DEMO_PASSWORD) -> str:
    """Sign in through the public form, as a browser would; returns the Cookie header of the session."""
    page = request(port, "/account/sign-in/")
    found = CSRF_FIELD.search(page.body.decode())
    if page.status != 200 or found is None:
        sys.exit(f"The sign-in page answered {page.status} without a form")
    csrf = cookies_from(page)["csrftoken"]
    form = {"username": email, "password": password, "csrfmiddlewaretoken": found.group(1)}
    answer = request(port, "/account/sign-in/", f"csrftoken={csrf}", method="POST", form=form)
    session = cookies_from(answer).get("sessionid")
    if answer.status != 302 or session is None:
        sys.exit(f"Signing in as {email} failed ({answer.status})")
    return f"csrftoken={csrf}; sessionid={session}"


def page(port: int, path: str, cookie: str) -> Response:
    """A page that must answer 200 (a redirect to sign in would make the load figures meaningless)."""
    response = request(port, path, cookie)
    if response.status != 200:
        sys.exit(f"GET {path} answered {response.status}, not 200")
    return response


def sequential(
    port: int, path: str, cookie: str, count: int, before_each: Callable[[], None] | None = None
) -> dict[str, Any]:
    """One request at a time: the server's own time for the page, plus a local round trip."""
    timings = []
    for _ in range(count):
        if before_each:
            before_each()
        timings.append(page(port, path, cookie).seconds * 1000)
    return {"median_ms": statistics.median(timings), "min_ms": min(timings), "runs_ms": timings}


def sequential_over(port: int, targets: list[tuple[str, str]]) -> dict[str, Any]:
    """Each target once, one at a time."""
    timings = [page(port, path, cookie).seconds * 1000 for path, cookie in targets]
    return {"median_ms": statistics.median(timings), "min_ms": min(timings), "runs_ms": timings}


def wrk(port: int, targets: list[tuple[str, str]], *, seconds: int, connections: int) -> dict[str, Any]:
    """Concurrent load for a fixed time, cycling through the targets (path, cookie); latencies in milliseconds."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.writelines(f"{path}\t{cookie}\n" for path, cookie in targets)
    try:
        result = subprocess.run(
            [
                "wrk",
                "--threads",
                "1",  # one thread drives every connection: wrk takes as little CPU from the server as it can
                "--connections",
                str(connections),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "30s",
                "--script",
                str(LOAD_SCRIPT),
                f"http://127.0.0.1:{port}",
            ],
            env={**os.environ, "BENCH_TARGETS": listing.name},
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(listing.name)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH-JSON "))
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    return {
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "requests_per_second": raw["requests"] / (raw["duration_us"] / 1e6),
        "bytes_per_response": raw["bytes"] / max(1, raw["requests"]),
        "errors": raw["errors"],
        "latency_ms": {name: value / 1000 for name, value in raw["latency_us"].items()},
        "connections": connections,
    }


def peak_memory_while(pid: int, action: Callable[[], Any]) -> dict[str, Any]:
    """Run the action while sampling the process's resident memory; the peak is the kernel's high-water mark."""
    samples: list[int] = []
    running = threading.Event()
    running.set()

    def sample() -> None:
        while running.is_set():
            samples.append(memory_kb(pid, "VmRSS"))
            time.sleep(0.01)

    before = memory_kb(pid, "VmRSS")
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        outcome = action()
    finally:
        running.clear()
        sampler.join()
    return {
        "rss_before_kb": before,
        "rss_peak_sampled_kb": max(samples, default=before),
        "peak_rss_kb": memory_kb(pid, "VmHWM"),
        "outcome": outcome,
    }


def stream(port: int, path: str, cookie: str) -> dict[str, Any]:
    """Download a streamed response, reading it as it comes; counts bytes and lines."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"GET {path} answered {response.status}, not 200")
    size = lines = 0
    while block := response.read(64 * 1024):
        size += len(block)
        lines += block.count(b"\n")
    connection.close()
    return {"bytes": size, "lines": lines, "seconds": time.perf_counter() - started}
