"""The benchmark's every-page part, run by bench/run.py with the dataset in DATABASE_URL: every page type, as each
demonstration person who can see it, one request at a time, in the app's own process.

As each person it follows every link on the site from their start pages (never the admin, sign-out or another site),
as the browser test nps/core/tests/test_browser_every_page.py does, and times the first address of each page type (its
URL name) REPEATS times after one request that warms it: the median, the SQL queries and the bytes. A streamed export
is timed to its first byte (its whole length is kept too), a PDF report whole. Prints one JSON document: the pages,
and the URL names no link reached (forms' answers, pages reached from an email, the API).
"""

import html
import json
import re
import statistics
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, URLResolver, get_resolver, resolve  # noqa: E402

from nps.accounts.models import User  # noqa: E402

REPEATS = 5
PAGE_MS, PDF_MS, FIRST_BYTE_MS = 50.0, 1000.0, 200.0  # the limits of the issue
# Each person, and where they start besides the home page (the first address of a page type is the one timed).
PEOPLE = {
    "the public": (None, []),
    "council editor": ("editor@demo.example", ["/returns/"]),
    "council viewer": ("viewer@demo.example", ["/returns/"]),
    "council approver": ("approver@demo.example", ["/returns/"]),
    "peer reviewer": ("editor.e08000010@demo.example", ["/returns/"]),
    "council with a query": ("editor.e08000003@demo.example", ["/returns/"]),
    "group lead": ("group.lead@demo.example", []),
    "national team": ("national.admin@demo.example", ["/rounds/", "/strategy/manage/"]),
}
SKIPPED = ("/admin/", "/static/", "/media/", "/account/sign-out/")
HREF = re.compile(r'href="(/[^"/][^"]*|/)"')


def page_type(address: str) -> str | None:
    path = urlsplit(address).path
    if path.startswith(SKIPPED):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def all_page_types(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every URL name in the URLconf but the admin's."""
    found = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                found |= all_page_types(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif pattern.name:
            found.add(namespace + pattern.name)
    return found


def fetch(client: Client, address: str) -> dict[str, Any]:
    """One request: milliseconds to the whole answer (or, streamed, to its first byte), queries, bytes, links."""
    connection.queries_log.clear()  # it holds 9,000 queries at most, and counts no more once full
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(address)
        if response.streaming:
            chunks = iter(response.streaming_content)  # type: ignore[attr-defined]
            first = next(chunks, b"")
            milliseconds = (time.perf_counter() - started) * 1000
            size = len(first) + sum(len(chunk) for chunk in chunks)
            body = b""
        else:
            milliseconds = (time.perf_counter() - started) * 1000
            body = response.content
            size = len(body)
        response.close()
    kind = response.get("Content-Type", "")
    links = HREF.findall(body.decode(errors="replace")) if kind.startswith("text/html") else []
    return {
        "status": response.status_code,
        "ms": milliseconds,
        "queries": len(queries),
        "bytes": size,
        "streamed": response.streaming,
        "type": kind.split(";")[0],
        "links": [html.unescape(link).split("#")[0] for link in links],
    }


def limit(measured: dict[str, Any]) -> float:
    if measured["type"] == "application/pdf":
        return PDF_MS
    return FIRST_BYTE_MS if measured["streamed"] else PAGE_MS


def timed(client: Client, person: str, address: str, first: dict[str, Any]) -> dict[str, Any]:
    runs = [fetch(client, address) for _ in range(REPEATS)]
    median = statistics.median(run["ms"] for run in runs)
    return {
        "page": page_type(address),
        "person": person,
        "address": address,
        "median_ms": median,
        "queries": runs[-1]["queries"],
        "bytes": runs[-1]["bytes"],
        "type": first["type"],
        "streamed": first["streamed"],
        "limit_ms": limit(first),
        "passed": median <= limit(first),
    }


def visit(person: str, email: str | None, start: list[str]) -> list[dict[str, Any]]:
    """The first address of every page type this person reaches, each timed; then every API operation they may GET
    with the identifiers those pages carry."""
    client = Client(SERVER_NAME="127.0.0.1")
    if email:
        client.force_login(User.objects.get(email=email))
    queue, seen, pages, identifiers = deque([*start, "/"]), set[str](), [], dict[str, str]()
    while queue:
        address = queue.popleft()
        kind = page_type(address)
        if kind is None or kind in seen:
            continue
        first = fetch(client, address)
        if first["status"] != 200:
            continue
        seen.add(kind)
        pages.append(timed(client, person, address, first))
        identifiers = {**resolve(urlsplit(address).path).kwargs, **identifiers}
        queue.extend(first["links"])
    for address in api_addresses(identifiers):
        first = fetch(client, address)
        if first["status"] == 200 and page_type(address) not in seen:
            seen.add(str(page_type(address)))
            pages.append(timed(client, person, address, first))
    return pages


def api_addresses(identifiers: dict[str, Any]) -> list[str]:
    """Each API operation's address, filled in with what the pages' addresses named (an index's code, a review's
    number); those it cannot fill are left out."""
    known = {key: str(value) for key, value in identifiers.items()}
    known.setdefault("index_code", known.get("code", ""))
    known.setdefault("index", known.get("code", ""))
    known.setdefault("request_id", known.get("request_id", ""))
    [api] = [pattern for pattern in get_resolver().url_patterns if getattr(pattern, "namespace", "") == "api"]
    addresses = []
    for pattern in api.url_patterns:
        names = list(pattern.pattern.regex.groupindex)
        if all(known.get(name) for name in names):
            path = str(pattern.pattern)
            for name in names:
                path = path.replace(f"<{name}>", known[name])
            addresses.append(f"/api/v1/{path}")
    return addresses


def main() -> None:
    pages = [page for person, (email, start) in PEOPLE.items() for page in visit(person, email, start)]
    reached = {page["page"] for page in pages}
    print(json.dumps({"pages": pages, "not_reached": sorted(all_page_types() - reached)}))


if __name__ == "__main__":
    main()
