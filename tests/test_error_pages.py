"""The app's own error pages: what the demo and production show instead of Django's debug pages."""

import sys

import pytest
from django.conf import settings
from django.template import loader
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation

from core.views import server_error

pytestmark = pytest.mark.django_db


def test_the_demo_runs_with_debug_off_as_in_production():
    demo = (settings.BASE_DIR / "scripts" / "demo.sh").read_text()
    assert "export DEBUG=${DEBUG:-false}" in demo
    assert settings.DEBUG is False  # the tests run as the demo does


@pytest.mark.parametrize("persona", [None, "pm"])
def test_an_unknown_url_shows_the_apps_404_page(client, personas, persona):
    if persona:
        client.force_login(getattr(personas, persona))
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert 'class="rm-header"' in html  # in the app's layout
    assert 'href="/"' in html and "Naar de startpagina" in html  # a way back home
    # Django's debug page lists the URL patterns it tried; the app's page lists none
    for debug_text in ("URLconf", "urlpatterns", "Django tried these URL patterns", "DEBUG"):
        assert debug_text not in html
    assert "&lt;int:year&gt;" not in html and "<int:year>" not in html


def test_the_404_page_follows_the_readers_language(client, personas):
    client.force_login(personas.pm)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        html = client.get("/does-not-exist/").content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left English active
    assert "Page not found" in html and "To the home page" in html


def test_static_files_are_served_with_debug_off(client):
    response = client.get(f"{settings.STATIC_URL}css/regiomonitor.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_the_500_handler_renders_the_apps_page_without_a_request_context():
    assert get_resolver().urlconf_module.handler500 == "core.views.server_error"
    request = RequestFactory().get("/kapot/")
    with translation.override("nl"):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert 'class="rm-header"' in html and "Naar de startpagina" in html
    assert "boom" not in html and "Traceback" not in html
    # The template itself renders with no context at all, as Django's handler renders it.
    with translation.override("nl"):
        assert "Er ging iets mis" in loader.get_template("500.html").render()
    assert sys.exc_info() == (None, None, None)
