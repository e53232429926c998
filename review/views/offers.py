"""Turn the transitions a user may take (intake's `available_actions`) into what the case view
shows: a link to the page where the action happens, or a small form. Nothing is offered that
`available_actions` does not list, so the UI never offers what the server would refuse."""

from dataclasses import dataclass

from django.urls import reverse

from intake.models import CareRequest
from intake.models.care_request import CareRequestStatus as S
from intake.services.transitions import available_actions
from um_portal.accounts.roles import Role

LABELS = {
    "approve": "Approve",
    "partially_approve": "Partially approve",
    "deny": "Deny",
    "refer_to_md": "Refer to a medical director",
    "request_info": "Request information",
    "info_received": "Information received",
    "refer_back_to_nurse": "Return to nurse review",
    "reopen": "Reopen for reconsideration",
    "deny_administratively": "Administrative decision",
}
# Approving the lines left after administrative denials happens where approving does (the
# nurse's criteria page, the director's decision page): one "Approve" offer covers both.
SAME_PAGE_AS = {"approve_remaining": "approve"}
DIRECTOR_DECISIONS = {"approve", "partially_approve", "deny"}


@dataclass(frozen=True)
class Offer:
    name: str  # the transition
    label: str
    kind: str  # "link", "form" or "elsewhere"
    url: str = ""
    form: str = ""  # which form partial: "request_info", "reason", "button"


def offers_for(case: CareRequest, user) -> list[Offer]:
    names = available_actions(case, user)
    nurse_at_review = case.status == S.NURSE_REVIEW and user.has_role(Role.NURSE)
    nurse_page = reverse("review:nurse_review", args=[case.pk])
    offers = []
    for name in names:
        if SAME_PAGE_AS.get(name) in names:
            continue
        label = LABELS.get(name, name.replace("_", " ").capitalize())
        if name in ("approve", "refer_to_md") and nurse_at_review:
            # "Approve" opens the criteria beside the clinical material (the approval button
            # acts once the last criterion is met); "Refer" goes straight to its form.
            anchor = "" if name == "approve" else "#refer"
            offers.append(Offer(name, label, "link", url=nurse_page + anchor))
        elif name in DIRECTOR_DECISIONS:
            # 42 CFR 422.566(d): the physician's decision, per line, is made on its own page.
            url = reverse("determinations:decide", args=[case.pk])
            offers.append(Offer(name, label, "link", url=url))
        elif name == "request_info":
            url = reverse("review:request_info", args=[case.pk])
            offers.append(Offer(name, label, "form", url=url, form="request_info"))
        elif name == "info_received":
            url = reverse("review:info_received", args=[case.pk])
            offers.append(Offer(name, label, "form", url=url, form="button"))
        elif name == "refer_back_to_nurse":
            url = reverse("review:return_to_nurse", args=[case.pk])
            offers.append(Offer(name, label, "form", url=url, form="reason"))
        elif name == "deny_administratively":
            # Benefit, eligibility or network: determinations' page, with its reasons and the
            # out-of-network exception.
            url = reverse("determinations:administrative", args=[case.pk])
            offers.append(Offer(name, label, "link", url=url))
        elif name == "reopen":
            # Reopening is determinations' action (it checks there is a decision to reopen and
            # records it); its form is on the decision page, where the new decision is made.
            url = reverse("determinations:decide", args=[case.pk]) + "#reopen"
            offers.append(Offer(name, label, "link", url=url))
        else:
            # Intake's own steps (triage, withdraw, void, ...) for a user who also holds an
            # intake role: they are taken in the intake workspace.
            offers.append(Offer(name, label, "elsewhere", url=reverse("intake:queue")))
    return offers
