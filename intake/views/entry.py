"""New request entry for requests received by fax, phone or mail.

The page works without JavaScript: the member lookup is a GET form, "Add another line" submits
the form and comes back with one more row. With htmx the same requests swap fragments instead.
"""

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.http import add_field_errors, domain_error_status
from um_portal.lib.timefmt import time_left_label

from ..forms import CareRequestEntryForm, MemberLookupForm, ServiceLineFormSet
from ..selectors import coverage_list_for_member, member_find, provider_search
from ..services.receipt import ServiceLineInput, care_request_create

LINE_PREFIX = "lines"
LINE_ERROR_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def _lookup(request: HttpRequest, data: QueryDict | None):
    """The lookup form and the member it finds (or None)."""
    lookup = MemberLookupForm(data)
    member = None
    if data is not None and lookup.is_valid():
        member = member_find(
            user=request.user,
            member_number=lookup.cleaned_data["member_number"],
            birth_date=lookup.cleaned_data["birth_date"],
        )
        if member is None:
            lookup.add_error(None, "No member has this member ID and date of birth.")
    return lookup, member


@role_required(Role.INTAKE)
def care_request_new(request: HttpRequest) -> HttpResponse:
    """Find the member, then enter the request; POST creates and receives it."""
    if request.method == "POST":
        return _create(request)
    has_lookup = "member_number" in request.GET
    lookup, member = _lookup(request, request.GET if has_lookup else None)
    context = {"lookup": lookup, "member": member}
    if member is not None:
        context["form"] = CareRequestEntryForm(coverages=coverage_list_for_member(member=member))
        context["lines"] = ServiceLineFormSet(prefix=LINE_PREFIX)
    status = 400 if has_lookup and member is None else 200
    return render(request, "intake/new_request.html", context, status=status)


def _create(request: HttpRequest) -> HttpResponse:
    lookup, member = _lookup(request, request.POST)
    if member is None:
        messages.error(request, "Find the member again: the member ID or date of birth changed.")
        return render(request, "intake/new_request.html", {"lookup": lookup}, status=400)
    coverages = coverage_list_for_member(member=member)
    if "add_line" in request.POST:
        return _with_another_line(request, lookup, member, coverages)
    form = CareRequestEntryForm(request.POST, coverages=coverages)
    lines = ServiceLineFormSet(request.POST, prefix=LINE_PREFIX)
    context = {"lookup": lookup, "member": member, "form": form, "lines": lines}
    if not (form.is_valid() and lines.is_valid()):
        return render(request, "intake/new_request.html", context, status=400)
    line_forms = [f for f in lines.forms if f.cleaned_data]
    data = form.cleaned_data
    try:
        care_request = care_request_create(
            actor=request.user,
            coverage=data["coverage"],
            requesting_provider=data["requesting_provider"],
            servicing_provider=data["servicing_provider"],
            lines=[_line_input(f.cleaned_data) for f in line_forms],
            diagnoses=data["diagnoses"],
            channel=data["channel"],
            priority=data["priority"],
            request_type=data["request_type"],
            review_setting=data["review_setting"],
            clinical_summary=data["clinical_summary"],
            claim_number=data["claim_number"],
        )
    except ValidationFailed as error:
        _place_errors(form, line_forms, error)
        messages.error(request, "The request was not saved: correct the fields marked below.")
        return render(
            request, "intake/new_request.html", context, status=domain_error_status(error)
        )
    messages.success(
        request,
        f"Request {care_request.reference} received; {time_left_label(care_request.due_at)}.",
    )
    return redirect("intake:case", pk=care_request.pk)


def _line_input(cleaned: dict) -> ServiceLineInput:
    return ServiceLineInput(
        code_system=cleaned["code_system"],
        code=cleaned["code"],
        category=cleaned["category"],
        units=cleaned["units"],
        start_date=cleaned["start_date"],
        end_date=cleaned["end_date"],
        place_of_service=cleaned.get("place_of_service", ""),
        modifiers=cleaned.get("modifiers", ""),
    )


def _place_errors(form, line_forms, error: ValidationFailed) -> None:
    """Put the service's errors next to the fields they concern ("lines[2].end_date" is the
    end date of the second line entered)."""
    rest = {}
    for key, messages_ in error.field_errors.items():
        match = LINE_ERROR_KEY.match(key)
        if match and 1 <= int(match[1]) <= len(line_forms):
            line_form = line_forms[int(match[1]) - 1]
            field = match[2] if match[2] in line_form.fields else None
            for message in messages_:
                line_form.add_error(field, message)
        else:
            rest[key] = messages_
    add_field_errors(form, rest)
    if not error.field_errors:
        form.add_error(None, error.message)


def _with_another_line(request, lookup, member, coverages) -> HttpResponse:
    """Without JavaScript: the same form again, as typed, with one more empty line."""
    data = request.POST.copy()
    total_key = f"{LINE_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(total_key, "1"))
    except ValueError:
        total = 1
    data[total_key] = str(min(total + 1, ServiceLineFormSet.max_num))
    context = {
        "lookup": lookup,
        "member": member,
        "form": CareRequestEntryForm(data, coverages=coverages),
        "lines": ServiceLineFormSet(data, prefix=LINE_PREFIX),
        # Nothing was submitted yet: do not greet the user with "this field is required".
        "quiet": True,
    }
    return render(request, "intake/new_request.html", context)


@role_required(Role.INTAKE)
def service_line_row(request: HttpRequest) -> HttpResponse:
    """htmx: one more empty service-line row and the formset's new form count."""
    try:
        index = int(request.GET.get(f"{LINE_PREFIX}-TOTAL_FORMS", "1"))
    except ValueError:
        index = 1
    index = max(0, min(index, ServiceLineFormSet.max_num - 1))
    line = ServiceLineFormSet.form(
        prefix=f"{LINE_PREFIX}-{index}", empty_permitted=True, use_required_attribute=False
    )
    return render(
        request,
        "intake/includes/line_row.html",
        {"line": line, "new_total": index + 1, "oob": True},
    )


@role_required(Role.INTAKE)
def provider_options(request: HttpRequest) -> HttpResponse:
    """htmx: <option>s for a provider field's datalist, by NPI prefix or name."""
    query = next(
        (
            request.GET[name]
            for name in ("q", "requesting_provider", "servicing_provider")
            if request.GET.get(name)
        ),
        "",
    )
    providers = provider_search(user=request.user, query=query)
    return render(request, "intake/includes/provider_options.html", {"providers": providers})
