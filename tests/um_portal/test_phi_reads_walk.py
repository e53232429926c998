"""Every page that shows member data writes an access-log row (issue 15, 45 CFR 164.312(b)).

The walk covers every URL pattern of the project (the same walker as the deny-by-default test),
with the demo's data (`make run`) and each demo persona. A page answers 200 with a member's name or
member ID in it, or hands over a case file (PDF, image, calendar invite): the request must have
written at least one access-log row for that user. A new page that shows PHI without logging fails
here the moment its pattern is added — no list of pages to keep up to date.
"""

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appeals.models import Appeal
from determinations.models import Letter
from inbox.models import InboundDocument
from intake.models import CareRequest, Coverage, Document, Member, Provider
from quality.models import IrrAssignment, IrrAudit
from reports.views.dashboard import DATASETS
from review.models import Notification
from scheduling.models import PeerToPeer
from stays.models import Stay
from tests.factories import UserFactory
from um_portal.accounts.models import User
from um_portal.audit.models import AccessLog
from um_portal.demo.steps import seed_all

pytestmark = pytest.mark.django_db

PERSONAS = ("intake", "nurse", "director", "manager", "provider")
# The admin's patterns name objects by model, not by one kwarg: walked from its registry below.
SKIPPED_PREFIXES = ("admin:",)
# Answers that are case files whatever their text: a row is owed even when no name shows.
FILE_TYPES = ("application/pdf", "image/", "text/calendar", "application/octet-stream")
# Files with no member in them, and why.
NO_MEMBER_DATA = {
    "reports:cms0057_pdf": "the CMS-0057-F public report: counts and percentages, no case",
    "quality:irr_results_pdf": "an IRR audit's agreement figures; a vignette audit names no case "
    "(a case-based audit's PDF logs each case it samples)",
}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
CANDIDATES_PER_KWARG = 4


def patterns(urls=None, prefix: str = "", namespace: str = ""):
    """(name, route with <params>) of every URL pattern."""
    for pattern in get_resolver().url_patterns if urls is None else urls:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def _ids(qs, user) -> list[str]:
    return [str(pk) for pk in qs.values_list("pk", flat=True)[:CANDIDATES_PER_KWARG]]


def _case_candidates(user) -> list[str]:
    """Cases this persona is likely to be allowed to open, most likely first."""
    mine = CareRequest.objects.filter(assigned_to=user)
    org = CareRequest.objects.filter(provider_organization__users=user)
    ordered = [
        *_ids(mine, user),
        *_ids(org.exclude(status="draft"), user),
        *_ids(org.filter(status="draft"), user),
        *_ids(CareRequest.objects.filter(status="md_review"), user),
        *_ids(CareRequest.objects.filter(status__in=["submitted", "pending_info"]), user),
    ]
    return list(dict.fromkeys(ordered))[: CANDIDATES_PER_KWARG * 2]


def kwarg_candidates(user) -> dict[str, list[str]]:
    cases = _case_candidates(user)
    documents = _ids(Document.objects.filter(care_request_id__in=cases), user)
    return {
        "pk": cases + _ids(InboundDocument.objects.all(), user),
        "case_id": cases,
        "care_request_id": cases,
        "document_pk": documents,
        "document_id": documents + _ids(InboundDocument.objects.all(), user),
        "letter_id": _ids(Letter.objects.all(), user),
        "appeal_id": _ids(Appeal.objects.all(), user),
        "stay_id": _ids(Stay.objects.all(), user),
        "p2p_id": _ids(PeerToPeer.objects.all(), user),
        "notification_id": _ids(Notification.objects.filter(user=user), user),
        "audit_id": _ids(IrrAudit.objects.all(), user),
        "assignment_id": _ids(IrrAssignment.objects.filter(reviewer=user), user),
        "number": ["1"],
        "name": list(DATASETS),
    }


