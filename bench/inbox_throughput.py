"""Fax reading under load: pages per minute through a real Celery worker.

    python -m bench.inbox_throughput [--faxes 12] [--concurrency 2] [--seed 3]

Needs DATABASE_URL (PostgreSQL, migrated) and REDIS_URL (the broker). Generates `--faxes`
synthetic one-page faxes (200x200 dpi, the layouts in inbox.samples, round robin), starts
`celery worker --concurrency N` as a child process, receives every fax at once through the
inbox's own service (as an upload burst or a fax gateway would), and waits until each item is
read or failed. Reports wall time from the first receipt to the last item read, pages per
minute, and each item's own reading time. The items it made are deleted afterwards.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inbox_throughput", description=__doc__)
    parser.add_argument("--faxes", type=int, default=12)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=900, help="seconds to wait in all")
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        print("Set DATABASE_URL and REDIS_URL: this benchmark needs a real broker and worker.")
        return 2

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    django.setup()
    from inbox import samples
    from inbox.models import InboundDocument
    from inbox.services.receive import inbound_document_receive

    rng = random.Random(args.seed)
    layouts = samples.LAYOUTS + samples.HOLDOUT_LAYOUTS
    faxes = []
    for i in range(args.faxes):
        request = samples.sample_request(rng)
        pdf = samples.request_pdf(request, layouts[i % len(layouts)])
        faxes.append(samples.fax_tiff(pdf, vertical_dpi=200, seed=rng.randrange(10**6)))
    print(f"{len(faxes)} faxes generated; starting the worker", file=sys.stderr)

    worker = subprocess.Popen(  # noqa: S603 - fixed argument list
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "um_portal",
            "worker",
            "--concurrency",
            str(args.concurrency),
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    ids = []
    try:
        time.sleep(8)  # the worker's processes start and connect before the burst
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for i, data in enumerate(faxes):
            document = inbound_document_receive(
                actor=None, name=f"bench-{i}.tif", data=data, source="upload"
            )
            ids.append(document.pk)
        done_at: dict = {}
        deadline = time.monotonic() + args.timeout
        while len(done_at) < len(ids) and time.monotonic() < deadline:
            for pk, status in InboundDocument.objects.filter(pk__in=ids).values_list(
                "pk", "status"
            ):
                if status in ("read", "failed") and pk not in done_at:
                    done_at[pk] = time.perf_counter() - started
            time.sleep(0.5)
        load_after = os.getloadavg()[0]
        rows = InboundDocument.objects.filter(pk__in=ids)
        pages = sum(r.page_count for r in rows if r.status == "read")
        failed = sum(1 for r in rows if r.status == "failed")
        per_item = sorted(r.processing_seconds or 0 for r in rows if r.status == "read")
        wall = max(done_at.values()) if done_at else float("nan")
        print(
            f"\n{len(ids)} faxes ({pages} pages read, {failed} failed, "
            f"{len(ids) - len(done_at)} unfinished), worker --concurrency {args.concurrency}"
        )
        print(
            f"wall {wall:.1f} s from the first receipt to the last item read: "
            f"{60 * pages / wall:.1f} pages/minute"
        )
        if per_item:
            print(
                f"reading time per item (in the worker): median "
                f"{per_item[len(per_item) // 2]:.2f} s, max {per_item[-1]:.2f} s"
            )
        print(f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after")
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        InboundDocument.objects.filter(pk__in=ids).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
