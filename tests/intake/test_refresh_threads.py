"""CareRequest.refresh_from_db under threads (a threaded server, e.g. runserver or gunicorn
--threads): django-fsm-2 lifts the state field's protection for the whole process while one
instance reloads, so without our lock a second thread can switch it back on in the middle."""

import threading

from django.db import models
from django_fsm import FSMModelMixin

from intake.models import CareRequest


def test_two_threads_refreshing_at_once_never_trip_the_status_protection(monkeypatch):
    """The losing interleaving, forced: both threads note the field is protected, A lifts the
    protection and pauses inside its reload, B lifts it, reloads and puts it back, then A's
    reload sets the status on a protected field. With the lock B waits for A instead (A's waits
    below then simply time out)."""
    b_noted = threading.Event()
    a_reloading = threading.Event()
    b_done = threading.Event()
    errors: list[BaseException] = []
    real_protected_fields = FSMModelMixin._get_protected_fsm_fields

    def protected_fields(self):
        fields = real_protected_fields(self)
        if threading.current_thread().name == "A":
            b_noted.wait(timeout=1)
        else:
            b_noted.set()
        return fields

    def fake_reload(self, *args, **kwargs):
        """What Django's reload does to the state field, without a database: set it."""
        if threading.current_thread().name == "A":
            a_reloading.set()
            b_done.wait(timeout=1)
        else:
            a_reloading.wait(timeout=1)
        self.status = "submitted"

    monkeypatch.setattr(FSMModelMixin, "_get_protected_fsm_fields", protected_fields)
    monkeypatch.setattr(models.Model, "refresh_from_db", fake_reload)

    def run(name):
        try:
            CareRequest(status="draft").refresh_from_db()
        except BaseException as exc:  # noqa: BLE001 - collect whatever the thread raised
            errors.append(exc)
        finally:
            if name == "B":
                b_done.set()

    a = threading.Thread(target=run, args=("A",), name="A")
    b = threading.Thread(target=run, args=("B",), name="B")
    a.start()
    b.start()
    a.join(timeout=5)
    b.join(timeout=5)
    assert errors == []
    assert CareRequest._meta.get_field("status").protected is True
