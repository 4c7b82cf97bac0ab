import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from demo.data import DEMO_PASSWORD
from discussion.models import Comment
from innovation.models import VersionDocument
from monitoring.models import Document, PlanMilestone, ProductUse, RouteStep
from notifications.models import Notification, PartnerContact
from regions.models import Region
from specialists.models import Deployment, DeploymentStatus, SpecialistProfile, Unavailability
from tests import totp

pytestmark = pytest.mark.django_db


def test_demo_data_fills_every_region_once(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data")
    counts = (
        User.objects.count(),
        RouteStep.objects.count(),
        PlanMilestone.objects.count(),
        Document.objects.count(),
    )
    assert counts[0] == 13
    assert PlanMilestone.objects.count() == 35 * 7
    assert not Region.objects.filter(adviser__isnull=True).exists()
    assert all(r.route_steps.exists() and r.documents.exists() for r in Region.objects.all())
    # varied: some regions have late steps, some none
    late = {s.region_id for s in RouteStep.objects.all() if s.is_late}
    assert 0 < len(late) < 35
    document = Document.objects.first()
    assert (tmp_path / document.file.name).read_bytes().startswith(b"%PDF-")
    # Uses of catalogue products link a published version and a certified specialist; an
    # instrument outside the catalogue keeps its name and other support.
    linked = ProductUse.objects.filter(product_version__isnull=False)
    assert linked.exists()
    assert not linked.exclude(product_version__status="gepubliceerd").exists()
    for use in linked.select_related("product_version__product"):
        assert use.product_name == use.product_version.product.name
        assert use.specialist.certifications.filter(version=use.product_version).exists()
    assert ProductUse.objects.filter(product_version__isnull=True).exclude(supported_by="").exists()
    assert VersionDocument.objects.filter(version__status="gepubliceerd").count() >= 8
    completed = Deployment.objects.filter(status=DeploymentStatus.COMPLETED)
    assert completed.exists()
    assert not completed.filter(end_date__gt=timezone.localdate()).exists()  # ended, not ahead
    assert Unavailability.objects.filter(profile__user__username="lotte").exists()
    assert SpecialistProfile.objects.get(user__username="milan").hours_per_week == 8
    # Each partner has a contact for the published reports; the hub is told of the versions
    # waiting for review, the specialists of certifications that end within 60 days.
    assert sorted(PartnerContact.objects.values_list("organisation", flat=True)) == [
        "Cedris",
        "Divosa",
        "SZW",
        "VNG",
    ]
    assert Notification.objects.filter(kind="beoordeling", recipient__role="innovatiehub")
    # A discussion under one of anna's steps; each of the two is told of the other's mention.
    assert list(Comment.objects.values_list("author__username", flat=True)) == ["anna", "pieter"]
    assert set(
        Notification.objects.filter(kind="vermelding").values_list("recipient__username", flat=True)
    ) == {"anna", "pieter"}
    told = Notification.objects.count()

    call_command("load_demo_data")
    assert (
        User.objects.count(),
        RouteStep.objects.count(),
        PlanMilestone.objects.count(),
        Document.objects.count(),
    ) == counts
    assert VersionDocument.objects.count() == 10
    assert PartnerContact.objects.count() == 4 and Notification.objects.count() == told
    assert Comment.objects.count() == 2
    assert "records for 0 regions created" in capsys.readouterr().out


def test_demo_users_with_a_required_second_factor_log_in_with_the_published_code(
    client, settings, tmp_path
):
    """pieter (programme management) logs in with the demo password and the code that
    `manage.py demo_code` prints; anna (an adviser) with her password alone."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data")
    call_command("load_demo_data")  # a second run makes no second app
    assert {u.username for u in User.objects.filter(second_factor_enabled=True)} == {
        "pieter",
        "iris",
        "beheer",
    }
    assert TOTPDevice.objects.filter(confirmed=True).count() == 3
    client.post(reverse("login"), {"username": "pieter", "password": DEMO_PASSWORD})
    assert client.get(reverse("dashboard:index")).url.startswith(reverse("accounts:second_factor"))
    printed = io.StringIO()
    call_command("demo_code", stdout=printed)
    code = printed.getvalue().split()[0]
    assert code == totp.code_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert client.post(reverse("accounts:second_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("dashboard:index")).status_code == 200
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "anna", "password": DEMO_PASSWORD})
    assert client.get(reverse("regions:portfolio")).status_code == 200
