"""New request entry for requests received by fax, phone or mail.

The page works without JavaScript: the member lookup is a GET form, "Add another line" submits
the form and comes back with one more row. With htmx the same requests swap fragments instead.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.http import domain_error_status
from um_portal.lib.timefmt import time_left_label

from ..forms import (
    CareRequestEntryForm,
    MemberLookupForm,
    ServiceLineFormSet,
    entry_request_arguments,
    place_entry_errors,
)
from ..rules.duplicates import duplicate_lines_for_member
from ..selectors import (
    coverage_list_for_member,
    member_find,
    member_list_by_name,
    provider_search,
)
from ..services.receipt import ServiceLineInput, care_request_create

LINE_PREFIX = "lines"


def _lookup(request: HttpRequest, data: QueryDict | None) -> dict:
    """The lookup form and what it finds: `member` (or None), the member ID the entry form
    carries on, and, for a name that fits several members, the `matches` to choose from."""
    lookup = MemberLookupForm(data)
    found = {"lookup": lookup, "member": None}
    if data is None or not lookup.is_valid():
        return found
    cleaned = lookup.cleaned_data
    if cleaned["member_number"]:
        found["member"] = member_find(
            user=request.user,
            member_number=cleaned["member_number"],
            birth_date=cleaned["birth_date"],
        )
        found["member_number"] = cleaned["member_number"]
        if found["member"] is None:
            lookup.add_error(None, "No member has this member ID and date of birth.")
        return found
    matches = member_list_by_name(
        user=request.user,
        last_name=cleaned["last_name"],
        first_name=cleaned["first_name"],
        birth_date=cleaned["birth_date"],
    )
    if len(matches) == 1:
        found["member"], found["member_number"] = matches[0]
    elif matches:
        found["matches"] = matches
    else:
        lookup.add_error(None, "No member has this name and date of birth.")
    return found


@role_required(Role.INTAKE)
def care_request_new(request: HttpRequest) -> HttpResponse:
    """Find the member, then enter the request; POST creates and receives it."""
    if request.method == "POST":
        return _create(request)
    has_lookup = "birth_date" in request.GET
    context = _lookup(request, request.GET if has_lookup else None)
    member = context["member"]
    if member is not None:
        context["form"] = CareRequestEntryForm(coverages=coverage_list_for_member(member=member))
        context["lines"] = ServiceLineFormSet(prefix=LINE_PREFIX)
    status = 400 if has_lookup and member is None and not context.get("matches") else 200
    return render(request, "intake/new_request.html", context, status=status)


def _create(request: HttpRequest) -> HttpResponse:
    found = _lookup(request, request.POST)
    member = found["member"]
    if member is None:
        messages.error(request, "Find the member again: the member ID or date of birth changed.")
        return render(request, "intake/new_request.html", {"lookup": found["lookup"]}, status=400)
    coverages = coverage_list_for_member(member=member)
    if "add_line" in request.POST:
        return _with_another_line(request, found, coverages)
    form = CareRequestEntryForm(request.POST, coverages=coverages)
    lines = ServiceLineFormSet(request.POST, prefix=LINE_PREFIX)
    context = {**found, "form": form, "lines": lines}
    if not (form.is_valid() and lines.is_valid()):
        return render(request, "intake/new_request.html", context, status=400)
    line_forms = [f for f in lines.forms if f.cleaned_data]
    arguments = entry_request_arguments(form, line_forms)
    line_inputs = arguments["lines"]
    if "confirm_duplicate" not in request.POST:
        # Shown before anything is saved: a second case for the same service is work for
        # nobody, and voiding it afterwards leaves a record behind.
        duplicates = _possible_duplicates(member, line_inputs)
        if duplicates:
            context["duplicates"] = duplicates
            return render(request, "intake/new_request.html", context, status=409)
    data = form.cleaned_data
    try:
        care_request = care_request_create(
            actor=request.user,
            **arguments,
            channel=data["channel"],
            received_at=data["received_at"],
            received_at_reason=data["received_at_reason"],
            claim_number=data["claim_number"],
        )
    except ValidationFailed as error:
        place_entry_errors(form, line_forms, error)
        messages.error(request, "The request was not saved: correct the fields marked below.")
        return render(
            request, "intake/new_request.html", context, status=domain_error_status(error)
        )
    messages.success(
        request,
        f"Request {care_request.reference} received; {time_left_label(care_request.due_at)}.",
    )
    return redirect("intake:case", pk=care_request.pk)


def _possible_duplicates(member, line_inputs: list[ServiceLineInput]) -> list:
    """The other cases' lines (one per case) that the lines typed in would duplicate."""
    per_case = {}
    for line in duplicate_lines_for_member(member_id=member.pk, lines=line_inputs):
        per_case.setdefault(line.care_request_id, line)
    return list(per_case.values())


def _with_another_line(request, found: dict, coverages) -> HttpResponse:
    """Without JavaScript: the same form again, as typed, with one more empty line."""
    data = request.POST.copy()
    total_key = f"{LINE_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(total_key, "1"))
    except ValueError:
        total = 1
    data[total_key] = str(min(total + 1, ServiceLineFormSet.max_num))
    context = {
        **found,
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
