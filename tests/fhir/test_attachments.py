"""Supporting documentation in a PAS Claim (supportingInfo: an inline Attachment, a
DocumentReference with base64 data, or one whose attachment points to a Binary in the Bundle)
becomes documents of the case under the upload rules, ticks the checklist items it matches,
and lets the demo auto-approval rules approve a complete request in the same call."""

import base64
import uuid

import pytest

from intake.demo import demo_pdf
from intake.demo_rules import seed_rules
from intake.models import CareRequest, CareRequestStatus, Document
from tests.fhir.conftest import CPT, counts, outcome_text, post, review_actions

SUBMIT = "/fhir/Claim/$submit"
LOINC = "http://loinc.org"
KNEE_MRI = {"system": CPT, "code": "73721", "quantity": 1}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_rules(db):
    seed_rules()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def with_documents(bundle: dict, *documents: tuple[dict, list[dict]]) -> dict:
    """Add supportingInfo entries: (the supportingInfo's value, resources to add to the Bundle)."""
    claim = bundle["entry"][0]["resource"]
    claim["supportingInfo"] = []
    for sequence, (value, resources) in enumerate(documents, start=1):
        claim["supportingInfo"].append(
            {
                "sequence": sequence,
                "category": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASTempCodes",
                            "code": "additionalInformation",
                        }
                    ]
                },
                **value,
            }
        )
        bundle["entry"] += resources
    return bundle


def document_reference(loinc: str, data: bytes, title: str) -> tuple[dict, list[dict]]:
    url = f"urn:uuid:{uuid.uuid4()}"
    resource = {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": LOINC, "code": loinc}]},
        "content": [
            {"attachment": {"contentType": "application/pdf", "data": _b64(data), "title": title}}
        ],
    }
    return {"valueReference": {"reference": url}}, [{"fullUrl": url, "resource": resource}]


def document_reference_to_binary(loinc: str, data: bytes) -> tuple[dict, list[dict]]:
    url, binary_url = f"urn:uuid:{uuid.uuid4()}", f"urn:uuid:{uuid.uuid4()}"
    resource = {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": LOINC, "code": loinc}]},
        "description": "PT progress note",
        "content": [{"attachment": {"contentType": "application/pdf", "url": binary_url}}],
    }
    binary = {"resourceType": "Binary", "contentType": "application/pdf", "data": _b64(data)}
    return {"valueReference": {"reference": url}}, [
        {"fullUrl": url, "resource": resource},
        {"fullUrl": binary_url, "resource": binary},
    ]


def knee_mri(bundle_for, coverage, servicing, **kwargs) -> dict:
    return bundle_for(
        coverage,
        items=[KNEE_MRI],
        diagnoses=("M23.205",),
        practitioner_npi=servicing.npi,
        **kwargs,
    )


@pytest.mark.django_db
def test_a_complete_request_with_its_documents_is_approved_in_the_same_call(
    pas_client, bundle_for, example_member, servicing, demo_rules
):
    bundle = with_documents(
        knee_mri(bundle_for, example_member, servicing),
        document_reference("11506-3", demo_pdf("Office notes"), "office-notes.pdf"),
        document_reference_to_binary("11508-9", demo_pdf("Six weeks of physical therapy")),
    )

    response = post(pas_client, SUBMIT, bundle)

    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A1"}
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.APPROVED
    documents = {d.kind: d for d in Document.objects.filter(care_request=case)}
    assert set(documents) == {"clinical_notes", "therapy_notes"}
    assert documents["clinical_notes"].original_name == "office-notes.pdf"
    assert documents["therapy_notes"].original_name == "PT progress note"
    assert {d.channel for d in documents.values()} == {"api"}
    assert {d.content_type for d in documents.values()} == {"application/pdf"}
    checklist = {i.document_kind: i.document_id for i in case.checklist_items.all()}
    assert checklist == {k: d.pk for k, d in documents.items()}


@pytest.mark.django_db
def test_without_its_documents_the_same_request_is_pended(
    pas_client, bundle_for, example_member, servicing, demo_rules
):
    response = post(pas_client, SUBMIT, knee_mri(bundle_for, example_member, servicing))
    assert review_actions(response.json()) == {1: "A4"}
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.SUBMITTED
    assert not case.documents.exists()


@pytest.mark.django_db
def test_an_inline_attachment_of_an_unknown_kind_is_kept_as_other(
    pas_client, bundle_for, example_member, servicing, demo_rules
):
    bundle = with_documents(
        knee_mri(bundle_for, example_member, servicing),
        ({"valueAttachment": {"contentType": "image/png", "data": _b64(PNG)}}, []),
    )
    response = post(pas_client, SUBMIT, bundle)
    assert review_actions(response.json()) == {1: "A4"}
    document = Document.objects.get()
    assert (document.kind, document.content_type, document.original_name) == (
        "other",
        "image/png",
        "attachment-1",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            ({"valueAttachment": {"contentType": "text/plain", "data": _b64(b"hello")}}, []),
            "Claim.supportingInfo[0]: attachment-1 is not a PDF, PNG, JPEG or TIFF file.",
        ),
        (
            (
                {"valueAttachment": {"contentType": "application/pdf", "url": "https://x.test/a"}},
                [],
            ),
            "Claim.supportingInfo[0].valueAttachment.data has no inline data: send the document "
            "base64-encoded in Attachment.data or as a Binary in the Bundle (we do not fetch "
            "URLs).",
        ),
        (
            (
                {
                    "valueAttachment": {
                        "contentType": "application/pdf",
                        "data": _b64(b"%PDF-1.4\n1 0 obj << /OpenAction << /JS (app.alert(1)) >>"),
                    }
                },
                [],
            ),
            "Claim.supportingInfo[0]: attachment-1 contains JavaScript or an action that starts "
            "a program, which we do not accept in documents. Print it to a new PDF (or scan it) "
            "and upload that.",
        ),
    ],
    ids=["not-a-document", "url-only", "pdf-with-javascript"],
)
def test_an_attachment_that_breaks_the_upload_rules_is_refused_and_nothing_is_written(
    pas_client, bundle_for, example_member, servicing, document, expected
):
    bundle = with_documents(knee_mri(bundle_for, example_member, servicing), document)
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 400, response.json()
    assert outcome_text(response.json()) == expected
    assert counts() == (0, 0)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_an_attachment_too_large_is_refused(
    pas_client, bundle_for, example_member, servicing, settings
):
    settings.MAX_UPLOAD_BYTES = 100
    bundle = with_documents(
        knee_mri(bundle_for, example_member, servicing),
        document_reference("11506-3", demo_pdf("x" * 200), "big.pdf"),
    )
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 400
    assert outcome_text(response.json()) == (
        "Claim.supportingInfo[0]: The file is larger than 100\xa0bytes."
    )
    assert counts() == (0, 0)


@pytest.mark.django_db
def test_too_many_attachments_are_refused(pas_client, bundle_for, example_member, servicing):
    inline = ({"valueAttachment": {"data": _b64(PNG)}}, [])
    bundle = with_documents(knee_mri(bundle_for, example_member, servicing), *[inline] * 21)
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 400
    assert outcome_text(response.json()) == (
        "The Claim has 21 attachments; at most 20 are accepted in one request."
    )
    assert counts() == (0, 0)
