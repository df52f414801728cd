"""`make bench`: the app at 10,000 councils and 10 rounds, on SQLite and PostgreSQL, served by gunicorn.

For each database: build the dataset with `nps demo --organisations 10000 --rounds 10` (and a second one at 1,000
councils for the export's memory), serve it with gunicorn on 127.0.0.1, and measure under concurrent load (wrk) the
council dashboard, the national report and the floor (a minimal view returning a page of the dashboard's size); time
the national figures by hand-written SQL against the app; measure the CSV export's peak memory. Prints the figures
and the targets, and writes bench/results/DATABASE.json. See bench/README.md.
"""

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, closing
from pathlib import Path
from typing import Any

import load
import servers

RESULTS = Path(__file__).resolve().parent / "results"
FIGURES_SCRIPT = Path(__file__).resolve().parent / "figures.py"
PAGES_SCRIPT = Path(__file__).resolve().parent / "pages.py"
ROUNDS_SCRIPT = Path(__file__).resolve().parent / "rounds.py"
NATIONAL_ADMIN = "national.admin@demo.example"

DASHBOARD_SHARE_OF_FLOOR = 0.1  # the dashboard serves at least a tenth of the floor's requests per second
DASHBOARD_P95_MS = 50.0  # under load (8 connections)
DASHBOARD_ONE_MS = 10.0  # one request at a time
DASHBOARD_QUERIES = 10
REPORT_PER_SECOND = 100.0  # the national report, under load, when nothing changed since the last request
REPORT_TO_SQL = 1.5  # after a submission, the first request takes at most 1.5 times the hand-written SQL
MEMORY_SPREAD = 0.2  # the export's peak memory is the same at both scales, within 20%
OPEN_ROUND_SECONDS, OPEN_ROUND_MB = 30.0, 100.0  # opening a round for every council, and its memory above the start
SUBMIT_REOPEN_MS = 50.0
DEMO_SECONDS = 60.0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--organisations", type=int, default=10_000, help="councils in the main dataset")
    parser.add_argument("--small-organisations", type=int, default=1_000, help="councils in the memory comparison")
    parser.add_argument("--rounds", type=int, default=10, help="past rounds in both datasets")
    parser.add_argument("--seconds", type=int, default=15, help="load duration per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each measurement")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (one per core)")
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn threads per worker (more than one is slower: see README)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with databases and logs")
    return parser.parse_args()


def say(database: str, text: str) -> None:
    print(f"[{database}] {text}", flush=True)


def build(database: str, url: str, organisations: int, rounds: int, static_root: Path) -> dict[str, Any]:
    """A fresh database with the reference data and the demonstration data at the given scale; timed."""
    environment = servers.app_environment(url, static_root)
    say(database, f"building {organisations} councils x {rounds} rounds")
    migrate, _ = servers.nps(["migrate", "--no-input", "-v", "0"], environment)
    setup, _ = servers.nps(["setup"], environment)
    demo, output = servers.nps(["demo", "--organisations", str(organisations), "--rounds", str(rounds)], environment)
    say(database, f"nps demo took {demo:.0f} s")
    if url.startswith("postgresql"):
        settle(url)
    _, plan = servers.run([sys.executable, str(FIGURES_SCRIPT), "plan"], environment)
    return {
        "url": url,
        "organisations": organisations,
        "rounds": rounds,
        "seconds": {"migrate": migrate, "setup": setup, "demo": demo},
        "demo_output": output.splitlines()[-3:],
        "plan": json.loads(plan),
    }


