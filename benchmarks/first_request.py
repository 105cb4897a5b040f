"""The first request of a new gunicorn worker against its second, for each page type (issue 16).

    .venv/bin/python benchmarks/first_request.py                  # SQLite, the real 44 cases
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_x .venv/bin/python benchmarks/first_request.py

Starts gunicorn as production would (``gunicorn.conf.py``: preloaded application, warm-up on, one
worker of four threads, the production settings with a generated secret key, requests marked HTTPS by
``X-Forwarded-Proto`` as the load balancer does), page cache off unless ``--page-cache``. For each page
type it waits for a *new* worker (the previous one is stopped with SIGTERM and the master forks
another, which warms itself: ``portal/warmup.py``), then times that worker's first and second request
of the page. The first request of each page type is therefore the first request that worker serves.
Without DATABASE_URL it uses a SQLite file of its own (benchmarks/results/first_request.sqlite3).

Prints a Markdown table (first ms, second ms, first - second) and, last, one JSON line. Exits 1 when
any page's first request is 100 ms or more slower than its second (issue 16's bound).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

from page_types import PAGES  # noqa: E402 - benchmarks/ is the script's directory

BOUND_MS = 100.0
WARMED = re.compile(r"warmed worker (\d+) in ([0-9.]+) s")


def _environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'benchmarks' / 'results' / 'first_request.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_TRUST_X_FORWARDED_PROTO="1",
        DJANGO_PAGE_CACHE="1" if args.page_cache else "0",
        DJANGO_CACHE_PREFIX=f"first-request-{os.getpid()}",
        API_ANON_RATE="",
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_WORKERS="1",
        GUNICORN_WARM="0" if args.no_warm else "1",
        GUNICORN_MAX_REQUESTS="0",
    )
    return env


def _prepare(env: dict[str, str]) -> None:
    """The database and static files as in production (migrated, library loaded, hashed names)."""
    for command in (["migrate", "--noinput"], ["load_library"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)


def _request(port: int, path: str) -> tuple[float, int]:
    """(wall ms of one request on a new connection, status)."""
    accept = "application/json" if path.startswith("/api/") else "text/html"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept": accept}
    connection.request("GET", quote(path, safe="/?&=%"), headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed, response.status


class Server:
    """gunicorn with one worker; ``new_worker()`` waits for the next warmed worker and returns its pid."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        self.seen = 0
        self.warm = env["GUNICORN_WARM"] == "1"

    def new_worker(self, timeout: float = 120.0) -> tuple[int, float | None]:
        """(pid, warm-up seconds) of the next worker that is ready to serve."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log}")
            text = self.log.read_text(errors="replace")
            if self.warm:
                found = WARMED.findall(text)
                if len(found) > self.seen:
                    self.seen = len(found)
                    pid, seconds = found[-1]
                    return int(pid), float(seconds)
            else:
                booted = re.findall(r"Booting worker with pid: (\d+)", text)
                if len(booted) > self.seen:
                    self.seen = len(booted)
                    time.sleep(1.0)  # no warm-up line to wait for: let the application import
                    return int(booted[-1]), None
            time.sleep(0.05)
        raise RuntimeError(f"no worker became ready in {timeout:.0f} s: see {self.log}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8430")))
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page types")
    parser.add_argument("--page-cache", action="store_true", help="with the page cache (default: off)")
    parser.add_argument("--no-warm", action="store_true", help="GUNICORN_WARM=0: what the warm-up saves")
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate/load_library/collectstatic")
    args = parser.parse_args()
    env = _environment(args)
    if not args.no_prepare:
        _prepare(env)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    server = Server(env, out / f"first_request.{os.getpid()}.gunicorn.log")
    results = {}
    try:
        for name in args.pages.split(","):
            pid, warmed = server.new_worker()
            first, status = _request(args.port, PAGES[name])
            second, status_again = _request(args.port, PAGES[name])
            assert status == status_again == 200, (name, status, status_again)
            results[name] = {
                "first_ms": round(first, 1),
                "second_ms": round(second, 1),
                "extra_ms": round(first - second, 1),
                "worker_warm_s": warmed,
            }
            os.kill(pid, signal.SIGTERM)  # the master forks a new worker for the next page type
    finally:
        server.stop()
    load_after = os.getloadavg()
    backend = env["DATABASE_URL"].split(":", 1)[0]
    print(
        f"{backend}, page cache {'on' if args.page_cache else 'off'}, warm-up {'off' if args.no_warm else 'on'}; "
        f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}"
    )
    print()
    print("| page | path | first ms | second ms | first − second ms | worker warm-up s |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, row in results.items():
        warm = "—" if row["worker_warm_s"] is None else f"{row['worker_warm_s']:.2f}"
        print(
            f"| {name} | `{PAGES[name]}` | {row['first_ms']:.1f} | {row['second_ms']:.1f} | "
            f"{row['extra_ms']:.1f} | {warm} |"
        )
    print(
        json.dumps(
            {
                "backend": backend,
                "page_cache": args.page_cache,
                "warm": not args.no_warm,
                "pages": results,
                "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in load_after],
            },
            ensure_ascii=False,
        )
    )
    sys.exit(1 if any(row["extra_ms"] >= BOUND_MS for row in results.values()) else 0)


if __name__ == "__main__":
    main()
