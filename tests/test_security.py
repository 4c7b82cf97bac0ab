"""Every URL of the project: GET changes nothing, and no unsafe method works without a CSRF token.

The URLs come from the URLconf itself (django.urls.get_resolver, walked recursively), so a new URL
is covered the day it is added. Its path converters are filled from the world built below: a
kwarg name with one obvious value (a region code, a section key, a quarter) gets it everywhere;
a primary key needs a row in PRIMARY_KEYS, and a URL that cannot be filled, or that no role gets
past its access check, fails the suite instead of being skipped silently.

"Changes nothing" is measured in the database itself: pg_stat_xact_user_tables counts every row
inserted, updated or deleted in the test's transaction in any table (the pghistory event tables
and rows written by triggers included), and a state change that would happen after commit (a
Celery job) shows as a pending on-commit callback. Files under MEDIA_ROOT are compared too.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from notifications.services import unsubscribe_token
from regions.models import Region
from tests.conftest import OWN_REGION
from tests.test_access import ROLES

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
UNSAFE_METHODS = ["post", "put", "patch", "delete"]

# Reads that are recorded on purpose: every download of a report or dossier export is logged
# (reporting.Download, append-only). Nothing else may write on GET.
LOGGED_READS = {
    "reporting:download": {"reporting_download"},
    "reporting:export_download": {"reporting_download"},
    "reporting:contact_download": {"reporting_download"},
    # Opening a notification marks it read (and sets the header's count) on its way to the
    # record it is about.
    "notifications:open": {"notifications_notification", "accounts_user"},
    "api:report_download": {"reporting_download"},
    "api:export_download": {"reporting_download"},
    # Opening a region page or the portfolio remembers the reader's visit, where "what changed"
    # starts (workspace/visits.py).
    "regions:detail": {"workspace_visit"},
    "regions:portfolio": {"workspace_visit"},
}

# Unsafe methods taken without a CSRF token on purpose: the one-click unsubscribe of RFC 8058,
# which a mail program posts to without any page of ours; the signed token in the URL is the
# key. A POST without a valid token is refused (400) and changes nothing.
CSRF_EXEMPT = {"notifications:unsubscribe"}

# The API (api/): a request with a personal token carries no cookie, so it needs no CSRF token
# (tests/test_api.py); one with the session keeps DRF's CSRF check, which this file tests like
# every page's. Without any credential the API answers 401; its documentation page is open to
# anyone's GET (it sends people to the log-in) and answers other methods with 405.
API_ANONYMOUS = {"api:docs": (405,)}

CATCH_ALL = "admin:<beheer/(?P<url>.*)$>"

# URLs no role gets past with a GET (or, for the catch-all, any method), so they cannot be shown
# to work for an authorised user. Their refusal of unsafe methods without a CSRF token is still
# checked. Keep this list small and say why.
NOT_SERVED = {
    # The admin's read-only JSON search for autocomplete fields; refuses (403) every request
    # without a model that has autocomplete_fields, and this project registers none.
    "admin:autocomplete",
    # The admin's catch-all for unknown admin URLs: a 404 for the beheerder, the admin log-in
    # for everyone else. There is nothing behind it to exercise.
    CATCH_ALL,
    # Outgoing e-mail is read-only in the admin: nobody adds or deletes it (403 for the
    # beheerder, the admin log-in for everyone else).
    "admin:notifications_outboxmessage_add",
    "admin:notifications_outboxmessage_delete",
    # Single sign-on answers 404 while no provider is configured; tests/test_oidc.py walks it
    # with a real provider.
    "oidc_authentication_init",
    "oidc_authentication_callback",
}

# URLs whose GET is served but whose POST every role is refused: the read-only admin page of
# an outgoing e-mail (no one may change it). Their refusal without a CSRF token is checked.
POST_REFUSED = {"admin:notifications_outboxmessage_change"}

# Patterns given as a regular expression and without a name: their path is given here.
REGEX_PATHS = {CATCH_ALL: "/beheer/bestaat-niet/"}


@dataclass(frozen=True)
class Url:
    name: str  # "namespace:name", or "namespace:<route>" for a pattern without a name
    kwargs: tuple[str, ...]
    route: str


def _walk(patterns, namespace: str = "", kwargs: tuple[str, ...] = (), route: str = ""):
    """Every URL pattern with its full name, its route and the keyword arguments it takes."""
    for entry in patterns:
        converters = getattr(entry.pattern, "converters", None)
        own = tuple(converters) if converters else tuple(entry.pattern.regex.groupindex)
        full = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, kwargs + own, full)
        elif isinstance(entry, URLPattern):
            yield Url(f"{namespace}{entry.name or '<' + full + '>'}", kwargs + own, full)


URLS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda url: url.name)


class World:
    """The objects every URL can be pointed at, made only when a URL asks for them."""

    def __init__(self, personas, media_root: Path):
        self.personas = personas
        self.media_root = media_root
        self.region = Region.objects.get(code=OWN_REGION)

    def _finish(self, job, folder: str) -> None:
        """Give a job a finished file, as the worker would."""
        path = self.media_root / folder / f"{type(job).__name__}-{job.pk}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
        type(job).objects.filter(pk=job.pk).update(
            state="klaar", file=f"{folder}/{path.name}", size=len(PDF), sha256="0" * 64
        )

    @cached_property
    def report_quarter(self) -> dict:
        """Q2 2026 frozen by the scheduled job, with a finished concept report (so programme
        management may approve it under the four-eyes rule)."""
        from reporting.models import Report
        from reporting.services import freeze_quarter

        snapshot = freeze_quarter(year=2026, quarter=2, by=None)
        self._finish(Report.objects.create(snapshot=snapshot), "reports")
        return {"year": 2026, "quarter": 2}

    @cached_property
    def import_run(self):
        """Alice's checked, unconfirmed import of one route step for her region."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from imports.services import start

        content = b"Stap;Geplande datum\nNieuwe stap;15-11-2026\n"
        return start(
            upload=SimpleUploadedFile("stappen.csv", content),
            kind="processtappen",
            region=self.region,
            by=self.personas.alice,
        )

    @cached_property
    def api_token(self):
        from api.tokens import issue_token

        return issue_token(user=self.personas.alice, name="Script")[0]

    @cached_property
    def sign_in(self):
        from accounts.models import SignIn

        return SignIn.objects.create(
            user=self.personas.alice, session_key="another-browser-of-alice"
        )

    @cached_property
    def saved_view(self):
        from dashboard.saved import save_view

        return save_view(user=self.personas.alice, name="Risico", query="status=risico")

    @cached_property
    def outbox_message(self):
        from notifications.models import MessageKind, OutboxMessage

        return OutboxMessage.objects.create(
            key="test:security", kind=MessageKind.TEST, to="a@example.org", subject="T", text="x"
        )

    @cached_property
    def notification(self):
        from notifications.services import notify

        return notify(
            self.personas.alice, "herinnering", key="security", title="T", url="/portefeuille/"
        )

    @cached_property
    def partner_contact(self):
        from notifications.models import PartnerContact

        return PartnerContact.objects.create(organisation="SZW", name="C", email="c@szw.example")

    @cached_property
    def contact_token(self) -> str:
        """A partner contact's download link of a published report with its file."""
        from reporting.distribution import contact_link
        from reporting.models import Report
        from reporting.services import freeze_quarter

        report = Report.objects.create(
            snapshot=freeze_quarter(year=2026, quarter=1, by=None), status="gepubliceerd"
        )
        self._finish(report, "reports")
        report.refresh_from_db()
        return contact_link(report, self.partner_contact).rstrip("/").rsplit("/", 1)[1]

    @cached_property
    def feed_token(self) -> str:
        from notifications.calendar import renew_feed

        return renew_feed(self.personas.alice)

    @cached_property
    def export(self):
        from reporting.models import DossierExport

        export = DossierExport.objects.create(region=self.region, requested_by=self.personas.alice)
        self._finish(export, "exports")
        return export

    @cached_property
    def draft_version(self):
        from innovation.models import Product, ProductVersion

        product = Product.objects.create(name="Conceptscan", kind="scan", owner=self.personas.hub)
        return ProductVersion.objects.create(product=product, label="0.1")

    @cached_property
    def version_document(self):
        from innovation.models import VersionDocument

        document = VersionDocument(
            version=self.draft_version,
            title="Handleiding",
            original_name="handleiding.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=self.personas.hub,
        )
        document.file.save("handleiding.pdf", ContentFile(PDF), save=False)
        document.save()
        return document

    @cached_property
    def progress_update(self):
        from tests.factories import ProgressUpdateFactory

        return ProgressUpdateFactory(region=self.region)

    @cached_property
    def dossier_document(self):
        from monitoring.models import Document

        document = Document(
            region=self.region,
            title="Toekomstplan",
            original_name="toekomstplan.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=self.personas.alice,
        )
        document.file.save("toekomstplan.pdf", ContentFile(PDF), save=False)
        document.save()
        return document

    @cached_property
    def period(self):
        from specialists.models import Unavailability

        return Unavailability.objects.create(
            profile=self.personas.spec.specialist_profile,
            start_date=datetime.date(2026, 7, 20),
            end_date=datetime.date(2026, 8, 7),
        )

    @cached_property
    def line(self):
        from innovation.models import DevelopmentLine

        return DevelopmentLine.objects.create(name="Governance")

    @cached_property
    def certification(self):
        from innovation.models import Certification, Product, ProductVersion

        product = Product.objects.create(name="Scan", kind="scan", owner=self.personas.hub)
        version = ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")
        return Certification.objects.create(
            specialist=self.personas.spec,
            version=version,
            certified_on=datetime.date(2026, 3, 1),
            expires_on=datetime.date(2028, 3, 1),
        )

    @cached_property
    def comment(self):
        from discussion.models import Comment

        return Comment.objects.create(
            subject="processtappen",
            object_id=self.personas.own_step.pk,
            region=self.region,
            author=self.personas.alice,
            body="Graag een datum voor het bestuurlijk overleg.",
        )

    @cached_property
    def agenda_item(self):
        from innovation.models import AgendaItem

        return AgendaItem.objects.create(
            title="Handreiking governance",
            priority="hoog",
            owner=self.personas.hub,
            start_quarter="2026-Q2",
            end_quarter="2026-Q4",
        )


