"""Every aria-describedby and aria-labelledby on every page points at an element that exists:
a help text or an error a screen reader is sent to must be there. The pages are those of the
access table (tests/test_access.py), each as the first role that may open it, as a page and as
its htmx partial; and every inline form of the region page, empty and refused."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from monitoring.sections import SECTIONS
from tests.conftest import OWN_REGION
from tests.test_access import CASES, ROLES, _resolve

pytestmark = pytest.mark.django_db
REFERRING = ("aria-describedby", "aria-labelledby")


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in REFERRING and value:
                self.references += [(tag, name, ref) for ref in value.split()]


def dangling(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return [
        f"<{tag} {name}={ref}>" for tag, name, ref in parser.references if ref not in parser.ids
    ]


# Django's own admin pages are left out: its password widget refers to a help text id
# (id_password_helptext) that its template does not render (Django 5.2).
PAGES = [
    (case, next(role for role in ROLES if case.expect[role] == 200))
    for case in CASES
    if case.method == "get" and 200 in case.expect.values() and not case.name.startswith("admin:")
]


@pytest.mark.parametrize(("case", "role"), PAGES, ids=[f"{c.id}:{r}" for c, r in PAGES])
def test_every_aria_reference_on_a_page_exists(client, personas, case, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if personas.by_role(role) is not None:
        client.force_login(personas.by_role(role))
    url = _resolve(case, personas)
    page = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert page.status_code == 200
    if page.get("Content-Type", "").startswith("text/html"):
        assert dangling(page.content.decode()) == [], url
    if partial.status_code == 200 and partial.get("Content-Type", "").startswith("text/html"):
        assert dangling(partial.content.decode()) == [], f"{url} (htmx)"


@pytest.mark.parametrize("section", [s for s in SECTIONS if not s.single], ids=lambda s: s.key)
def test_every_inline_form_refers_to_its_own_help_and_errors(client, personas, section):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, section.key])
    htmx = {"HX-Request": "true"}
    empty = client.get(url, headers=htmx).content.decode()
    refused = client.post(url, {}, headers=htmx).content.decode()
    assert 'aria-invalid="true"' in refused, section.key
    assert dangling(empty) == [] and dangling(refused) == [], section.key
