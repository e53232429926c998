"""HTTP load through gunicorn: throughput and p50/p95/p99 beside a same-run /healthz baseline.

Run on PostgreSQL after seeding (the bench adds a provider organisation, plan and member for
$submit, and every submission creates a case, so it refuses any database without a `bench` part
in its name, e.g. um_scale2_bench):
    DATABASE_URL=postgres://.../um_x_bench python manage.py seed_demo --cases 20000
    DATABASE_URL=postgres://... python -m bench http [-- --seconds 10 --concurrency 8]

Runs collectstatic (production static storage needs its manifest), starts gunicorn (4 sync
workers, production settings: DEBUG off, so no query log) on a free local port, checks each
scenario answers 200 once, then for each scenario runs the baseline (/healthz: the whole
stack and one query) and the page back to back, each for --seconds with --concurrency
connections spread over --clients load processes (plain http.client, one request per
connection, as gunicorn's sync workers close after each answer). Prints requests/s and
percentiles, and the ratio to the baseline just before, because on a shared machine only
same-run ratios compare.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    # Production settings (no DEBUG query log), served over plain HTTP on the loopback.
    env.update(
        DJANGO_DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="WARNING",
    )
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    return env


def _request(port: int, method: str, path: str, headers: dict, body: bytes | None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _client(args: tuple) -> tuple[list[float], int, int]:
    """One load process: `threads` connections in a loop until the deadline."""
    port, scenario, threads, deadline = args
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def loop(worker: int) -> None:
        mine, bad, n = [], 0, 0
        while time.monotonic() < deadline:
            body = None
            if scenario.get("submit"):
                from bench.fhir_submit import bundle

                sub = scenario["submit"]
                ident = f"http-{os.getpid()}-{worker}-{n}-{secrets.token_hex(4)}"
                body = json.dumps(bundle(sub["member_id"], "1950-05-01", sub["npi"], ident))
                body = body.encode()
            n += 1
            started = time.perf_counter()
            try:
                status = _request(
                    port, scenario["method"], scenario["path"], scenario["headers"], body
                )
            except OSError:
                status = 0
            mine.append(time.perf_counter() - started)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    pool = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors[0], len(latencies)


def _percentile(values: list[float], q: float) -> float:
    """The q-quantile of latencies in seconds, in milliseconds (nearest rank); 0 for no
    samples, so a run where every request failed still prints instead of raising."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def is_bench_database(name: str) -> bool:
    """Only a database named for benchmarking (um_scale2_bench, bench_x): the bench adds
    organisations, members, tokens and a case per $submit, so it must never write into a
    real or shared database by a mistyped DATABASE_URL."""
    parts = str(name).lower().replace("-", "_").split("_")
    return "bench" in parts