# The object behind each <pk>: a URL with a primary key that is not listed here fails.
PRIMARY_KEYS = {
    "discussion:edit": lambda w: w.personas.own_step.pk,
    "discussion:people": lambda w: w.personas.own_step.pk,
    "discussion:remove": lambda w: w.personas.own_step.pk,
    "discussion:thread": lambda w: w.personas.own_step.pk,
    "imports:confirm": lambda w: w.import_run.pk,
    "imports:run": lambda w: w.import_run.pk,
    "api:deployment": lambda w: w.personas.spec.deployments.get().pk,
    "api:export_download": lambda w: w.export.pk,
    "api:import": lambda w: w.import_run.pk,
    "api:discussion": lambda w: w.personas.own_step.pk,
    "api:document_download": lambda w: w.dossier_document.pk,
    "api:product_document_download": lambda w: w.version_document.pk,
    "api:specialist": lambda w: w.personas.spec.pk,
    "api:product": lambda w: w.draft_version.product_id,
    "api:progress_update": lambda w: w.progress_update.pk,
    "api:route_step": lambda w: w.personas.own_step.pk,
    "profile:token_revoke": lambda w: w.api_token.pk,
    "accounts:sign_in_end": lambda w: w.sign_in.pk,
    "dashboard:saved_view_rename": lambda w: w.saved_view.pk,
    "dashboard:saved_view_delete": lambda w: w.saved_view.pk,
    "innovation:agenda_item_delete": lambda w: w.agenda_item.pk,
    "innovation:agenda_item_edit": lambda w: w.agenda_item.pk,
    "innovation:certification_delete": lambda w: w.certification.pk,
    "innovation:certification_edit": lambda w: w.certification.pk,
    "innovation:document_download": lambda w: w.version_document.pk,
    "innovation:document_upload": lambda w: w.draft_version.pk,
    "innovation:line_edit": lambda w: w.line.pk,
    "innovation:product": lambda w: w.draft_version.product_id,
    "innovation:version_action": lambda w: w.draft_version.pk,
    "notifications:contact_change": lambda w: w.partner_contact.pk,
    "notifications:open": lambda w: w.notification.pk,
    "monitoring:document_delete": lambda w: w.dossier_document.pk,
    "monitoring:document_replace": lambda w: w.dossier_document.pk,
    "monitoring:document_download": lambda w: w.dossier_document.pk,
    "monitoring:document_edit": lambda w: w.dossier_document.pk,
    "monitoring:document_item": lambda w: w.dossier_document.pk,
    "monitoring:progress_delete": lambda w: w.progress_update.pk,
    "monitoring:progress_edit": lambda w: w.progress_update.pk,
    "monitoring:progress_item": lambda w: w.progress_update.pk,
    "monitoring:record_delete": lambda w: w.personas.own_step.pk,
    "monitoring:record_edit": lambda w: w.personas.own_step.pk,
    "monitoring:record_item": lambda w: w.personas.own_step.pk,
    "reporting:export": lambda w: w.export.pk,
    "reporting:export_download": lambda w: w.export.pk,
    "specialists:availability": lambda w: w.personas.spec.pk,
    "specialists:detail": lambda w: w.personas.spec.deployments.get().pk,
    "specialists:profile": lambda w: w.personas.spec.pk,
    "specialists:profile_edit": lambda w: w.personas.spec.pk,
    "specialists:unavailability_add": lambda w: w.personas.spec.pk,
    "specialists:unavailability_delete": lambda w: w.personas.spec.pk,
}

