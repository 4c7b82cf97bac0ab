from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_dutch_and_english_is_available(client):
    assert "Inloggen" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_login_lands_each_role_on_its_page(client, personas):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("regions:portfolio")
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "partner", "password": PASSWORD})
    assert client.get(reverse("core:home")).url == reverse("dashboard:national")


def test_wrong_password_gives_a_dutch_message(client, personas):
    response = client.post(reverse("login"), {"username": "alice", "password": "fout"})
    assert response.status_code == 200
    assert "De gebruikersnaam en het wachtwoord komen niet overeen" in response.content.decode()


def test_login_attempts_are_rate_limited(client, personas):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "fout"})
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    other = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert other.status_code == 302


def test_passwords_have_at_least_twelve_characters(client, personas):
    """The beheerder adds a user in the admin: 11 characters are refused, 12 accepted."""
    client.force_login(personas.admin)

    def add(username: str, password: str):
        data = {
            "username": username,
            "password1": password,
            "password2": password,
            "usable_password": "true",
            "role": "regioadviseur",
            "_save": "Opslaan",
        }
        return client.post(reverse("admin:accounts_user_add"), data)

    refused = add("nieuw", "Vkq-8dwz-Lp")
    assert refused.status_code == 200
    assert "De minimale lengte is 12 tekens." in refused.content.decode()
    assert not User.objects.filter(username="nieuw").exists()
    assert add("nieuw", "Vkq-8dwz-Lpa").status_code == 302
    assert User.objects.filter(username="nieuw").exists()


def test_passwords_are_stored_hashed(personas):
    personas.alice.refresh_from_db()
    assert personas.alice.password.startswith("pbkdf2_sha256$")
    assert PASSWORD not in personas.alice.password


def test_screens_are_dutch_even_for_an_english_browser(client):
    html = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Inloggen" in html.content.decode()


def test_a_lockout_ends_after_the_cool_off(client, personas, settings):
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "fout"})
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # A minute after the cool-off the failures no longer count.
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(minutes=1))
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.alice.pk)


def test_a_session_expires_after_the_configured_age(client, personas, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60  # one working day
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < lifetime <= timedelta(hours=8)
    assert client.get(reverse("regions:portfolio")).status_code == 200

    # The server forgets the session when its age has passed, whatever the browser keeps.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("regions:portfolio"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_password_set_by_the_beheerder_ends_the_users_sessions(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("regions:portfolio")).status_code == 200
    beheer = Client()
    beheer.force_login(personas.admin)
    url = reverse("admin:auth_user_password_change", args=[personas.alice.pk])
    new = "Nieuw-wachtwoord-2026"
    changed = beheer.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert changed.status_code == 302
    response = client.get(reverse("regions:portfolio"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
