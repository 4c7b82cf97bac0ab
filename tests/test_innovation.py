"""Product line: a version is published only when every active criterion passes."""

import datetime

import pytest
from django.urls import reverse

from innovation.models import Certification, Product, ProductVersion, QualityCriterion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas):
    product = Product.objects.create(
        name="Scan toekomstbestendigheid", kind="scan", owner=personas.hub
    )
    return ProductVersion.objects.create(product=product, label="1.0")


@pytest.fixture
def criteria():
    return [
        QualityCriterion.objects.create(name="Getest in twee regio's"),
        QualityCriterion.objects.create(name="Overdraagbaar met handleiding"),
    ]


def review(client, version, criterion, passed):
    return client.post(
        reverse("innovation:version_action", args=[version.pk]),
        {
            "action": "review",
            f"v{version.pk}-criterion": criterion.pk,
            f"v{version.pk}-passed": "1" if passed else "0",
            f"v{version.pk}-note": "toelichting",
        },
    )


def publish(client, version):
    return client.post(
        reverse("innovation:version_action", args=[version.pk]), {"action": "publish"}, follow=True
    )


def test_a_failing_criterion_blocks_publishing_on_the_server(client, personas, draft, criteria):
    client.force_login(personas.hub)
    review(client, draft, criteria[0], passed=True)
    review(client, draft, criteria[1], passed=False)
    html = publish(client, draft).content.decode()
    assert "Niet gepubliceerd" in html and "Overdraagbaar met handleiding" in html
    draft.refresh_from_db()
    assert draft.status == "concept"
    # Specialists do not see the draft.
    client.force_login(personas.spec)
    assert client.get(reverse("innovation:product", args=[draft.product_id])).status_code == 404


def test_after_all_criteria_pass_it_publishes_and_specialists_see_it(
    client, personas, draft, criteria
):
    client.force_login(personas.hub)
    review(client, draft, criteria[0], passed=True)
    review(client, draft, criteria[1], passed=False)
    review(client, draft, criteria[1], passed=True)  # the latest judgement counts
    publish(client, draft)
    draft.refresh_from_db()
    assert draft.status == "gepubliceerd" and draft.published_at is not None
    assert draft.reviews.count() == 3  # the review history is kept
    client.force_login(personas.spec)
    html = client.get(reverse("innovation:catalogue")).content.decode()
    assert "Scan toekomstbestendigheid" in html
    assert client.get(reverse("innovation:product", args=[draft.product_id])).status_code == 200


def test_only_the_hub_reviews_and_publishes(client, personas, draft, criteria):
    for user in (personas.pm, personas.alice, personas.spec):
        client.force_login(user)
        assert review(client, draft, criteria[0], passed=True).status_code == 403
        assert publish(client, draft).status_code == 403
    assert not draft.reviews.exists()


FOUR_EYES_REVIEW = "mag u hem niet zelf beoordelen (vier-ogenprincipe)"


def _added_version(client, personas, draft):
    """A version the hub member adds on the product page: she is its author."""
    client.force_login(personas.hub)
    response = client.post(
        reverse("innovation:product", args=[draft.product_id]), {"label": "2.0", "notes": "Nieuw"}
    )
    assert response.status_code == 302
    version = ProductVersion.objects.get(product=draft.product, label="2.0")
    assert version.created_by == personas.hub
    return version


def test_the_author_of_a_version_may_not_review_it(client, personas, draft, criteria, settings):
    settings.FOUR_EYES = True
    version = _added_version(client, personas, draft)
    page = client.get(reverse("innovation:product", args=[draft.product_id])).content.decode()
    assert FOUR_EYES_REVIEW in page  # the reason instead of the form, for her own version
    assert f'name="v{version.pk}-criterion"' not in page
    assert f'name="v{draft.pk}-criterion"' in page  # a version someone else added
    assert review(client, version, criteria[0], passed=True).status_code == 403
    assert not version.reviews.exists()

    client.force_login(UserFactory(username="hub2", hub=True))  # a second hub member
    page = client.get(reverse("innovation:product", args=[draft.product_id])).content.decode()
    assert f'name="v{version.pk}-criterion"' in page and FOUR_EYES_REVIEW not in page
    assert review(client, version, criteria[0], passed=True).status_code == 302
    assert version.reviews.get().reviewer.username == "hub2"


def test_without_four_eyes_the_author_reviews_her_own_version(
    client, personas, draft, criteria, settings
):
    settings.FOUR_EYES = False
    version = _added_version(client, personas, draft)
    page = client.get(reverse("innovation:product", args=[draft.product_id])).content.decode()
    assert f'name="v{version.pk}-criterion"' in page and FOUR_EYES_REVIEW not in page
    assert review(client, version, criteria[0], passed=True).status_code == 302
    assert version.reviews.get().reviewer == personas.hub


