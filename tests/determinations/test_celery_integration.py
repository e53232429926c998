"""Reliability with a real Celery worker on the real Redis broker and PostgreSQL (DESIGN §7):
the worker is a subprocess using the pytest test database; e-mail goes to files in a tmp dir.

(a) a determination leads to one delivered e-mail with a valid PDF;
(b) with the broker unreachable at decision time the decision commits and the sweeper delivers
    the letter once the broker is back;
(c) a worker killed (SIGKILL) mid-render leads to exactly one delivered letter after a restart
    and a sweep, and a redelivered task changes nothing.
"""

import email
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from determinations.models import Letter
from determinations.services import determination_issue
from determinations.services.outbox import letters_enqueue, letters_sweep
from tests.conftest import require
from tests.determinations.conftest import approve, deny
from um_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
WORKER_START_TIMEOUT = 60
DELIVERY_TIMEOUT = 90

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)


def _redis_up() -> bool:
    if not REDIS_URL:
        return False
    try:
        return bool(_redis_client().ping())
    except Exception:  # noqa: BLE001
        return False


def _reset_broker_connections() -> None:
    """The app caches its connection and producer pools; forget them after changing the URL
    (kombu keeps one pool per URL globally, so they are not closed, only looked up again)."""
    app._pool = None
    app.amqp._producer_pool = None


def _use_broker(settings, url: str) -> None:
    settings.CELERY_BROKER_URL = url
    _reset_broker_connections()


@pytest.fixture
def broker(settings, tmp_path):
    require(_redis_up(), "these tests need Redis (set REDIS_URL)")
    require(
        connection.vendor == "postgresql",
        "these tests need PostgreSQL (set DATABASE_URL): the worker shares the test database",
    )
    # Our own Redis database: drop messages a previous run may have left for a dead test DB.
    _redis_client().delete("celery", "unacked", "unacked_index")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    _use_broker(settings, REDIS_URL)
    yield
    _reset_broker_connections()


class Worker:
    """A `celery worker --pool=solo` subprocess on the test database."""

    def __init__(self, tmp_path: Path, **extra_env):
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        self.log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "tests.determinations.mail_backend.EmailBackend",
            "TEST_EMAIL_DIR": str(self.mail_dir),
            "UM_VAR_DIR": str(tmp_path / "worker-var"),
            "PYTHONPATH": str(ROOT),
            **{k: str(v) for k, v in extra_env.items()},
        }
        if db.get("PASSWORD"):
            env["DATABASE_URL"] = env["DATABASE_URL"].replace(
                f"//{db['USER']}@", f"//{db['USER']}:{db['PASSWORD']}@"
            )
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "um_portal",
                "worker",
                "--pool=solo",
                "-Q",
                "celery",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_for_log("ready.", WORKER_START_TIMEOUT)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, timeout: float, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.output().count(text) >= count:
                return
            if self.process.poll() is not None:
                pytest.fail(f"worker exited early:\n{self.output()[-3000:]}")
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {text!r} in the worker log:\n{self.output()[-3000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()

    def emails(self) -> list[email.message.Message]:
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk))
        return messages


@pytest.fixture
def start_worker(tmp_path):
    started = []

    def start(**extra_env) -> Worker:
        worker = Worker(tmp_path, **extra_env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_until(predicate, timeout: float = DELIVERY_TIMEOUT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def _all_sent(determination) -> bool:
    statuses = set(determination.letters.values_list("status", flat=True))
    return statuses == {Letter.Status.SENT}


def _pdf_text(message) -> str:
    (attachment,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    data = attachment.get_payload(decode=True)
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def test_determination_is_delivered_by_a_real_worker(
    reference_data, broker, start_worker, md_case, director, criteria_set
):
    worker = start_worker()
    first, second = md_case.service_lines.all()
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(first), deny(second, criteria_set)],
    )
    wait_until(lambda: _all_sent(d), what="both letters sent")
    (message,) = worker.emails()
    assert message["Subject"] == f"Determination letter for request {md_case.reference}"
    assert message["To"] == md_case.provider_organization.email
    text = _pdf_text(message)
    assert "Prior authorization partially approved" in text
    assert d.auth_number in text
    assert "Appeal rights" in text
    assert Letter.objects.get(determination=d, recipient="member").print_ready_at is not None


def test_broker_down_at_decision_time_then_sweeper_delivers(
    reference_data, broker, settings, start_worker, md_case, director, criteria_set
):
    worker = start_worker()
    _use_broker(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    started = time.monotonic()
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[deny(x, criteria_set) for x in md_case.service_lines.all()],
    )
    assert time.monotonic() - started < 30  # the request is not held up for long
    md_case.refresh_from_db()
    assert md_case.status == "denied"  # the decision committed
    assert set(d.letters.values_list("status", flat=True)) == {"pending"}
    time.sleep(1)
    assert worker.emails() == []
    _use_broker(settings, REDIS_URL)  # the broker is back
    settings.LETTER_SWEEP_AFTER_SECONDS = 0
    assert letters_sweep()["queued"] == 2
    wait_until(lambda: _all_sent(d), what="letters sent after the sweep")
    (message,) = worker.emails()
    assert "Prior authorization denied" in _pdf_text(message)


def test_worker_killed_mid_render_delivers_exactly_once(
    reference_data, broker, settings, start_worker, md_case, director, criteria_set
):
    slow = start_worker(LETTER_TEST_RENDER_DELAY=30)
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(x) for x in md_case.service_lines.all()],
    )
    wait_until(
        lambda: d.letters.filter(status=Letter.Status.RENDERING).exists(),
        timeout=30,
        what="a worker to claim a letter",
    )
    claimed = d.letters.get(status=Letter.Status.RENDERING)
    slow.kill()
    assert slow.emails() == []
    claimed.refresh_from_db()
    assert claimed.status == Letter.Status.RENDERING  # the dead worker's claim

    settings.LETTER_CLAIM_STALE_SECONDS = 0
    settings.LETTER_SWEEP_AFTER_SECONDS = 0
    # The sweep (beat's job) releases the dead worker's claim and re-queues both letters; the
    # member letter's original message is still queued too, so it arrives twice.
    assert letters_sweep() == {"released": 1, "unconfirmed": 0, "exhausted": 0, "queued": 2}
    fresh = start_worker()
    wait_until(lambda: _all_sent(d), what="letters sent after restart and sweep")
    assert len(fresh.emails()) == 1

    # The killed worker's message is redelivered later (visibility timeout): simulate it now.
    provider_letter = d.letters.get(recipient="provider")
    sent_at = provider_letter.sent_at
    before = fresh.output().count("succeeded")
    assert letters_enqueue([str(provider_letter.pk)]) == 1
    fresh.wait_for_log("succeeded", 30, count=before + 1)
    provider_letter.refresh_from_db()
    assert (provider_letter.status, provider_letter.sent_at) == ("sent", sent_at)
    assert len(fresh.emails()) == 1