def settle(url: str) -> None:
    """VACUUM ANALYZE after the bulk load, as autovacuum would soon do, so that it does not run during the load."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as database:
        database.execute("VACUUM ANALYZE")


def clear_figures_cache(url: str) -> None:
    """Forget the cached pages and what they are made from (the round's figures, movement and withholding), so that
    the next report is made again as after a submission."""
    kept = ["round-figures", "movement", "withholding", "page"]
    statement = "DELETE FROM nps_cache WHERE " + " OR ".join(f"cache_key LIKE '%:{name}:%'" for name in kept)
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as database:
            database.execute(statement)
            database.commit()
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as database:
            database.execute(statement)


def export_path(dataset: dict[str, Any]) -> tuple[str, str]:
    """Every answer of the round as CSV (national team), or the public open-data CSV where that does not exist."""
    plan = dataset["plan"]
    if plan.get("export_path"):
        return plan["export_path"], "every answer of the round (/rounds/ID/returns.csv)"
    return f"/results/{plan['round_id']}/figures.csv", "open-data figures (/results/ID/figures.csv): no returns.csv"


def measure_memory(database: str, dataset: dict[str, Any], static_root: Path, workdir: Path) -> dict[str, Any]:
    """Peak resident memory of a fresh single worker while it streams the whole export once."""
    environment = servers.app_environment(dataset["url"], static_root)
    path, what = export_path(dataset)
    say(database, f"export memory at {dataset['organisations']} councils: {path}")
    with servers.Gunicorn(environment, workdir / f"{database}-memory.log", workers=1, threads=1) as server:
        cookie = load.sign_in(server.port, NATIONAL_ADMIN)
        load.page(server.port, "/account/", cookie)  # imports and first-request work, before the baseline
        [worker] = server.workers()
        measured = load.peak_memory_while(worker, lambda: load.stream(server.port, path, cookie))
    return {"organisations": dataset["organisations"], "path": path, "export": what, **measured}


def dashboards(port: int, plan: dict[str, Any]) -> list[tuple[str, str]]:
    """Each sampled council's dashboard, signed in as that council's editor."""
    return [
        (
            f"/organisations/{council['gss_code']}/rounds/{plan['round_id']}/dashboard/",
            load.sign_in(port, council["editor"]),
        )
        for council in plan["councils"]
    ]


def under_load(
    database: str,
    port: int,
    name: str,
    targets: list[tuple[str, str]],
    options: argparse.Namespace,
    connections: int | None = None,
) -> dict[str, Any]:
    connections = connections or options.connections
    load.wrk(port, targets, seconds=options.warmup, connections=connections)
    result = load.wrk(port, targets, seconds=options.seconds, connections=connections)
    result["machine"] = servers.machine()
    latency = result["latency_ms"]
    say(
        database,
        f"{name} ({connections} connections): {result['requests_per_second']:.1f} req/s, "
        f"p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms",
    )
    return result


def measure_web(
    database: str, dataset: dict[str, Any], static_root: Path, workdir: Path, options: argparse.Namespace
) -> dict[str, Any]:
    environment = servers.app_environment(dataset["url"], static_root)
    plan = dataset["plan"]
    log = workdir / f"{database}-gunicorn.log"
    with servers.Gunicorn(environment, log, workers=options.workers, threads=options.threads) as server:
        port = server.port
        say(database, f"gunicorn on 127.0.0.1:{port}, signing in {len(plan['councils'])} council editors")
        council_pages = dashboards(port, plan)
        sizes = [len(load.page(port, path, cookie).body) for path, cookie in council_pages]
        admin = load.sign_in(port, NATIONAL_ADMIN)
        report = f"/rounds/{plan['round_id']}/report/"
        compared = f"{report}?compare={plan['earlier_round_id']}"
        page_bytes = round(sum(sizes) / len(sizes))
        floor = f"/bench/floor/?bytes={page_bytes}"
        for path in (report, compared, floor):
            load.page(port, path, admin)
        loads = {
            "floor": under_load(database, port, "floor", [(floor, council_pages[0][1])], options),
            "dashboard": under_load(database, port, "council dashboard", council_pages, options),
            "dashboard_one_connection_per_worker": under_load(
                database, port, "council dashboard", council_pages, options, connections=options.workers
            ),
            "national_report": under_load(database, port, "national report", [(report, admin)], options),
            "national_report_compared": under_load(
                database, port, "national report, compared", [(compared, admin)], options
            ),
        }
        single = {
            "dashboard": load.sequential_over(port, council_pages),
            "floor": load.sequential(port, floor, council_pages[0][1], 20),
            "national_report_cached": load.sequential(port, report, admin, 20),
            "national_report_uncached": load.sequential(
                port, report, admin, 10, before_each=lambda: clear_figures_cache(dataset["url"])
            ),
            "national_report_compared_cached": load.sequential(port, compared, admin, 10),
            "national_report_compared_uncached": load.sequential(
                port, compared, admin, 10, before_each=lambda: clear_figures_cache(dataset["url"])
            ),
        }
    return {"dashboard_bytes": page_bytes, "dashboard_councils": len(council_pages), "load": loads, "single": single}


def time_figures(database: str, dataset: dict[str, Any], static_root: Path) -> dict[str, Any]:
    say(database, "timing the hand-written SQL and the app's figures, one at a time")
    environment = servers.app_environment(dataset["url"], static_root)
    _, output = servers.run([sys.executable, str(FIGURES_SCRIPT), "time"], environment)
    return dict(json.loads(output))


def time_pages(database: str, dataset: dict[str, Any], static_root: Path) -> dict[str, Any]:
    say(database, "visiting every page type as each person who can see it, one request at a time")
    environment = servers.app_environment(dataset["url"], static_root)
    _, output = servers.run([sys.executable, str(PAGES_SCRIPT)], environment)
    return dict(json.loads(output))


def slowest_pages(pages: dict[str, Any]) -> list[dict[str, Any]]:
    """Each page type once, as the person for whom it is slowest, slowest first."""
    slowest: dict[str, dict[str, Any]] = {}
    for page in pages["pages"]:
        if page["page"] not in slowest or page["median_ms"] > slowest[page["page"]]["median_ms"]:
            slowest[page["page"]] = page
    return sorted(slowest.values(), key=lambda page: -page["median_ms"])


def time_rounds(database: str, dataset: dict[str, Any], static_root: Path) -> dict[str, Any]:
    say(database, "opening a round for every council, then submitting and reopening a return (changes the dataset)")
    environment = servers.app_environment(dataset["url"], static_root)
    _, output = servers.run([sys.executable, str(ROUNDS_SCRIPT)], environment)
    return dict(json.loads(output))


def check(name: str, value: float, limit: float, *, at_least: bool = False, unit: str = "") -> dict[str, Any]:
    """PASS or MISS against a limit, with by how much it was missed (as a share of the limit)."""
    passed = value >= limit if at_least else value <= limit
    shortfall = abs(value - limit) / limit if limit else value
    return {
        "target": name,
        "value": value,
        "limit": limit,
        "comparison": ">=" if at_least else "<=",
        "unit": unit,
        "passed": passed,
        "missed_by": None if passed else shortfall,
    }


def targets(
    web: dict[str, Any],
    figures: dict[str, Any],
    memory: list[dict[str, Any]],
    pages: dict[str, Any],
    rounds: dict[str, Any],
    demo: float,
) -> list[dict[str, Any]]:
    loads, single = web["load"], web["single"]
    small, large = memory
    over = [page for page in slowest_pages(pages) if not page["passed"]]
    dashboard = next(p for p in pages["pages"] if p["page"] == "insights:dashboard" and p["person"] == "council editor")
    sql = figures["sql"]["median_ms"]
    return [
        check(
            "council dashboard req/s as a share of the floor's",
            loads["dashboard"]["requests_per_second"] / loads["floor"]["requests_per_second"],
            DASHBOARD_SHARE_OF_FLOOR,
            at_least=True,
            unit="x",
        ),
        check("council dashboard p95 under load", loads["dashboard"]["latency_ms"]["p95"], DASHBOARD_P95_MS, unit="ms"),
        check(
            "council dashboard, one request at a time", single["dashboard"]["median_ms"], DASHBOARD_ONE_MS, unit="ms"
        ),
        check("council dashboard's SQL queries", dashboard["queries"], DASHBOARD_QUERIES),
        check(
            "national report req/s under load, nothing changed",
            loads["national_report"]["requests_per_second"],
            REPORT_PER_SECOND,
            at_least=True,
        ),
        check(
            "compared report req/s under load, nothing changed",
            loads["national_report_compared"]["requests_per_second"],
            REPORT_PER_SECOND,
            at_least=True,
        ),
        check(
            "national report after a submission / hand-written SQL",
            single["national_report_uncached"]["median_ms"] / sql,
            REPORT_TO_SQL,
            unit="x",
        ),
        check(
            "compared report after a submission / hand-written SQL",
            single["national_report_compared_uncached"]["median_ms"] / sql,
            REPORT_TO_SQL,
            unit="x",
        ),
        check("page types over their limit (50 ms; PDF 1 s; an export's first byte 200 ms)", len(over), 0),
        check(
            "export peak memory, large / small dataset",
            large["peak_rss_kb"] / small["peak_rss_kb"],
            1 + MEMORY_SPREAD,
            unit="x",
        ),
        check("opening a round for every council", rounds["open_seconds"], OPEN_ROUND_SECONDS, unit="s"),
        check("opening a round: peak memory above the start", rounds["peak_above_before_mb"], OPEN_ROUND_MB, unit="MB"),
        check("submitting a return", rounds["submit"]["median_ms"], SUBMIT_REOPEN_MS, unit="ms"),
        check("reopening a return", rounds["reopen"]["median_ms"], SUBMIT_REOPEN_MS, unit="ms"),
        check("nps demo, the large dataset", demo, DEMO_SECONDS, unit="s"),
    ]


def ratios(web: dict[str, Any], figures: dict[str, Any]) -> dict[str, float]:
    loads, single = web["load"], web["single"]
    sql = figures["sql"]["median_ms"]
    return {
        "dashboard_rps_to_floor_rps": loads["dashboard"]["requests_per_second"] / loads["floor"]["requests_per_second"],
        "dashboard_p50_to_floor_p50": loads["dashboard"]["latency_ms"]["p50"] / loads["floor"]["latency_ms"]["p50"],
        "national_report_uncached_to_sql": single["national_report_uncached"]["median_ms"] / sql,
        "national_report_cached_to_sql": single["national_report_cached"]["median_ms"] / sql,
        "national_report_under_load_p50_to_sql": loads["national_report"]["latency_ms"]["p50"] / sql,
        "figures_uncached_to_sql": figures["figures_uncached"]["median_ms"] / sql,
    }


def print_table(result: dict[str, Any]) -> None:
    web, figures, large = result["web"], result["figures"], result["datasets"]["large"]
    counts = large["plan"]["counts"]
    scale = f"{counts['councils']} councils, {counts['rounds']} rounds, {counts['answers']} answers"
    print(f"\n== {result['database']}: {scale}")
    for name, dataset in result["datasets"].items():
        seconds = dataset["seconds"]
        print(
            f"   {name} dataset ({dataset['organisations']} councils): nps demo {seconds['demo']:.0f} s, "
            f"migrate {seconds['migrate']:.0f} s, setup {seconds['setup']:.0f} s"
        )
    columns = "".join(f"{column:>9}" for column in ["conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "bytes", "errors"])
    print(f"   {'under load':<36}{columns}")
    for name, measured in web["load"].items():
        latency = measured["latency_ms"]
        errors = sum(measured["errors"].values())
        print(
            f"   {name:<36}{measured['connections']:>9}{measured['requests_per_second']:>9.1f}"
            f"{latency['p50']:>9.1f}{latency['p95']:>9.1f}{latency['p99']:>9.1f}{measured['bytes_per_response']:>9.0f}{errors:>8}"
        )
    print("   one at a time (median ms):")
    for name, measured in web["single"].items():
        print(f"     {name:<40}{measured['median_ms']:>9.1f}")
    print(f"     {'hand-written SQL aggregate':<40}{figures['sql']['median_ms']:>9.1f}")
    print(
        f"     {'round figures, uncached (in process)':<40}{figures['figures_uncached']['median_ms']:>9.1f}"
        f"   same counts as the SQL: {figures['same_counts']}"
    )
    print("   ratios:")
    for name, value in result["ratios"].items():
        print(f"     {name:<40}{value:>9.2f}")
    print("   export memory (peak RSS of the worker):")
    for measured in result["memory"]:
        outcome = measured["outcome"]
        print(
            f"     {measured['organisations']:>6} councils: peak {measured['peak_rss_kb'] / 1024:.1f} MB "
            f"(before {measured['rss_before_kb'] / 1024:.1f} MB), {outcome['bytes'] / 1e6:.1f} MB in "
            f"{outcome['lines']} lines, {outcome['seconds']:.1f} s; {measured['export']}"
        )
    slowest = slowest_pages(result["pages"])
    print(f"   every page type, one request at a time ({len(slowest)} types; the slowest person's median):")
    for page in slowest[:15]:
        verdict = "" if page["passed"] else f"  OVER {page['limit_ms']:g} ms"
        print(
            f"     {page['page']:<40}{page['median_ms']:>9.1f} ms{page['queries']:>5} queries{page['bytes']:>10} bytes"
            f"  {page['person']}{verdict}"
        )
    rounds = result["rounds"]
    print(
        f"   opening a round for {rounds['invited']} councils: {rounds['open_seconds']:.1f} s, peak "
        f"{rounds['peak_above_before_mb']:.1f} MB above the start; submit / reopen a return "
        f"{rounds['submit']['median_ms']:.1f} / {rounds['reopen']['median_ms']:.1f} ms"
    )
    print("   targets:")
    for target in result["targets"]:
        verdict = "PASS" if target["passed"] else f"MISS by {target['missed_by']:.0%}" if target["limit"] else "MISS"
        print(
            f"     {verdict:<13}{target['target']:<76}{target['value']:>8.2f} {target['unit']:<3}"
            f"(target {target['comparison']} {target['limit']:g})"
        )


def databases(name: str, workdir: Path) -> AbstractContextManager[Callable[[str], str]]:
    if name == "sqlite":
        return servers.sqlite_databases(workdir)
    if name == "postgresql":
        return servers.postgresql_databases()
    sys.exit(f"Unknown database {name}: use sqlite or postgresql")


def benchmark(database: str, workdir: Path, static_root: Path, options: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    with databases(database, workdir) as new_database:
        small = build(database, new_database("bench_small"), options.small_organisations, options.rounds, static_root)
        memory_small = measure_memory(database, small, static_root, workdir)
        large = build(database, new_database("bench_large"), options.organisations, options.rounds, static_root)
        memory_large = measure_memory(database, large, static_root, workdir)
        web = measure_web(database, large, static_root, workdir, options)
        figures = time_figures(database, large, static_root)
        pages = time_pages(database, large, static_root)
        rounds = time_rounds(database, large, static_root)  # last: it opens a round in the dataset
    result = {
        "database": database,
        "options": vars(options),
        "machine": servers.machine(),
        "datasets": {"small": small, "large": large},
        "web": web,
        "figures": figures,
        "memory": [memory_small, memory_large],
        "pages": pages,
        "rounds": rounds,
        "ratios": ratios(web, figures),
        "targets": targets(web, figures, [memory_small, memory_large], pages, rounds, large["seconds"]["demo"]),
    }
    result["seconds"] = time.monotonic() - started
    return result


def main() -> None:
    options = arguments()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="nps-bench-"))
    static_root = workdir / "static"
    RESULTS.mkdir(exist_ok=True)
    failed = True
    try:
        print(f"Working in {workdir}; collecting static files", flush=True)
        servers.nps(
            ["collectstatic", "--no-input", "-v", "0"],
            servers.app_environment(f"sqlite:///{workdir / 'static.sqlite3'}", static_root),
        )
        for database in options.databases.split(","):
            result = benchmark(database, workdir, static_root, options)
            (RESULTS / f"{database}.json").write_text(json.dumps(result, indent=2) + "\n")
            print_table(result)
            print(f"   wrote {RESULTS / f'{database}.json'} ({result['seconds'] / 60:.1f} min)", flush=True)
        failed = False
    finally:
        if failed:
            for log in sorted(workdir.glob("*.log")):
                print(f"--- the end of {log}:\n" + "\n".join(log.read_text().splitlines()[-40:]))
        if options.keep or failed:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nmake bench took {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
