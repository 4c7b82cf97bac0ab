import pytest
from django.core.management import call_command

from accounts.models import User
from monitoring.models import Document, PlanMilestone, RouteStep
from regions.models import Region

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

    call_command("load_demo_data")
    assert (
        User.objects.count(),
        RouteStep.objects.count(),
        PlanMilestone.objects.count(),
        Document.objects.count(),
    ) == counts
    assert "records for 0 regions created" in capsys.readouterr().out
