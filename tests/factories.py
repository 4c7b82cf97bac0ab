import datetime

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from monitoring.models import Meeting, MeetingKind, ProgressUpdate, RouteStep, Status
from specialists.models import Deployment, DeploymentStatus

PASSWORD = "correct-horse-battery-staple"
# Hashed once with the real (PBKDF2) hasher; hashing per user would cost a second each.
PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nl")
    role = Role.ADVISER
    password = PASSWORD_HASH

    class Params:
        adviser = factory.Trait(role=Role.ADVISER)
        programme = factory.Trait(role=Role.PROGRAMME)
        hub = factory.Trait(role=Role.HUB)
        specialist = factory.Trait(role=Role.SPECIALIST)
        partner = factory.Trait(role=Role.PARTNER, organisation="SZW")
        administrator = factory.Trait(role=Role.ADMIN, is_staff=True)


def _free_quarter(region, latest=(2026, 3)) -> tuple[int, int]:
    taken = set(ProgressUpdate.objects.filter(region=region).values_list("year", "quarter"))
    year, quarter = latest
    while (year, quarter) in taken:
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return year, quarter


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    class Params:
        # 2026 Q3, or the quarter before the region's earliest update: one update per quarter.
        slot = factory.LazyAttribute(lambda o: _free_quarter(o.region))

    year = factory.LazyAttribute(lambda o: o.slot[0])
    quarter = factory.LazyAttribute(lambda o: o.slot[1])
    status = Status.ON_TRACK
    narrative = "Scenario's besproken; besluitvorming ingepland."
    author = factory.LazyAttribute(lambda o: o.region.adviser or UserFactory(adviser=True))


class DeploymentFactory(DjangoModelFactory):
    class Meta:
        model = Deployment

    specialist = factory.SubFactory(UserFactory, specialist=True)
    status = DeploymentStatus.ACTIVE
    expertise = "governance"

    class Params:
        requested = factory.Trait(status=DeploymentStatus.REQUESTED)
        cancelled = factory.Trait(status=DeploymentStatus.CANCELLED)


class RouteStepFactory(DjangoModelFactory):
    class Meta:
        model = RouteStep

    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Processtap {n}")
    parties = "Gemeenten en SOB"
    planned_date = datetime.date(2026, 10, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.INTERVISION
    title = factory.Sequence(lambda n: f"Intervisie {n}")
    date = datetime.date(2026, 6, 1)


def add_synthetic_regions(count: int, template) -> list:
    """`count` extra regions ("Synthetische regio 000" …, codes S000 …) with `template`'s outline,
    for checks that a page behaves the same with many more regions."""
    from regions.models import Region

    return Region.objects.bulk_create(
        Region(
            code=f"S{i:03d}",
            name=f"Synthetische regio {i:03d}",
            svg_path=template.svg_path,
            bbox=template.bbox,
        )
        for i in range(count)
    )
