"""Supporting documentation sent with a PAS Claim: `Claim.supportingInfo` whose value is an
Attachment, or a Reference to a DocumentReference or a Binary in the Bundle (PAS
supportingInfo:AdditionalInformation). Read into plain data and checked against the same size
and type rules as an upload before anything is written; no database here.

We never fetch an attachment from a URL the submitter gives (a server-side request to an
address of their choosing): the content must be inline (base64) or a Binary in the Bundle.
"""

import base64
import binascii
from dataclasses import dataclass

from intake.models import DocumentKind
from intake.services.documents import validate_upload
from um_portal.lib.errors import ValidationFailed

from .errors import Issue, PasError
from .parsing import ParsedBundle

MAX_ATTACHMENTS = 20
LOINC = "http://loinc.org"
X12_755 = "https://codesystem.x12.org/005010/755"  # PWK01 attachment report type
KIND_SYSTEM = "urn:um-portal:document-kind"  # our own kinds, for submitters that know them

K = DocumentKind
# Which checklist document a coded attachment is. Codes we do not know make an "other"
# document: kept on the case for the reviewer, satisfying no checklist item.
KIND_BY_CODE = {
    (LOINC, "11506-3"): K.CLINICAL_NOTES,  # progress note
    (LOINC, "34117-2"): K.CLINICAL_NOTES,  # history and physical note
    (LOINC, "11488-4"): K.CLINICAL_NOTES,  # consult note
    (LOINC, "11505-5"): K.CLINICAL_NOTES,  # physician procedure note
    (LOINC, "28570-0"): K.CLINICAL_NOTES,  # procedure note
    (LOINC, "18842-5"): K.CLINICAL_NOTES,  # discharge summary
    (LOINC, "18748-4"): K.IMAGING_REPORT,  # diagnostic imaging study
    (LOINC, "11502-2"): K.LAB_RESULTS,  # laboratory report
    (LOINC, "11508-9"): K.THERAPY_NOTES,  # physical therapy progress note
    (LOINC, "11507-1"): K.THERAPY_NOTES,  # occupational therapy progress note
    (X12_755, "09"): K.CLINICAL_NOTES,  # progress report
    (X12_755, "NN"): K.CLINICAL_NOTES,  # nursing notes
    (X12_755, "RR"): K.IMAGING_REPORT,  # radiology reports
    (X12_755, "LA"): K.LAB_RESULTS,  # laboratory results
    (X12_755, "PN"): K.THERAPY_NOTES,  # physical therapy notes
    (X12_755, "B3"): K.ORDER,  # physician order
    (X12_755, "DB"): K.ORDER,  # durable medical equipment prescription
    (X12_755, "03"): K.MEDICAL_NECESSITY_LETTER,  # report justifying treatment
    **{(KIND_SYSTEM, kind.value): kind for kind in K},
}


# Other resources in the Bundle that stand for a document, by resource type, and how another app
# (e.g. crd for a DTR QuestionnaireResponse) renders one: (resource JSON, expression) ->
# (bytes, name, document kind). Registered at start-up, so portal.fhir imports no such app.
_renderers: dict = {}
# What else such an app keeps from the resource once the case exists, inside the receiving
# transaction before the rules run (e.g. crd stores a criteria questionnaire's answers so the
# rules at receipt may approve on them): (case, user, resource JSON) -> None.
_recorders: dict = {}


def register_supporting_renderer(resource_type: str, renderer, recorder=None) -> None:
    _renderers[resource_type] = renderer
    if recorder is not None:
        _recorders[resource_type] = recorder


def record_supporting(*, care_request, user, document: "AttachmentData") -> None:
    recorder = _recorders.get(document.resource_type)
    if recorder is not None and document.resource is not None:
        recorder(care_request, user, document.resource)


@dataclass
class AttachmentData:
    sequence: int  # the supportingInfo's sequence
    kind: str
    name: str
    data: bytes
    content_type: str  # sniffed from the content, never the submitter's claim
    resource_type: str = ""  # a rendered resource's type (e.g. QuestionnaireResponse)
    resource: dict | None = None  # the rendered resource's JSON, for its recorder


def _codings(*concepts) -> list:
    return [c for concept in concepts if concept is not None for c in concept.coding or []]


def kind_for(*concepts) -> str:
    for concept in concepts:
        if isinstance(concept, str):  # a kind a renderer decided
            return concept
    for coding in _codings(*concepts):
        kind = KIND_BY_CODE.get((coding.system, (coding.code or "").strip()))
        if kind is not None:
            return kind
    return K.OTHER