def paths_for(route: str, candidates: dict[str, list[str]]) -> list[str]:
    """Concrete paths for a route: the n-th candidate of every kwarg together. Empty when a
    kwarg has no candidate (an action name, a rule id: no PHI page hides there)."""
    names = [m["name"] for m in _PARAM.finditer(route)]
    if any(not candidates.get(n) for n in names):
        return []
    count = max((len(candidates[n]) for n in names), default=1)
    return [
        "/"
        + _PARAM.sub(
            lambda m, i=i: candidates[m["name"]][min(i, len(candidates[m["name"]]) - 1)], route
        )
        for i in range(count)
    ]


def phi_markers() -> re.Pattern:
    names = [
        value
        for first, last in Member.objects.values_list("first_name", "last_name")
        for value in (f"{first} {last}", f"{last}, {first}")
    ]
    numbers = list(Coverage.objects.values_list("member_number", flat=True))
    # A member who shares a name with a clinician or a user is not found by that name: provider
    # and staff names are no PHI, and would flag the provider directory.
    not_members = {*Provider.objects.values_list("name", flat=True)} | {
        f"{u.first_name} {u.last_name}" for u in User.objects.all()
    }
    directory = "\n".join(not_members)  # "Dr. Aisha Davis, MD" holds "Aisha Davis"
    values = {n for n in names if n not in directory} | set(numbers)
    return re.compile("|".join(re.escape(v) for v in sorted(values, key=len)[::-1]))


def _body(response) -> tuple[bytes, str]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data, response.get("Content-Type", "")


@pytest.fixture
def demo(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return seed_all(log=lambda msg: None)


def admin_paths() -> list[tuple[str, str]]:
    """The changelist and the first object's change page of every model in the admin."""
    paths = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append((f"{info}_changelist", reverse(f"{info}_changelist")))
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            paths.append((f"{info}_change", reverse(f"{info}_change", args=[first])))
    return paths


def _check(client, user, name: str, path: str, markers, problems: list, shown: set) -> bool:
    """GET the page; False when it showed no member data (try another object)."""
    before = AccessLog.objects.filter(user=user).count()
    response = client.get(path)
    if response.status_code != 200:
        return False
    data, content_type = _body(response)
    found = markers.search(data.decode("utf-8", "replace"))
    is_file = content_type.startswith(FILE_TYPES) and name not in NO_MEMBER_DATA
    if not found and not is_file:
        return False
    shown.add(name)
    if AccessLog.objects.filter(user=user).count() == before:
        what = found.group(0) if found else content_type
        problems.append(f"{user.username} GET {name} {path} showed {what!r}, logged nothing")
    return True


def test_every_page_showing_member_data_writes_an_access_log_row(client, demo):
    markers = phi_markers()
    routes = [(n, r) for n, r in patterns() if not n.startswith(SKIPPED_PREFIXES)]
    problems, shown = [], set()
    for username in PERSONAS:
        user = demo["users"][username]
        client.force_login(user)
        candidates = kwarg_candidates(user)
        for name, route in routes:
            for path in paths_for(route, candidates) if "<" in route else ["/" + route]:
                if _check(client, user, name, path, markers, problems, shown):
                    break  # one page with data per pattern and persona is enough
        client.logout()
    # The admin, as a superuser: the most anyone can see there.
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for name, path in admin_paths():
        _check(client, superuser, name, path, markers, problems, shown)
    assert problems == [], "\n".join(problems)
    # The walk really reached the workspaces' data pages (or it would prove nothing).
    assert {
        "intake:queue",
        "intake:case",
        "review:case",
        "review:dashboard",
        "determinations:decide",
        "appeals:detail",
        "stays:stay",
        "portal:home",
        "portal:case",
        "api:care-requests",
        "api:care-request",
        "admin:intake_carerequest_change",
        "admin:intake_member_change",
        "admin:stays_stay_changelist",
    } <= shown, sorted(shown)
