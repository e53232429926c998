"""The PAS Response Bundle of a request sent through PAS, for a notification (the
subscriptions app sends it to the submitting organisation's endpoint)."""

from ..models import PasSubmission
from .services import _answer


def response_bundle_for_case(case_id, *, user, action: str = "fhir_notification") -> dict | None:
    """The current ClaimResponse Bundle of the PAS request of `case_id`; None when the case
    did not come through PAS. The read is logged as `user`'s (the subscriber)."""
    submission = PasSubmission.objects.filter(care_request_id=case_id).first()
    if submission is None:
        return None
    return _answer(submission, user=user, action=action)
