"""The provider portal in English and Spanish (issue 18): the shared language switcher, and the
portal's pages in the language chosen."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    yield
    translation.activate("en")


def test_the_switcher_turns_the_portal_spanish_and_back(client_for, provider_user, own_case):
    client = client_for(provider_user)
    english = client.get("/portal/").content.decode()
    assert "Prior authorization requests" in english and 'lang="en"' in english
    assert 'action="/i18n/setlang/"' in english  # the switcher is on the page
    client.post("/i18n/setlang/", {"language": "es", "next": "/portal/"})
    body = client.get("/portal/").content.decode()
    assert 'lang="es"' in body
    for words in (
        "Solicitudes de autorización previa",
        "Nueva solicitud",
        "Requieren su acción",
        "Próximo paso",
        "Avisar de un ingreso",
        "Información de salud protegida.",
        own_case.reference,
    ):
        assert words in body, words
    assert "Prior authorization requests" not in body and "Needs your action" not in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert "Prior authorization requests" in client.get("/portal/").content.decode()


def test_new_request_page_in_spanish_from_the_browser(client_for, provider_user):
    body = client_for(provider_user).get("/portal/new/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for words in ("Nueva solicitud de autorización previa", "Buscar al miembro", "Buscar miembro"):
        assert words in body, words
    assert "Find the member" not in body


def test_the_member_pages_carry_the_same_switcher(settings):
    # One include for both audiences, so the two switchers cannot drift apart.
    for base in ("members/base_member.html", "portal/base_portal.html"):
        source = (settings.BASE_DIR / "templates" / base).read_text()
        assert '{% include "includes/language_switch.html" %}' in source, base
