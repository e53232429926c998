"""The workflow actions intake offers on the case page: one form and one service per
transition, in the order the page shows them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms

from um_portal.lib.errors import ValidationFailed

from ..forms import (
    CloseNotRequiredForm,
    InfoReceivedForm,
    RequestInfoForm,
    TriageForm,
    VoidForm,
    WithdrawForm,
)
from ..selectors import care_request_get_by_reference
from ..services import workflow


@dataclass(frozen=True)
class Action:
    label: str
    form_class: type[forms.Form]
    run: Callable[..., object]
    done: str
    style: str = ""
    field_map: dict[str, str] = field(default_factory=dict)
    expanded: bool = False  # shown open on the page rather than behind a disclosure


def _triage(*, case, actor, data, form):
    workflow.care_request_triage(care_request=case, actor=actor, note=data["note"])


def _request_info(*, case, actor, data, form):
    workflow.care_request_request_info(
        care_request=case, actor=actor, description=data["description"], due_by=data["due_by"]
    )


def _info_received(*, case, actor, data, form):
    workflow.care_request_mark_info_received(
        care_request=case, actor=actor, response=data["response"]
    )


def _close_not_required(*, case, actor, data, form):
    workflow.care_request_close_not_required(care_request=case, actor=actor, note=data["note"])


def _void(*, case, actor, data, form):
    duplicate_of = None
    reference = data["duplicate_of"].strip()
    if reference:
        duplicate_of = care_request_get_by_reference(user=actor, reference=reference)
        if duplicate_of is None or duplicate_of.pk == case.pk:
            message = f"No other case has the reference {reference.upper()}."
            raise ValidationFailed(message, field_errors={"duplicate_of": [message]})
    workflow.care_request_void(
        care_request=case, actor=actor, reason=form.reason_text(), duplicate_of=duplicate_of
    )


def _withdraw(*, case, actor, data, form):
    workflow.care_request_withdraw(care_request=case, actor=actor, reason=data["reason"])


# In the order the page shows them.
ACTIONS: dict[str, Action] = {
    "triage": Action(
        "Triage to clinical review",
        TriageForm,
        _triage,
        "Sent to clinical review.",
        "primary",
        expanded=True,
    ),
    "request_info": Action(
        "Request information", RequestInfoForm, _request_info, "Information requested."
    ),
    "info_received": Action(
        "Mark information received", InfoReceivedForm, _info_received, "Information received."
    ),
    "close_not_required": Action(
        "Close: no authorization required",
        CloseNotRequiredForm,
        _close_not_required,
        "Closed: no authorization required.",
    ),
    "withdraw": Action("Withdraw", WithdrawForm, _withdraw, "Request withdrawn.", "danger"),
    "void": Action(
        "Void (duplicate or entered in error)",
        VoidForm,
        _void,
        "Request voided.",
        "danger",
        {"reason": "detail"},
    ),
}
