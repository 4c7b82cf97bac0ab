"""Notifications (notifications/services.py): kept on the Meldingen page with the header's
count, sent by e-mail or in the digest as each user prefers, stopped by a signed unsubscribe
link; and who is told of what (deployments, reviews, certifications, critical regions, failed
jobs, reports for approval and published reports for partner contacts)."""

import datetime

import pytest
from celery.schedules import crontab
from django.core import signing
from django.urls import reverse

from accounts.models import Role
from core.jobs import job_failed
from dashboard.alerts import watch_readiness
from innovation.models import Certification, Product, ProductVersion
from monitoring.models import PlanMilestone, PlanStage, RouteStep
from notifications.digest import send_digests
from notifications.models import (
    Delivery,
    MessageKind,
    Notification,
    OutboxMessage,
    PartnerContact,
    Preference,
)
from notifications.services import (
    deliver,
    mark_all_read,
    notify,
    read_unsubscribe_token,
    unsubscribe_token,
)
from notifications.watch import warn_certifications
from regions.models import Region
from reporting import services as reporting
from reporting.distribution import announce, contact_link
from reporting.models import Download, JobState, Report, ReportStatus
from specialists.services import assign_deployment
from tests.conftest import OWN_REGION
from tests.factories import DeploymentFactory, RouteStepFactory, UserFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 30)


def tell(user, key="k1", kind=MessageKind.REMINDER, **kwargs):
    return notify(user, kind, key=key, title=f"Melding {key}", url="/regios/AM03/", **kwargs)


def unread(user) -> int:
    user.refresh_from_db()
    return user.unread_notifications


# -- notify and the preferences ---------------------------------------------------------------


def test_a_notification_is_kept_once_counted_and_mailed_at_once_by_default(personas):
    assert tell(personas.alice) is not None
    assert tell(personas.alice) is None  # the same key: never told twice
    assert unread(personas.alice) == 1
    [mail] = OutboxMessage.objects.filter(recipient=personas.alice)
    assert mail.kind == MessageKind.REMINDER and mail.subject == "Regiomonitor: Melding k1"
    assert "http://" in mail.text and "/regios/AM03/" in mail.text
    assert mail.unsubscribe_url.startswith("http")
    assert mail.unsubscribe_url in mail.text and mail.unsubscribe_url in mail.html


@pytest.mark.parametrize(
    ("delivery", "kept", "mailed"),
    [
        (Delivery.EMAIL, True, True),
        (Delivery.DIGEST, True, False),
        (Delivery.APP, True, False),
        (Delivery.OFF, False, False),
    ],
)
def test_each_delivery_is_honoured(personas, delivery, kept, mailed):
    Preference.objects.create(user=personas.alice, kind=MessageKind.REMINDER, delivery=delivery)
    assert (tell(personas.alice) is not None) == kept
    assert Notification.objects.filter(recipient=personas.alice).exists() == kept
    assert OutboxMessage.objects.filter(recipient=personas.alice).exists() == mailed
    assert unread(personas.alice) == int(kept)


def test_notifications_in_the_digest_go_in_the_next_digest_once(personas):
    Preference.objects.create(user=personas.hub, kind=MessageKind.REVIEW, delivery=Delivery.DIGEST)
    tell(personas.hub, key="r1", kind=MessageKind.REVIEW)
    tell(personas.hub, key="r2", kind=MessageKind.REVIEW)
    assert send_digests(MONDAY) >= 1
    [digest] = OutboxMessage.objects.filter(recipient=personas.hub, kind=MessageKind.DIGEST)
    assert "Melding r1" in digest.text and "Melding r2" in digest.text
    assert "Uw meldingen van deze week" in digest.html
    assert not Notification.objects.filter(recipient=personas.hub, digested_at__isnull=True)
    tell(personas.hub, key="r3", kind=MessageKind.REVIEW)
    send_digests(MONDAY + datetime.timedelta(days=7))
    later = OutboxMessage.objects.filter(recipient=personas.hub, kind=MessageKind.DIGEST)
    assert later.count() == 2
    newest = later.exclude(pk=digest.pk).get()
    assert "Melding r3" in newest.text and "Melding r1" not in newest.text


