"""Discussions under records: who reads and writes (the access table has every URL and role),
mentions and their notifications, the 15-minute edit, removal that leaves a trace, the
version check, the audit history and the dossier export."""

import datetime
import io
import re
import zipfile
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from discussion.models import Comment
from discussion.services import mentioned_names
from notifications.models import Delivery, MessageKind, Notification, OutboxMessage, Preference
from regions.models import Region
from reporting.documents import render_dossier
from reporting.models import DossierExport, Report, ReportStatus
from reporting.services import freeze_quarter
from tests.conftest import OWN_REGION
from tests.factories import MeetingFactory, ProgressUpdateFactory, UserFactory
from tests.test_reporting import pdf_text

pytestmark = pytest.mark.django_db


def _thread(step, subject="processtappen"):
    return reverse("discussion:thread", args=[subject, step.pk])


def _post(client, url, body, **headers):
    return client.post(url, {"body": body}, headers=headers)


def test_a_comment_with_a_mention_tells_the_mentioned_user_once_with_a_link_to_it(client, personas):
    client.force_login(personas.alice)
    url = _thread(personas.own_step)
    response = _post(client, url, "@pm kun jij hiernaar kijken? Ook @PM nog eens.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{url}#opmerking-{comment.pk}"
    assert comment.region.code == OWN_REGION and comment.author == personas.alice
    assert list(comment.mentioned.all()) == [personas.pm]
    notice = Notification.objects.get(recipient=personas.pm)
    assert notice.kind == MessageKind.MENTION
    assert notice.url == f"{url}#opmerking-{comment.pk}"
    assert "Alice Adviseur" in notice.title and personas.own_step.title in notice.title
    assert not Notification.objects.exclude(recipient=personas.pm).exists()
    # "At once" is the default: an e-mail waits in the outbox.
    assert (
        OutboxMessage.objects.filter(recipient=personas.pm, kind=MessageKind.MENTION).count() == 1
    )
    client.force_login(personas.pm)
    page = client.get(reverse("notifications:open", args=[notice.pk]), follow=True)
    assert page.redirect_chain[-1][0] == f"{url}#opmerking-{comment.pk}"
    assert f'id="opmerking-{comment.pk}"' in page.content.decode()
    assert '<span class="rm-mention">@pm</span>' in page.content.decode()


def test_a_mention_of_someone_who_cannot_read_the_record_is_refused_and_the_text_kept(
    client, personas
):
    client.force_login(personas.alice)
    body = "Vraag aan @partner en @niemand over deze stap"
    response = _post(client, _thread(personas.own_step), body)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Niemand die dit record kan lezen heeft de gebruikersnaam @partner." in page
    assert "@niemand" in page and body in page
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_an_email_address_is_no_mention():
    assert mentioned_names("Mail naar anna@vng.nl of @bob.") == ["bob"]
    assert mentioned_names("@j.de-vries en @x") == ["j.de-vries", "x"]


def test_an_empty_or_too_long_comment_is_refused_in_dutch_and_kept(client, personas):
    client.force_login(personas.alice)
    assert (
        "Schrijf iets voordat u plaatst."
        in _post(client, _thread(personas.own_step), "   ").content.decode()
    )
    long = "a" * 4001
    page = _post(client, _thread(personas.own_step), long).content.decode()
    assert "Maximaal 4.000 tekens; u heeft er 4.001." in page
    assert long in page
    assert not Comment.objects.exists()


def test_readers_read_and_only_writers_see_the_form(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Eerste opmerking")
    client.force_login(personas.hub)
    page = client.get(_thread(personas.own_step)).content.decode()
    assert "Eerste opmerking" in page
    assert 'name="body"' not in page
    assert "U kunt deze discussie lezen." in page


def test_the_author_edits_within_15_minutes_and_a_new_mention_is_told(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Eerste versie")
    comment = Comment.objects.get()
    edit = reverse("discussion:edit", args=["processtappen", personas.own_step.pk, comment.pk])
    response = client.post(edit, {"body": "Tweede versie, @bob", "version": "1"})
    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.body == "Tweede versie, @bob" and comment.version == 2
    assert comment.edited_at is not None
    assert Notification.objects.filter(recipient=personas.bob).count() == 1
    client.post(edit, {"body": "Derde versie, @bob", "version": "2"})
    assert Notification.objects.filter(recipient=personas.bob).count() == 1
    # After 15 minutes the comment stands as written.
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"body": "Te laat", "version": "3"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Derde versie, @bob"


def test_someone_else_cannot_edit_a_comment(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Van Alice")
    comment = Comment.objects.get()
    edit = reverse("discussion:edit", args=["processtappen", personas.own_step.pk, comment.pk])
    client.force_login(personas.pm)
    assert client.post(edit, {"body": "Van pm", "version": "1"}).status_code == 403
    assert Comment.objects.get().body == "Van Alice"


def test_a_stale_edit_shows_the_stored_text_and_overwrites_nothing(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Origineel")
    comment = Comment.objects.get()
    edit = reverse("discussion:edit", args=["processtappen", personas.own_step.pk, comment.pk])
    client.post(edit, {"body": "Uit het eerste tabblad", "version": "1"})
    response = client.post(edit, {"body": "Uit het tweede tabblad", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Uit het eerste tabblad" in page and "Uit het tweede tabblad" in page
    assert Comment.objects.get().body == "Uit het eerste tabblad"


def test_a_removed_comment_leaves_a_trace_and_stays_in_the_history(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Dit trek ik in")
    comment = Comment.objects.get()
    remove = reverse("discussion:remove", args=["processtappen", personas.own_step.pk, comment.pk])
    client.force_login(personas.pm)
    assert client.post(remove, {"version": "1"}).status_code == 302
    comment.refresh_from_db()
    assert comment.removed_by == personas.pm and comment.removed_at is not None
    page = client.get(_thread(personas.own_step)).content.decode()
    assert "Dit trek ik in" not in page
    assert "Opmerking verwijderd door" in page
    # A second removal (a stale page) removes nothing more.
    assert client.post(remove, {"version": "1"}).status_code == 403
    labels = list(
        Events.objects.filter(pgh_obj_model="discussion.Comment").values_list(
            "pgh_label", flat=True
        )
    )
    assert sorted(labels) == ["insert", "update"]
    history = client.get(reverse("regions:history", args=[OWN_REGION])).content.decode()
    assert "Opmerking" in history and "Dit trek ik in" in history


def test_a_report_discussion_closes_once_the_report_is_approved(client, personas):
    snapshot = freeze_quarter(year=2026, quarter=2, by=None)
    report = Report.objects.create(snapshot=snapshot)
    url = reverse("discussion:thread", args=["rapportages", report.pk])
    client.force_login(personas.pm)
    assert _post(client, url, "Concepttekst hoofdstuk 1 inkorten").status_code == 302
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    assert _post(client, url, "Nog een opmerking").status_code == 403
    page = client.get(url).content.decode()
    assert "Concepttekst hoofdstuk 1 inkorten" in page
    assert "de discussie is gesloten" in page
    client.force_login(personas.partner)
    assert client.get(url).status_code == 404


def test_no_comment_is_removed_from_a_closed_discussion(client, personas):
    snapshot = freeze_quarter(year=2026, quarter=2, by=None)
    report = Report.objects.create(snapshot=snapshot)
    url = reverse("discussion:thread", args=["rapportages", report.pk])
    client.force_login(personas.pm)
    _post(client, url, "Concepttekst hoofdstuk 1 inkorten")
    comment = Comment.objects.get()
    remove = reverse("discussion:remove", args=["rapportages", report.pk, comment.pk])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    assert client.post(remove, {"version": "1"}).status_code == 403
    assert client.post(remove, {"version": "1"}, headers={"HX-Request": "true"}).status_code == 403
    comment.refresh_from_db()
    assert comment.removed_at is None
    page = client.get(url).content.decode()
    assert "Concepttekst hoofdstuk 1 inkorten" in page and remove not in page


def test_an_author_who_may_no_longer_write_cannot_remove_their_comment(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Dit trek ik later in")
    comment = Comment.objects.get()
    remove = reverse("discussion:remove", args=["processtappen", personas.own_step.pk, comment.pk])
    # The region is handed over: alice still reads its records, but no longer writes there.
    Region.objects.filter(code=OWN_REGION).update(adviser=personas.bob)
    assert client.post(remove, {"version": "1"}).status_code == 403
    comment.refresh_from_db()
    assert comment.removed_at is None
    assert remove not in client.get(_thread(personas.own_step)).content.decode()
    # The new adviser does not remove someone else's comment; programme management does.
    client.force_login(personas.bob)
    assert client.post(remove, {"version": "1"}).status_code == 403
    client.force_login(personas.pm)
    assert client.post(remove, {"version": "1"}).status_code == 302


def test_the_link_to_an_older_record_opens_a_region_page_that_shows_it(client, personas):
    """The region page shows a section's first 10 records and the latest 8 progress updates;
    the discussion of an older one links to the page with its part in full."""
    region = Region.objects.get(code=OWN_REGION)
    meeting = MeetingFactory(region=region, date=datetime.date(2024, 1, 1))
    MeetingFactory.create_batch(11, region=region)  # newer: the page shows these first
    update = ProgressUpdateFactory(region=region)
    ProgressUpdateFactory.create_batch(8, region=region)  # newer
    client.force_login(personas.alice)
    for key, anchor, record in (
        ("bijeenkomsten", f"bijeenkomsten-{meeting.pk}", meeting),
        ("voortgang", f"update-{update.pk}", update),
    ):
        thread = client.get(_thread(record, key)).content.decode()
        (link,) = set(re.findall(rf'href="([^"#]*)#{anchor}"', thread))
        assert f'id="{anchor}"' not in client.get(region.get_absolute_url()).content.decode()
        assert f'id="{anchor}"' in client.get(unescape(link)).content.decode(), link


def test_suggestions_list_only_people_who_may_read_the_record(client, personas):
    client.force_login(personas.alice)
    own = reverse("discussion:people", args=["processtappen", personas.own_step.pk])
    page = client.get(own, {"q": "s"}).content.decode()
    assert "@spec" in page  # deployed in the region: reads its records
    assert "@partner" not in client.get(own, {"q": "p"}).content.decode()
    assert "@pm" in client.get(own, {"q": "p"}).content.decode()
    client.force_login(personas.bob)
    foreign = reverse("discussion:people", args=["processtappen", personas.foreign_step.pk])
    assert "@spec" not in client.get(foreign, {"q": "s"}).content.decode()
    assert "@bob" not in client.get(foreign, {"q": "b"}).content.decode()  # not oneself


def test_the_discussion_page_reads_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.alice)
    for n in range(3):
        _post(client, _thread(personas.own_step), f"Opmerking {n} voor @pm")
    url = _thread(personas.own_step)
    client.get(url)
    # session, user, the record (with its region), the comments (with their authors)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    for n in range(3):
        _post(client, url, f"Nog een {n}")
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_the_dossier_export_holds_the_discussions(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Afspraak: besluit in januari")
    _post(client, _thread(personas.own_step), "Deze trek ik in")
    removed = Comment.objects.get(body="Deze trek ik in")
    client.post(
        reverse("discussion:remove", args=["processtappen", personas.own_step.pk, removed.pk]),
        {"version": "1"},
    )
    region = Region.objects.get(code=OWN_REGION)
    export = DossierExport.objects.create(region=region, requested_by=personas.alice)
    _name, _type, content = render_dossier(export)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = " ".join(pdf_text(archive.read("dossier.pdf")).split())
    assert "Discussies" in text
    assert f"Processtap: {personas.own_step.title}" in text
    assert "Afspraak: besluit in januari" in text
    assert "Opmerking verwijderd door Alice Adviseur" in text


def test_a_specialist_writes_in_their_deployment_and_is_told_when_mentioned(client, personas):
    deployment = personas.spec.deployments.get()
    url = reverse("discussion:thread", args=["inzet", deployment.pk])
    client.force_login(personas.alice)
    assert _post(client, url, "@spec kun je volgende week?").status_code == 302
    assert Notification.objects.get(recipient=personas.spec).kind == MessageKind.MENTION
    client.force_login(personas.spec)
    assert _post(client, url, "Ja, dinsdag.").status_code == 302
    other = UserFactory(username="spec2", specialist=True)
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_a_comment_is_shown_as_text(client, personas):
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), '<script>alert("x")</script> @pm <b>vet</b>')
    page = client.get(_thread(personas.own_step)).content.decode()
    assert "<script>alert" not in page and "<b>vet</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<span class="rm-mention">@pm</span> &lt;b&gt;vet&lt;/b&gt;' in page


def test_a_mention_follows_the_mentioned_users_preference(client, personas):
    Preference.objects.create(user=personas.pm, kind=MessageKind.MENTION, delivery=Delivery.OFF)
    Preference.objects.create(user=personas.bob, kind=MessageKind.MENTION, delivery=Delivery.APP)
    client.force_login(personas.alice)
    _post(client, _thread(personas.own_step), "Voor @pm en @bob")
    assert not Notification.objects.filter(recipient=personas.pm).exists()
    assert Notification.objects.get(recipient=personas.bob).delivery == Delivery.APP
    assert not OutboxMessage.objects.filter(kind=MessageKind.MENTION).exists()
