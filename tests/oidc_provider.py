"""A real OpenID Connect provider process (tests/oidc/provider.mjs, the npm package oidc-provider)
on a loopback port, and a sign-in through it as a browser would go: to the provider, its log-in
form, back to our callback."""

import json
import os
import re
import subprocess
import time
import urllib.parse
from pathlib import Path

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.processes import free_port, stop

CLIENT_ID = "regiomonitor"
CLIENT_SECRET = "test-client-secret-of-some-length"
ACCOUNTS = {
    "alice-org": {"email": "alice@example.nl", "email_verified": True, "given_name": "Alice"},
    "pm-org": {"email": "pm@example.nl", "email_verified": True},
    "new-org": {
        "email": "nieuw@gemeente.example",
        "email_verified": True,
        "given_name": "Nienke",
        "family_name": "Nieuw",
    },
    "unverified-org": {"email": "bob@example.nl", "email_verified": False},
    "adviser-claim-org": {
        "email": "claim@gemeente.example",
        "email_verified": True,
        "regiomonitor_role": "regioadviseur",
    },
}


class OidcProvider:
    def __init__(self, log_dir: Path, app_urls: list[str], id_token_change: dict | None = None):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        callback = reverse("oidc_authentication_callback")
        client = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{url}{callback}" for url in app_urls],
            "post_logout_redirect_uris": [f"{url}{reverse('login')}" for url in app_urls],
        }
        env = os.environ | {
            "PORT": str(self.port),
            "CLIENT": json.dumps(client),
            "ACCOUNTS": json.dumps(ACCOUNTS),
            "NODE_ENV": "test",
        }
        if id_token_change:
            env["ID_TOKEN_CHANGE"] = json.dumps(id_token_change)
        log = log_dir / f"oidc-provider-{self.port}.log"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                ["node", "tests/oidc/provider.mjs"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                assert self.process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the OIDC provider did not start"
                time.sleep(0.1)

    def configure(self, settings_fixture, **overrides) -> None:
        """Point the app at this provider (as OIDC_ISSUER etc. in the environment would)."""
        settings_fixture.OIDC_ISSUER = self.issuer
        settings_fixture.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings_fixture.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings_fixture.OIDC_RP_SCOPES = "openid email profile regiomonitor"
        for name, value in overrides.items():
            setattr(settings_fixture, name, value)
        cache.clear()  # the discovery document of an earlier provider

    def stop(self) -> None:
        stop(self.process)


def through_provider(client, login: str, start_url: str | None = None):
    """Start the sign-in with the Django test client, walk the provider's pages with a second
    HTTP client (the provider's own cookies), and return the callback's response to the test
    client, with the callback's path and query as `callback`."""
    start = client.get(start_url or reverse("oidc_authentication_init"))
    assert start.status_code == 302, start.status_code
    browser = requests.Session()
    url = start["Location"]
    response = browser.get(url, allow_redirects=False)
    for _ in range(10):
        if response.status_code == 200 and 'name="login"' in response.text:
            action = re.search(r'action="([^"]+)"', response.text).group(1)
            url = urllib.parse.urljoin(url, action)
            response = browser.post(
                url,
                data={"prompt": "login", "login": login, "password": "any"},
                allow_redirects=False,
            )
            continue
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        url = urllib.parse.urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            break
        response = browser.get(url, allow_redirects=False)
    else:
        raise AssertionError("the provider never sent the browser back")
    parts = urllib.parse.urlsplit(url)
    callback = f"{parts.path}?{parts.query}"
    answer = client.get(callback)
    answer.callback = callback
    return answer
