"""The provider's attested criteria answers (DTR): recorded from a criteria questionnaire's
response, read by intake's rules engine (auto-approval) and by review's nurse screen, both of
which sit below crd and learn of these through the hooks crd registers in its AppConfig.ready."""

from intake.models import CareRequest
from review.models import CriteriaSet

from .models import AttestedCriteria
from .pas import criteria_answers

PREFIX = "criteria-"


def _criteria_set_of(response: dict) -> CriteriaSet | None:
    """The criteria set version the response answers: the version its canonical names, else the
    current one. None when it answers no criteria questionnaire of ours."""
    canonical = str(response.get("questionnaire") or "")
    url, _, version = canonical.partition("|")
    qid = url.rstrip("/").rsplit("/", 1)[-1]
    if not qid.startswith(PREFIX):
        return None
    sets = CriteriaSet.objects.filter(slug=qid.removeprefix(PREFIX)).prefetch_related("criteria")
    if version.isdigit():
        found = sets.filter(version=int(version)).first()
        if found is not None:
            return found
    return sets.filter(is_current=True).first()


def attested_criteria_record(
    *, care_request: CareRequest, response: dict, source: str, actor
) -> AttestedCriteria | None:
    """Keep the answers of a criteria questionnaire's response on the case (inside the caller's
    transaction). Every criterion of the set is stored, unanswered ones as null, so reading them
    later needs no second look at the criteria."""
    criteria_set = _criteria_set_of(response)
    if criteria_set is None:
        return None
    given = criteria_answers(response)
    return AttestedCriteria.objects.create(
        care_request=care_request,
        criteria_set=criteria_set,
        answers={str(c.sequence): given.get(c.sequence) for c in criteria_set.criteria.all()},
        source=source,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )


def record_from_pas(care_request: CareRequest, user, response: dict) -> None:
    """portal.fhir's recorder for a QuestionnaireResponse sent with $submit (or a later update)."""
    attested_criteria_record(
        care_request=care_request, response=response, source=AttestedCriteria.Source.PAS, actor=user
    )


def _latest_per_set(case: CareRequest) -> list[AttestedCriteria]:
    """The latest attestation of each criteria set on the case: a later response replaces an
    earlier one. One query."""
    seen, out = set(), []
    for row in AttestedCriteria.objects.filter(care_request=case).select_related("criteria_set"):
        if row.criteria_set.slug not in seen:
            seen.add(row.criteria_set.slug)
            out.append(row)
    return out


def attestation_gaps(case: CareRequest) -> dict[str, list[str]]:
    """For intake's rules engine: {criteria set slug: criteria not attested as met}."""
    out = {}
    for row in _latest_per_set(case):
        if not row.criteria_set.is_current:
            # The criteria changed since the questionnaire was answered: the answers were given
            # to other questions, so they cannot approve.
            out[row.criteria_set.slug] = [
                f"the answers are to version {row.criteria_set.version}, no longer current"
            ]
            continue
        out[row.criteria_set.slug] = [
            f"criterion {seq} was answered no"
            if value is False
            else f"criterion {seq} was not answered"
            for seq, value in sorted(row.answers.items(), key=lambda kv: int(kv[0]))
            if value is not True
        ]
    return out


def attested_answers(case: CareRequest) -> dict[int, dict]:
    """For review's nurse screen: {criteria set id: {criterion sequence: True | False | None}}.
    Only the version attested is shown against the same version's criteria."""
    return {
        row.criteria_set_id: {int(seq): value for seq, value in row.answers.items()}
        for row in _latest_per_set(case)
    }
