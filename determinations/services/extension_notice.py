"""The written notice of a clock extension, through the letter outbox.

When a decision's clock is extended, the provider and the member are told in writing before the
initial period ends why, by when the plan will now decide and what it needs (29 CFR
2560.503-1(f)(2)(iii)(B) and (f)(3) for post-service and pre-service claims; 42 CFR
422.568(b)(1)(ii) and 438.210(d)(1)(ii) for Medicare Advantage and Medicaid). review calls
`clock_extension_notify` inside the extending transaction; determinations registers
`extension_letters_create` for it at start-up (review may not import determinations).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from review.forms import ExtensionReason

from ..models import Letter
from .outbox import letters_enqueue
from .spanish import service_es, service_names_es
from .taglines import taglines

EXTENSION = Letter.Template.EXTENSION

# The reason the extension form recorded ("<label>: <details>"), in each reader's words.
REASON_WORDS = {
    ExtensionReason.BEYOND_CONTROL: {
        "provider": "Matters beyond the plan's control need more time before a decision can be "
        "made.",
        "en": "We need more time because of matters outside our control.",
        "es": "Necesitamos más tiempo por motivos que están fuera de nuestro control.",
    },
    ExtensionReason.MORE_INFORMATION: {
        "provider": "Information that may change the decision has not arrived yet.",
        "en": "We are waiting for information that could change our decision.",
        "es": "Estamos esperando información que podría cambiar nuestra decisión.",
    },
    ExtensionReason.MEMBER_REQUEST: {
        "provider": "The member asked for more time.",
        "en": "You asked us for more time.",
        "es": "Usted nos pidió más tiempo.",
    },
    ExtensionReason.PROVIDER_REQUEST: {
        "provider": "The provider asked for more time.",
        "en": "Your doctor asked us for more time.",
        "es": "Su médico nos pidió más tiempo.",
    },
    ExtensionReason.EXCEPTIONAL: {
        "provider": "Extraordinary circumstances delay the decision; waiting is in the "
        "patient's interest.",
        "en": "Extraordinary circumstances delay our decision, and waiting is in your interest.",
        "es": "Circunstancias extraordinarias retrasan nuestra decisión, y esperar es en su "
        "interés.",
    },
}


def extension_letters_create(case_id) -> list[Letter]:
    """One extension notice to the provider and one to the member, in the extending
    transaction; rendering and delivery are queued for after commit. Once per case and
    recipient (a database constraint too): a second call writes nothing."""
    provider_email, member_language = (
        CareRequest.objects.filter(pk=case_id)
        .values_list("provider_organization__email", "member__preferred_language")
        .get()
    )
    existing = set(
        Letter.objects.filter(care_request_id=case_id, template=EXTENSION).values_list(
            "recipient", flat=True
        )
    )
    wanted = [
        (
            Letter.Recipient.PROVIDER,
            "en",
            Letter.Channel.EMAIL if provider_email else Letter.Channel.MAIL,
        ),
        (Letter.Recipient.MEMBER, member_language or "en", Letter.Channel.MAIL),
    ]
    letters = [
        Letter.objects.create(
            care_request_id=case_id,
            recipient=recipient,
            template=EXTENSION,
            language=language,
            channel=channel,
        )
        for recipient, language, channel in wanted
        if recipient not in existing
    ]
    ids = [str(letter.pk) for letter in letters]
    if ids:
        transaction.on_commit(lambda: letters_enqueue(ids), robust=True)
    return letters


def _reason(stored: str) -> tuple[str, str]:
    """(reason code, details) from the stored "<label>: <details>"; ("", text) when the text
    came from elsewhere (the demo, an import)."""
    for choice in ExtensionReason:
        prefix = f"{choice.label}:"
        if stored.startswith(prefix):
            return choice.value, stored[len(prefix) :].strip()
    return "", stored.strip()


def extension_letter_context(letter: Letter, *, absolute_url) -> dict:
    """Everything the extension notice shows, in plain words for its reader."""
    case = letter.care_request
    plan = case.coverage.plan
    provider_letter = letter.recipient != Letter.Recipient.MEMBER
    lang = "en" if provider_letter else letter.language
    code, details = _reason(case.extension_reason)
    words = REASON_WORDS.get(code)
    if words is None:
        reason = details
    else:
        reason = words["provider" if provider_letter else ("es" if lang == "es" else "en")]
    # What the plan still waits for: the open requests for information, else the details
    # when the extension is for information.
    needed = [
        {"what": description, "by": timezone.localdate(due_by)}
        for description, due_by in case.information_requests.filter(
            answered_at__isnull=True
        ).values_list("description", "due_by")
    ]
    if not needed and code == ExtensionReason.MORE_INFORMATION and details:
        needed = [{"what": details, "by": None}]
    service_lines = list(case.service_lines.select_related("category"))
    if lang == "es":  # Spanish member letters name the services in Spanish (issue 18)
        names_es = service_names_es(service_lines)
        services = [service_es(line, names_es) for line in service_lines]
    else:
        services = [line.plain_description or line.category.name for line in service_lines]
    return {
        "letter": letter,
        "kind": letter.template,
        "lang": lang,
        "recipient": letter.recipient,
        "case": case,
        "member": case.member,
        "coverage": case.coverage,
        "plan": plan,
        "provider": case.requesting_provider,
        "organization": case.provider_organization,
        "letter_date": timezone.localdate(letter.created_at),
        "services": services,
        "is_retrospective": case.request_type == CareRequest.RequestType.RETROSPECTIVE,
        "extension": {
            "days": (case.due_at - case.original_due_at).days,
            "original_due": timezone.localdate(case.original_due_at),
            "new_due": timezone.localdate(case.due_at),
            "reason": reason,
            # The reviewer's own words are for the provider; the member reads the plain reason.
            "details": details if provider_letter and words is not None else "",
            "needed": needed,
        },
        "case_url": absolute_url(reverse("portal:case", args=[case.pk])),
        "member_services_phone": plan.member_services_phone,
        "tty": "711",
        "taglines": taglines(phone=plan.member_services_phone),
    }
