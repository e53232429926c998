"""Demo provider feedback: a few ratings of decided requests by each demo organisation, spread
over the last three months. Idempotent."""

import datetime as dt

from django.db import transaction

from intake.models import CareRequest
from intake.models.care_request import DECIDED_STATUSES

from .models import Feedback
from .services.feedback import feedback_submit

RATINGS = [
    (5, "Decided the same day; the letter was clear."),
    (4, ""),
    (2, "We had to send the same notes twice before the request moved."),
    (5, ""),
    (3, "The peer-to-peer call was helpful but hard to book."),
    (4, "Quick approval."),
]


def seed_feedback(*, users: dict, log=print) -> None:
    # Members' ratings (the members' demo) may come first: look at the providers' only.
    if Feedback.objects.filter(organization__isnull=False).exists():
        return
    made = 0
    with transaction.atomic():
        for username in ("provider", "provider2"):
            user = users[username]
            cases = CareRequest.objects.filter(
                status__in=DECIDED_STATUSES, provider_organization=user.provider_organization
            ).order_by("reference")[:3]
            for case in cases:
                rating, comment = RATINGS[made % len(RATINGS)]
                feedback = feedback_submit(
                    actor=user, care_request=case, rating=rating, comment=comment
                )
                # Spread over three months so the manager's table shows more than one.
                Feedback.objects.filter(pk=feedback.pk).update(
                    created_at=feedback.created_at - dt.timedelta(days=31 * (made % 3))
                )
                made += 1
    log(f"Provider feedback: {made} ratings.")