def _decode(data: str | bytes | None, expression: str) -> bytes:
    if data is None:
        raise PasError(
            [
                Issue(
                    "not-supported",
                    f"{expression} has no inline data: send the document base64-encoded in "
                    "Attachment.data or as a Binary in the Bundle (we do not fetch URLs).",
                    [expression],
                )
            ]
        )
    if isinstance(data, bytes):  # fhir.resources decodes base64Binary while parsing
        return data
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PasError(
            [Issue("invalid", f"{expression} is not valid base64.", [expression])]
        ) from exc


def _content(parsed: ParsedBundle, info, expression: str) -> tuple[bytes, str, list, dict | None]:
    """(bytes, a name, the codings that may say what it is, the rendered resource or None) of
    one supportingInfo."""
    attachment = getattr(info, "valueAttachment", None)
    if attachment is not None:
        return (
            _decode(attachment.data, f"{expression}.valueAttachment.data"),
            attachment.title or "",
            [],
            None,
        )
    resource = parsed.resolve(
        info.valueReference,
        f"{expression}.valueReference",
        "DocumentReference",
        "Binary",
        *_renderers,
    )
    renderer = _renderers.get(resource.get_resource_type())
    if renderer is not None:
        as_json = resource.model_dump(mode="json", by_alias=True, exclude_none=True)
        data, name, kind = renderer(as_json, expression)
        return data, name, [kind], as_json
    if resource.get_resource_type() == "Binary":
        return _decode(resource.data, f"{expression}.valueReference"), "", [], None
    contents = resource.content or []
    if not contents:
        raise PasError(
            [
                Issue(
                    "required", f"{expression}: the DocumentReference has no content.", [expression]
                )
            ]
        )
    attachment = contents[0].attachment
    expr = f"{expression}.valueReference.content[0].attachment"
    if attachment.data is None and attachment.url:
        binary = parsed.by_url.get(attachment.url) or parsed.by_url.get(
            "/".join(attachment.url.rstrip("/").split("/")[-2:])
        )
        if binary is not None and binary.get_resource_type() == "Binary":
            data = _decode(binary.data, f"{expr}.url")
        else:
            data = _decode(None, expr)
    else:
        data = _decode(attachment.data, f"{expr}.data")
    name = attachment.title or resource.description or ""
    return data, name, [resource.type, *(resource.category or [])], None


def _is_attachment(parsed: ParsedBundle, info) -> bool:
    if getattr(info, "valueAttachment", None) is not None:
        return True
    reference = getattr(info, "valueReference", None)
    target = parsed.by_url.get(getattr(reference, "reference", None) or "")
    return target is not None and target.get_resource_type() in (
        "DocumentReference",
        "Binary",
        *_renderers,
    )


def read_attachments(parsed: ParsedBundle) -> list[AttachmentData]:
    """Every attachment of the Claim, validated as an upload would be; PasError names each
    one that cannot be accepted (so the submitter fixes them all in one round)."""
    infos = [
        (i, info)
        for i, info in enumerate(parsed.claim.supportingInfo or [])
        if _is_attachment(parsed, info)
    ]
    if len(infos) > MAX_ATTACHMENTS:
        raise PasError(
            [
                Issue(
                    "too-costly",
                    f"The Claim has {len(infos)} attachments; at most {MAX_ATTACHMENTS} are "
                    "accepted in one request.",
                    ["Claim.supportingInfo"],
                )
            ]
        )
    issues, out = [], []
    for i, info in infos:
        expression = f"Claim.supportingInfo[{i}]"
        try:
            data, name, codings, rendered = _content(parsed, info, expression)
            name = (name or f"attachment-{info.sequence}").strip()[:200]
            content_type = validate_upload(name=name, data=data)
        except PasError as exc:
            issues.extend(exc.issues)
            continue
        except ValidationFailed as exc:
            issues.append(Issue("invalid", f"{expression}: {exc.message}", [expression]))
            continue
        out.append(
            AttachmentData(
                sequence=info.sequence,
                kind=kind_for(info.code, *codings),
                name=name,
                data=data,
                content_type=content_type,
                resource_type=rendered.get("resourceType", "") if rendered else "",
                resource=rendered,
            )
        )
    if issues:
        raise PasError(issues)
    return out
