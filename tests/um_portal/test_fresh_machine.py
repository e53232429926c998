"""The suite runs on a fresh clone from the README alone: its fixtures are in the repository,
and a missing system package fails with one line naming it."""

import re
from pathlib import Path

import pytest

from tests.conftest import require_system_package
from tests.fhir.conftest import FIXTURES

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_pas_example_bundles_are_in_the_repository():
    assert FIXTURES.resolve().is_relative_to(REPO_ROOT)
    assert sorted(p.name for p in FIXTURES.iterdir()) == [
        "README.md",
        "inquire-referral.json",
        "submit-nonconformant.json",
        "submit-referral-multiple-items.json",
        "submit-referral-single-item.json",
    ]
    assert "Da Vinci" in (FIXTURES / "README.md").read_text()


def test_a_missing_system_package_fails_with_one_line_naming_it():
    with pytest.raises(pytest.fail.Exception) as failed:
        require_system_package(False, "chromium", "the browser tests")
    assert str(failed.value) == (
        "the browser tests needs a system package: apt-get install -y chromium"
    )
    assert failed.value.pytrace is False


def test_readme_install_command_names_every_package_ci_installs():
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    packages = re.search(r"packages=\(([^)]*)\)", ci).group(1).split()
    command = re.search(r"sudo apt-get install -y ([^`]*)", (REPO_ROOT / "README.md").read_text())
    assert sorted(command.group(1).replace("\\", " ").split()) == sorted(packages)


@pytest.mark.django_db
def test_every_page_names_the_favicon_and_favicon_ico_finds_it(client):
    login_page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login_page
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/favicon.svg")
    assert (REPO_ROOT / "static" / "favicon.svg").read_text().startswith("<svg")
