"""The medical director's decision page, its side actions, and letter downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from intake.models import CareRequestStatus, ServiceLine
from intake.services.notes import case_note_add
from intake.services.transitions import available_actions, care_request_transition
from intake.services.workflow import care_request_request_info
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access, audit_access_many
from um_portal.lib.errors import DomainError
from um_portal.lib.http import case_file_response, report_domain_error

from .forms import (
    ConfirmDeliveredForm,
    NoteForm,
    ReasonForm,
    RequestInfoForm,
    ResendForm,
    line_forms,
)
from .selectors import (
    LETTER_ATTENTION_ROLES,
    criteria_sets_current,
    decision_case_get,
    decision_material,
    denial_reasons_active,
    letter_failed_get,
    letter_get_for_user,
    letters_attention_other,
    letters_needing_attention,
    nurse_review_latest,
    nurse_unmet_criteria,
)
from .services import determination_issue, determination_reopen
from .services.attention import letter_confirm_delivered, letter_problem, letter_resend
from .services.decide import nurse_approved_line_ids


def _lines_to_decide(case) -> tuple[list, list]:
    """(lines the director decides, lines a nurse already approved). Before the first
    determination an approved line can only be a nurse's approval of what met criteria; it
    stands, and the director decides the referred lines."""
    lines = list(case.service_lines.all())
    if case.determinations.all():
        return lines, []
    approved = nurse_approved_line_ids(lines)
    # A line denied before the first determination was denied administratively: it is decided
    # too, and the administrative page lists it.
    decided = approved | {x.pk for x in lines if x.decision == ServiceLine.Decision.DENIED}
    return [x for x in lines if x.pk not in decided], [x for x in lines if x.pk in approved]


def _page(request, case, *, forms=None, side_forms=None, error=None, status=200):
    lines, nurse_approved = _lines_to_decide(case)
    reasons = denial_reasons_active()
    criteria_sets = criteria_sets_current()
    nurse_review = nurse_review_latest(case)
    if forms is None:
        forms = line_forms(
            None,
            lines,
            reasons=reasons,
            criteria_sets=criteria_sets,
            unmet=nurse_unmet_criteria(nurse_review),
        )
    side = {"info_form": RequestInfoForm(), "note_form": NoteForm(), "reopen_form": ReasonForm()}
    side.update(side_forms or {})
    audit_access(user=request.user, case_id=case.pk, action="view")
    return render(
        request,
        "determinations/decide.html",
        {
            "case": case,
            "line_forms": forms,
            "nurse_approved_lines": nurse_approved,
            **decision_material(case),
            "nurse_review": nurse_review,
            "actions": available_actions(case, request.user),
            "in_md_review": case.status == CareRequestStatus.MD_REVIEW,
            "error": error,
            **side,
        },
        status=status,
    )


def _decide_url(case) -> str:
    return reverse("determinations:decide", args=[case.pk])


@role_required(Role.DIRECTOR)
def decide(request, case_id):
    """GET: the case with the nurse's review and a decision form per service line.
    POST: issue the determination (one transaction), then show the letters."""
    case = decision_case_get(case_id)
    if request.method != "POST":
        return _page(request, case)
    lines, _ = _lines_to_decide(case)
    forms = line_forms(
        request.POST, lines, reasons=denial_reasons_active(), criteria_sets=criteria_sets_current()
    )
    if not all(f.is_valid() for f in forms):
        return _page(request, case, forms=forms, error="Check the highlighted fields.", status=400)
    try:
        determination = determination_issue(
            case=case,
            director=request.user,
            line_decisions=[f.to_input() for f in forms],
            kind="reopening" if case.determinations.exists() else "initial",
            note=request.POST.get("note", "").strip(),
        )
    except DomainError as exc:
        by_seq = {f"lines[{f.line.sequence}]": f for f in forms}
        for key, field_messages in exc.field_errors.items():
            prefix, _, field = key.partition(".")
            form = by_seq.get(prefix)
            if form is not None and field in form.fields:
                for message in field_messages:
                    form.add_error(field, message)
        detail = " ".join(m for k, ms in exc.field_errors.items() if "." not in k for m in ms)
        return _page(
            request,
            case,
            forms=forms,
            error=f"{exc.message} {detail}".strip(),
            status=exc.status_code,
        )
    messages.success(
        request,
        f"{determination.get_outcome_display()}: determination recorded; letters are being "
        "prepared.",
    )
    return redirect(_decide_url(case))


def _side_action(request, case_id, form_class, form_key, run, success: str):
    case = decision_case_get(case_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(
            request, case, side_forms={form_key: form}, error="Check the form.", status=400
        )
    try:
        run(case, form.cleaned_data)
    except DomainError as exc:
        for field, field_messages in exc.field_errors.items():
            if field in form.fields:
                for message in field_messages:
                    form.add_error(field, message)
        return _page(
            request, case, side_forms={form_key: form}, error=exc.message, status=exc.status_code
        )
    messages.success(request, success)
    return redirect(_decide_url(case))


@role_required(Role.DIRECTOR)
@require_POST
def refer_back(request, case_id):
    """Return the case to the nurse (e.g. criteria answers missing); the reason is required."""
    return _side_action(
        request,
        case_id,
        ReasonForm,
        "refer_form",
        lambda case, data: care_request_transition(
            care_request=case, name="refer_back_to_nurse", actor=request.user, note=data["reason"]
        ),
        "Case returned to nurse review.",
    )


@role_required(Role.DIRECTOR)
@require_POST
def request_info(request, case_id):
    return _side_action(
        request,
        case_id,
        RequestInfoForm,
        "info_form",
        lambda case, data: care_request_request_info(
            care_request=case,
            actor=request.user,
            description=data["description"],
            due_by=data["due_by"],
        ),
        "Information requested from the provider.",
    )


@role_required(Role.DIRECTOR)
@require_POST
def add_note(request, case_id):
    return _side_action(
        request,
        case_id,
        NoteForm,
        "note_form",
        lambda case, data: case_note_add(care_request=case, author=request.user, body=data["body"]),
        "Note added.",
    )


@role_required(Role.DIRECTOR)
@require_POST
def reopen(request, case_id):
    return _side_action(
        request,
        case_id,
        ReasonForm,
        "reopen_form",
        lambda case, data: determination_reopen(
            case=case, director=request.user, reason=data["reason"]
        ),
        "Determination reopened: record the new decision below.",
    )


@require_GET
@login_required
def letter_pdf(request, letter_id):
    """The letter's PDF for staff and for the provider organisation of the case; 404 for
    anyone else. Every download is audited."""
    letter = letter_get_for_user(request.user, letter_id)
    reference = letter.case.reference
    return case_file_response(
        user=request.user,
        case_id=letter.case_pk,
        stored_file=letter.pdf,
        filename=f"letter-{reference}-{letter.recipient}.pdf",
        content_type="application/pdf",
        action="letter_download",
        object_id=str(letter.pk),
    )


# --- letters needing attention (UM manager, intake) ---


def _attention_page(request, *, errors: dict | None = None, status: int = 200):
    rows = [
        {
            "letter": letter,
            "case": letter.case,
            "problem": letter_problem(letter),
            "resend_form": (errors or {}).get(("resend", letter.pk)) or ResendForm(),
            "confirm_form": (errors or {}).get(("confirm", letter.pk)) or ConfirmDeliveredForm(),
        }
        for letter in letters_needing_attention(request.user)
    ]
    other = letters_attention_other(request.user)
    # Each row names the case and its recipient: one access-log row per case, one INSERT.
    audit_access_many(
        user=request.user,
        case_ids=[row["case"].pk for row in [*rows, *other]],
        action="letters_attention",
        channel=Channel.STAFF,
    )
    return render(
        request,
        "determinations/letters_attention.html",
        {"rows": rows, "other_rows": other},
        status=status,
    )


@role_required(*LETTER_ATTENTION_ROLES)
@require_GET
def letters_attention(request):
    return _attention_page(request)


@role_required(*LETTER_ATTENTION_ROLES)
@require_POST
def letter_resend_view(request, letter_id):
    letter = letter_failed_get(request.user, letter_id)
    form = ResendForm(request.POST)
    form.is_valid()
    try:
        letter_resend(
            letter=letter,
            actor=request.user,
            checked_mail_log=form.cleaned_data.get("checked_mail_log", False),
        )
    except DomainError as error:
        status = report_domain_error(request, error, form)
        return _attention_page(request, errors={("resend", letter.pk): form}, status=status)
    messages.success(request, f"{letter} is queued to go out again.")
    return redirect("determinations:letters_attention")


@role_required(*LETTER_ATTENTION_ROLES)
@require_POST
def letter_confirm_view(request, letter_id):
    letter = letter_failed_get(request.user, letter_id)
    form = ConfirmDeliveredForm(request.POST)
    if form.is_valid():
        try:
            letter_confirm_delivered(
                letter=letter, actor=request.user, evidence=form.cleaned_data["evidence"]
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            messages.success(request, f"{letter} recorded as delivered.")
            return redirect("determinations:letters_attention")
    else:
        status = 400
    return _attention_page(request, errors={("confirm", letter.pk): form}, status=status)
