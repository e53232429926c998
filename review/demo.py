"""Demo routing set-up: skills, queues (the routing rules), and reviewer profiles with leads.

Idempotent: queues, skills and profiles are found by code or user and not changed once there.
"""

from django.db import transaction

from intake.models import Queue, ServiceCategory, Skill

from .models import ReviewerProfile

SKILLS = [
    ("expedited", "Expedited (72-hour) review"),
    ("inpatient", "Inpatient and concurrent review"),
    ("surgical", "Surgical review"),
    ("dme-home-health", "DME and home health"),
    ("behavioral-health", "Behavioural health"),
]

# code, name, order, categories, settings, priority, required skills, lead
QUEUES = [
    ("expedited", "Expedited reviews", 10, [], [], "expedited", ["expedited"], "nurse"),
    ("inpatient", "Inpatient admissions", 20, [], ["inpatient"], "", ["inpatient"], "director"),
    (
        "imaging-outpatient",
        "Imaging & outpatient",
        30,
        ["imaging", "therapy", "consultation", "office-visit", "lab"],
        [],
        "",
        [],
        "nurse",
    ),
    ("surgery", "Surgery", 40, ["surgery"], [], "", ["surgical"], "nurse"),
    (
        "dme-home-health",
        "DME & home health",
        50,
        ["dme", "home-health"],
        [],
        "",
        ["dme-home-health"],
        "nurse2",
    ),
    (
        "behavioral-health",
        "Behavioural health",
        60,
        ["behavioral-health"],
        ["behavioral_health"],
        "",
        ["behavioral-health"],
        "nurse2",
    ),
    ("general", "General review", 100, [], [], "", [], "nurse"),
]

ALL_SKILLS = [code for code, _ in SKILLS]
ALL_QUEUES = [q[0] for q in QUEUES]
# username: skills, licensed states, queues, capacity
PROFILES = {
    "nurse": (
        ["expedited", "inpatient", "surgical", "dme-home-health"],
        ["NY", "NJ"],
        [q for q in ALL_QUEUES if q != "behavioral-health"],
        25,
    ),
    "nurse2": (
        ["expedited", "dme-home-health", "behavioral-health"],
        ["NJ", "NY"],
        ["expedited", "imaging-outpatient", "dme-home-health", "behavioral-health", "general"],
        15,
    ),
    "director": (ALL_SKILLS, ["NY", "NJ"], ALL_QUEUES, 40),
    "director2": (ALL_SKILLS, ["NY", "NJ", "CA"], ALL_QUEUES, 30),
}


@transaction.atomic
def seed_review(*, users: dict) -> None:
    skills = {}
    for code, name in SKILLS:
        skills[code], _ = Skill.objects.get_or_create(code=code, defaults={"name": name})
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    queues = {}
    for code, name, order, cats, settings_, priority, needs, lead in QUEUES:
        queue, created = Queue.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "order": order,
                "review_settings": settings_,
                "priority": priority,
                "lead": users[lead],
            },
        )
        if created:
            queue.service_categories.set([categories[c] for c in cats])
            queue.required_skills.set([skills[s] for s in needs])
        queues[code] = queue
    for username, (skill_codes, states, queue_codes, capacity) in PROFILES.items():
        profile, created = ReviewerProfile.objects.get_or_create(
            user=users[username], defaults={"licensed_states": states, "capacity": capacity}
        )
        if created:
            profile.skills.set([skills[s] for s in skill_codes])
            profile.queues.set([queues[q] for q in queue_codes])


def assign_demo_work(*, users: dict, per_reviewer: int = 3) -> int:
    """Give the demo reviewers some cases through the real "Get next case", so `nurse` and
    `director` find work on their dashboards and others stay in the queues."""
    from .services.routing import case_get_next

    assigned = 0
    for username in ("nurse", "director"):
        for _ in range(per_reviewer):
            if case_get_next(reviewer=users[username]) is None:
                break
            assigned += 1
    return assigned


def sweep_demo_clocks() -> dict[str, int]:
    """Run the clock sweep once, as the beat task would within five minutes, so the demo's cases
    close to their deadline already carry their warnings (Notifications page, badge). The
    e-mail copies stay in memory: the demo addresses are fictitious."""
    from django.test.utils import override_settings

    from .services.clocks import clocks_sweep_run

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return clocks_sweep_run()
