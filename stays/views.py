"""Stays pages: the concurrent-review worklist, the stay view (day by day), the admission
notification (intake by phone or fax, facilities on the portal), and the report. Views call one
service each; selectors choose what the page loads."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from intake.apis import inputs
from intake.models import CareRequest
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access, audit_access_many
from um_portal.lib.errors import DomainError, NotFound, NotPermitted

from . import forms, services
from .models import StayReview
from .selectors import concurrent_worklist, stay_get_for_user, stay_view, stays_report

STAFF = (Role.INTAKE, Role.NURSE, Role.DIRECTOR, Role.MANAGER)
CLINICAL = (Role.NURSE, Role.DIRECTOR)


def _errors(form, exc: DomainError) -> None:
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message) from exc
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if not exc.field_errors:
        form.add_error(None, exc.message)
    for name, msgs in exc.field_errors.items():
        for message in msgs:
            form.add_error(name if name in form.fields else None, message)


def _load(request, stay_id):
    try:
        return stay_get_for_user(request.user, stay_id)
    except NotFound as exc:
        raise Http404 from exc


@role_required(*STAFF)
def worklist(request):
    rows = concurrent_worklist(request.user)
    # The members in house, one access-log row per stay's first review, in one INSERT.
    audit_access_many(
        user=request.user,
        case_ids=[row.view.reviews[0][0].care_request_id for row in rows if row.view.reviews],
        action="stay_worklist",
        channel=Channel.STAFF,
    )
    return render(request, "stays/worklist.html", {"rows": rows})


@role_required(*STAFF)
def stay_detail(request, stay_id, forms_with_errors: dict | None = None):
    stay = _load(request, stay_id)
    view = stay_view(stay)
    first = next(iter(stay.reviews.all()), None)
    if first is not None:
        audit_access(user=request.user, case_id=first.care_request_id, action="view_stay")
    open_review = next((r for r, days in view.reviews if not days.decided), None)
    last_review = view.reviews[-1][0] if view.reviews else None
    context = {
        "view": view,
        "stay": stay,
        "open_review": open_review,
        "last_review": last_review,
        "notes": list(stay.planning_notes.select_related("author")),
        "approve_form": forms.NurseApproveDaysForm(),
        "next_form": forms.NextReviewForm(),
        "extension_form": forms.ExtensionForm(),
        "level_form": forms.LevelChangeForm(),
        "discharge_form": forms.DischargeForm(),
        "note_form": forms.NoteForm(),
    }
    context.update(forms_with_errors or {})
    return render(request, "stays/stay.html", context, status=400 if forms_with_errors else 200)


def _post(request, stay_id, form_class, key: str, action):
    stay = _load(request, stay_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = action(stay, form.cleaned_data)
        except DomainError as exc:
            _errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("stays:stay", stay_id=stay.pk)
    return stay_detail(request, stay_id, forms_with_errors={key: form})


@require_POST
@role_required(Role.NURSE)
def approve_days(request, stay_id):
    def act(stay, data):
        review = StayReview.objects.select_related("care_request").get(
            stay=stay, pk=request.POST.get("review")
        )
        services.stay_review_nurse_approve(
            nurse=request.user,
            stay_review=review,
            next_review_date=data["next_review_date"],
            summary=data["summary"],
        )
        return f"Days approved; next review {data['next_review_date']}."

    return _post(request, stay_id, forms.NurseApproveDaysForm, "approve_form", act)


@require_POST
@role_required(*CLINICAL)
def next_review(request, stay_id):
    def act(stay, data):
        review = stay.reviews.order_by("-sequence").first()
        services.stay_review_set_next_review(
            actor=request.user, stay_review=review, next_review_date=data["next_review_date"]
        )
        return "Next review date set."

    return _post(request, stay_id, forms.NextReviewForm, "next_form", act)


@require_POST
@role_required(Role.INTAKE, Role.NURSE)
def extension(request, stay_id):
    def act(stay, data):
        case = services.stay_request_extension(
            actor=request.user,
            stay=stay,
            requested_days=data["requested_days"],
            level_of_care=data["level_of_care"],
            clinical_summary=data["clinical_summary"],
            channel=CareRequest.Channel.PHONE,
        )
        return f"Continued-stay request {case.reference} received."

    return _post(request, stay_id, forms.ExtensionForm, "extension_form", act)


@require_POST
@role_required(Role.INTAKE, *CLINICAL)
def level_change(request, stay_id):
    def act(stay, data):
        services.stay_change_level(
            actor=request.user,
            stay=stay,
            level_of_care=data["level_of_care"],
            starts_on=data["starts_on"],
            note=data["note"],
        )
        return "Level of care recorded."

    return _post(request, stay_id, forms.LevelChangeForm, "level_form", act)


@require_POST
@role_required(Role.INTAKE, *CLINICAL)
def discharge(request, stay_id):
    def act(stay, data):
        services.stay_discharge(
            actor=request.user,
            stay=stay,
            discharged_at=data["discharged_at"],
            disposition=data["disposition"],
        )
        return "Discharge recorded."

    return _post(request, stay_id, forms.DischargeForm, "discharge_form", act)


@require_POST
@role_required(Role.INTAKE, *CLINICAL)
def note_add(request, stay_id):
    def act(stay, data):
        services.stay_note_add(actor=request.user, stay=stay, body=data["body"])
        return "Note added."

    return _post(request, stay_id, forms.NoteForm, "note_form", act)


def _admit(request, form, *, channel: str, facility_field_user):
    data = form.cleaned_data
    coverage = inputs.coverage_lookup(
        member_id=data["member_id"], birth_date=data["member_birth_date"]
    )
    if coverage is None:
        form.add_error("member_id", "No member with this member ID and date of birth.")
        return None
    try:
        facility = inputs.requesting_provider_for_user(
            facility_field_user, data["facility_npi"], "facility_npi"
        )
        attending = (
            inputs.provider_by_npi(data["attending_npi"], "attending_npi")
            if data["attending_npi"]
            else None
        )
        admitted_at = data["admitted_at"]
        if timezone.is_naive(admitted_at):
            admitted_at = timezone.make_aware(admitted_at)
        return services.stay_admit(
            actor=request.user,
            data=services.AdmissionInput(
                coverage=coverage,
                facility=facility,
                attending=attending,
                admission_type=data["admission_type"],
                level_of_care=data["level_of_care"],
                admitted_at=admitted_at,
                diagnoses=data["diagnoses"],
                requested_days=data["requested_days"],
                expected_discharge=data["expected_discharge"],
                drg=data["drg"].strip(),
                clinical_summary=data["clinical_summary"],
            ),
            channel=channel,
        )
    except DomainError as exc:
        _errors(form, exc)
        return None


@role_required(Role.INTAKE)
def admission_new(request):
    """Intake takes an admission notification by phone or fax."""
    form = forms.IntakeAdmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stay = _admit(
            request, form, channel=form.cleaned_data["channel"], facility_field_user=request.user
        )
        if stay is not None:
            messages.success(request, "Admission recorded; its first concurrent review is open.")
            return redirect("stays:stay", stay_id=stay.pk)
    return render(request, "stays/admission_new.html", {"form": form, "portal": False})


@role_required(Role.PROVIDER)
def portal_admission_new(request):
    """A facility notifies an admission on the portal (one of its own NPIs)."""
    if request.user.provider_organization_id is None:
        raise PermissionDenied
    form = forms.AdmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stay = _admit(
            request, form, channel=CareRequest.Channel.PORTAL, facility_field_user=request.user
        )
        if stay is not None:
            first = stay.reviews.get(sequence=1)
            messages.success(
                request, "Admission notified. Its first concurrent review is with the plan."
            )
            return redirect("portal:case", first.care_request_id)
    return render(
        request, "stays/portal_admission_new.html", {"form": form, "portal": True, "nav": "admit"}
    )


@role_required(Role.MANAGER, *CLINICAL)
def report(request):
    try:
        days = int(request.GET.get("days", 90))
    except ValueError:
        days = 90
    days = min(max(days, 1), 730)
    since = timezone.localdate() - dt.timedelta(days=days)
    rows = stays_report(request.user, since=since)
    return render(request, "stays/report.html", {"rows": rows, "since": since, "days": days})
