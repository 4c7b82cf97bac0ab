import pytest
from django.urls import reverse

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
    assert client.get(reverse("core:home")).url == reverse("regions:national")


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


def test_passwords_are_stored_hashed(personas):
    personas.alice.refresh_from_db()
    assert personas.alice.password.startswith("pbkdf2_sha256$")
    assert PASSWORD not in personas.alice.password


def test_screens_are_dutch_even_for_an_english_browser(client):
    html = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Inloggen" in html.content.decode()
