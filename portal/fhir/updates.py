"""PAS Claim updates: a Claim whose `related.claim` names an earlier request of the organisation
(by the earlier Claim's identifier, our reference or the authorization number).

What an update may do, while the earlier request waits for its decision:
- cancel the whole request: `Claim.status` "cancelled" (the case is withdrawn, as the portal's
  withdraw does);
- cancel an item: the item carries the modifier extension `infoCancelled` = true;
- change an item (a longer period, more units): `infoChanged` = "changed";
- add an item: `infoChanged` = "added" with a sequence the earlier request does not use;
- add documents: attachments in `supportingInfo` (the ones already on the case are recognised
  by their checksum and not stored twice). A case pended for information goes back to its
  reviewer when documents arrive this way.
Items without either extension are what was sent before and are left as they are. A decided
request is never changed: the submitter files a new request or an appeal. All or nothing: an
update with any problem is refused with an OperationOutcome and changes nothing.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from intake.apis.inputs import LineData, service_line_inputs
from intake.apis.selectors import care_request_scope_for_user
from intake.models import CareRequest, CareRequestStatus, CaseNote, ServiceLine
from intake.services.documents import document_upload
from intake.services.lines import service_line_add, service_line_cancel, service_line_modify
from intake.services.notes import case_note_add
from intake.services.workflow import care_request_mark_info_received, care_request_withdraw
from um_portal.audit.services import audit_event
from um_portal.lib.errors import DomainError

from ..models import PasSubmission
from . import attachments, mapping
from .errors import Issue, PasError, fail
from .parsing import ParsedBundle

PAS_SD = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition"
INFO_CHANGED_URL = f"{PAS_SD}/extension-infoChanged"
INFO_CANCELLED_URL = f"{PAS_SD}/modifierextension-infoCancelled"
CHANGE_MODES = ("changed", "added")  # PAS Information Change Mode value set


@dataclass
class Changes:
    withdraw: bool = False
    cancel: list[tuple[int, ServiceLine]] = field(default_factory=list)
    modify: list[tuple[mapping.ItemData, ServiceLine]] = field(default_factory=list)
    add: list[mapping.ItemData] = field(default_factory=list)
    documents: list[attachments.AttachmentData] = field(default_factory=list)

    def summary(self) -> list[str]:
        out = ["the whole request cancelled"] if self.withdraw else []
        out += [f"item {seq} cancelled" for seq, _ in self.cancel]
        out += [
            f"item {item.sequence} changed to {item.units} unit(s), {item.start_date} to "
            f"{item.end_date}"
            for item, _ in self.modify
        ]
        out += [f"item {item.sequence} added ({item.code})" for item in self.add]
        out += [f"{len(self.documents)} document(s) added"] if self.documents else []
        return out


def related_identifiers(parsed: ParsedBundle) -> list[str]:
    """The identifiers of the earlier requests the Claim says it updates."""
    values = []
    for related in parsed.claim.related or []:
        identifier = getattr(related.claim, "identifier", None) if related.claim else None
        if identifier is not None and identifier.value:
            values.append(identifier.value.strip())
    return values


def _earlier(user, values: list[str]) -> tuple[CareRequest | None, PasSubmission | None]:
    scope = care_request_scope_for_user(user)
    submission = (
        PasSubmission.objects.filter(
            organization=user.provider_organization,
            claim_identifier_value__in=values,
            care_request__in=scope,
        )
        .select_related("care_request")
        .order_by("-created_at")
        .first()
    )
    if submission is not None:
        return submission.care_request, submission
    upper = [v.upper() for v in values]
    case = scope.filter(Q(reference__in=upper) | Q(auth_number__in=upper)).first()
    if case is None:
        return None, None
    return case, PasSubmission.objects.filter(care_request=case).first()


def _refuse_decided(case: CareRequest) -> None:
    if case.is_open:
        return
    if case.status == CareRequestStatus.DENIED:
        message = (
            f"Request {case.reference} was denied and cannot be updated: file a new request, "
            "or an appeal of the denial."
        )
    else:
        message = (
            f"Request {case.reference} is {case.get_status_display().lower()} and cannot be "
            "updated: file a new request (or an appeal of an adverse decision)."
        )
    raise fail("business-rule", message, "Claim.related", status=422)


def _mode(item, expression: str, issues: list[Issue]) -> str:
    for ext in item.modifierExtension or []:
        if ext.url == INFO_CANCELLED_URL and ext.valueBoolean:
            return "cancelled"
    for ext in item.extension or []:
        if ext.url == INFO_CHANGED_URL:
            if ext.valueCode in CHANGE_MODES:
                return ext.valueCode
            issues.append(
                Issue(
                    "code-invalid",
                    f"{expression}: infoChanged must be 'changed' or 'added', not "
                    f"{ext.valueCode!r}.",
                    [f"{expression}.extension"],
                )
            )
    return ""


def read_changes(
    parsed: ParsedBundle, case: CareRequest, submission: PasSubmission | None
) -> Changes:
    """What the update asks for, checked against the earlier request; no database writes.
    Raises PasError naming every problem."""
    changes = Changes()
    if parsed.claim.status == "cancelled":
        changes.withdraw = True
        return changes
    lines = list(case.service_lines.all())
    sequences = submission.item_sequences if submission else [line.sequence for line in lines]
    line_by_item = dict(zip(sequences, lines, strict=False))
    items = {item.sequence: item for item in mapping.read_items(parsed)}
    issues: list[Issue] = []
    for i, claim_item in enumerate(parsed.claim.item):
        expression = f"Claim.item[{i}]"
        mode = _mode(claim_item, expression, issues)
        item, line = items[claim_item.sequence], line_by_item.get(claim_item.sequence)
        if mode == "added":
            if line is not None:
                issues.append(
                    Issue(
                        "business-rule",
                        f"{expression}: item {item.sequence} is already on request "
                        f"{case.reference}; mark it 'changed' to change it.",
                        [f"{expression}.sequence"],
                    )
                )
            else:
                changes.add.append(item)
            continue
        if line is None:
            issues.append(
                Issue(
                    "business-rule",
                    f"{expression}: request {case.reference} has no item {item.sequence}; "
                    "a new item carries infoChanged 'added'.",
                    [f"{expression}.sequence"],
                )
            )
        elif mode == "cancelled":
            changes.cancel.append((item.sequence, line))
        elif mode == "changed":
            if (item.code_system, item.code) != (line.code_system, line.code):
                issues.append(
                    Issue(
                        "business-rule",
                        f"{expression}: the service of item {item.sequence} cannot change "
                        f"({line.code} to {item.code}): cancel the item and add a new one.",
                        [f"{expression}.productOrService"],
                    )
                )
            elif (item.units, item.start_date, item.end_date) != (
                line.units,
                line.start_date,
                line.end_date,
            ):
                changes.modify.append((item, line))
    if issues:
        raise PasError(issues, status=422)
    known = set(case.documents.values_list("sha256", flat=True))
    changes.documents = [
        d for d in attachments.read_attachments(parsed) if _sha(d.data) not in known
    ]
    return changes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def changes_apply(
    *, user, case: CareRequest, submission: PasSubmission | None, changes: Changes
) -> None:
    """Apply an update through intake's services, in one transaction."""
    done = changes.summary()
    if not done:
        return
    note = "Changed by a PAS Claim update."
    if changes.withdraw:
        care_request_withdraw(
            care_request=case, actor=user, reason="Cancelled by a PAS Claim update."
        )
    item_by_line = {}
    if submission is not None:
        lines = list(case.service_lines.all())
        item_by_line = dict(
            zip((line.pk for line in lines), submission.item_sequences, strict=False)
        )
    for _sequence, line in changes.cancel:
        service_line_cancel(care_request=case, actor=user, line=line, note=note)
    for item, line in changes.modify:
        service_line_modify(
            care_request=case,
            actor=user,
            line=line,
            units=item.units,
            start_date=item.start_date,
            end_date=item.end_date,
            note=note,
        )
    if changes.add:
        inputs = service_line_inputs(
            [
                LineData(
                    code_system=item.code_system,
                    code=item.code,
                    units=item.units,
                    start_date=item.start_date,
                    end_date=item.end_date,
                    place_of_service=item.place_of_service,
                    modifiers=item.modifiers,
                )
                for item in changes.add
            ],
            prefix="Claim.item",
        )
        for item, line_input in zip(changes.add, inputs, strict=True):
            added = service_line_add(care_request=case, actor=user, line=line_input, note=note)
            item_by_line[added.pk] = item.sequence
    for document in changes.documents:
        document_upload(
            care_request=case,
            actor=user,
            kind=document.kind,
            name=document.name,
            data=document.data,
            channel=CareRequest.Channel.API,
        )
        # The nurse sees answers sent later too (the rules at receipt have already run).
        attachments.record_supporting(care_request=case, user=user, document=document)
    case.refresh_from_db()
    if changes.documents and case.status == CareRequestStatus.PENDING_INFO:
        care_request_mark_info_received(
            care_request=case, actor=user, response="Documents sent with a PAS Claim update."
        )
    if submission is not None:
        submission.item_sequences = [
            item_by_line[line.pk] for line in case.service_lines.all() if line.pk in item_by_line
        ]
        submission.save(update_fields=["item_sequences"])
    summary = "; ".join(done)
    case_note_add(
        care_request=case,
        author=user,
        body=f"PAS Claim update received: {summary}.",
        visibility=CaseNote.Visibility.INTERNAL,
    )
    audit_event(
        actor=user, action="pas.updated", case_id=case.pk, summary=f"PAS update: {summary}."
    )


