"""Denied cases to appeal, and physicians who may or may not decide the appeal."""

import pytest

from appeals.services.filing import appeal_file
from determinations.services import determination_issue
from intake.models import Provider
from review.models import ReviewerProfile
from tests.determinations.conftest import (  # noqa: F401 - fixtures reused
    approve,
    criteria_set,
    deny,
    make_md_case,
    md_case,
    reference_data,
)
from tests.factories import UserFactory
from um_portal.accounts.roles import Role

ORTHO = "Orthopedic surgery"
APPEAL_REASON = "The member has had eight weeks of therapy; the notes attached show it."


def physician(username: str, specialty: str, **kwargs):
    user = UserFactory(
        username=username,
        roles=[Role.DIRECTOR],
        credentials="MD",
        last_name=username.title(),
        **kwargs,
    )
    ReviewerProfile.objects.create(user=user, specialty=specialty)
    return user


@pytest.fixture
def appeal_director(db):
    """An orthopedic surgeon who took no part in the initial decision."""
    return physician("ortho2", ORTHO, first_name="Alice")


@pytest.fixture
def cardiologist(db):
    return physician("cardio", "Cardiology")


@pytest.fixture
def make_denied_case(make_md_case, director, criteria_set):  # noqa: F811
    """A case whose every line `director` (an orthopedic surgeon) denied; the servicing
    provider is an orthopedic surgeon."""
    ReviewerProfile.objects.get_or_create(user=director, defaults={"specialty": ORTHO})

    def make(*, lines: int = 2, lob=None, language: str = "en", outcomes=None):
        case = make_md_case(lines=lines, plan_lob=lob, language=language)
        Provider.objects.filter(pk=case.servicing_provider_id).update(specialty=ORTHO)
        items = []
        for i, line in enumerate(case.service_lines.order_by("sequence")):
            kind = (outcomes or ["deny"] * lines)[i]
            items.append(approve(line) if kind == "approve" else deny(line, criteria_set))
        determination_issue(case=case, director=director, line_decisions=items)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def denied_case(make_denied_case):
    return make_denied_case()


@pytest.fixture
def file_appeal(provider_user):
    def file(case, **kwargs):
        kwargs.setdefault("reason", APPEAL_REASON)
        kwargs.setdefault("actor", provider_user)
        return appeal_file(care_request=case, **kwargs)

    return file
