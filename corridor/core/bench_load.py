"""``corridor bench load``: throughput and latency of the served platform, against a trivial view.

1. A copy of the demo database (SQLite, by the online backup API) in a temporary folder — the
   database of ``DATABASE_URL`` when it is an SQLite file holding the demo, else ``--source FILE``,
   else a fresh ``corridor setup`` (migrations and the demo; its duration is printed).
2. gunicorn (as ``corridor serve`` runs it) on a free loopback port against that copy, with
   rate limiting off (``CORRIDOR_RATELIMIT=0``).
3. A second process drives the load: N threads, each with its own keep-alive ``http.client``
   connection, for ``--duration`` seconds per scenario, one scenario after the other.

Each scenario reports requests per second, p50/p95/p99 latency and its throughput as a share of
the trivial view (``/healthz``) served the same way in the same run. API requests carry a demo
user's token; pages a logged-in session.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess  # noqa: S404  (our own gunicorn and load generator, fixed argv)
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# name, kind (page|api|trivial), target: (min share of the trivial view's throughput, max p95 ms) or None
SCENARIOS: list[tuple[str, str, tuple[float | None, float] | None]] = [
    ("trivial view /healthz", "trivial", None),
    ("home page", "page", None),
    ("resource list page, filtered", "page", None),
    ("demand list page, filtered", "page", None),
    ("resource detail page", "page", None),
    ("demand detail page", "page", None),
    ("API resource list, filtered", "api", (0.5, 100.0)),
    ("API demand list, filtered", "api", (0.5, 100.0)),
    ("API resource detail", "api", (0.5, 100.0)),
    ("API demand detail", "api", (0.5, 100.0)),
    ("API search", "api", None),
    ("API demand matches", "api", (None, 150.0)),
]


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50: float
    p95: float
    p99: float
    first_error: str = ""
    cached: int = 0  # answers the server took from its answer cache (corridor.api.answers)


# --------------------------------------------------------------------------- load generator


def _percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    k = min(len(sorted_ms) - 1, max(0, math.ceil(q / 100 * len(sorted_ms)) - 1))  # nearest rank
    return sorted_ms[k]


def drive(port: int, name: str, urls: list[str], headers: dict[str, str], duration: float, concurrency: int) -> Result:
    """Hit ``urls`` (round robin) from ``concurrency`` keep-alive connections for ``duration`` seconds."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    cached = [0] * concurrency
    first_error: list[str] = []
    barrier = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        n = i
        barrier.wait()
        mine = latencies[i]
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at[0]:
                break
            url = urls[n % len(urls)]
            n += 1
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
                if response.getheader("X-Corridor-Answer") == "hit":
                    cached[i] += 1
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                errors[i] += 1
                if not first_error:
                    first_error.append(f"{url}: {exc!r}")
                continue
            elapsed = (time.perf_counter() - t0) * 1000
            if status != 200:
                errors[i] += 1
                if not first_error:
                    first_error.append(f"{url}: HTTP {status} {body[:200]!r}")
                continue
            mine.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    start = time.perf_counter()
    stop_at[0] = start + duration
    barrier.wait()
    for t in threads:
        t.join(duration + 60)
    seconds = time.perf_counter() - start
    merged = sorted(x for part in latencies for x in part)
    return Result(
        name=name, requests=len(merged), errors=sum(errors), seconds=round(seconds, 3),
        rps=round(len(merged) / seconds, 1) if seconds else 0.0,
        p50=round(_percentile(merged, 50), 1), p95=round(_percentile(merged, 95), 1), p99=round(_percentile(merged, 99), 1),
        first_error=first_error[0] if first_error else "", cached=sum(cached),
    )


def warm_up(port: int, urls: list[str], headers: dict[str, str], concurrency: int, rounds: int = 2) -> None:
    def one(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            for n in range(rounds):
                conn.request("GET", urls[(i + n) % len(urls)], headers=headers)
                conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass  # counted as an error in the measured run, if it persists
        finally:
            conn.close()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)


