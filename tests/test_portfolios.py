import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.history import history_of
from regions.models import Handover, Region
from tests.conftest import FOREIGN_REGION, OWN_REGION

pytestmark = pytest.mark.django_db


def test_programme_hands_regions_over_and_it_is_recorded(client, personas):
    client.force_login(personas.pm)
    region = Region.objects.get(code=OWN_REGION)
    response = client.post(
        reverse("regions:portfolios"),
        {
            "handover-regions": [region.pk],
            "handover-to_adviser": personas.bob.pk,
            "handover-note": "Alice met verlof",
            "handover": "1",
        },
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.adviser == personas.bob
    handover = Handover.objects.get()
    assert (handover.from_adviser, handover.to_adviser, handover.by) == (
        personas.alice,
        personas.bob,
        personas.pm,
    )
    # The route step stays with the region; the adviser change is in the history.
    assert region.route_steps.filter(pk=personas.own_step.pk).exists()
    change = next(e for e in history_of(region) if e.action == "adviser_changed")
    assert change.changes[0][1:] == ("Alice Adviseur", "Bob Bakker")
    # Alice no longer changes the region; Bob does.
    new_step = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    client.force_login(personas.alice)
    assert client.get(new_step).status_code == 403
    client.force_login(personas.bob)
    assert client.get(new_step).status_code == 200


def test_a_stand_in_may_change_only_during_the_period(client, personas):
    client.force_login(personas.pm)
    today = timezone.localdate()
    client.post(
        reverse("regions:portfolios"),
        {
            "standin-adviser": personas.bob.pk,
            "standin-substitute": personas.alice.pk,
            "standin-start_date": (today - datetime.timedelta(days=1)).isoformat(),
            "standin-end_date": (today + datetime.timedelta(days=7)).isoformat(),
            "standin": "1",
        },
    )
    client.force_login(personas.alice)
    foreign_new = reverse("monitoring:record_new", args=[FOREIGN_REGION, "processtappen"])
    assert client.get(foreign_new).status_code == 200
    personas.alice.standing_in_for.update(end_date=today - datetime.timedelta(days=1))
    assert client.get(foreign_new).status_code == 403


def test_a_stand_in_period_must_make_sense(client, personas):
    client.force_login(personas.pm)
    response = client.post(
        reverse("regions:portfolios"),
        {
            "standin-adviser": personas.bob.pk,
            "standin-substitute": personas.bob.pk,
            "standin-start_date": "2026-12-01",
            "standin-end_date": "2026-12-10",
            "standin": "1",
        },
    )
    assert "kan niet voor zichzelf waarnemen" in response.content.decode()


def test_handovers_cannot_be_changed_afterwards(personas):
    from django.db import DatabaseError, transaction

    handover = Handover.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        from_adviser=personas.alice,
        to_adviser=personas.bob,
        by=personas.pm,
    )
    with pytest.raises(DatabaseError, match="Cannot"), transaction.atomic():
        Handover.objects.filter(pk=handover.pk).update(note="achteraf")
    with pytest.raises(DatabaseError, match="Cannot"), transaction.atomic():
        handover.delete()


def test_portfolio_lists_regions_stood_in_for(client, personas):
    from regions.models import StandIn

    today = timezone.localdate()
    StandIn.objects.create(
        adviser=personas.bob,
        substitute=personas.alice,
        start_date=today,
        end_date=today,
        created_by=personas.pm,
    )
    client.force_login(personas.alice)
    html = client.get(reverse("regions:portfolio")).content.decode()
    assert "Regio's waarvoor u waarneemt" in html
    assert "Drenthe" in html
