"""A document's text is read by a real Celery worker after its upload, found by search, and
kept current when the document is replaced; what is still waiting is sent again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import TextState
from core.tasks import read_pending_texts
from monitoring.models import Document
from search.queries import search
from tests.conftest import OWN_REGION
from tests.documents import DOCX, ODT, document_bytes
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _found(user, text: str) -> set[int]:
    groups = {group.kind.key: group for group in search(user, text)}
    return {hit.pk for hit in groups["documenten"].hits} if "documenten" in groups else set()


def _read(document: Document) -> bool:
    document.refresh_from_db()
    return document.text_state != TextState.PENDING


def test_uploaded_text_is_read_by_the_worker_and_follows_a_replacement(
    client, personas, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path  # the fixture: the file storage follows it
    worker, _node = start_worker(tmp_path, queue=settings.TEXT_QUEUE)
    try:
        client.force_login(personas.alice)
        upload = SimpleUploadedFile(
            "plan.docx", document_bytes(DOCX, "Het bedrijfsplan Noorderlicht")
        )
        response = client.post(
            reverse("monitoring:document_upload", args=[OWN_REGION]),
            {"title": "Plan", "file": upload},
        )
        assert response.status_code == 302
        first = Document.objects.get()
        wait_for(lambda: _read(first), 60, "the worker to read the DOCX")
        assert first.text_state == TextState.DONE
        assert "bedrijfsplan Noorderlicht" in first.text
        assert _found(personas.alice, "noorderlicht") == {first.pk}

        replacement = SimpleUploadedFile(
            "plan-v2.odt", document_bytes(ODT, "Het bedrijfsplan Zuiderzon")
        )
        response = client.post(
            reverse("monitoring:document_replace", args=[OWN_REGION, first.pk]),
            {"title": "Plan, tweede versie", "file": replacement, "version": first.version},
        )
        second = Document.objects.exclude(pk=first.pk).get()
        assert response.url == f"/regios/{OWN_REGION}/#document-{second.pk}"
        wait_for(lambda: _read(second), 60, "the worker to read the ODT")
        assert "bedrijfsplan Zuiderzon" in second.text
        assert _found(personas.alice, "zuiderzon") == {second.pk}
        assert _found(personas.alice, "noorderlicht") == set()  # the old one left the dossier
        first.refresh_from_db()
        assert (first.replaced_by, first.removed_by) == (second, personas.alice)

        # What is still waiting (a lost message, a file from before search) is sent again.
        Document.objects.filter(pk=second.pk).update(text="", text_state=TextState.PENDING)
        assert _found(personas.alice, "zuiderzon") == set()
        assert read_pending_texts(older_than_seconds=0) == 1
        wait_for(lambda: _read(second), 60, "the worker to read the waiting ODT again")
        assert _found(personas.alice, "zuiderzon") == {second.pk}
    finally:
        stop_worker(worker)
