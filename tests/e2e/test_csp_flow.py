"""End to end in Chromium: under the Content-Security-Policy the pages load without a single
violation, and htmx still swaps the dashboard's case list."""

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_works_and_nothing_is_refused_by_the_csp(page, nurse, provider_user):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{page.url} {message.text}"))
    login(page, "nurse")
    page.goto("/review/")
    page.get_by_role("heading", name="My Care Requests").wait_for()
    assert page.evaluate("typeof htmx") == "object"

    with page.expect_response(
        lambda r: "/review/?" in r.url and r.request.headers.get("hx-request")
    ):
        page.locator("form.filters select").first.select_option(index=1)
    page.wait_for_url("**/review/?**")  # hx-push-url ran: htmx handled the change
    page.goto("/api/docs/")
    page.locator(".swagger-ui").first.wait_for()
    refused = [m for m in messages if "Content Security Policy" in m]
    assert refused == []