def test_a_digest_turned_off_is_not_sent(personas):
    Preference.objects.create(user=personas.alice, kind=MessageKind.DIGEST, delivery=Delivery.OFF)
    send_digests(MONDAY)  # Alice's regions have late route steps: she would get one
    assert not OutboxMessage.objects.filter(recipient=personas.alice, kind=MessageKind.DIGEST)
    assert OutboxMessage.objects.filter(recipient=personas.bob, kind=MessageKind.DIGEST).exists()


def test_the_preferences_page_offers_the_kinds_of_the_role_and_saves_them(client, personas):
    client.force_login(personas.pm)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert (
        "Een regio wordt kritiek" in page and "Een productversie wacht op beoordeling" not in page
    )
    response = client.post(
        reverse("notifications:preferences"),
        {
            "overzicht": Delivery.OFF,
            "kritiek": Delivery.DIGEST,
            "goedkeuring": Delivery.APP,
            "mislukt": Delivery.EMAIL,
            "vermelding": Delivery.APP,
            "aanmelding": Delivery.APP,
        },
    )
    assert response.status_code == 302
    chosen = dict(Preference.objects.filter(user=personas.pm).values_list("kind", "delivery"))
    assert chosen == {
        "overzicht": Delivery.OFF,
        "kritiek": Delivery.DIGEST,
        "goedkeuring": Delivery.APP,
        "mislukt": Delivery.EMAIL,
        "vermelding": Delivery.APP,
        "aanmelding": Delivery.APP,
    }


