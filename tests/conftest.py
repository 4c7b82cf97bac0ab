"""Shared fixtures: the reference data and personas for every role (healthchecks' alice/bob).

- alice: regional adviser, portfolio AM01 Groningen and AM02 Friesland
- bob: another adviser, portfolio AM03 Drenthe
- pm: programme management; hub: innovation hub; admin: beheerder
- spec: a specialist deployed in AM01 only
- partner: SZW, sees national aggregates only
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from accounts.twofactor import PASSED
from regions.models import Region
from regions.reference import load_reference_data
from specialists.models import SpecialistProfile
from tests.factories import DeploymentFactory, RouteStepFactory, UserFactory
from tests.mail import smtp_server  # noqa: F401 (a fixture for every test module)

OWN_REGION = "AM01"
SECOND_OWN_REGION = "AM02"
FOREIGN_REGION = "AM03"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 35 regions and 342 municipalities once; plain db tests roll back around them."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def test_logins_pass_the_second_factor(monkeypatch):
    """Client.force_login and Client.login skip the log-in pages, the second factor's too, as a
    user who passed both would be. The tests of the second factor log in through the pages."""
    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[PASSED] = "test"
        session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def reference_data(django_db_blocker):
    """For transactional tests, which empty the tables afterwards: reload when missing."""
    with django_db_blocker.unblock():
        if Region.objects.count() != 35:
            load_reference_data()


@pytest.fixture(autouse=True)
def generous_api_rates(settings):
    """The suite makes hundreds of API requests a minute as one user or address (the access
    tables, the fuzzing); the rate limit's own tests set low rates."""
    settings.API_RATE_USER = settings.API_RATE_ANON = "100000/min"


@dataclass
class Personas:
    alice: object
    bob: object
    pm: object
    hub: object
    spec: object
    partner: object
    admin: object
    own_step: object
    foreign_step: object

    def by_role(self, role: str):
        return {
            "anonymous": None,
            "adviser": self.alice,
            "other_adviser": self.bob,
            "programme": self.pm,
            "hub": self.hub,
            "specialist": self.spec,
            "partner": self.partner,
            "admin": self.admin,
        }[role]


@pytest.fixture
def personas(db, reference_data) -> Personas:
    alice = UserFactory(username="alice", adviser=True, first_name="Alice", last_name="Adviseur")
    bob = UserFactory(username="bob", adviser=True, first_name="Bob", last_name="Bakker")
    Region.objects.filter(code__in=[OWN_REGION, SECOND_OWN_REGION]).update(adviser=alice)
    Region.objects.filter(code=FOREIGN_REGION).update(adviser=bob)
    spec = UserFactory(username="spec", specialist=True, first_name="Sanne", last_name="Specialist")
    SpecialistProfile.objects.create(user=spec, expertise=["governance", "financien"])
    DeploymentFactory(specialist=spec, region=Region.objects.get(code=OWN_REGION))
    own_step = RouteStepFactory(region=Region.objects.get(code=OWN_REGION), updated_by=alice)
    foreign_step = RouteStepFactory(region=Region.objects.get(code=FOREIGN_REGION), updated_by=bob)
    return Personas(
        own_step=own_step,
        foreign_step=foreign_step,
        alice=alice,
        bob=bob,
        pm=UserFactory(username="pm", programme=True),
        hub=UserFactory(username="hub", hub=True),
        spec=spec,
        partner=UserFactory(username="partner", partner=True),
        admin=UserFactory(username="beheer", administrator=True),
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties every table when it ends; when the next test expects the
    reference data to be there (a plain test, run inside a transaction), load it back.

    Run one after another, Django orders the transactional tests last; split over several test
    processes, a process may run a transactional file before a plain one."""
    yield
    if nextitem is None or not _is_transactional(item) or _is_transactional(nextitem):
        return
    with item.config.stash[blocking_manager_key].unblock():
        if Region.objects.count() != 35:
            load_reference_data()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
