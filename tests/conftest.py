"""Shared fixtures: personas, and the rules for tests that need real servers.

Tests that need PostgreSQL or Redis skip with a reason when it is absent, except under CI=true,
where the absence is a failure (DESIGN §10). A missing system package (Chromium, the CJK letter
font) is a failure everywhere, with one line saying what to install: README lists them.
"""

import importlib
import os
import uuid

import pytest

from tests.factories import OrganizationFactory, UserFactory
from um_portal.accounts.roles import Role

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip the test when `condition` is false, or fail it under CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def require_system_package(condition: bool, package: str, needed_for: str) -> None:
    """Fail the test with one line naming the Debian package to install (never a silent skip)."""
    if not condition:
        pytest.fail(
            f"{needed_for} needs a system package: apt-get install -y {package}", pytrace=False
        )


@pytest.fixture
def cjk_font():
    from determinations import fonts

    require_system_package(
        fonts.cjk_font_installed(), fonts.CJK_FONT_PACKAGE, "the CJK lines of member letters"
    )


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # The API's wrong-token counters live in the cache, which in CI is a Redis shared by the
    # whole run: each test counts in its own namespace.
    settings.API_TOKEN_THROTTLE_NAMESPACE = f"api-token-failures-{uuid.uuid4().hex}"
    # Likewise the reference data's version (intake/rules/reference.py).
    settings.INTAKE_REFERENCE_VERSION_KEY = f"intake:reference-version-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _fresh_reference_snapshot():
    """Each test starts without the process's reference snapshot: the rows an earlier test
    created were rolled back without a signal (intake/rules/reference.py)."""
    from intake.rules import reference

    reference.forget()
    yield
    reference.forget()


# The rows our data migrations load (roles, service categories, turnaround clocks, denial reason
# codes, appeal deadlines). A transactional test ends with a flush that removes them, so the next
# transactional test reloads them first.
REFERENCE_DATA_LOADERS = [
    ("um_portal.accounts.migrations.0002_roles", "create_groups"),
    ("um_portal.accounts.migrations.0005_member_role", "create_group"),
    ("intake.migrations.0002_reference_data", "load"),
    ("intake.migrations.0011_review_type_clocks", "load"),
    ("intake.migrations.0013_spanish_names", "load"),
    ("stays.migrations.0002_demo_gmlos", "load"),
    ("determinations.migrations.0003_reference_data", "seed"),
    (
        "determinations.migrations.0007_line_criterion_and_provider_reason_wording",
        "fill_provider_wording",
    ),
    ("determinations.migrations.0005_appeal_turnaround_defaults", "seed"),
    ("determinations.migrations.0009_administrative_determinations", "seed"),
    ("um_portal.accounts.migrations.0004_role_permissions", "grant"),
    ("determinations.migrations.0010_administrative_authority_permissions", "grant"),
    ("inbox.migrations.0002_fax_gateway_role", "create_group"),
    ("subscriptions.migrations.0002_manager_reads_outbox", "grant"),
    ("caremgmt.migrations.0002_manager_permissions", "grant"),
]


def load_reference_data() -> None:
    from django.apps import apps

    for module, function in REFERENCE_DATA_LOADERS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        load_reference_data()


@pytest.fixture
def require_postgres():
    from django.db import connection

    require(connection.vendor == "postgresql", "these tests need PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Lakeside Orthopedics")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Riverside Family Medicine")


@pytest.fixture
def intake_specialist(db):
    return UserFactory(username="intake", roles=[Role.INTAKE])


@pytest.fixture
def nurse(db):
    return UserFactory(username="nurse", roles=[Role.NURSE], credentials="RN")


@pytest.fixture
def director(db):
    return UserFactory(
        username="director",
        roles=[Role.DIRECTOR],
        credentials="MD",
        first_name="Daniel",
        last_name="Brooks",
    )


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", roles=[Role.MANAGER])


@pytest.fixture
def provider_user(organization):
    return UserFactory(
        username="provider", roles=[Role.PROVIDER], provider_organization=organization
    )


@pytest.fixture
def outsider(other_organization):
    """A provider user of another organisation: must never see `organization`'s cases."""
    return UserFactory(
        username="outsider", roles=[Role.PROVIDER], provider_organization=other_organization
    )


@pytest.fixture
def personas(intake_specialist, nurse, director, manager, provider_user, outsider):
    return {
        "intake": intake_specialist,
        "nurse": nurse,
        "director": director,
        "manager": manager,
        "provider": provider_user,
        "outsider": outsider,
    }


@pytest.fixture
def client_for(client):
    """Log the test client in as a user: client_for(nurse).get(...)."""

    def login(user):
        client.force_login(user)
        return client

    return login
