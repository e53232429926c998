"""Builders for routing and clock tests: queues, reviewers with profiles, cases in review."""

import itertools

from intake.models import Queue, ServiceCategory, Skill
from intake.services.eligibility import eligibility_check_record
from intake.services.transitions import care_request_transition
from intake.services.workflow import care_request_triage
from review.models import ReviewerProfile
from tests.factories import CoverageFactory, MemberFactory, UserFactory, make_case
from um_portal.accounts.roles import Role

_n = itertools.count(1)


def make_queue(code="imaging", *, categories=("imaging",), skills=(), lead=None, order=10):
    queue = Queue.objects.create(code=code, name=code.title(), order=order, lead=lead)
    queue.service_categories.set(ServiceCategory.objects.filter(code__in=categories))
    queue.required_skills.set(
        [Skill.objects.get_or_create(code=s, defaults={"name": s})[0] for s in skills]
    )
    return queue


def make_reviewer(
    role=Role.NURSE, *, queues=(), skills=(), states=("NY",), capacity=25, username=None
):
    user = UserFactory(username=username or f"reviewer{next(_n)}", roles=[role])
    profile = ReviewerProfile.objects.create(
        user=user, licensed_states=list(states), capacity=capacity
    )
    profile.queues.set(queues)
    profile.skills.set(
        [Skill.objects.get_or_create(code=s, defaults={"name": s})[0] for s in skills]
    )
    return user


def case_in_review(actor, *, state="NY", priority="standard", md_by=None, **case_fields):
    """A case triaged into nurse review (into the first matching queue); with `md_by` (a nurse)
    also referred to a medical director by that nurse."""
    member = MemberFactory(state=state)
    case = make_case(
        actor=actor, coverage=CoverageFactory(member=member), priority=priority, **case_fields
    )
    eligibility_check_record(care_request=case, actor=actor)
    case = care_request_triage(care_request=case, actor=actor)
    if md_by is not None:
        case = care_request_transition(care_request=case, name="refer_to_md", actor=md_by)
    return case
