"""um_portal.lib.http: domain errors to statuses, messages and form field errors."""

from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory, override_settings

from um_portal.lib.clock import clock_display, clock_state
from um_portal.lib.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from um_portal.lib.http import add_field_errors, domain_error_status, report_domain_error


class NoteForm(forms.Form):
    body = forms.CharField(required=False)
    detail = forms.CharField(required=False)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ValidationFailed("x"), 400),
        (NotPermitted("x"), 403),
        (NotFound("x"), 404),
        (InvalidTransition("x"), 409),
        (DomainError("x"), 400),
    ],
)
def test_domain_error_status(error, status):
    assert domain_error_status(error) == status


def test_field_errors_land_on_fields_or_as_non_field_errors():
    form = NoteForm({"body": "", "detail": ""})
    assert form.is_valid()
    add_field_errors(
        form,
        {"body": ["Required."], "reason": ["Give a reason."], "lines": ["Add a line."]},
        field_map={"reason": "detail"},
    )
    assert form.errors == {
        "body": ["Required."],
        "detail": ["Give a reason."],
        "__all__": ["Add a line."],
    }


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_report_domain_error_shows_the_message_and_returns_the_status():
    request = _request()
    form = NoteForm({})
    form.is_valid()
    status = report_domain_error(
        request,
        ValidationFailed("Write the note first.", field_errors={"body": ["Required."]}),
        form,
    )
    assert status == 400
    assert [str(m) for m in get_messages(request)] == ["Write the note first."]
    assert form.errors == {"body": ["Required."]}


def test_report_domain_error_without_form():
    request = _request()
    assert report_domain_error(request, InvalidTransition("Reload the case.")) == 409
    assert [str(m) for m in get_messages(request)] == ["Reload the case."]


NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@override_settings(AT_RISK_FRACTION=0.25)
@pytest.mark.parametrize(
    ("received_hours_ago", "due_in_hours", "state", "label"),
    [
        (10, 158, "ok", "due in 6 d 14 h"),
        (160, 8, "at-risk", "due in 8 h"),
        (168, 0.5, "at-risk", "due in 30 min"),
        (170, -2, "overdue", "overdue 2 h"),
    ],
)
def test_clock_state_and_label(received_hours_ago, due_in_hours, state, label):
    received = NOW - timedelta(hours=received_hours_ago)
    due = NOW + timedelta(hours=due_in_hours)
    assert clock_state(received, due, NOW) == state
    assert clock_display(received, due, NOW) == {"label": label, "state": state}


def test_clock_without_due_date():
    assert clock_display(None, None, NOW) == {"label": "no clock", "state": "ok"}
