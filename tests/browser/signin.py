"""The second factor in the browser, as a user with an authenticator app passes it."""

from django.contrib.auth import get_user_model

from tests import totp


def pass_second_factor(page, username: str) -> None:
    """After the password: set up the app from the key the set-up page shows and go on past the
    recovery codes, or type the code of the app set up before. Other roles see neither page."""
    page.wait_for_load_state()
    if "/tweede-factor/instellen/" in page.url:
        page.locator("#id_code").fill(totp.code_now(totp.secret_shown(page.content())))
        page.locator("main form button[type=submit]").click()
        page.locator("main a.utrecht-button-link--primary-action").click()
        page.wait_for_load_state()
    elif "/tweede-factor/" in page.url:
        user = get_user_model().objects.get(username=username)
        page.locator("#id_code").fill(totp.fresh_code(user))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