def test_a_delivery_the_kind_does_not_allow_is_refused_next_to_the_field(client, personas):
    client.force_login(personas.alice)
    response = client.post(
        reverse("notifications:preferences"),
        {"overzicht": Delivery.DIGEST, "herinnering": Delivery.APP},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Preference.objects.filter(user=personas.alice).exists()


# -- the Meldingen page and the header -------------------------------------------------------


def test_the_meldingen_page_shows_only_ones_own_and_opening_one_marks_it_read(client, personas):
    own = tell(personas.alice, key="own")
    theirs = tell(personas.bob, key="theirs")
    client.force_login(personas.alice)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Melding own" in page and "Melding theirs" not in page
    assert 'class="rm-count">1<' in page
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    response = client.get(reverse("notifications:open", args=[own.pk]))
    assert response.status_code == 302 and response["Location"] == "/regios/AM03/"
    assert unread(personas.alice) == 0
    assert 'class="rm-count"' not in client.get(reverse("notifications:list")).content.decode()
    assert unread(personas.bob) == 1


def test_the_meldingen_page_shows_a_notification_in_the_readers_language(client, personas):
    product = Product.objects.create(name="Scan", kind="scan", owner=personas.alice)
    ProductVersion.objects.create(product=product, label="3.0")
    told = Notification.objects.get(recipient=personas.hub, kind=MessageKind.REVIEW)
    assert told.title == "Scan 3.0 wacht op beoordeling"  # the e-mail's language: the site's
    assert told.translations["en"][0] == "Scan 3.0 waits for review"
    client.force_login(personas.hub)
    dutch = client.get(reverse("notifications:list")).content.decode()
    assert "Scan 3.0 wacht op beoordeling" in dutch
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()
    assert "Scan 3.0 waits for review" in english and "wacht op beoordeling" not in english
    mail = OutboxMessage.objects.get(recipient=personas.hub)
    assert mail.subject == "Regiomonitor: Scan 3.0 wacht op beoordeling"


def test_the_meldingen_page_is_paged(client, personas):
    for n in range(30):
        tell(personas.alice, key=f"p{n}", kind=MessageKind.REVIEW)
    client.force_login(personas.alice)
    first = client.get(reverse("notifications:list")).content.decode()
    assert 'aria-label="Pagina\'s met meldingen"' in first and "?pagina=2" in first
    assert first.count('<li class="rm-notification') == 25
    second = client.get(reverse("notifications:list"), {"pagina": 2}).content.decode()
    assert second.count('<li class="rm-notification') == 5 and "Melding p0<" in second


def test_mark_all_read_empties_the_count(client, personas):
    for key in ("a", "b", "c"):
        tell(personas.alice, key=key)
    assert unread(personas.alice) == 3
    client.force_login(personas.alice)
    assert client.post(reverse("notifications:read")).status_code == 302
    assert unread(personas.alice) == 0
    assert not Notification.objects.filter(recipient=personas.alice, read_at__isnull=True)
    assert mark_all_read(personas.alice) == 0


def test_the_header_count_costs_no_query(client, personas, django_assert_num_queries):
    tell(personas.alice)
    client.force_login(personas.alice)
    client.get(reverse("notifications:calendar"))
    with django_assert_num_queries(3):  # session, user, the calendar address
        page = client.get(reverse("notifications:calendar")).content.decode()
    assert 'class="rm-count">1<' in page


# -- unsubscribing ---------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_logging_in_and_only_on_a_post(client, personas):
    token = unsubscribe_token(user=personas.alice, kind=MessageKind.REMINDER)
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Herinnering" in page.content.decode()
    assert not Preference.objects.filter(user=personas.alice).exists()  # a GET only asks
    assert client.post(url).status_code == 200
    assert Preference.objects.get(user=personas.alice).delivery == Delivery.OFF
    assert tell(personas.alice) is None


def test_a_tampered_or_expired_unsubscribe_token_is_refused(client, personas, settings):
    token = unsubscribe_token(user=personas.alice, kind=MessageKind.REMINDER)
    payload, signature = token.rsplit(":", 1)
    forged = signing.dumps(
        {"u": personas.bob.pk, "k": MessageKind.REMINDER}, salt="another salt", compress=True
    )
    for bad in (f"{payload}:{signature[::-1]}", forged, "zomaar-iets"):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "niet geldig" in response.content.decode()
    assert not Preference.objects.exists()
    settings.UNSUBSCRIBE_MAX_AGE_DAYS = -1
    assert read_unsubscribe_token(token) is None
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 400


def test_an_email_carries_list_unsubscribe_headers(personas, smtp_server):
    tell(personas.alice)
    deliver(OutboxMessage.objects.get(recipient=personas.alice))
    [received] = smtp_server.messages()
    mail = OutboxMessage.objects.get(recipient=personas.alice)
    assert received["List-Unsubscribe"].strip() == f"<{mail.unsubscribe_url}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# -- who is told of what ---------------------------------------------------------------------


def test_a_specialist_is_told_of_an_assignment(personas):
    deployment = DeploymentFactory(
        region=Region.objects.get(code=OWN_REGION), requested=True, specialist=None
    )
    assign_deployment(
        deployment=deployment,
        specialist=personas.spec,
        planned_hours=12,
        start_date=None,
        end_date=None,
        by=personas.pm,
    )
    [told] = Notification.objects.filter(recipient=personas.spec, kind=MessageKind.DEPLOYMENT)
    assert told.url == reverse("specialists:detail", args=[deployment.pk])
    assert "Governance" in told.title and "12" in told.text
    assert OutboxMessage.objects.filter(recipient=personas.spec).exists()


def test_the_other_hub_members_are_told_of_a_new_version_but_not_its_author(personas):
    colleague = UserFactory(username="hub2", hub=True)
    product = Product.objects.create(name="Scan", kind="scan", owner=personas.hub)
    version = ProductVersion.objects.create(product=product, label="2.0", created_by=personas.hub)
    told = Notification.objects.filter(kind=MessageKind.REVIEW)
    assert [n.recipient for n in told] == [colleague]
    assert told.get().url == product.get_absolute_url() and "2.0" in told.get().title
    version.notes = "Bijgewerkt"
    version.save()  # a change is no new version
    assert told.count() == 1


def test_a_certification_is_warned_of_once_within_60_days(personas):
    product = Product.objects.create(name="Scan", kind="scan", owner=personas.hub)
    version = ProductVersion.objects.create(product=product, label="1.0")
    soon = Certification.objects.create(
        specialist=personas.spec,
        version=version,
        certified_on=MONDAY - datetime.timedelta(days=300),
        expires_on=MONDAY + datetime.timedelta(days=60),
    )
    Certification.objects.create(
        specialist=UserFactory(username="spec2", specialist=True),
        version=version,
        certified_on=MONDAY,
        expires_on=MONDAY + datetime.timedelta(days=61),
    )
    assert warn_certifications(MONDAY) == 1  # 60 days ahead: told; 61 days: not yet
    assert warn_certifications(MONDAY) == 0
    [told] = Notification.objects.filter(kind=MessageKind.CERTIFICATION)
    assert told.recipient == personas.spec and "29 januari 2027" in told.title
    assert warn_certifications(MONDAY + datetime.timedelta(days=1)) == 1  # the other one now
    soon.expires_on = MONDAY + datetime.timedelta(days=50)  # a new date: a new warning
    soon.save()
    assert warn_certifications(MONDAY) == 1


def test_programme_management_is_told_when_a_region_turns_critical(personas):
    region = Region.objects.get(code=OWN_REGION)
    PlanMilestone.objects.create(
        region=region, stage=PlanStage.ORIENTATION, planned_date=MONDAY + datetime.timedelta(30)
    )
    assert watch_readiness(MONDAY) == 0  # the first check only looks
    assert watch_readiness(MONDAY) == 0  # behind (one late step), not critical
    assert not Notification.objects.filter(kind=MessageKind.CRITICAL)
    for n in range(3):  # three or more late steps: critical
        RouteStepFactory(
            region=region, planned_date=MONDAY - datetime.timedelta(days=10 + n), status=""
        )
    late = RouteStep.objects.filter(RouteStep.late_on(MONDAY), region=region).count()
    assert late >= 3
    assert watch_readiness(MONDAY) == 1
    assert watch_readiness(MONDAY) == 0  # still critical: nothing new
    [told] = Notification.objects.filter(kind=MessageKind.CRITICAL)
    assert told.recipient == personas.pm and told.url == region.get_absolute_url()
    assert region.name in told.title and "4 processtappen te laat" in told.text


@pytest.fixture
def report(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    snapshot = reporting.freeze_quarter(year=2026, quarter=3, by=personas.pm)
    report = reporting.request_report(snapshot=snapshot, by=personas.pm)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.pdf").write_bytes(b"%PDF-1.7 kwartaalrapportage")
    Report.objects.filter(pk=report.pk).update(file="reports/r.pdf", size=27, state=JobState.DONE)
    report.refresh_from_db()
    return report


def test_a_finished_draft_is_announced_to_programme_management(personas, report):
    announce(report)
    announce(report)  # rendered again: told once
    [told] = Notification.objects.filter(kind=MessageKind.APPROVAL)
    assert told.recipient == personas.pm and told.url == report.get_absolute_url()
    assert not OutboxMessage.objects.filter(kind=MessageKind.PUBLISHED)


def test_a_published_report_goes_to_each_active_contact_once(personas, report, settings):
    sanne = PartnerContact.objects.create(organisation="SZW", name="Sanne", email="s@szw.example")
    PartnerContact.objects.create(
        organisation="VNG", name="Gestopt", email="x@vng.example", active=False
    )
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    report.refresh_from_db()
    announce(report)
    announce(report)
    [mail] = OutboxMessage.objects.filter(kind=MessageKind.PUBLISHED)
    assert mail.to == sanne.email and mail.attachment == "reports/r.pdf"
    assert mail.attachment_name == "kwartaalrapportage-2026-q3.pdf"
    assert "bijlage" in mail.text
    assert Notification.objects.get(kind=MessageKind.PUBLISHED).recipient == personas.partner


def test_above_the_size_limit_the_contact_gets_a_logged_personal_link(client, report, settings):
    settings.MAIL_ATTACHMENT_MAX_BYTES = 10
    sanne = PartnerContact.objects.create(organisation="SZW", name="Sanne", email="s@szw.example")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    report.refresh_from_db()
    announce(report)
    mail = OutboxMessage.objects.get(kind=MessageKind.PUBLISHED)
    link = contact_link(report, sanne)
    assert mail.attachment == "" and link in mail.text
    path = link.removeprefix(settings.SITE_URL)
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 kwartaalrapportage"
    assert Download.objects.get().contact == sanne
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("reporting:contact_download", args=[token + "x"])).status_code == 404
    PartnerContact.objects.filter(pk=sanne.pk).update(active=False)
    assert client.get(path).status_code == 404
    assert Download.objects.count() == 1


def test_partner_contacts_are_kept_by_programme_management_only(client, personas):
    client.force_login(personas.pm)
    url = reverse("notifications:contacts")
    data = {"organisation": "Divosa", "name": "Dirk", "email": "Dirk@Divosa.example"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "name": "Dirk 2"})
    assert "staat al op de lijst" in again.content.decode()
    contact = PartnerContact.objects.get()
    assert contact.email == "dirk@divosa.example"
    change = reverse("notifications:contact_change", args=[contact.pk])
    client.post(change, {"actie": "stoppen"})
    contact.refresh_from_db()
    assert not contact.active
    for role in ("alice", "hub", "partner", "spec"):
        client.force_login(getattr(personas, role))
        assert client.get(url).status_code == 403
        assert client.post(change, {"actie": "verwijderen"}).status_code == 403
    assert PartnerContact.objects.exists()


