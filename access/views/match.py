"""POST /fhir/Patient/$member-match for another payer's backend client (Payer-to-Payer)."""

import json

from django.core.exceptions import ValidationError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..member_match import BadInput, NoMatch, member_match
from ..models import BackendClient
from .bulk import answer, authorized, outcome

MAX_BODY = 256 * 1024


@csrf_exempt  # a bearer-token API: no cookie, no CSRF
@require_POST
def member_match_view(request):
    client, refusal = authorized(request, "Patient", kind=BackendClient.Kind.PAYER)
    if refusal is not None:
        return refusal
    if len(request.body) > MAX_BODY:
        return outcome(413, "too-long", "The Parameters resource is too large.")
    try:
        parameters = json.loads(request.body or b"null")
        return answer(member_match(client=client, parameters=parameters))
    except (ValueError, BadInput, ValidationError) as error:
        message = str(error) if isinstance(error, BadInput) else "The body is not valid FHIR JSON."
        return outcome(400, "invalid", message)
    except NoMatch:
        return outcome(
            422, "not-found", "No unique member matches these demographics and coverage."
        )
