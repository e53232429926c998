"""What the appeal letters say beyond a determination letter's context: the appeal itself, its
deadline, and the next level of appeal for the line of business. Registered with the
determinations letter pipeline at start-up (AppealsConfig.ready, ADR 0005)."""

from datetime import timedelta

from django.utils import timezone

from determinations.services.spanish import service_es, service_names_es
from intake.models import LineOfBusiness

from ..models import Appeal

# Where the member goes next when the plan does not fully overturn (42 CFR 422.592 MA IRE;
# 42 CFR 438.408(f) Medicaid/CHIP state fair hearing within 120 days; 45 CFR 147.136 external
# review within 4 months for commercial and Exchange plans).
NEXT_LEVEL = {
    LineOfBusiness.MEDICARE_ADVANTAGE: "ire",
    LineOfBusiness.MEDICAID: "fair_hearing",
    LineOfBusiness.CHIP: "fair_hearing",
    LineOfBusiness.EXCHANGE: "external_review",
    LineOfBusiness.COMMERCIAL: "external_review",
}
NEXT_LEVEL_DAYS = {"ire": None, "fair_hearing": 120, "external_review": 120}
IRE_NAME = "Maximus Federal Services, Medicare Managed Care & PACE Reconsideration Project"


def appeal_letter_context(letter, context: dict) -> dict:
    """Added to the determination letter context for appeal_ack and appeal_decision."""
    appeal = Appeal.objects.prefetch_related("lines__service_line__category").get(
        pk=letter.appeal_id
    )
    lang = context["lang"]
    lines = list(appeal.lines.all())
    # Spanish member letters name the services in Spanish (issue 18).
    spanish = lang == "es" and letter.recipient == "member"
    names_es = service_names_es([al.service_line for al in lines]) if spanish else {}
    appealed = [
        {
            "line": al.service_line,
            "service": service_es(al.service_line, names_es)
            if spanish
            else al.service_line.description or al.service_line.category.name,
            "outcome": al.outcome,
        }
        for al in lines
    ]
    next_level = NEXT_LEVEL.get(appeal.line_of_business, "external_review")
    letter_date = (
        timezone.localdate(appeal.decided_at)
        if letter.template == "appeal_decision" and appeal.decided_at
        else timezone.localdate(appeal.created_at)
    )
    still_denied = [x for x in context["lines"] if x["adverse"]]
    return {
        "appeal_case": appeal,
        "appealed": appealed,
        "letter_date": letter_date,
        "received_on": timezone.localdate(appeal.received_at),
        "due_at": timezone.localtime(appeal.due_at),
        "next_level": next_level,
        "next_level_days": NEXT_LEVEL_DAYS[next_level],
        "next_level_deadline": letter_date + timedelta(days=NEXT_LEVEL_DAYS[next_level] or 0),
        "ire_name": IRE_NAME,
        "still_denied": still_denied,
        "fully_overturned": not still_denied,
        "lang": lang,
    }