def test_a_contact_with_downloads_is_stopped_not_removed(client, personas, report):
    contact = PartnerContact.objects.create(organisation="SZW", name="S", email="s@szw.example")
    Download.objects.create(contact=contact, report=report)
    client.force_login(personas.pm)
    response = client.post(
        reverse("notifications:contact_change", args=[contact.pk]),
        {"actie": "verwijderen"},
        follow=True,
    )
    assert "stop hun rapportages" in response.content.decode().lower()
    assert PartnerContact.objects.filter(pk=contact.pk).exists()


def test_a_job_failed_for_good_tells_programme_management_and_an_email_only_in_the_app(personas):
    Preference.objects.create(
        user=personas.pm, kind=MessageKind.JOB_FAILED, delivery=Delivery.EMAIL
    )
    message = OutboxMessage.objects.create(
        key="x", kind=MessageKind.TEST, to="a@example.nl", subject="Test", text="t"
    )
    job_failed.send(sender=OutboxMessage, job=message)
    told = Notification.objects.filter(kind=MessageKind.JOB_FAILED)
    assert {n.recipient.role for n in told} == {Role.PROGRAMME, Role.ADMIN}
    assert {n.delivery for n in told} == {Delivery.APP}
    assert {n.url for n in told} == {reverse("core:health")}
    assert not OutboxMessage.objects.filter(kind=MessageKind.JOB_FAILED)


def test_the_beat_schedule_checks_certifications_and_critical_regions(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["certification-warnings"]["task"] == "notifications.warn_certifications"
    assert schedule["critical-regions"]["task"] == "dashboard.watch_readiness"
    assert schedule["critical-regions"]["schedule"] == crontab(minute="*/15")
    assert schedule["certification-warnings"]["schedule"] == crontab(minute=10, hour=7)