# The body of the POST that shows a view takes POST, where an empty body is refused outright.
POST_DATA = {
    "specialists:detail": {"action": "report"},  # an unknown action is 403
    "monitoring:stage_reached": {"stage": "orientatie"},  # an unknown stage is 404
}

# Keyword arguments with one sensible value wherever they occur.
VALUES = {
    "code": lambda w, url: OWN_REGION,
    "key": lambda w, url: "processtappen",
    "kind": lambda w, url: "processtappen",
    "year": lambda w, url: w.report_quarter["year"],
    "quarter": lambda w, url: w.report_quarter["quarter"],
    "period": lambda w, url: w.period.pk,
    "subject": lambda w, url: "processtappen",
    "comment": lambda w, url: w.comment.pk,
    "pk": lambda w, url: PRIMARY_KEYS[url.name](w),
    # the admin: the user alice, the accounts app, and "view on site" of a region
    "object_id": lambda w, url: (
        w.region.pk
        if url.name == "admin:view_on_site"
        else w.outbox_message.pk
        if "outboxmessage" in url.name
        else w.personas.alice.pk
    ),
    "token": lambda w, url: (
        w.contact_token
        if url.name == "reporting:contact_download"
        else unsubscribe_token(user=w.personas.alice, kind="herinnering")
        if url.name == "notifications:unsubscribe"
        else w.feed_token
    ),
    "id": lambda w, url: w.personas.alice.pk,
    "app_label": lambda w, url: "accounts",
    "content_type_id": lambda w, url: ContentType.objects.get_for_model(Region).pk,
}