def test_certifications_count_specialists_against_the_target(client, personas, draft, criteria):
    draft.status = "gepubliceerd"
    draft.save()
    today = datetime.date.today()
    for n in range(3):
        Certification.objects.create(
            specialist=UserFactory(username=f"trainer{n}", specialist=True),
            version=draft,
            certified_on=today - datetime.timedelta(days=100),
            expires_on=today + datetime.timedelta(days=30 if n == 0 else 400),
        )
    Certification.objects.create(
        specialist=personas.spec,
        version=draft,
        certified_on=today - datetime.timedelta(days=800),
        expires_on=today - datetime.timedelta(days=1),  # expired: does not count
    )
    client.force_login(personas.pm)
    html = client.get(reverse("innovation:certifications")).content.decode()
    assert "<strong>3</strong>" in html and "10\u201320" in html
    assert "<strong>1</strong>certificeringen verlopen binnen 60 dagen" in html


def test_catalogue_query_count_is_fixed(client, personas, django_assert_num_queries):
    client.force_login(personas.hub)
    first = Product.objects.create(name="Product 0", kind="format", owner=personas.hub)
    ProductVersion.objects.create(product=first, label="1.0")
    # session, user, products with owner and line, their versions (one prefetch)
    with django_assert_num_queries(5) as few:
        client.get(reverse("innovation:catalogue"))
    for n in range(1, 7):
        product = Product.objects.create(name=f"Product {n}", kind="format", owner=personas.hub)
        ProductVersion.objects.create(product=product, label="1.0")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("innovation:catalogue"))


def test_knowledge_cycle_is_traceable_both_ways(client, personas, draft):
    from innovation.models import AgendaItem, Insight
    from monitoring.models import Signal

    signal = Signal.objects.create(
        region=personas.own_step.region,
        title="Behoefte aan handreiking governance",
        description="d",
        addressed_to="vng",
        raised_on=datetime.date(2026, 3, 1),
    )
    insight = Insight.objects.create(title="Regio's zoeken houvast bij governancekeuze")
    insight.signals.add(signal)
    item = AgendaItem.objects.create(
        title="Handreiking governance",
        priority="hoog",
        owner=personas.hub,
        start_quarter="2026-Q2",
        end_quarter="2026-Q4",
    )
    item.insights.add(insight)
    item.product_versions.add(draft)
    client.force_login(personas.pm)
    forward = client.get(reverse("innovation:cycle"), {"signaal": signal.pk}).content.decode()
    backward = client.get(reverse("innovation:cycle"), {"versie": draft.pk}).content.decode()
    for html in (forward, backward):
        for text in (
            "Behoefte aan handreiking governance",
            "houvast bij governancekeuze",
            "Handreiking governance",
            "Scan toekomstbestendigheid 1.0",
        ):
            assert text in html
    other = client.get(reverse("innovation:cycle"), {"versie": draft.pk + 999}).content.decode()
    assert "Behoefte aan handreiking governance" not in other


def test_hub_adds_agenda_items_with_their_insights(client, personas):
    from innovation.models import AgendaItem, Insight

    insight = Insight.objects.create(title="Signalen over loonkostensubsidie")
    client.force_login(personas.hub)
    response = client.post(
        reverse("innovation:agenda"),
        {
            "agenda": "1",
            "agenda-title": "Rekenmodel beschut werk",
            "agenda-priority": "hoog",
            "agenda-start_quarter": "2027-Q1",
            "agenda-end_quarter": "2026-Q3",
            "agenda-status": "gepland",
            "agenda-insights": [insight.pk],
        },
    )
    assert "De planning eindigt voordat die begint." in response.content.decode()
    assert not AgendaItem.objects.exists()
    client.post(
        reverse("innovation:agenda"),
        {
            "agenda": "1",
            "agenda-title": "Rekenmodel beschut werk",
            "agenda-priority": "hoog",
            "agenda-start_quarter": "2026-Q3",
            "agenda-end_quarter": "2027-Q1",
            "agenda-status": "gepland",
            "agenda-insights": [insight.pk],
        },
    )
    item = AgendaItem.objects.get()
    assert (item.owner, list(item.insights.all())) == (personas.hub, [insight])


def test_a_refused_post_is_403_for_readers_and_404_for_those_who_may_not_know(
    client, personas, draft
):
    """One rule for refused requests: who may see the product but not change it gets 403; who
    may not know it exists (a specialist, before the version is published) gets 404."""
    url = reverse("innovation:product", args=[draft.product_id])
    client.force_login(personas.pm)
    assert client.get(url).status_code == 200
    assert client.post(url, {"label": "2.0"}).status_code == 403
    assert client.post(reverse("innovation:catalogue"), {"name": "X"}).status_code == 403
    client.force_login(personas.spec)
    assert client.post(url, {"label": "2.0"}).status_code == 404
    assert ProductVersion.objects.filter(product_id=draft.product_id).count() == 1
