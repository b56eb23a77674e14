"""Web UI latency and throughput on a large demo network, beside a trivial endpoint of the same server.

Starts `knowwho serve`'s app (uvicorn, one process) on a loopback port over a
demo database, then drives it with 8 concurrent keep-alive clients for a
bounded number of requests per endpoint: the Today page, person pages (a
fixed sample of people, and first views: a different person each request), the People, Organizations and Stats pages, warm
paths (/api/paths into large and small organizations, to people known only
through others, to a field: each answer kept until the data changes, and
again with a different limit each time, so that every answer is computed),
and /healthz, which does no work and shows the ceiling of this machine and server
stack. Prints p50/p95/p99 latency,
requests per second, and each page's ratio to the trivial endpoint.

    python bench/bench_web.py                 # 100,000 people (built once into bench/data/)
    python bench/bench_web.py --people 10000 --requests 1000

Target (DESIGN §6): p95 under 100 ms for the Today page, a person page and
/api/paths at 100,000 people.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_VIEWS = {"person, first views"}  # endpoints whose every request asks something not asked before
SERVER = """
import sys, uvicorn
from knowwho.web.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def build_database(path: Path, people: int) -> None:
    """The demo network when the demo generator is installed, else a smaller network made through the services."""
    from knowwho.core import Knowwho

    path.parent.mkdir(parents=True, exist_ok=True)
    kw = Knowwho.open(path)
    try:
        from knowwho.services.demo import generate_demo
    except ImportError:
        _services_network(kw, min(people, 5_000))
    else:
        started = time.perf_counter()
        summary = generate_demo(kw, people=people, seed=1, busyness=8)  # about 20 conversations a person
        print(f"built {summary.people:,} people, {summary.interactions:,} interactions "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    kw.close()


def _services_network(kw: object, people: int) -> None:
    from datetime import timedelta

    rng = random.Random(1)
    for n in range(people):
        person = kw.people.add(f"Person {n}", organization=f"Org {n % 97}", closeness=rng.randint(1, 5))  # type: ignore[attr-defined]
        for k in range(rng.randint(0, 6)):
            when = kw.ctx.now() - timedelta(days=rng.randint(1, 700))  # type: ignore[attr-defined]
            kw.interactions.log([person.id], kind=rng.choice(["email", "coffee", "call"]), when=when, note=f"talk {k}")  # type: ignore[attr-defined]


def sample_people(path: Path, count: int) -> list[int]:
    """A fixed sample of person pages: the most connected people (the heaviest pages) and recent ones."""
    from knowwho.core import Knowwho
    from knowwho.services.browse import BrowseQuery, BrowseService

    kw = Knowwho.open(path)
    browse = BrowseService(kw.ctx, kw.search)
    ids: list[int] = []
    for sort in ("strength", "recent", "name"):
        ids += [p.id for p in browse.page(BrowseQuery(sort=sort, limit=min(200, count))).people]
    kw.close()
    return list(dict.fromkeys(ids))[:count]


def first_view_people(path: Path, count: int) -> list[int]:
    """`count` different people, the same every run, so that every request of a run is a page's first view."""
    import sqlite3

    conn = sqlite3.connect(path)
    ids = [pid for (pid,) in conn.execute("SELECT id FROM people WHERE deleted_at IS NULL ORDER BY id")]
    conn.close()
    return random.Random(2).sample(ids, min(count, len(ids)))


def sample_path_queries(path: Path) -> list[str]:
    """/api/paths queries: the three largest organizations, twenty others, twenty people known only through
    others, and two fields; the same every run."""
    import sqlite3
    from urllib.parse import urlencode

    conn = sqlite3.connect(path)
    orgs = conn.execute(
        """SELECT o.name, COUNT(*) n FROM roles r JOIN organizations o ON o.id = r.organization_id
           GROUP BY o.id ORDER BY n DESC, o.id"""
    ).fetchall()
    second = conn.execute("SELECT id FROM people WHERE is_contact = 0 AND deleted_at IS NULL ORDER BY id").fetchall()
    conn.close()
    chosen = [name for name, _ in orgs[:3]] + [
        name for name, _ in random.Random(1).sample(orgs[3:], min(20, len(orgs) - 3))
    ]
    queries = [{"org": name} for name in chosen] + [
        {"person": f"#{pid}"} for (pid,) in second[:: max(1, len(second) // 20)][:20]
    ]
    queries += [{"field": "data"}, {"field": "design"}]
    return ["/api/paths?" + urlencode(q) for q in queries]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def drive(
    port: int, paths: list[str], requests: int, clients: int, *, distinct: bool = False
) -> tuple[list[float], float, int]:
    """`requests` GETs spread over `clients` threads with keep-alive: (latencies in s, wall seconds, errors).

    `distinct`: each client takes its own run of `paths` in order, so that no path is asked twice."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]

    def client(index: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        for n in range(share[index]):
            path = paths[sum(share[:index]) + n] if distinct else paths[(index * 7919 + n) % len(paths)]
            started = time.perf_counter()
            conn.request("GET", path, headers={"host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            failed += response.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far, all its threads and children waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="An existing knowwho database to use instead.")
    parser.add_argument("--requests", type=int, default=2000, help="Requests per endpoint (bounded).")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", default="", help="Drive only the endpoints whose name holds this word ('People').")
    args = parser.parse_args()
    db = args.db or HERE / "data" / f"web-{args.people // 1000}k.db"
    if not db.exists():
        build_database(db, args.people)
    people = sample_people(db, 300)
    port = free_port()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)], env=env)
    try:
        wait_until_up(port)
        endpoints = {
            "trivial (/healthz)": ["/healthz"],
            "Today (/)": ["/"],
            "person page": [f"/people/{pid}" for pid in people],
            # Never the same person twice in a run (warm-up included): nothing kept, every page computed.
            "person, first views": [f"/people/{pid}" for pid in first_view_people(db, args.requests + 200)],
            "People (/people)": ["/people", "/people?sort=recent", "/people?sort=strength", "/people?tier=weak"],
            "Organizations": ["/organizations", "/organizations?offset=100", "/organizations?offset=2000"],
            "Stats (/stats)": ["/stats"],
            "warm paths (/api/paths)": sample_path_queries(db),
            # Each question asked with limits 1..50: 2,250 different questions, so nearly every answer is computed.
            "paths, computed": [f"{q}&limit={k}" for k in range(1, 51) for q in sample_path_queries(db)],
        }
        endpoints = {n: p for n, p in endpoints.items() if n.startswith("trivial") or args.only.lower() in n.lower()}
        warm = min(200, args.requests)
        for name, paths in endpoints.items():  # warm up caches and the connection pool
            drive(
                port, paths[-warm:] if name in FIRST_VIEWS else paths, warm, args.clients, distinct=name in FIRST_VIEWS
            )
        results, cpu = {}, {}
        for name, paths in endpoints.items():
            before = server_cpu(server.pid)
            results[name] = drive(port, paths, args.requests, args.clients, distinct=name in FIRST_VIEWS)
            cpu[name] = server_cpu(server.pid) - before
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\n{db.name}: {args.requests:,} requests per endpoint, {args.clients} concurrent clients, loopback")
    print(f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) on {os.cpu_count()} CPUs\n")
    print(f"{'endpoint':22} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7} {'CPU ms/req':>10}")
    base = results["trivial (/healthz)"]
    base_p50, base_p95, base_rate = percentile(base[0], 0.5), percentile(base[0], 0.95), len(base[0]) / base[1]
    for name, (latencies, wall, errors) in results.items():
        p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (0.5, 0.95, 0.99))
        per_request = cpu[name] / len(latencies) * 1000
        print(
            f"{name:22} {p50:8.1f} {p95:8.1f} {p99:8.1f} {len(latencies) / wall:8.0f} {errors:7d} {per_request:10.2f}"
        )
    print("\nratio to the trivial endpoint (same server, same run):")
    for name, (latencies, wall, _errors) in list(results.items())[1:]:
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        rate = len(latencies) / wall
        verdict = "meets" if p95 < 0.100 else "misses"
        print(f"  {name:20} p50 x{p50 / base_p50:5.1f}  p95 x{p95 / base_p95:5.1f}  "
              f"throughput {rate / base_rate:6.1%} of trivial   ({verdict} the p95 < 100 ms target)")  # fmt: skip
    print(f"  mean latency of the trivial endpoint: {statistics.mean(base[0]) * 1000:.1f} ms")
    print(
        f"\nToday is cached until the database changes; computing it afresh (the first view after a change)"
        f" takes {cold_today(db) * 1000:.0f} ms (median of 3, one client)."
    )
    print(f"Stats is cached the same way; computing it afresh takes {cold_stats(db) * 1000:.0f} ms (median of 3).")


def cold_today(path: Path) -> float:
    """The agenda computation the cache saves, as the first Today view after any write pays it."""
    from knowwho.core import Knowwho

    kw = Knowwho.open(path)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        kw.agenda.today(limit=25, remember=False)
        times.append(time.perf_counter() - started)
    kw.close()
    return statistics.median(times)


def cold_stats(path: Path) -> float:
    """The Stats computation the cache saves (the first Stats view after a write)."""
    from knowwho.core import Knowwho
    from knowwho.services.stats import StatsService

    kw = Knowwho.open(path)
    stats = StatsService(kw.ctx)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        stats.overview()
        times.append(time.perf_counter() - started)
    kw.close()
    return statistics.median(times)


if __name__ == "__main__":
    main()