def _generator_main(argv: Sequence[str]) -> int:
    """``python -m corridor.core.bench_load --drive PLAN.json``: run every scenario, print JSON results."""
    plan = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    results = []
    for sc in plan["scenarios"]:
        headers = {"Connection": "keep-alive", **plan["headers"][sc["kind"]]}
        # warm-up before measuring: every connection gets a few answers (the workers load the
        # matching indexes and the tokenizer's dictionary on their first search, which takes seconds)
        warm_up(plan["port"], sc["urls"], headers, plan["concurrency"])
        results.append(asdict(drive(plan["port"], sc["name"], sc["urls"], headers, plan["duration"], plan["concurrency"])))
        print(json.dumps({"progress": sc["name"]}), file=sys.stderr, flush=True)
    print(json.dumps(results))
    return 0


# --------------------------------------------------------------------------------- the bench


class BenchError(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sqlite_rows(path: Path, table: str) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608 (fixed table name)
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _copy_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _corridor(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run([sys.executable, "-m", "corridor.cli", *args], env=env, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"corridor {' '.join(args)} failed; see {log}")


def prepare_database(var: Path, source: Path | None, env: dict[str, str], log: Path, say: Any) -> None:
    """A migrated copy of the demo database in ``var``."""
    from django.conf import settings

    target = var / "corridor.sqlite3"
    if source is None:
        db = settings.DATABASES["default"]
        candidate = Path(str(db["NAME"])) if db["ENGINE"].endswith("sqlite3") else None
        if candidate is not None and candidate.is_file() and _sqlite_rows(candidate, "lists_resource") > 0:
            source = candidate
    if source is not None:
        t0 = time.perf_counter()
        _copy_sqlite(source, target)
        index = source.parent / "index"  # the saved matching indexes beside the database, if any
        if index.is_dir():
            shutil.copytree(index, var / "index")
        _corridor(["migrate", "--noinput"], env, log)
        _corridor(["collectstatic", "--noinput", "-v", "0"], env, log)
        say(f"database: copy of {source} ({target.stat().st_size / 1e6:.1f} MB); copied, migrated, static files collected in {time.perf_counter() - t0:.1f} s")
        return
    t0 = time.perf_counter()
    say("database: no SQLite demo database found; loading the demo into a fresh one (corridor setup) …")
    _corridor(["setup"], env, log)
    say(f"database: demo loaded in {time.perf_counter() - t0:.0f} s")


def _request(port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def _cookies(raw_headers: list[str]) -> dict[str, str]:
    jar = {}
    for line in raw_headers:
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _set_cookies(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        jar = _cookies(r.headers.get_all("Set-Cookie") or [])
        return r.status, jar, r.read()
    finally:
        conn.close()


def login(port: int, username: str, password: str) -> tuple[str, str]:
    """(API token, Cookie header of a logged-in session)."""
    status, _h, body = _request(
        port, "POST", "/api/v1/auth/token", json.dumps({"username": username, "password": password, "name": "bench load"}).encode(),
        {"Content-Type": "application/json"},
    )
    if status != 201:
        raise BenchError(f"could not get an API token for {username}: HTTP {status} {body[:200]!r}")
    token = json.loads(body)["token"]
    status, jar, _body = _set_cookies(port, "GET", "/login/", None, {})
    csrf = jar.get("csrftoken", "")
    if status != 200 or not csrf:
        raise BenchError(f"GET /login/: HTTP {status}, cookies {sorted(jar)}")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf}).encode()
    status, jar2, body = _set_cookies(
        port, "POST", "/login/", form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}", "Referer": f"http://127.0.0.1:{port}/login/"},
    )
    if status != 302 or "sessionid" not in jar2:
        raise BenchError(f"could not log {username} in: HTTP {status}")
    return token, f"sessionid={jar2['sessionid']}; csrftoken={jar2.get('csrftoken', csrf)}"


def _get_json(port: int, path: str, token: str) -> Any:
    status, _h, body = _request(port, "GET", path, headers={"Authorization": f"Bearer {token}"})
    if status != 200:
        raise BenchError(f"GET {path}: HTTP {status} {body[:200]!r}")
    return json.loads(body)


def plan_urls(port: int, token: str) -> dict[str, list[str]]:
    """The URLs of every scenario, from what the demo user can see."""
    resources = _get_json(port, "/api/v1/resources?limit=100", token)["items"]
    demands = _get_json(port, "/api/v1/demands?limit=100", token)["items"]
    if not resources or not demands:
        raise BenchError("the database has no visible resources or demands; load the demo first")
    r_ids = [r["id"] for r in resources[:25]]
    d_ids = [d["id"] for d in demands[:25]]
    # filters taken from the data: the most common kind / city / status among the first rows
    kinds = sorted({r["kind"] for r in resources})
    cities = sorted({str(r["city"]["id"]) for r in resources if r.get("city")})[:3]
    statuses = sorted({d["status"] for d in demands})
    words = sorted({r["name"][:2] for r in resources if len(r["name"]) >= 2} | {d["title"][:2] for d in demands if len(d["title"]) >= 2})[:20]
    res_filters = [f"kind={k}" for k in kinds[:3]] + [f"city={c}" for c in cities]
    dem_filters = [f"status={s}" for s in statuses[:3]] + [f"city={c}" for c in cities]
    q = urllib.parse.quote
    return {
        "trivial view /healthz": ["/healthz"],
        "home page": ["/"],
        "resource list page, filtered": [f"/lists/resources/?{x}" for x in res_filters],
        "demand list page, filtered": [f"/lists/demands/?{x}" for x in dem_filters],
        "resource detail page": [f"/lists/resources/{i}/" for i in r_ids],
        "demand detail page": [f"/lists/demands/{i}/" for i in d_ids],
        "API resource list, filtered": [f"/api/v1/resources?{x}&limit=20" for x in res_filters],
        "API demand list, filtered": [f"/api/v1/demands?{x}&limit=20" for x in dem_filters],
        "API resource detail": [f"/api/v1/resources/{i}" for i in r_ids],
        "API demand detail": [f"/api/v1/demands/{i}" for i in d_ids],
        "API search": [f"/api/v1/search?q={q(w)}" for w in words],
        "API demand matches": [f"/api/v1/demands/{i}/matches" for i in d_ids],
    }


def _wait_ready(port: int, server: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer within {timeout:.0f} s; see {log}")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--drive"]:
        return _generator_main(args_list)
    ap = argparse.ArgumentParser(prog="corridor bench load", description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of load per scenario (default 10)")
    ap.add_argument("--concurrency", type=int, default=8, help="client connections (default 8)")
    ap.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")), help="gunicorn workers (default $WEB_CONCURRENCY or 2)")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")), help="threads per worker (default $WEB_THREADS or 4)")
    ap.add_argument("--source", type=Path, help="SQLite database to copy (default: the configured one if it holds the demo)")
    ap.add_argument("--user", default="member", help="demo account for the token and the session (default member)")
    ap.add_argument("--password", default="corridor-demo")
    ap.add_argument(
        "--answer-cache-seconds", type=int, default=None,
        help="the server's CORRIDOR_ANSWER_CACHE_SECONDS (default: as configured, 60); 0 computes every answer",
    )
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (database copy, server log)")
    args = ap.parse_args(args_list)
    if args.duration <= 0 or args.concurrency < 1:
        ap.error("--duration must be positive and --concurrency at least 1")
    if args.source is not None and not args.source.is_file():
        ap.error(f"--source {args.source}: no such file")

    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 150)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        console.print("gunicorn is not installed")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="corridor-load-"))
    var = tmp / "var"
    var.mkdir()
    log = tmp / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'corridor.sqlite3'}",
        "CORRIDOR_VAR": str(var),
        "CORRIDOR_RATELIMIT": "0",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "corridor.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "0",
    }
    env.pop("CORRIDOR_TESTING", None)
    if args.answer_cache_seconds is not None:
        env["CORRIDOR_ANSWER_CACHE_SECONDS"] = str(args.answer_cache_seconds)
    answer_cache = int(env.get("CORRIDOR_ANSWER_CACHE_SECONDS", "60"))
    server: subprocess.Popen[bytes] | None = None
    load_before = os.getloadavg()
    try:
        prepare_database(var, args.source, env, log, console.print)
        port = _free_port()
        with log.open("ab") as out:
            server = subprocess.Popen(  # noqa: S603
                [gunicorn, "corridor.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                 "--threads", str(args.threads), "--timeout", "120", "--error-logfile", "-"],
                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(Path(__file__).resolve().parents[2]),
            )
        _wait_ready(port, server, log)
        token, cookie = login(port, args.user, args.password)
        urls = plan_urls(port, token)
        plan = {
            "port": port, "duration": args.duration, "concurrency": args.concurrency,
            "headers": {"trivial": {}, "page": {"Cookie": cookie}, "api": {"Authorization": f"Bearer {token}"}},
            "scenarios": [{"name": name, "kind": kind, "urls": urls[name]} for name, kind, _t in SCENARIOS],
        }
        plan_file = tmp / "plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        console.print(
            f"gunicorn {args.workers} workers × {args.threads} threads on 127.0.0.1:{port}; load generator: separate process, "
            f"{args.concurrency} keep-alive connections, {args.duration:g} s per scenario; as {args.user} (token / session); "
            + (f"API answer cache {answer_cache} s" if answer_cache > 0 else "API answer cache off (every answer computed)")
        )
        with console.status("driving load …"):
            done = subprocess.run([sys.executable, "-m", "corridor.core.bench_load", "--drive", str(plan_file)], env=env,  # noqa: S603
                                  capture_output=True, text=True, check=False, timeout=len(SCENARIOS) * (args.duration * 2 + 90))
        if done.returncode != 0:
            raise BenchError(f"load generator failed: {done.stderr[-2000:]}")
        results = [Result(**r) for r in json.loads(done.stdout.strip().splitlines()[-1])]
    except BenchError as exc:
        console.print(f"[red]bench load: {exc}[/red]")
        return 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            console.print(f"kept {tmp}")
    load_after = os.getloadavg()

    ceiling = results[0].rps or 1.0
    targets = {name: target for name, _k, target in SCENARIOS}
    table = Table(title="corridor bench load")
    for col in ("scenario", "req/s", "× trivial", "p50 ms", "p95 ms", "p99 ms", "errors", "cached", "target", "met"):
        table.add_column(col, justify="left" if col in ("scenario", "target") else "right")
    verdicts = []
    for r in results:
        target = targets.get(r.name)
        share = r.rps / ceiling
        text, met = "", ""
        if target is not None:
            min_share, max_p95 = target
            parts = ([f"≥ {min_share:.0%} of trivial"] if min_share is not None else []) + [f"p95 < {max_p95:g} ms"]
            text = ", ".join(parts)
            ok = (min_share is None or share >= min_share) and r.p95 < max_p95 and r.errors == 0
            met = "yes" if ok else "NO"
            verdicts.append(ok)
        hits = f"{r.cached / r.requests:.0%}" if r.requests else "—"
        table.add_row(r.name, f"{r.rps:,.1f}", f"{share:.2f}", f"{r.p50:.1f}", f"{r.p95:.1f}", f"{r.p99:.1f}", str(r.errors), hits, text, met)
    console.print(table)
    for r in results:
        if r.first_error:
            console.print(f"[yellow]{r.name}: first error: {r.first_error}[/yellow]")
    console.print(
        f"load average before {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f}; {os.cpu_count()} CPUs; "
        f"targets met: {sum(verdicts)}/{len(verdicts)}"
    )
    if args.json:
        print(json.dumps({"results": [asdict(r) for r in results], "load_average": [load_before, load_after]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
