"""`make backup` and `make restore` for real: scripts/backup.sh dumps the test database (with
records, audit events, a frozen quarter and documents on disk), scripts/restore.sh restores it
into a new database and media folder, and every table, sequence, trigger and file is compared.

The test is transactional so its data is committed and visible to pg_dump; the extra database
is dropped afterwards.
"""

import datetime
import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pghistory.models
import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from psycopg import sql

from innovation.models import Product, ProductVersion, VersionDocument
from monitoring.models import Document, Meeting, ProgressUpdate, RouteStep
from monitoring.services import record_progress_update
from regions.models import Region
from reporting.models import JobState, Report, Snapshot
from reporting.services import freeze_quarter
from tests.conftest import OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def database_url(name: str | None = None) -> str:
    db = settings.DATABASES["default"]
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}"
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): sha256(p) for p in root.rglob("*") if p.is_file()}


def fingerprint(url: str) -> dict:
    """Per table its row count and a hash of every row; the sequences; the triggers."""
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        rows = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            rows[table] = connection.execute(query).fetchone()
        sequences = dict(
            connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )
        triggers = set(
            connection.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal"
            ).fetchall()
        )
    return {"rows": rows, "sequences": sequences, "triggers": triggers}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def restored_database():
    """A new, empty database next to the test database; dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restored"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(drop)


def seed(client, personas, media) -> dict:
    """Records of every kind the backup must keep, made through the application."""
    region = Region.objects.get(code=OWN_REGION)
    update = record_progress_update(
        region=region,
        author=personas.alice,
        year=2026,
        quarter=3,
        status="aandacht",
        narrative="Besluitvorming in de raden uitgesteld — één week later.",
    )
    meeting = MeetingFactory(region=region, updated_by=personas.alice)
    step = personas.own_step
    step.title = "Gewijzigde processtap"
    step.save()  # an update event
    RouteStepFactory(region=region).delete()  # a delete event

    client.force_login(personas.alice)  # uploads through the view: audit context with the user
    for name, content in (("verslag.pdf", PDF), ("verslag-2.pdf", PDF + b"% tweede\n")):
        response = client.post(
            reverse("monitoring:document_upload", args=[OWN_REGION]),
            {"title": f"Stuk {name}", "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 302

    product = Product.objects.create(name="Regioscan", kind="scan", owner=personas.hub)
    version = ProductVersion.objects.create(product=product, label="1.0")
    document = VersionDocument(
        version=version,
        title="Handleiding",
        original_name="handleiding.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=personas.hub,
    )
    document.file.save("handleiding.pdf", ContentFile(PDF), save=False)
    document.save()

    snapshot = freeze_quarter(
        year=2026, quarter=3, by=personas.pm, today=datetime.date(2026, 10, 1)
    )
    report = Report.objects.create(snapshot=snapshot, created_by=personas.pm)
    report_file = media / "reports" / f"rapportage-{report.pk}.pdf"
    report_file.parent.mkdir(parents=True, exist_ok=True)
    report_file.write_bytes(PDF)
    Report.objects.filter(pk=report.pk).update(
        state=JobState.DONE,
        file=f"reports/{report_file.name}",
        size=len(PDF),
        sha256=sha256(report_file),
    )
    return {"update": update, "meeting": meeting, "snapshot": snapshot, "report": report}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_keep_every_record_event_and_file(
    client, reference_data, personas, media, restored_database, tmp_path
):
    seeded = seed(client, personas, media)
    source_url = database_url()
    target_url = database_url(restored_database)
    backups = tmp_path / "backups"

    made = run("backup.sh", DATABASE_URL=source_url, MEDIA_ROOT=str(media), BACKUP_DIR=str(backups))
    assert made.returncode == 0, made.stderr
    (folder,) = backups.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "backup.txt",
        "database.dump",
        "manifest.sha256",
        "media.tar.gz",
    ]
    manifest = (folder / "manifest.sha256").read_text().split("\n")
    assert f"{sha256(folder / 'database.dump')}  database.dump" in manifest
    assert f"{sha256(folder / 'media.tar.gz')}  media.tar.gz" in manifest
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)  # the dump holds password hashes

    restored_media = tmp_path / "restored-media"
    done = run("restore.sh", str(folder), DATABASE_URL=target_url, MEDIA_ROOT=str(restored_media))
    assert done.returncode == 0, done.stderr

    # Every table row for row, every sequence (new rows get fresh ids), every trigger (audit
    # history and the append-only rules keep working).
    original, restored = fingerprint(source_url), fingerprint(target_url)
    assert restored["rows"] == original["rows"]
    assert restored["sequences"] == original["sequences"]
    assert restored["triggers"] == original["triggers"]
    event_tables = [
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
    ]
    for model in (ProgressUpdate, Meeting, RouteStep, Document, Snapshot):
        table = f"{model._meta.db_table}event"
        if table in event_tables:
            assert original["rows"][table][0] > 0, f"no audit events in {table}"

    # Specific records, read from the restored database itself.
    with psycopg.connect(target_url) as connection:
        assert connection.execute(
            "SELECT narrative FROM monitoring_progressupdate WHERE id = %s", [seeded["update"].pk]
        ).fetchone() == (seeded["update"].narrative,)
        assert connection.execute(
            "SELECT sha256, year, quarter FROM reporting_snapshot WHERE id = %s",
            [seeded["snapshot"].pk],
        ).fetchone() == (seeded["snapshot"].sha256, 2026, 3)
        assert connection.execute(
            "SELECT count(*) FROM monitoring_routestepevent WHERE pgh_label = 'delete'"
        ).fetchone() == (1,)
        contexts = connection.execute(
            "SELECT count(*) FROM pghistory_context WHERE metadata->>'user' = %s",
            [str(personas.alice.pk)],
        ).fetchone()[0]
        assert contexts >= 2  # the uploads, with who made them
        stored = connection.execute(
            "SELECT file, sha256 FROM monitoring_document UNION ALL "
            "SELECT file, sha256 FROM innovation_versiondocument UNION ALL "
            "SELECT file, sha256 FROM reporting_report"
        ).fetchall()
        # The restored database records what it records, and refuses what it refused.
        connection.execute("UPDATE monitoring_meeting SET title = 'Na herstel'")
        assert connection.execute(
            "SELECT count(*) FROM monitoring_meetingevent WHERE pgh_label = 'update'"
        ).fetchone() == (1,)
        connection.commit()
        with pytest.raises(psycopg.errors.DatabaseError):
            connection.execute("UPDATE reporting_snapshot SET sha256 = 'x'")
        connection.rollback()

    # Every file, byte for byte, and each one the database points to.
    assert len(stored) == 4
    assert files(restored_media) == files(media)
    for name, digest in stored:
        assert sha256(restored_media / name) == digest

    # Not over data without FORCE=1; a damaged backup restores nothing, not even with FORCE=1.
    again = run("restore.sh", str(folder), DATABASE_URL=target_url, MEDIA_ROOT=str(restored_media))
    assert again.returncode != 0
    assert "refusing to restore over existing data" in again.stderr
    assert "FORCE=1" in again.stderr
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    dump = bytearray((damaged / "database.dump").read_bytes())
    dump[len(dump) // 2] ^= 0xFF
    (damaged / "database.dump").write_bytes(bytes(dump))
    broken = run(
        "restore.sh",
        str(damaged),
        DATABASE_URL=target_url,
        MEDIA_ROOT=str(restored_media),
        FORCE="1",
    )
    assert broken.returncode != 0
    assert "checksums do not match" in broken.stderr
    after_refusals = fingerprint(target_url)
    assert after_refusals["rows"]["monitoring_meeting"] != original["rows"]["monitoring_meeting"]

    # With FORCE=1 the database is replaced (the title changed after the restore is undone)
    # and the media folder in place is moved aside, not deleted.
    forced = run(
        "restore.sh",
        str(folder),
        DATABASE_URL=target_url,
        MEDIA_ROOT=str(restored_media),
        FORCE="1",
    )
    assert forced.returncode == 0, forced.stderr
    assert fingerprint(target_url)["rows"] == original["rows"]
    assert files(restored_media) == files(media)
    (aside,) = tmp_path.glob("restored-media.before-restore-*")
    assert files(aside) == files(media)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_without_a_complete_backup(tmp_path, restored_database):
    incomplete = tmp_path / "backups" / "20260101T000000Z"
    incomplete.mkdir(parents=True)
    (incomplete / "database.dump").write_bytes(b"PGDMP")
    result = run(
        "restore.sh",
        DATABASE_URL=database_url(restored_database),
        MEDIA_ROOT=str(tmp_path / "media"),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    assert result.returncode != 0
    assert "not a complete backup" in result.stderr
    nothing = run(
        "restore.sh",
        DATABASE_URL=database_url(restored_database),
        MEDIA_ROOT=str(tmp_path / "media"),
        BACKUP_DIR=str(tmp_path / "none"),
    )
    assert nothing.returncode != 0
    assert "no backup found" in nothing.stderr