def _path(url: Url, world: World) -> str:
    if url.name in REGEX_PATHS:
        return REGEX_PATHS[url.name]
    kwargs = {}
    for name in url.kwargs:
        if name not in VALUES or (name == "pk" and url.name not in PRIMARY_KEYS):
            pytest.fail(f"{url.name}: no value for <{name}>; add one to test_security.py")
        kwargs[name] = VALUES[name](world, url)
    if not url.name.endswith(">"):
        return reverse(url.name, kwargs=kwargs)
    # A route without a name: fill its <converter:name> parts in place.
    if not re.fullmatch(r"[^()^$?*+\\[\]]*", url.route):
        pytest.fail(f"{url.name}: a regular expression without a name; add it to REGEX_PATHS")
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", lambda m: str(kwargs[m.group(1)]), url.route)


def _writes() -> dict[str, int]:
    """Rows inserted, updated or deleted per table in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {table: count for table, count in cursor.fetchall() if count}


def _files(root: Path) -> set[tuple[str, int, int]]:
    return {
        (str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


class Observer:
    """What a request changed: table rows, pending after-commit work, files."""

    def __init__(self, media_root: Path):
        self.media_root = media_root

    def __enter__(self):
        self.rows = _writes()
        self.on_commit = len(connection.run_on_commit)
        self.files = _files(self.media_root)
        return self

    def __exit__(self, *exc):
        after = _writes()
        self.changed = {t: n - self.rows.get(t, 0) for t, n in after.items()}
        self.changed = {t: n for t, n in self.changed.items() if n}
        self.jobs = len(connection.run_on_commit) - self.on_commit
        self.new_files = _files(self.media_root) - self.files
        return False


def _is_refusal(response) -> bool:
    """Refused before the view did anything: 401 (the API, without credentials), 403, 404, or
    off to a log-in page (ours or the admin's) to come back afterwards."""
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "?next=" in location


@pytest.fixture
def world(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(personas, tmp_path)


def _clients(world, **options) -> dict[str, Client]:
    """One client per role, logged in before anything is measured."""
    clients = {}
    for role in ROLES:
        client = Client(**options)
        user = world.personas.by_role(role)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


def test_every_url_is_walked():
    """The walk finds the URLs of every app, the admin's and the auth views."""
    names = {url.name for url in URLS}
    for expected in (
        "core:home",
        "monitoring:record_edit",
        "reporting:approve",
        "specialists:unavailability_delete",
        "innovation:version_action",
        "admin:accounts_user_change",
        "login",
        "logout",
        "set_language",
    ):
        assert expected in names
    assert len(URLS) > 60


@pytest.mark.parametrize("url", URLS, ids=lambda url: url.name)
def test_get_changes_nothing(url, world):
    """GET, as every role and as an htmx request, writes no row, queues no job, stores no file;
    at least one role gets past the access check, so the view itself ran."""
    path = _path(url, world)
    clients = _clients(world)
    served = {}
    logged = LOGGED_READS.get(url.name, set())
    for role, client in clients.items():
        for headers in ({}, {"HX-Request": "true", "HX-Target": "progress"}):
            if headers and role not in served:
                continue  # the htmx partial goes through the same access check as the page
            with Observer(world.media_root) as seen:
                response = client.get(path, headers=headers)
            changed = {t: n for t, n in seen.changed.items() if t not in logged}
            assert changed == {}, f"GET {path} as {role} {headers} wrote rows: {changed}"
            if logged and response.status_code == 200:
                assert set(seen.changed) == logged, f"GET {path} as {role} was not logged"
            assert seen.jobs == 0, f"GET {path} as {role} queued work after commit"
            if url.name not in LOGGED_READS:
                assert seen.new_files == set(), f"GET {path} as {role} stored {seen.new_files}"
            if not _is_refusal(response):
                served.setdefault(role, response.status_code)
    if url.name in NOT_SERVED:
        assert served == {}, f"{url.name} is served now ({served}): take it off NOT_SERVED"
        return
    assert served, f"GET {path}: no role got past the access check; the view never ran"


def _posts_taken(url: Url, world: World) -> dict[str, int]:
    """A POST as every role, with the CSRF check passed (Django's test client skips it unless
    told otherwise, as a valid token would): the statuses of those the view did not refuse."""
    path = _path(url, world)
    taken = {}
    for role, client in _clients(world).items():
        response = client.post(path, data=POST_DATA.get(url.name, {}))
        if not _is_refusal(response):
            taken[role] = response.status_code
    return taken


@pytest.mark.parametrize("url", URLS, ids=lambda url: url.name)
def test_unsafe_methods_without_csrf_token_are_refused(url, world):
    """POST, PUT, PATCH and DELETE without a CSRF token get 403 and change nothing, for every
    role. The same POST with the check passed is not refused for at least one role, so the 403
    came from the CSRF check, not from access control."""
    path = _path(url, world)
    for role, client in _clients(world, enforce_csrf_checks=True).items():
        for method in UNSAFE_METHODS:
            with Observer(world.media_root) as seen:
                response = getattr(client, method)(
                    _forged(path) if url.name in CSRF_EXEMPT else path, data={}
                )
            expected = (400, 405) if url.name in CSRF_EXEMPT else (403,)
            if url.name.startswith("api:") and role == "anonymous":
                expected = API_ANONYMOUS.get(url.name, (401,))
            assert response.status_code in expected, f"{method} {path} as {role} without a token"
            assert seen.changed == {}, f"{method} {path} as {role} wrote {seen.changed}"
            assert seen.jobs == 0 and seen.new_files == set()
    if url.name in POST_REFUSED:
        assert _posts_taken(url, world) == {}, f"POST {path} is taken now: off POST_REFUSED"
    elif url.name not in NOT_SERVED:
        assert _posts_taken(url, world), f"POST {path}: refused for every role; not exercised"


def _forged(path: str) -> str:
    """The path with its signed token changed (the last character of the signature)."""
    head, token = path.rstrip("/").rsplit("/", 1)
    return f"{head}/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/"


@pytest.mark.parametrize("url", URLS, ids=lambda url: url.name)
def test_views_taking_post_refuse_get_or_show_a_page(url, world):
    """Where a role's POST reaches the view (anything but 405), that role's GET is refused
    with 405 (require_POST) or shows a page or a redirect; that it writes nothing is
    test_get_changes_nothing's part."""
    taken = {role: status for role, status in _posts_taken(url, world).items() if status != 405}
    path = _path(url, world)
    clients = _clients(world)
    for role in taken:
        assert clients[role].get(path).status_code in (200, 302, 405), f"GET {path} as {role}"


@pytest.mark.parametrize(
    ("name", "takes_post"),
    [
        ("monitoring:record_edit", True),
        ("monitoring:record_delete", True),
        ("reporting:approve", True),
        ("reporting:render", True),
        ("reporting:export_create", True),
        ("innovation:version_action", True),
        ("specialists:unavailability_delete", True),
        ("logout", True),
        ("reporting:download", False),  # require_GET
        ("reporting:compare", False),
        ("reporting:export_download", False),
    ],
)
def test_views_taking_post_are_recognised(name, takes_post, world):
    """The classification above finds the views that take POST and passes the GET-only ones."""
    url = next(url for url in URLS if url.name == name)
    taken = {role: status for role, status in _posts_taken(url, world).items() if status != 405}
    assert bool(taken) is takes_post, taken
    if name.startswith("reporting:") and takes_post:
        assert "programme" in taken


def test_the_observer_sees_writes_jobs_and_files(world):
    """The measurement itself: an update, a pending after-commit job and a new file show."""
    from django.db import transaction
    from django.db.models import F

    with Observer(world.media_root) as seen:
        Region.objects.filter(code=OWN_REGION).update(name=F("name"))
        transaction.on_commit(lambda: None)
        (world.media_root / "new.txt").write_text("x")
    assert seen.changed == {"regions_region": 1}
    assert seen.jobs == 1
    assert [(name, size) for name, size, _ in seen.new_files] == [("new.txt", 1)]


def test_pages_and_error_pages_carry_the_content_security_policy(client, personas):
    client.force_login(personas.alice)
    responses = {
        "page": client.get(reverse("regions:detail", args=[OWN_REGION])),
        "htmx fragment": client.get(
            reverse("regions:detail", args=[OWN_REGION]), headers={"HX-Request": "true"}
        ),
        "403": client.get(reverse("regions:portfolios")),
        "404": client.get("/bestaat-niet/"),
    }
    for label, response in responses.items():
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'", label
        assert directives["script-src"] == directives["style-src"] == "'self'", label
        assert directives["img-src"] == "'self' data:", label
        assert directives["frame-ancestors"] == directives["object-src"] == "'none'", label
        assert directives["form-action"] == directives["base-uri"] == "'self'", label
        assert "unsafe" not in policy, label


def test_text_users_type_is_shown_as_text(client, personas):
    """Autoescaping: markup in a record comes back escaped on the page, in the htmx fragment
    and in the history, never as markup."""
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    step = personas.own_step
    type(step).objects.filter(pk=step.pk).update(title=hostile)
    client.force_login(personas.bob)
    pages = [
        client.get(reverse("regions:detail", args=[OWN_REGION])),
        client.get(
            reverse("monitoring:record_item", args=[OWN_REGION, "processtappen", step.pk]),
            headers={"HX-Request": "true"},
        ),
        client.get(reverse("regions:history", args=[OWN_REGION])),
        client.get(
            reverse("regions:changes", args=[OWN_REGION]),
            {"sinds": timezone.localdate().isoformat()},
        ),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0].content.decode()
    assert "&lt;script&gt;alert" in pages[1].content.decode()
    assert "&lt;script&gt;alert" in pages[2].content.decode()
    assert "&lt;script&gt;alert" in pages[3].content.decode()  # what changed
