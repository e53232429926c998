"""The review screen's entry form, filled from what was read: which member the fax names, the
form's initial values, and the marks that tie each input to its region on the page image."""

import re
from datetime import date

from django.http import HttpRequest

from intake.models import CareRequest, Member, ServiceCategory
from intake.selectors import coverage_list_for_member, member_find

from ..models import ExtractedField

LINE_PREFIX = "lines"  # the prefix intake's entry template gives its service-line formset
# Which entry-form input each extracted field fills (the review screen highlights the field's
# region on the page when that input has focus).
FORM_INPUT = {
    "member_id": "member_number",
    "member_dob": "birth_date",
    "requesting_npi": "requesting_provider",
    "servicing_npi": "servicing_provider",
    "urgency": "priority",
    "setting": "review_setting",
    "clinical_reason": "clinical_summary",
}
LINE_INPUT = {"code": "code", "units": "units", "start": "start_date", "end": "end_date"}


def values_by_name(fields: list[ExtractedField]) -> dict[str, ExtractedField]:
    return {f.name: f for f in fields}


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def member_from_fields(user, by_name: dict[str, ExtractedField]) -> Member | None:
    dob = _iso(by_name["member_dob"].value) if "member_dob" in by_name else None
    if dob is None:
        return None
    if "member_id" in by_name:
        member = member_find(user=user, member_number=by_name["member_id"].value, birth_date=dob)
        if member is not None:
            return member
    name = by_name.get("member_name")
    parts = name.value.split() if name else []
    if len(parts) >= 2:
        return Member.objects.filter(
            first_name__iexact=parts[0], last_name__iexact=parts[-1], birth_date=dob
        ).first()
    return None


def guess_category(code: str) -> ServiceCategory | None:
    """A first guess the specialist confirms: imaging 7xxxx, therapy 97xxx, DME E-codes,
    surgery 1xxxx-6xxxx, drugs (J-codes) as office visits."""
    if code.startswith("97"):
        key = "therapy"
    elif code.startswith("7"):
        key = "imaging"
    elif code[:1] in "EKL":
        key = "dme"
    elif code[:1].isdigit() and code[:1] in "123456":
        key = "surgery"
    else:
        key = "office-visit"
    return ServiceCategory.objects.filter(code=key).first()


def lookup_data(request: HttpRequest, by_name: dict[str, ExtractedField], member) -> dict:
    if "member_number" in request.GET:
        return {k: request.GET.get(k, "") for k in ("member_number", "birth_date")}
    if member is not None:
        coverage = coverage_list_for_member(member=member).first()
        return {
            "member_number": coverage.member_number,
            "birth_date": member.birth_date.isoformat(),
        }
    return {
        "member_number": by_name["member_id"].value if "member_id" in by_name else "",
        "birth_date": by_name["member_dob"].value if "member_dob" in by_name else "",
    }


def initial_values(by_name: dict[str, ExtractedField]) -> tuple[dict, list[dict]]:
    def value(name: str) -> str:
        return by_name[name].value if name in by_name else ""

    form = {
        "channel": CareRequest.Channel.FAX,
        "priority": "expedited" if value("urgency") == "expedited" else "standard",
        "request_type": CareRequest.RequestType.PROSPECTIVE,
        "review_setting": value("setting") or "outpatient",
        "requesting_provider": value("requesting_npi"),
        "servicing_provider": value("servicing_npi"),
        "diagnoses": ", ".join(
            f.value for n, f in sorted(by_name.items()) if n.startswith("diagnosis_")
        ),
        "clinical_summary": value("clinical_reason"),
    }
    lines = []
    rows = sorted({int(n.split("_")[1]) for n in by_name if re.match(r"^service_\d+_", n)})
    for i in rows:
        # A row whose code could not be read still comes, with its code to be typed in.
        code = value(f"service_{i}_code")
        lines.append(
            {
                "code_system": "hcpcs" if code[:1].isalpha() else "cpt",
                "code": code,
                "category": guess_category(code) if code else None,
                "units": value(f"service_{i}_units") or 1,
                "start_date": _iso(value(f"service_{i}_start")),
                "end_date": _iso(value(f"service_{i}_end")),
            }
        )
    return form, lines


def _mark(field, extracted: ExtractedField | None) -> None:
    if extracted is None:
        return
    field.widget.attrs.update(
        {
            "data-field": extracted.name,
            "data-page": str(extracted.page),
            "data-bbox": ",".join(str(v) for v in extracted.bbox),
        }
    )
    if extracted.needs_confirmation:
        field.widget.attrs["class"] = "needs-confirmation"


def annotate(form, lines, lookup, by_name: dict[str, ExtractedField]) -> None:
    for name, input_name in FORM_INPUT.items():
        for target in (form, lookup):
            if target is not None and input_name in target.fields:
                _mark(target.fields[input_name], by_name.get(name))
    if form is not None:
        first_diagnosis = by_name.get("diagnosis_1")
        _mark(form.fields["diagnoses"], first_diagnosis)
    if lines is not None:
        for i, line in enumerate(lines.forms, start=1):
            for suffix, input_name in LINE_INPUT.items():
                _mark(line.fields[input_name], by_name.get(f"service_{i}_{suffix}"))