def pas_update(*, user, parsed: ParsedBundle) -> dict:
    """Apply a PAS Claim update to the earlier request it names and answer that request's
    ClaimResponse Bundle. Raises PasError (nothing written) when it cannot be applied."""
    from .services import _answer, _case_answer, _domain_to_pas, _inquiry_echo, _inquiry_matches

    values = related_identifiers(parsed)
    case, submission = _earlier(user, values) if values else (None, None)
    if case is None:
        raise fail(
            "not-found",
            "Claim.related.claim names no earlier request of your organisation (give the "
            "earlier Claim's identifier, our reference or the authorization number).",
            "Claim.related",
            status=404,
        )
    patient = parsed.resolve(parsed.claim.patient, "Claim.patient", "Patient")
    requester = parsed.resolve(
        parsed.claim.provider, "Claim.provider", "Organization", "Practitioner", "PractitionerRole"
    )
    if not _inquiry_matches(case, patient, requester):
        raise fail(
            "business-rule",
            f"The update's patient or requesting provider is not that of request {case.reference}.",
            "Claim.patient",
            status=422,
        )
    _refuse_decided(case)
    changes = read_changes(parsed, case, submission)
    try:
        changes_apply(user=user, case=case, submission=submission, changes=changes)
    except DomainError as exc:
        raise _domain_to_pas(exc) from exc
    if submission is not None:
        submission.refresh_from_db()
        return _answer(submission, user=user, action="fhir_update")
    claim = parsed.bundle.entry[0].resource.model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    identifier = (parsed.claim.identifier or [None])[0]
    return _case_answer(
        case.pk,
        user=user,
        action="fhir_update",
        item_sequences=None,
        claim=claim,
        patient_url=parsed.full_url_of(patient),
        claim_identifier={"value": identifier.value} if identifier and identifier.value else {},
        echo_entries=_inquiry_echo(parsed, patient, requester),
    )