def _run(port: int, scenario: dict, *, seconds: float, concurrency: int, clients: int) -> dict:
    clients = max(1, min(clients, concurrency))
    per = [concurrency // clients + (i < concurrency % clients) for i in range(clients)]
    started = time.monotonic()
    deadline = started + seconds
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(clients) as pool:
        results = pool.map(_client, [(port, scenario, n, deadline) for n in per])
    elapsed = time.monotonic() - started
    latencies = [x for r in results for x in r[0]]
    return {
        "n": len(latencies),
        "errors": sum(r[1] for r in results),
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50": _percentile(latencies, 0.50),
        "p95": _percentile(latencies, 0.95),
        "p99": _percentile(latencies, 0.99),
    }


def _sessions(usernames: list[str]) -> dict[str, str]:
    """A signed-in session per user, second factor given (as after a real sign-in)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from um_portal.accounts import two_factor
    from um_portal.accounts.models import User

    cookies = {}
    for username in usernames:
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[two_factor.SESSION_KEY] = True
        session.create()
        cookies[username] = session.session_key
    return cookies


def _scenarios() -> list[tuple[str, dict]]:
    from django.conf import settings
    from django.db import connection
    from django.urls import reverse

    from bench.fhir_submit import make_submitter
    from intake.models import CareRequest

    if connection.vendor != "postgresql":
        raise SystemExit("bench.http measures PostgreSQL: set DATABASE_URL.")
    cookies = _sessions(["manager", "nurse"])

    def page(path: str, user: str) -> dict:
        cookie = f"{settings.SESSION_COOKIE_NAME}={cookies[user]}"
        return {"method": "GET", "path": path, "headers": {"Cookie": cookie}}

    member_id, npi, token, _ = make_submitter()
    case = CareRequest.objects.filter(status="nurse_review").order_by("due_at").first()
    scenarios = [
        (
            "FHIR Claim/$submit (new case)",
            {
                "method": "POST",
                "path": "/fhir/Claim/$submit",
                "headers": {
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/fhir+json",
                },
                "submit": {"member_id": member_id, "npi": npi},
            },
        ),
        ("manager dashboard", page(reverse("reports:dashboard"), "manager")),
        ("nurse dashboard", page(reverse("review:dashboard"), "nurse")),
    ]
    if case is not None:
        scenarios.append(
            ("case view (nurse)", page(reverse("review:case", args=[case.pk]), "nurse"))
        )
    return scenarios


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if _request(port, "GET", "/healthz", {}, None) == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def _probe(port: int, name: str, scenario: dict) -> None:
    """One request that must answer 200 before anything is timed: a page that fails (a 500,
    a redirect to sign-in) would otherwise be measured as a fast page with errors."""
    body = None
    if scenario.get("submit"):
        from bench.fhir_submit import bundle

        sub = scenario["submit"]
        ident = f"http-probe-{secrets.token_hex(6)}"
        body = json.dumps(bundle(sub["member_id"], "1950-05-01", sub["npi"], ident)).encode()
    status = _request(port, scenario["method"], scenario["path"], scenario["headers"], body)
    if status != 200:
        raise SystemExit(f"{name}: {scenario['method']} {scenario['path']} answered {status}")


def _line(name: str, r: dict, base: dict | None) -> str:
    ratio = ""
    # Both ratios need a non-zero divisor; a run with no answers prints none rather than raise.
    if base and base["p50"] > 0 and r["rps"] > 0:
        ratio = f" {r['p50'] / base['p50']:6.1f}x {base['rps'] / r['rps']:6.1f}x"
    return (
        f"{name:32} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
        f"{r['n']:6d} {r['errors']:5d}{ratio}"
    )


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="per run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--clients", type=int, default=2, help="load-generating processes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--only", default="", help="run scenarios whose name contains this")
    args = parser.parse_args(argv)
    for name in ("seconds", "concurrency", "clients", "workers"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    return args


def _stop_on_sigterm(signum, frame) -> None:
    # A SIGTERM (timeout, kill) becomes SystemExit, so main's finally still stops gunicorn.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    env = _server_env()
    # The sessions made here must verify in the server: same key, same settings.
    os.environ.update({k: env[k] for k in ("SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")})
    import django

    django.setup()
    from django.db import connection

    from intake.models import CareRequest

    # Refuse before anything is written: _scenarios creates sessions and a submitter.
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not is_bench_database(name):
        raise SystemExit(
            f"bench.http writes to its database; refusing {connection.vendor} {name!r}: point "
            "DATABASE_URL at a PostgreSQL database whose name has a 'bench' part "
            "(e.g. um_scale2_bench)."
        )
    scenarios = [s for s in _scenarios() if args.only.lower() in s[0].lower()]
    total = CareRequest.objects.count()
    connection.close()
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "um_portal.wsgi:application",
        f"--workers={args.workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--timeout=120",
    ]
    # Production settings serve static files from WhiteNoise's manifest, as a deployment does
    # after collectstatic; without it every page (not /healthz) answers 500.
    subprocess.run(  # noqa: S603 - our interpreter, our manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our interpreter
    try:
        _wait_ready(port, server)
        baseline = {"method": "GET", "path": "/healthz", "headers": {}}
        # Warm every worker's imports, templates and connections before measuring.
        for name, scenario in [("baseline", baseline), *scenarios]:
            _probe(port, name, scenario)
            if not scenario.get("submit"):
                _run(port, scenario, seconds=2, concurrency=args.workers, clients=1)
        load = os.getloadavg()
        print(
            f"PostgreSQL, {total} care requests; gunicorn {args.workers} sync workers; "
            f"{args.concurrency} connections from {args.clients} processes, {args.seconds:g} s "
            f"per run; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"{'run':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'n':>6} "
            f"{'errs':>5} {'p50 x':>7} {'rps /':>7}"
        )
        kw = {"seconds": args.seconds, "concurrency": args.concurrency, "clients": args.clients}
        for name, scenario in scenarios:
            base = _run(port, baseline, **kw)
            result = _run(port, scenario, **kw)
            print(_line("  baseline /healthz", base, None))
            print(_line(name, result, base), flush=True)
        load = os.getloadavg()
        print(f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
