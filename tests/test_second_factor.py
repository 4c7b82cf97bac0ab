"""The second factor, through the pages as a user goes: password, then the authenticator app's
code (RFC 6238, computed here from the key the page shows) or a recovery code."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode
from tests.factories import PASSWORD
from tests.test_access import CASES, _data, _resolve
from tests.totp import code_at, code_now, current_step, fresh_code, secret_shown

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:second_factor_setup")
VERIFY = reverse("accounts:second_factor")
# After a wrong code the app's device takes no code for a second (django-otp's throttle, doubling
# with each wrong code), so a guess-per-millisecond attack gets nowhere; a person retypes slower.
THROTTLE = 1.1


def log_in(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def enrol(client) -> list[str]:
    """Set up the app on the set-up page; return the recovery codes shown."""
    page = client.get(SETUP).content.decode()
    response = client.post(SETUP, {"code": code_now(secret_shown(page))})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode())


def test_a_required_role_reaches_no_page_but_the_set_up_until_it_has_an_app(client, personas):
    response = log_in(client, "pm")
    assert response.status_code == 302
    assert client.get(reverse("dashboard:index")).url.startswith(SETUP)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tweede factor instellen" in html and "<svg" in html
    assert 'href="/dashboard/"' not in html, "no menu before the second factor"
    # The secret stays the same while the page is reloaded.
    assert secret_shown(client.get(SETUP).content.decode()) == secret_shown(html)


def test_every_page_but_the_second_factor_sends_the_half_logged_in_user_there(client, personas):
    """The pages' access table, walked by a programme manager who passed only the password:
    every page, partial and form post ends at the second factor, nothing else answers."""
    log_in(client, "pm")
    open_names = {
        "accounts:second_factor",
        "accounts:second_factor_setup",
        "logout",
        "set_language",
        "core:liveness",
        "login",  # the log-in page sends a logged-in user on, to the set-up
    }
    checked = 0
    for case in CASES:
        if case.name in open_names:
            continue
        url = _resolve(case, personas)
        response = getattr(client, case.method)(url, data=_data(case, personas))
        if response.status_code == 405:
            continue
        assert response.status_code == 302, f"{case.id}: {response.status_code}"
        assert response.url.startswith(SETUP), f"{case.id} went to {response.url}"
        if case.method == "get":
            partial = client.get(url, headers={"HX-Request": "true"})
            assert partial.headers.get("HX-Redirect") == SETUP, case.id
        checked += 1
    assert checked > 100


def test_setting_up_the_app_shows_recovery_codes_once_and_keeps_only_their_hashes(client, personas):
    log_in(client, "pm", next_url="/resultaten/")
    page = client.get(SETUP + "?next=/resultaten/").content.decode()
    wrong = client.post(SETUP, {"code": "123456", "next": "/resultaten/"})
    assert wrong.status_code == 400
    assert "Deze code klopt niet" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.pm).exists(), "nothing kept before"

    response = client.post(SETUP, {"code": code_now(secret_shown(page)), "next": "/resultaten/"})
    html = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/resultaten/"' in html
    stored = set(RecoveryCode.objects.filter(user=personas.pm).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in hashed for code in codes for hashed in stored)
    personas.pm.refresh_from_db()
    assert personas.pm.second_factor_enabled
    assert client.get(reverse("dashboard:index")).status_code == 200
    # The codes are never shown again: the security page counts them.
    security = client.get(reverse("accounts:security")).content.decode()
    assert "10 ongebruikte herstelcodes" in security
    assert codes[0] not in security


def test_the_next_log_in_asks_for_the_apps_code_and_takes_each_code_once(client, personas):
    log_in(client, "pm")
    enrol(client)
    client.post(reverse("logout"))

    log_in(client, "pm", next_url="/resultaten/")
    assert client.get("/resultaten/").url == f"{VERIFY}?next=%2Fresultaten%2F"
    # A logged-in user with an app cannot set up another one before passing the first.
    assert client.get(SETUP).url == VERIFY
    wrong = client.post(VERIFY, {"code": "000000", "next": "/resultaten/"})
    assert wrong.status_code == 400
    assert "Deze code klopt niet" in wrong.content.decode()
    time.sleep(THROTTLE)

    code = fresh_code(personas.pm)
    passed = client.post(VERIFY, {"code": code, "next": "/resultaten/"})
    assert passed.status_code == 302 and passed.url == "/resultaten/"
    assert client.get("/resultaten/").status_code == 200
    client.post(reverse("logout"))

    # The same code a second time (a code seen over a shoulder) is refused.
    log_in(client, "pm")
    again = client.post(VERIFY, {"code": code})
    assert again.status_code == 400


def test_a_recovery_code_works_once(client, personas):
    log_in(client, "hub")
    codes = enrol(client)
    client.post(reverse("logout"))

    log_in(client, "hub")
    response = client.post(VERIFY, {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert client.get(reverse("innovation:lines")).status_code == 200
    assert RecoveryCode.objects.filter(user=personas.hub, used_at__isnull=False).count() == 1
    client.post(reverse("logout"))

    log_in(client, "hub")
    refused = client.post(VERIFY, {"code": codes[3]})
    assert refused.status_code == 400
    assert client.get(reverse("innovation:lines")).url.startswith(VERIFY)


def test_five_wrong_codes_lock_the_account_as_five_wrong_passwords_do(client, personas):
    log_in(client, "pm")
    enrol(client)
    client.post(reverse("logout"))

    log_in(client, "pm")
    for _ in range(4):
        assert client.post(VERIFY, {"code": "111111"}).status_code == 400
    locked = client.post(VERIFY, {"code": "111111"})
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.content.decode()
    assert "_auth_user_id" not in client.session, "the half-open session is ended"
    # The right password and the right code no longer help from this address for a while.
    assert log_in(client, "pm").status_code == 429


def test_an_optional_second_factor_is_asked_once_set_up_and_can_be_turned_off(client, personas):
    log_in(client, "alice")
    assert client.get(reverse("regions:portfolio")).status_code == 200
    assert "Nog geen tweede factor" in client.get(reverse("accounts:security")).content.decode()
    enrol(client)
    client.post(reverse("logout"))

    log_in(client, "alice")
    assert client.get(reverse("regions:portfolio")).url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": fresh_code(personas.alice)}).status_code == 302
    client.post(reverse("accounts:second_factor_remove"))
    personas.alice.refresh_from_db()
    assert not personas.alice.second_factor_enabled
    assert not TOTPDevice.objects.filter(user=personas.alice).exists()
    assert not RecoveryCode.objects.filter(user=personas.alice).exists()


def test_a_required_second_factor_cannot_be_turned_off(client, personas):
    log_in(client, "beheer")
    enrol(client)
    response = client.post(reverse("accounts:second_factor_remove"), follow=True)
    assert "Uw rol vereist een tweede factor" in response.content.decode()
    personas.admin.refresh_from_db()
    assert personas.admin.second_factor_enabled


def test_new_recovery_codes_replace_the_old_ones(client, personas):
    log_in(client, "pm")
    old = enrol(client)
    response = client.post(reverse("accounts:recovery_codes_renew"))
    new = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("logout"))
    log_in(client, "pm")
    assert client.post(VERIFY, {"code": old[0]}).status_code == 400
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_replacing_the_app_keeps_the_old_one_until_the_new_one_is_confirmed(client, personas):
    log_in(client, "pm")
    enrol(client)
    old_device = TOTPDevice.objects.get(user=personas.pm, confirmed=True)
    page = client.get(SETUP).content.decode()
    assert "Uw huidige app en herstelcodes blijven werken" in page
    assert TOTPDevice.objects.get(user=personas.pm, confirmed=True) == old_device
    step = current_step()
    client.post(SETUP, {"code": code_at(secret_shown(page), step)})
    assert TOTPDevice.objects.filter(user=personas.pm).count() == 1
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()


def test_the_way_back_after_the_second_factor_stays_on_this_site(client, personas):
    log_in(client, "pm")
    enrol(client)
    client.post(reverse("logout"))
    log_in(client, "pm")
    response = client.post(
        VERIFY, {"code": fresh_code(personas.pm), "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:home")


def test_the_beheerder_resets_a_lost_second_factor(client, personas):
    log_in(client, "pm")
    enrol(client)
    client.post(reverse("logout"))

    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [personas.pm.pk]},
        follow=True,
    )
    assert "De tweede factor van 1 gebruiker is teruggezet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.pm).exists()
    assert not RecoveryCode.objects.filter(user=personas.pm).exists()
    client.post(reverse("logout"))

    log_in(client, "pm")
    assert client.get(reverse("dashboard:index")).url.startswith(SETUP)


def test_an_accounts_role_and_second_factor_changes_are_in_its_audit_history(client, personas):
    """Giving a role in the admin, setting up an app and its reset are kept with who did it;
    a log-in (last_login) and the header's copies are not changes; the account's admin page
    lists them."""
    from pghistory.models import Events

    newcomer = personas.partner
    newcomer.role = ""
    newcomer.save()
    log_in(client, "pm")
    enrol(client)
    client.post(reverse("logout"))

    client.force_login(personas.admin)
    change = reverse("admin:accounts_user_change", args=[newcomer.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {"role": "partner", "organisation": "SZW", "date_joined_0": "2026-01-01"}
    data |= {"date_joined_1": "09:00:00"}
    assert client.post(change, data).status_code == 302
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [personas.pm.pk]},
    )

    def changes(user) -> list:
        events = Events.objects.tracks(user).filter(pgh_label="update").order_by("pgh_id")
        return [
            (event.pgh_context and event.pgh_context.get("user"), sorted(event.pgh_diff or {}))
            for event in events
        ]

    assert (personas.admin.pk, ["role"]) in changes(newcomer)
    pm_changes = changes(personas.pm)
    # Set up by the user themselves, reset by the beheerder; the log-ins left no event.
    assert pm_changes == [
        (personas.pm.pk, ["second_factor_enabled"]),
        (personas.admin.pk, ["second_factor_enabled"]),
    ]
    page = client.get(reverse("admin:accounts_user_change", args=[personas.pm.pk]))
    html = page.content.decode()
    audit = html[html.index('<ul class="rm-audit">') :]
    audit = audit[: audit.index("</ul>")]
    assert "Wijzigingen" in html and audit.count("<li>") == 3, audit  # made, set up, reset
    assert f"{personas.admin} · gewijzigd; tweede factor ingesteld: ja → nee" in audit, audit


def test_an_account_from_before_the_history_starts_from_a_baseline(client, personas):
    """An account that existed before its changes were kept gets one event with what it was
    then (accounts migration 0008), so its first change shows what it changed from."""
    import importlib

    import pgtrigger
    from django.db import connection
    from pghistory.models import Events

    from tests.factories import UserFactory

    baseline = importlib.import_module("accounts.migrations.0008_user_audit_baseline").BASELINE
    with pgtrigger.ignore("accounts.User:insert_insert"):
        old = UserFactory(username="oud", role="", first_name="Oud", last_name="Account")
    with connection.cursor() as cursor:
        cursor.execute(baseline)
        cursor.execute(baseline)  # a second run adds nothing
    client.force_login(personas.admin)
    change = reverse("admin:accounts_user_change", args=[old.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {"role": "regioadviseur", "date_joined_0": "2026-01-01", "date_joined_1": "09:00"}
    assert client.post(change, data).status_code == 302

    events = Events.objects.tracks(old).order_by("pgh_id")
    assert [(e.pgh_label, e.pgh_diff) for e in events] == [
        ("baseline", None),
        ("update", {"role": ["", "regioadviseur"]}),
    ]
    html = client.get(change).content.decode()
    assert "gewijzigd; rol: — → Regioadviseur" in html
    assert "zoals het was toen de geschiedenis begon" in html
