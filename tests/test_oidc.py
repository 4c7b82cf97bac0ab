"""Single sign-on against a real OpenID Connect provider process (oidc-provider from npm): who is
let in, matched how, and every way a sign-in is refused, each with a Dutch message on the log-in
page and nobody logged in."""

import urllib.parse

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import OidcIdentity, User
from notifications.models import MessageKind, Notification
from tests.factories import PASSWORD
from tests.oidc_provider import OidcProvider, through_provider

pytestmark = pytest.mark.django_db

APP = ["http://testserver"]


@pytest.fixture
def provider(tmp_path):
    started = []

    def start(id_token_change: dict | None = None) -> OidcProvider:
        started.append(OidcProvider(tmp_path, APP, id_token_change))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_colleague_is_matched_by_verified_email_then_by_sub(client, personas, provider, settings):
    provider().configure(settings)
    response = through_provider(client, "alice-org")
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == personas.alice.pk
    assert client.get(reverse("regions:portfolio")).status_code == 200
    identity = OidcIdentity.objects.get(user=personas.alice)
    assert identity.subject == "alice-org"
    client.post(reverse("logout"))

    # Her address changes here; the provider's sub still finds her.
    User.objects.filter(pk=personas.alice.pk).update(email="a.adviseur@example.nl")
    through_provider(client, "alice-org")
    assert int(client.session["_auth_user_id"]) == personas.alice.pk


def test_someone_new_waits_for_access_and_the_beheerders_are_told(
    client, personas, provider, settings
):
    provider().configure(settings)
    through_provider(client, "new-org")
    user = User.objects.get(email="nieuw@gemeente.example")
    assert (user.role, user.first_name, user.last_name) == ("", "Nienke", "Nieuw")
    assert client.get(reverse("regions:portfolio")).url == reverse("accounts:waiting")
    page = client.get(reverse("accounts:waiting")).content.decode()
    assert "Wacht op toegang" in page and "nog geen rol" in page
    told = Notification.objects.get(kind=MessageKind.ACCESS)
    assert told.recipient == personas.admin
    assert told.url == reverse("admin:accounts_user_change", args=[user.pk])

    # A beheerder gives a role: the next page is the adviser's own.
    User.objects.filter(pk=user.pk).update(role="regioadviseur")
    assert client.get(reverse("accounts:waiting")).url == reverse("core:home")
    assert client.get(reverse("regions:portfolio")).status_code == 200


def test_a_role_claim_gives_the_role(client, personas, provider, settings):
    provider().configure(settings, OIDC_ROLE_CLAIM="regiomonitor_role")
    through_provider(client, "adviser-claim-org")
    assert User.objects.get(email="claim@gemeente.example").role == "regioadviseur"
    assert client.get(reverse("regions:portfolio")).status_code == 200
    assert not Notification.objects.filter(kind=MessageKind.ACCESS).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iss": "http://127.0.0.1:1/other"}, "komt van een andere inlogdienst"),
        ({"aud": "another-application"}, "was bedoeld voor een andere toepassing"),
        ({"aud": ["regiomonitor", "another-application"]}, "bedoeld voor een andere toepassing"),
        ({"exp": -600}, "Het inloggen is verlopen"),
    ],
    ids=["wrong-issuer", "wrong-audience", "extra-audience-without-azp", "expired"],
)
def test_an_id_token_that_does_not_hold_is_refused(
    client, personas, provider, settings, change, message
):
    provider(id_token_change=change).configure(settings)
    response = through_provider(client, "alice-org")
    assert response.url == reverse("login")
    assert message in said(response)
    assert not logged_in(client)
    assert not OidcIdentity.objects.exists()


def test_an_unverified_email_is_refused(client, personas, provider, settings):
    provider().configure(settings)
    response = through_provider(client, "unverified-org")
    assert response.url == reverse("login")
    assert "geen geverifieerd e-mailadres" in said(response)
    assert not logged_in(client)
    assert not User.objects.filter(email="bob@example.nl", oidc_identities__isnull=False).exists()


def test_a_replayed_state_is_refused(client, personas, provider, settings):
    provider().configure(settings)
    first = through_provider(client, "alice-org")
    assert logged_in(client)
    client.post(reverse("logout"))
    # The same return address again (from the browser history, or stolen): its state is spent.
    again = client.get(first.callback)
    assert again.url == reverse("login")
    assert "al gebruikt" in said(again)
    assert not logged_in(client)


def test_the_providers_second_factor_counts_only_when_trusted(client, personas, provider, settings):
    User.objects.filter(pk=personas.pm.pk).update(email="pm@example.nl")
    provider(id_token_change={"amr": ["pwd", "otp"]}).configure(
        settings, OIDC_TRUST_PROVIDER_MFA=False
    )
    through_provider(client, "pm-org")
    assert client.get(reverse("dashboard:index")).url.startswith(
        reverse("accounts:second_factor_setup")
    )
    client.post(reverse("logout"))

    settings.OIDC_TRUST_PROVIDER_MFA = True
    through_provider(client, "pm-org")
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_without_a_trusted_amr_a_required_role_still_sets_up_the_app(
    client, personas, provider, settings
):
    User.objects.filter(pk=personas.pm.pk).update(email="pm@example.nl")
    provider(id_token_change={"amr": ["pwd"]}).configure(settings, OIDC_TRUST_PROVIDER_MFA=True)
    through_provider(client, "pm-org")
    assert client.get(reverse("dashboard:index")).url.startswith(
        reverse("accounts:second_factor_setup")
    )


def test_logging_out_also_ends_the_session_at_the_provider(client, personas, provider, settings):
    started = provider()
    started.configure(settings)
    through_provider(client, "alice-org")
    response = client.post(reverse("logout"))
    assert not logged_in(client)
    parts = urllib.parse.urlsplit(response.url)
    query = urllib.parse.parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == started.issuer
    assert parts.path == "/session/end"
    assert query["post_logout_redirect_uri"] == ["http://testserver/inloggen/"]
    assert query["id_token_hint"][0].count(".") == 2
    # A password log-in logs out here only.
    client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert client.post(reverse("logout")).url == reverse("login")


def test_the_login_page_offers_the_organisation_and_passwords_can_be_switched_off(
    client, personas, provider, settings
):
    assert "Inloggen met uw organisatie" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    provider().configure(settings)
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw organisatie" in page and 'name="password"' in page

    settings.PASSWORD_LOGIN = False
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw organisatie" in page and 'name="password"' not in page
    refused = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert refused.url == reverse("login")
    assert not logged_in(client)
