"""Reads for routing: which cases a reviewer may be handed, and who may reassign a case."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from intake.models import CareRequest, CareRequestStatus, Priority, Skill
from um_portal.accounts.models import User
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role

from ..models import ReviewerProfile

S = CareRequestStatus
# The clinical stage each reviewer role works, and the role that works each stage.
STAGE_ROLE = {S.NURSE_REVIEW: Role.NURSE, S.MD_REVIEW: Role.DIRECTOR}


def reviewer_stage(user) -> str | None:
    """The status whose cases `user` takes with "get next case" (a physician first)."""
    if user_has_role(user, Role.DIRECTOR):
        return S.MD_REVIEW
    if user_has_role(user, Role.NURSE):
        return S.NURSE_REVIEW
    return None


def reviewer_profile_get(*, user) -> ReviewerProfile | None:
    return ReviewerProfile.objects.filter(user=user, is_active=True).first()


def capacity_statuses(stage: str) -> list[str]:
    """The statuses of a reviewer's assigned cases that count against their capacity."""
    return [stage, S.PENDING_INFO]


def reviewer_open_case_count(*, user, stage: str) -> int:
    """The cases counting against the reviewer's capacity: assigned, in their stage or pended."""
    return CareRequest.objects.filter(assigned_to=user, status__in=capacity_statuses(stage)).count()


def case_next_candidates(*, profile: ReviewerProfile, stage: str) -> QuerySet:
    """Cases the profile's reviewer may take, most urgent first: expedited, then earliest due.

    In one of the reviewer's queues, the queue's required skills all among the reviewer's skills,
    the member's state among the reviewer's licensed states, and nobody in the stage holds it.
    A case referred to a director may still name the nurse who referred it: it is free for
    directors until a director takes it.
    """
    missing_skills = Skill.objects.exclude(pk__in=profile.skills.values("pk"))
    candidates = (
        CareRequest.objects.filter(
            status=stage,
            queue__in=profile.queues.values("pk"),
            member__state__in=profile.licensed_states or [],
        )
        .exclude(queue__required_skills__in=missing_skills)
        .annotate(
            urgency=Case(
                When(priority=Priority.EXPEDITED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", F("due_at").asc(nulls_last=True), "received_at", "pk")
    )
    if stage == S.MD_REVIEW:
        return candidates.filter(
            Q(assigned_to__isnull=True) | ~Q(assigned_to__groups__name=Role.DIRECTOR)
        )
    return candidates.filter(assigned_to__isnull=True)


def case_can_reassign(*, case: CareRequest, user) -> bool:
    """A UM manager, or the lead of the case's queue."""
    if user_has_role(user, Role.MANAGER):
        return True
    return bool(
        user_has_role(user, Role.NURSE, Role.DIRECTOR)
        and case.queue_id is not None
        and case.queue.lead_id == user.pk
    )


def case_stage(case: CareRequest) -> str:
    """The stage the case is in (a pended case: the stage it will return to)."""
    return case.pended_from if case.status == S.PENDING_INFO else case.status


def case_stage_role(case: CareRequest) -> str | None:
    """The role that works the case now (a pended case: the stage it will return to)."""
    return STAGE_ROLE.get(case_stage(case))


@dataclass(frozen=True)
class ReassignOption:
    """A reviewer the case may go to, with what the lead weighs: load and skills."""

    user: User
    open_cases: int
    capacity: int
    missing_skills: tuple[str, ...]
    is_current: bool

    @property
    def over_capacity(self) -> bool:
        return self.open_cases >= self.capacity


def reassign_options_for_case(*, case: CareRequest, user) -> list[ReassignOption] | None:
    """Whom `user` may hand the case to — active reviewers of the stage's role licensed in the
    member's state — each with their open cases against capacity and the queue's required
    skills they lack; the service leaves those to the lead's judgement, the page shows them.
    None when `user` may not reassign the case. Four queries, however many reviewers."""
    role = case_stage_role(case)
    if role is None or not case_can_reassign(case=case, user=user):
        return None
    stage = case_stage(case)
    required = {s.pk: s.name for s in case.queue.required_skills.all()} if case.queue_id else {}
    profiles = (
        ReviewerProfile.objects.filter(
            is_active=True, user__is_active=True, user__groups__name=role
        )
        .select_related("user")
        .prefetch_related("skills")
        .order_by("user__last_name", "user__first_name")
    )
    state = case.member.state
    profiles = [p for p in profiles if not state or state in p.licensed_states]
    counts = dict(
        CareRequest.objects.filter(
            assigned_to__in=[p.user_id for p in profiles], status__in=capacity_statuses(stage)
        )
        .values_list("assigned_to")
        .annotate(n=Count("pk"))
    )
    options = []
    for profile in profiles:
        has = {s.pk for s in profile.skills.all()}
        options.append(
            ReassignOption(
                user=profile.user,
                open_cases=counts.get(profile.user_id, 0),
                capacity=profile.capacity,
                missing_skills=tuple(name for pk, name in required.items() if pk not in has),
                is_current=profile.user_id == case.assigned_to_id,
            )
        )
    return options


def case_next_waiting_count(*, user) -> int | None:
    """How many cases "get next case" could hand `user` now (None without an active reviewer
    profile, where the button hands out nothing)."""
    stage = reviewer_stage(user)
    profile = reviewer_profile_get(user=user) if stage else None
    if profile is None:
        return None
    return case_next_candidates(profile=profile, stage=stage).count()
