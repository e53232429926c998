"""The order in which apps add demo data. Each step is idempotent."""

import random

from access.demo import seed_access
from appeals.demo import seed_appeals, seed_specialties
from caremgmt.demo import seed_caremgmt
from crd.demo import seed_crd
from determinations.demo import seed_determination_cases
from determinations.demo_administrative import seed_administrative
from inbox.demo import seed_inbox
from intake.demo import demo_cases_exist, seed_reference
from intake.demo_cases import seed_intake_cases
from intake.demo_rules import seed_rules
from interop.demo import seed_interop
from mailroom.demo import seed_mailroom
from members.demo import seed_members
from quality.demo import seed_quality
from quality.demo_feedback import seed_feedback
from review.demo import assign_demo_work, seed_review, sweep_demo_clocks
from review.demo_criteria import seed_criteria_sets
from scheduling.demo import seed_scheduling
from stays.demo import seed_stays
from subscriptions.demo import seed_subscriptions

from .accounts import DEMO_PASSWORD, seed_accounts


def seed_all(*, log=print) -> dict:
    rng = random.Random(20261122)  # the same demo every time
    ctx = seed_accounts()
    log("Accounts and organisations ready.")
    seed_reference(orgs=ctx["orgs"], rng=rng)
    log("Plans, providers, members and coverage ready.")
    # Before any case: the rules engine decides each demo case at receipt and triage routes it.
    seed_rules()
    seed_review(users=ctx["users"])
    log("Rules, queues, skills and reviewer profiles ready.")
    seed_criteria_sets()  # before the early return: criteria also reach an existing demo
    seed_specialties(ctx["users"])
    # Before the early return too, and with its own random stream: the other demo data stays the
    # same whether or not the inbox is seeded.
    log(f"Fax inbox: {seed_inbox(rng=random.Random(16))} demo faxes (one for manual entry).")
    log(f"FHIR subscriptions: {seed_subscriptions(users=ctx['users'])} added.")
    if demo_cases_exist():
        # Stays also reach a demo made before they existed (seed_stays is idempotent).
        log(f"Inpatient stays: {_stays(ctx, log)}.")
        seed_quality(users=ctx["users"], log=log)
        seed_members(users=ctx["users"], password=DEMO_PASSWORD, log=log)
        seed_interop(log=log)
        seed_access(orgs=ctx["orgs"], log=log)
        seed_crd(users=ctx["users"], log=log)
        seed_caremgmt(users=ctx["users"], log=log)
        seed_feedback(users=ctx["users"], log=log)
        # Idempotent: reaches a demo made before administrative decisions existed.
        log(f"Administrative: {seed_administrative(users=ctx['users'], rng=random.Random(19))}.")
        seed_mailroom(users=ctx["users"], log=log)
        log("Demo cases already present; not adding them again.")
        return ctx
    seed_intake_cases(users=ctx["users"], rng=rng)
    log("Intake demo cases created.")
    log(f"Letters rendered: {seed_determination_cases(users=ctx['users'], rng=rng)}.")
    # Its own random stream: the other apps' demo cases stay as they were.
    log(f"Administrative: {seed_administrative(users=ctx['users'], rng=random.Random(19))}.")
    seed_scheduling(users=ctx["users"], rng=rng, log=log)
    log(f"Appeals: {seed_appeals(users=ctx['users'], rng=rng)}.")
    log(f"Inpatient stays: {_stays(ctx, log)}.")
    log(f"Cases handed to the demo reviewers: {assign_demo_work(users=ctx['users'])}.")
    swept = sweep_demo_clocks()
    log(f"Clock sweep: {swept['at_risk']} at risk, {swept['breached']} past due (warnings sent).")
    seed_quality(users=ctx["users"], log=log)
    seed_members(users=ctx["users"], password=DEMO_PASSWORD, log=log)
    seed_interop(log=log)
    seed_access(orgs=ctx["orgs"], log=log)
    seed_crd(users=ctx["users"], log=log)
    seed_caremgmt(users=ctx["users"], log=log)
    seed_feedback(users=ctx["users"], log=log)
    # Last: every other app's printed letters are queued by now.
    seed_mailroom(users=ctx["users"], log=log)
    return ctx


def _stays(ctx: dict, log) -> int:
    # After the determinations demo (which adds nothing once any physician decision exists), and
    # with its own random sequence so the other apps' demo cases stay as they were.
    return seed_stays(users=ctx["users"], rng=random.Random(13), log=log)
