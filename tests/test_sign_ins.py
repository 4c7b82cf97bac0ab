"""Where you are logged in: the sessions on the security page, ending one, and the e-mail on a
log-in from a browser not used before (through the outbox, to a real SMTP server)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import KnownBrowser, SignIn
from notifications.models import MessageKind, Notification, OutboxMessage
from notifications.tasks import send_message
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECURITY = reverse("accounts:security")


def browser(user_agent: str) -> Client:
    return Client(headers={"user-agent": user_agent})


def log_in(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_security_page_lists_the_sessions_and_ends_another(personas):
    laptop, phone = browser("Firefox op laptop"), browser("Safari op telefoon")
    log_in(laptop, "alice")
    log_in(phone, "alice")
    page = laptop.get(SECURITY).content.decode()
    assert "Firefox op laptop" in page and "Safari op telefoon" in page
    assert page.count("deze browser") == 1

    other = SignIn.objects.get(user=personas.alice, user_agent="Safari op telefoon")
    response = laptop.post(reverse("accounts:sign_in_end", args=[other.pk]), follow=True)
    assert "De sessie is beëindigd" in response.content.decode()
    assert phone.get(reverse("regions:portfolio")).url.startswith(reverse("login"))
    assert laptop.get(reverse("regions:portfolio")).status_code == 200
    assert "Safari op telefoon" not in laptop.get(SECURITY).content.decode()


def test_ending_all_other_sessions_keeps_this_one(personas):
    browsers = [browser(f"Browser {n}") for n in range(3)]
    for each in browsers:
        log_in(each, "alice")
    response = browsers[0].post(reverse("accounts:sign_ins_end_others"), follow=True)
    assert "2 andere sessies zijn beëindigd" in response.content.decode()
    assert browsers[0].get(reverse("regions:portfolio")).status_code == 200
    for each in browsers[1:]:
        assert each.get(reverse("regions:portfolio")).status_code == 302


def test_nobody_ends_someone_elses_session(personas):
    bobs = browser("Bob")
    log_in(bobs, "bob")
    alices = browser("Alice")
    log_in(alices, "alice")
    response = alices.post(
        reverse("accounts:sign_in_end", args=[SignIn.objects.get(user=personas.bob).pk])
    )
    assert response.status_code == 404
    assert bobs.get(reverse("regions:portfolio")).status_code == 200


def test_the_session_follows_its_new_key_after_the_second_factor(personas):
    from tests.test_second_factor import enrol

    client = browser("Chromium")
    log_in(client, "pm")
    enrol(client)
    [sign_in] = SignIn.objects.filter(user=personas.pm)
    assert sign_in.session_key == client.session.session_key
    assert "deze browser" in client.get(SECURITY).content.decode()


def test_a_log_in_from_a_new_browser_is_told_by_email(personas, smtp_server):
    laptop = browser("Firefox op laptop")
    log_in(laptop, "alice")  # the first log-in ever: nothing to compare with
    laptop.post(reverse("logout"))
    log_in(laptop, "alice")  # the same browser again
    assert not Notification.objects.filter(kind=MessageKind.SIGN_IN).exists()
    assert KnownBrowser.objects.filter(user=personas.alice).count() == 1

    log_in(browser("Onbekende browser"), "alice")
    [told] = Notification.objects.filter(kind=MessageKind.SIGN_IN)
    assert told.recipient == personas.alice and told.url == SECURITY
    assert "Onbekende browser" in told.text
    message = OutboxMessage.objects.get(kind=MessageKind.SIGN_IN)
    send_message.apply(args=[message.pk])
    [received] = smtp_server.messages()
    assert received["To"] == personas.alice.email
    assert "Nieuwe aanmelding" in received["Subject"]
    assert "Onbekende browser" in received.get_body(("plain",)).get_content()
    # The cookie holds a random id; only its hash is kept.
    stored = KnownBrowser.objects.filter(user=personas.alice).values_list("browser_hash", flat=True)
    assert all(len(value) == 64 for value in stored)


def test_with_passwords_switched_off_the_admins_password_form_is_closed(personas, settings):
    settings.PASSWORD_LOGIN = False
    client = Client()
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    refused = client.post(reverse("admin:login"), {"username": "beheer", "password": PASSWORD})
    assert refused.status_code == 302
    assert "_auth_user_id" not in client.session
