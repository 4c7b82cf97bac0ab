"""Hostile input to every form and htmx endpoint, generated with hypothesis.

Each endpoint in ENDPOINTS is posted random and hostile values by a user who may use it: random
unicode, NUL bytes, very long strings, HTML/script, SQL fragments, huge and negative numbers,
impossible dates, wrong choices and primary keys, missing and unknown fields, stale or garbage
`version` values, repeated values for one field, with and without htmx. The field names come from
the form classes themselves, so a field added to a form is fuzzed without a change here.

Every example must

- never answer 5xx;
- redirect only within the site;
- write nothing when it is refused (a 4xx, a form shown again with errors, a conflict, an error
  message): every table is checked, by row count and by rows whose xmin is a transaction id
  assigned after the request started, so an UPDATE is caught as well as an INSERT or a DELETE
  (the pghistory event tables included); a refused upload leaves no file in MEDIA_ROOT;
- show its errors in Dutch;
- after an accepted save, the page the user is sent to still renders.

Each example runs in a savepoint that is rolled back, so every example starts from the same data.
test_every_post_view_is_fuzzed walks the URLconf for views that handle POST; one without an
endpoint here (or a reason in SKIPPED) fails. test_enough_examples checks that at least
MIN_EXAMPLES examples ran in all.
"""

import contextlib
import datetime
import html
import inspect
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.contrib.messages import WARNING, get_messages
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from accounts.forms import AppConfirmForm, SecondFactorForm
from accounts.models import Role, User
from api.forms import TokenForm
from core.forms import DocumentUploadForm
from dashboard.forms import SavedViewForm
from discussion.forms import CommentForm
from imports.forms import UploadForm
from imports.kinds import kinds_for
from innovation.forms import (
    AgendaItemForm,
    CertificationForm,
    CriterionForm,
    DevelopmentLineForm,
    InsightForm,
    ProductForm,
    ReviewForm,
    VersionForm,
)
from innovation.models import (
    AgendaItem,
    Certification,
    DevelopmentLine,
    Insight,
    Product,
    ProductVersion,
    QualityCriterion,
    VersionStatus,
)
from monitoring.forms import (
    DocumentTitleForm,
    ProgressUpdateForm,
    RouteStepForm,
    StageReachedForm,
)
from monitoring.models import (
    Agreement,
    Decision,
    Document,
    Meeting,
    Pilot,
    PlanMilestone,
    PlanStage,
    ProcessRoute,
    ProductUse,
    ProgressUpdate,
    RouteStep,
    Scenario,
    Signal,
    Sob,
)
from monitoring.sections import SECTIONS
from notifications.forms import PartnerContactForm, PreferencesForm
from notifications.models import PartnerContact
from notifications.services import unsubscribe_token
from regions.forms import HandoverForm, StandInForm
from regions.models import Region
from reporting.forms import ApproveForm, FreezeForm, PublishForm
from reporting.models import DossierExport, JobState, Report, ReportStatus
from reporting.services import freeze_quarter, frozen_quarters_open
from specialists.forms import (
    AssignForm,
    AvailabilityForm,
    ProfileForm,
    ReportForm,
    RequestForm,
    UnavailabilityForm,
)
from specialists.models import Deployment, SpecialistProfile, Unavailability
from tests.conftest import OWN_REGION
from tests.factories import ProgressUpdateFactory, UserFactory
from tests.test_access import url_views

pytestmark = pytest.mark.django_db

MIN_EXAMPLES = 1000
EXAMPLES: Counter = Counter()  # endpoint id -> examples run
OUTCOMES: Counter = Counter()  # (endpoint id, "refused" | "accepted" | "saved") -> examples
MISSING = object()  # a field left out of the post
KNOWN_PASSWORD = "Zeer-geheim-2026!"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# --- values ------------------------------------------------------------------------------------

# Every code point that can travel in a UTF-8 post (no lone surrogates), NUL and controls included.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
# fmt: off
NASTY = [
    "", " ", "\x00", "a\x00b", "\x00" * 10, "\r\n\t", "\u202e\u200b\ufeff", "😀🏳️‍🌈",
    "Zürich \u2013 ĳsselmeer ∑ 中文 עברית",
    # markup, templates, SQL, paths, format strings
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}", "'; DROP TABLE regions_region; --", "1 OR 1=1", "' OR ''='",
    "%00", "%s%s%s%n", "../../../../etc/passwd",
    # numbers: fullwidth and Arabic-Indic digits (int() accepts them), the integer ranges
    "NaN", "Infinity", "-inf", "1e309", "0", "-1", "-0", "1.5", "0x10", " 7 ", "\uff11\uff12",
    "٣", "32767", "32768", "65536", "2147483647", "2147483648", "-2147483649",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "9" * 40,
    # dates
    "0000-00-00", "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "10000-01-01",
    "-2026-01-01", "31-12-2026", "2026/12/31", "yesterday",
    # other types
    "true", "false", "on", "None", "null", "[]", "{}",
]
LONG = [
    "A" * 201, "x" * 4001, "ä" * 10_001, "\x00" * 5000, "<b>" * 20_000, "😀" * 50_000,
    "9" * 5000,  # above Python's 4300-digit limit for int()
]
GARBAGE_VERSIONS = [
    "", "0", "-1", "abc", "1.0", "1e3", "٣", "9" * 40, "9" * 5000, "\x00", "2147483648",
]
# Fields no form has: a post must not set them (mass assignment).
EXTRA_NAMES = [
    "region", "region_id", "updated_by", "author", "owner", "uploaded_by", "id", "pk",
    "version", "status", "role", "is_superuser", "sha256", "specialist",
]
# fmt: on
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.sampled_from(NASTY),
    st.sampled_from(LONG),
    st.tuples(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=10)).map("".join),
)
# A field posted several times (Django keeps the last; list fields take them all).
HOSTILE = st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, min_size=2, max_size=4))


def _text(max_length: int | None) -> st.SearchStrategy:
    cap = max_length or 4000
    return st.one_of(
        st.text(PRINTABLE, min_size=1, max_size=min(cap, 40)),
        st.sampled_from(
            [
                "Besluitvorming in de raden",
                "<script>alert(1)</script>",
                "'; DROP TABLE regions_region; --",
                "Zürich \u2013 ĳsselmeer ∑ 中文 עברית 😀",
                "{{ 7|add:7 }}",
            ]
        ).map(lambda s: s[:cap]),
        st.just("x" * cap),
        st.just("é" * cap),
    )


def _dates() -> st.SearchStrategy:
    return st.one_of(
        st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)),
        st.dates(),
        st.sampled_from([datetime.date.min, datetime.date.max]),
    ).map(datetime.date.isoformat)


def _int_bounds(formfield, model_validators=()) -> tuple[int | None, int | None]:
    low, high = formfield.min_value, formfield.max_value
    for validator in [*formfield.validators, *model_validators]:
        limit = getattr(validator, "limit_value", None)
        if isinstance(limit, int):
            if validator.code == "min_value":
                low = limit if low is None else max(low, limit)
            elif validator.code == "max_value":
                high = limit if high is None else min(high, limit)
    return low, high


def _choice_values(formfield) -> list[str]:
    if isinstance(formfield, forms.ModelChoiceField):
        return [str(pk) for pk in formfield.queryset.values_list("pk", flat=True)[:50]]
    values = []
    for value, label in formfield.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values.extend(str(v) for v, _ in label)
        elif value != "":
            values.append(str(value))
    return values


@dataclass
class Field:
    """How to post one field: plausible values and wrong ones."""

    valid: st.SearchStrategy
    wrong: st.SearchStrategy = field(default_factory=lambda: st.nothing())


def field_for(formfield, model_validators=()) -> Field:
    """Values for a form field, read from the field itself (type, limits, choices) and the
    model field's validators; an optional field may also be left empty."""
    spec = _field_for(formfield, model_validators)
    if not formfield.required and not isinstance(formfield, forms.BooleanField):
        # Half of the time (one_of would flatten the alternatives and pick "" rarely).
        filled = spec.valid
        spec.valid = st.booleans().flatmap(lambda empty: st.just("") if empty else filled)
    return spec


def _field_for(formfield, model_validators) -> Field:
    if isinstance(formfield, forms.FileField):
        return Field(valid=upload_strategy(), wrong=upload_strategy(hostile=True))
    if isinstance(formfield, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        values = _choice_values(formfield)
        valid = (
            st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)
            if values
            else st.just([])
        )
        return Field(valid=valid, wrong=st.lists(HOSTILE_TEXT, max_size=3))
    if isinstance(formfield, forms.ChoiceField | forms.ModelChoiceField):
        values = _choice_values(formfield)
        valid = st.sampled_from(values) if values else st.just("")
        wrong = st.sampled_from(["", "0", "-1", "999999999", "1.5", "9" * 30, "\x00", "x"])
        return Field(valid=valid, wrong=wrong)
    if isinstance(formfield, forms.BooleanField):
        return Field(valid=st.sampled_from(["on", "true", "1", "false", ""]))
    if isinstance(formfield, forms.DecimalField):  # before IntegerField, its base class
        # Quarters within the bounds, written with a point or (Dutch) a comma.
        low = math.ceil((formfield.min_value or 0) * 4)
        high = math.floor((formfield.max_value or 10_000) * 4)
        valid = st.integers(low, high).flatmap(
            lambda q: st.sampled_from([str(q / 4), str(q / 4).replace(".", ",")])
        )
        outside = [str((formfield.min_value or 0) - 1), str((formfield.max_value or 10**6) + 1)]
        wrong = [*outside, "2,3", "1.005", "x", "", "NaN", "Infinity", "1e400", "1.2.3"]
        return Field(valid=valid, wrong=st.sampled_from(wrong))
    if isinstance(formfield, forms.IntegerField):
        low, high = _int_bounds(formfield, model_validators)
        valid = st.integers(low if low is not None else -(2**31), high or 2**31 - 1).map(str)
        outside = [str(v) for v in ((low or 0) - 1, (high or 2**63) + 1, -(2**63), 2**64)]
        return Field(valid=valid, wrong=st.sampled_from([*outside, "1.5", "x", "", "NaN"]))
    if isinstance(formfield, forms.DateField):
        wrong = st.sampled_from([v for v in NASTY if "-" in v or v.isalpha()] + ["", "2026-1-1"])
        return Field(valid=_dates(), wrong=wrong)
    if isinstance(formfield, forms.CharField):
        limit = formfield.max_length
        wrong = st.sampled_from(
            [v for v in ("x" * ((limit or 100_000) + 1), " ", "a\x00b", "\x00") if v]
        )
        return Field(valid=_text(limit), wrong=wrong)
    raise AssertionError(f"no strategy for {type(formfield).__name__}")


def fields_of(form) -> dict[str, Field]:
    """Every field of a form under its posted name (with the form's prefix)."""
    model = getattr(getattr(form, "_meta", None), "model", None)

    def model_validators(name):
        try:
            return model._meta.get_field(name).validators if model else ()
        except FieldDoesNotExist:
            return ()

    def existing(name) -> list[str]:
        """Values the column already holds: duplicates for the uniqueness rules."""
        try:
            column = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            return []
        if not isinstance(column, models.CharField) or column.choices:
            return []
        values = model.objects.exclude(**{name: ""}).values_list(name, flat=True)
        return sorted(set(values[:20]))

    fields = {}
    for name, formfield in form.fields.items():
        if formfield.disabled:
            continue
        spec = field_for(formfield, model_validators(name))
        if taken := existing(name):
            fresh = spec.valid
            spec.valid = st.booleans().flatmap(
                lambda duplicate, fresh=fresh, taken=taken: (
                    st.sampled_from(taken) if duplicate else fresh
                )
            )
        fields[form.add_prefix(name)] = spec
    return fields


def version_field(current: int) -> Field:
    """The record's version: the current one, a stale one, or garbage."""
    return Field(
        valid=st.just(str(current)),
        wrong=st.sampled_from([str(current - 1), str(current + 1), *GARBAGE_VERSIONS]),
    )


def const(*values: str) -> Field:
    return Field(valid=st.sampled_from(values))


# --- uploads -----------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<xml/>", "word/document.xml": b"<w:document/>"})
UPLOAD_CONTENT = [
    PDF,
    DOCX,
    b"",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"<!doctype html><script>alert(1)</script>",
    b"MZ\x90\x00" + b"\x00" * 64,
    b"PK\x03\x04garbage",
    b"%PDF",
    _zip({"[Content_Types].xml": b"<xml/>", "word/document.xml": b"\0" * 5_000_000}),
]
UPLOAD_NAMES = [
    "verslag.pdf",
    "plan.docx",
    "../../../etc/passwd.pdf",
    "a\x00b.pdf",
    "x" * 300 + ".pdf",
    "😀.xlsx",
    "",
    ".pdf",
    "<script>.odt",
]


def upload_strategy(hostile: bool = False) -> st.SearchStrategy:
    content = st.sampled_from(UPLOAD_CONTENT)
    if hostile:
        content = st.one_of(content, st.binary(max_size=512))
    return st.builds(
        lambda name, body: SimpleUploadedFile(name or "leeg", body),
        st.sampled_from(UPLOAD_NAMES),
        content,
    )


# --- the data the endpoints act on ----------------------------------------------------------------

SEED = {
    PlanMilestone: {"stage": "analyse", "planned_date": datetime.date(2026, 3, 1)},
    Scenario: {"national_scenario": "Scenario A", "regional_option": "Regionale optie"},
    Decision: {
        "body": "college",
        "subject": "Toekomstplan",
        "date": datetime.date(2026, 5, 1),
        "outcome": "gepland",
    },
    ProcessRoute: {"agreed_on": datetime.date(2026, 2, 1), "agreed_with": "Stuurgroep"},
    RouteStep: {"order": 5, "title": "Stap", "planned_date": datetime.date(2026, 10, 1)},
    Sob: {"name": "SOB Noord", "legal_form": "gr"},
    Pilot: {
        "kind": "pilot",
        "title": "Pilot",
        "goal": "Doel",
        "start_date": datetime.date(2026, 1, 1),
    },
    Meeting: {"kind": "intervisie", "title": "Intervisie", "date": datetime.date(2026, 6, 1)},
    Signal: {
        "title": "Signaal",
        "description": "Omschrijving",
        "addressed_to": "szw",
        "raised_on": datetime.date(2026, 4, 1),
    },
    ProductUse: {"product_name": "Instrument", "applied_on": datetime.date(2026, 3, 3)},
    Agreement: {"title": "Afspraak", "parties": "Gemeenten"},
}


class World:
    """Everything the endpoints act on, made when first asked for."""

    def __init__(self, personas):
        self.p = personas

    @cached_property
    def partner_contact(self):
        return PartnerContact.objects.create(organisation="SZW", name="C", email="c@szw.example")

    @cached_property
    def region(self) -> Region:
        return Region.objects.get(code=OWN_REGION)

    def record(self, section):
        model = section.model
        existing = model.objects.filter(region=self.region).order_by("pk").first()
        if existing is not None:
            return existing
        values = dict(SEED[model])
        if model is Sob:
            values["municipality_codes"] = [self.region.municipalities.first().code]
        if model is ProductUse:
            values["product_version"] = self.published_version
            values["specialist"] = self.p.spec
        return model.objects.create(region=self.region, updated_by=self.p.alice, **values)

    @cached_property
    def api_token(self):
        from api.tokens import issue_token

        return issue_token(user=self.p.alice, name="Script")[0]

    @cached_property
    def sign_in(self):
        """One of alice's sessions, in another browser."""
        from accounts.models import SignIn

        return SignIn.objects.create(user=self.p.alice, session_key="another-browser-of-alice")

    @cached_property
    def saved_view(self):
        from dashboard.saved import save_view

        save_view(user=self.p.alice, name="Noord", query="provincie=PV20")
        return save_view(user=self.p.alice, name="Risico", query="status=risico")

    @cached_property
    def progress_update(self) -> ProgressUpdate:
        return ProgressUpdateFactory(region=self.region, author=self.p.alice)

    @cached_property
    def dossier_document(self) -> Document:
        from monitoring.services import add_document

        upload = SimpleUploadedFile("toekomstplan.pdf", PDF)
        return add_document(
            region=self.region,
            title="Toekomstplan",
            upload=upload,
            content_type="application/pdf",
            by=self.p.alice,
        )

    @cached_property
    def comment(self):
        from discussion.models import Comment

        return Comment.objects.create(
            subject="processtappen",
            object_id=self.p.own_step.pk,
            region=self.region,
            author=self.p.alice,
            body="Graag een datum voor het bestuurlijk overleg.",
        )

    @cached_property
    def requested_deployment(self) -> Deployment:
        return Deployment.objects.create(
            region=self.region,
            expertise="governance",
            requested_by=self.p.alice,
            route_step=self.p.own_step,
        )

    @cached_property
    def active_deployment(self) -> Deployment:
        return self.p.spec.deployments.get()

    @cached_property
    def other_specialist(self):
        other = UserFactory(username="spec2", specialist=True)
        SpecialistProfile.objects.create(user=other, expertise=["governance", "juridisch"])
        return other

    @cached_property
    def period(self) -> Unavailability:
        return Unavailability.objects.create(
            profile=self.p.spec.specialist_profile,
            start_date=datetime.date(2026, 7, 20),
            end_date=datetime.date(2026, 8, 7),
        )

    @cached_property
    def line(self) -> DevelopmentLine:
        return DevelopmentLine.objects.create(name="Governance en sturing")

    @cached_property
    def criteria(self) -> list[QualityCriterion]:
        return [
            QualityCriterion.objects.create(name="Bruikbaar"),
            QualityCriterion.objects.create(name="Getoetst"),
        ]

    @cached_property
    def draft_version(self) -> ProductVersion:
        self.criteria  # noqa: B018 - reviews need criteria
        product = Product.objects.create(
            name="Format procesroute", kind="format", owner=self.p.hub, development_line=self.line
        )
        return ProductVersion.objects.create(product=product, label="0.9")

    @cached_property
    def published_version(self) -> ProductVersion:
        product = Product.objects.create(
            name="Regioscan", kind="scan", owner=self.p.hub, development_line=self.line
        )
        return ProductVersion.objects.create(
            product=product, label="1.0", status=VersionStatus.PUBLISHED
        )

    @cached_property
    def certification(self) -> Certification:
        """One of two certifications for the published version: a correction may duplicate
        the other one's (specialist, version)."""
        for specialist in (self.other_specialist, self.p.spec):
            certification = Certification.objects.create(
                specialist=specialist,
                version=self.published_version,
                certified_on=datetime.date(2026, 3, 1),
                expires_on=datetime.date(2028, 3, 1),
            )
        return certification

    @cached_property
    def agenda_item(self) -> AgendaItem:
        AgendaItem.objects.create(
            title="Rekenmodel beschut werk",
            priority="midden",
            owner=self.p.hub,
            start_quarter="2026-Q3",
            end_quarter="2027-Q1",
        )
        return AgendaItem.objects.create(
            title="Handreiking governance",
            priority="hoog",
            owner=self.p.hub,
            start_quarter="2026-Q2",
            end_quarter="2026-Q4",
        )

    @cached_property
    def insight(self) -> Insight:
        signal = self.record(next(s for s in SECTIONS if s.model is Signal))
        insight = Insight.objects.create(title="Inzicht")
        insight.signals.add(signal)
        return insight

    def _report(self, quarter: int, status: str, state: str = JobState.DONE) -> Report:
        """A frozen quarter of 2026 with its report in the given state (as the worker leaves it),
        frozen and made by the scheduled job, so pm may approve it (four eyes)."""
        snapshot = freeze_quarter(year=2026, quarter=quarter, by=None)
        report = Report.objects.create(snapshot=snapshot, created_by=None)
        Report.objects.filter(pk=report.pk).update(
            status=status, state=state, file=f"reports/{report.pk}.pdf", size=10, sha256="0" * 64
        )
        report.refresh_from_db()
        return report

    @cached_property
    def approved_report(self) -> Report:
        return self._report(1, ReportStatus.APPROVED)

    @cached_property
    def concept_report(self) -> Report:
        return self._report(2, ReportStatus.CONCEPT)

    @cached_property
    def failed_report(self) -> Report:
        return self._report(3, ReportStatus.CONCEPT, JobState.FAILED)

    @cached_property
    def failed_export(self) -> DossierExport:
        return DossierExport.objects.create(
            region=self.region, requested_by=self.p.alice, state=JobState.FAILED, error="x"
        )

    @cached_property
    def passwords(self) -> None:
        """alice and the beheerder log in with KNOWN_PASSWORD (hashed with the fast hasher)."""
        for user in (self.p.alice, self.p.admin):
            user.set_password(KNOWN_PASSWORD)
            user.save(update_fields=["password"])

    @cached_property
    def admin_target(self):
        return UserFactory(username="doelwit", adviser=True)


# --- endpoints -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    id: str
    url_name: str
    user: str | None  # a persona's name; None posts anonymously
    kwargs: Callable[[World], dict] = lambda w: {}
    fields: Callable[[World], dict[str, Field]] = lambda w: {}
    examples: int = 30
    needs: tuple[str, ...] = ()  # what the world must hold first (World attributes)
    # Tables a refused request may write by design (django-axes records a failed log-in).
    refused_writes: frozenset[str] = frozenset()
    # A refusal the page shows in its own way (the admin's "protected objects" confirmation).
    refused_when: Callable | None = None
    # Django's admin answers a post it does not act on with its page (the delete confirmation
    # before "yes", the list for an action without its form's index), not with an error.
    plain_page_ok: bool = False


def _section_endpoints() -> list[Endpoint]:
    endpoints = []
    for section in SECTIONS:

        def record(w, s=section):
            return w.record(s)

        endpoints += [
            Endpoint(
                f"record_new[{section.key}]",
                "monitoring:record_new",
                "alice",
                kwargs=lambda w, s=section: {"code": OWN_REGION, "key": s.key},
                fields=lambda w, s=section: fields_of(s.form(region=w.region)),
                examples=25,
            ),
            Endpoint(
                f"record_edit[{section.key}]",
                "monitoring:record_edit",
                "alice",
                kwargs=lambda w, s=section, r=record: {
                    "code": OWN_REGION,
                    "key": s.key,
                    "pk": r(w).pk,
                },
                fields=lambda w, s=section, r=record: {
                    **fields_of(s.form(instance=r(w), region=w.region)),
                    "version": version_field(r(w).version),
                },
                examples=25,
            ),
            Endpoint(
                f"record_delete[{section.key}]",
                "monitoring:record_delete",
                "alice",
                kwargs=lambda w, s=section, r=record: {
                    "code": OWN_REGION,
                    "key": s.key,
                    "pk": r(w).pk,
                },
                fields=lambda w, r=record: {"version": version_field(r(w).version)},
                examples=8,
            ),
        ]
    return endpoints


def _admin_fields(kind: str) -> Callable[[World], dict[str, Field]]:
    roles = const(*Role.values)
    text = Field(valid=_text(150), wrong=st.sampled_from(["x" * 151, "a\x00b"]))
    password = Field(
        valid=st.sampled_from([KNOWN_PASSWORD, "Nieuw-geheim-2027!", "kort", "12345678", ""]),
        wrong=HOSTILE_TEXT,
    )

    def build(w: World) -> dict[str, Field]:
        if kind == "add":
            return {
                "username": Field(valid=st.from_regex(r"[a-z][a-z0-9_.@+-]{0,20}", fullmatch=True)),
                "password1": password,
                "password2": password,
                "usable_password": const("true", "false"),
                "role": roles,
                "organisation": text,
                "first_name": text,
                "last_name": text,
                "email": Field(valid=st.emails().map(str), wrong=HOSTILE_TEXT),
                "_save": const("Opslaan"),
            }
        if kind == "change":
            return {
                "username": Field(valid=st.just(w.admin_target.username), wrong=HOSTILE_TEXT),
                "first_name": text,
                "last_name": text,
                "email": Field(valid=st.emails().map(str), wrong=HOSTILE_TEXT),
                "role": roles,
                "organisation": text,
                "is_active": Field(valid=st.sampled_from(["on", ""])),
                "_save": const("Opslaan"),
            }
        if kind == "password":
            return {
                "password1": password,
                "password2": password,
                "usable_password": const("true", "false"),
            }
        if kind == "own_password":
            return {"old_password": password, "new_password1": password, "new_password2": password}
        if kind == "action":
            pks = [str(w.admin_target.pk), str(w.p.bob.pk)]
            return {
                "action": const("delete_selected"),
                "_selected_action": Field(
                    valid=st.lists(st.sampled_from(pks), min_size=1, unique=True)
                ),
                "index": const("0"),
                "select_across": const("0", "1"),
                "post": const("yes"),
            }
        if kind == "delete":
            return {"post": const("yes")}
        raise AssertionError(kind)

    return build


def _admin_protected(response) -> bool:
    """Django's delete confirmation, listing what may not be deleted instead of deleting."""
    context = response.context or {}
    return bool(context.get("protected") or context.get("perms_lacking"))


def _login_fields(w: World) -> dict[str, Field]:
    return {
        "username": Field(
            valid=st.sampled_from(["alice", "beheer", "niemand"]), wrong=HOSTILE_TEXT
        ),
        "password": Field(valid=st.sampled_from([KNOWN_PASSWORD, "fout", ""]), wrong=HOSTILE_TEXT),
        "next": Field(
            valid=st.sampled_from(["/", "/dashboard/"]),
            wrong=st.sampled_from(["https://evil.example/", "//evil.example", "javascript:x"]),
        ),
    }


AXES = frozenset({"axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"})

ENDPOINTS: list[Endpoint] = [
    *_section_endpoints(),
    Endpoint(
        "comment_post",
        "discussion:thread",
        "alice",
        kwargs=lambda w: {"subject": "processtappen", "pk": w.p.own_step.pk},
        fields=lambda w: fields_of(CommentForm()),
    ),
    Endpoint(
        "comment_edit",
        "discussion:edit",
        "alice",
        kwargs=lambda w: {
            "subject": "processtappen",
            "pk": w.p.own_step.pk,
            "comment": w.comment.pk,
        },
        fields=lambda w: {
            **fields_of(CommentForm(instance=w.comment)),
            "version": version_field(w.comment.version),
        },
    ),
    Endpoint(
        "comment_remove",
        "discussion:remove",
        "alice",
        kwargs=lambda w: {
            "subject": "processtappen",
            "pk": w.p.own_step.pk,
            "comment": w.comment.pk,
        },
        fields=lambda w: {"version": version_field(w.comment.version)},
        examples=8,
    ),
    Endpoint(
        "progress_create",
        "monitoring:progress_create",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION},
        fields=lambda w: fields_of(ProgressUpdateForm(region=w.region)),
    ),
    Endpoint(
        "progress_edit",
        "monitoring:progress_edit",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION, "pk": w.progress_update.pk},
        fields=lambda w: {
            **fields_of(ProgressUpdateForm(instance=w.progress_update, region=w.region)),
            "version": version_field(w.progress_update.version),
        },
    ),
    Endpoint(
        "progress_delete",
        "monitoring:progress_delete",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION, "pk": w.progress_update.pk},
        fields=lambda w: {"version": version_field(w.progress_update.version)},
        examples=8,
    ),
    Endpoint(
        "stage_reached",
        "monitoring:stage_reached",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION},
        fields=lambda w: {
            "stage": Field(
                valid=st.sampled_from(PlanStage.values), wrong=st.sampled_from(["", "fase-9"])
            ),
            "version": Field(valid=st.just(""), wrong=st.sampled_from(["1", "-1", "x"])),
            **fields_of(StageReachedForm()),
        },
    ),
    Endpoint(
        "dossier_document_edit",
        "monitoring:document_edit",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION, "pk": w.dossier_document.pk},
        fields=lambda w: {
            **fields_of(DocumentTitleForm(instance=w.dossier_document)),
            "version": version_field(w.dossier_document.version),
        },
    ),
    Endpoint(
        "dossier_document_delete",
        "monitoring:document_delete",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION, "pk": w.dossier_document.pk},
        fields=lambda w: {"version": version_field(w.dossier_document.version)},
        examples=8,
    ),
    Endpoint(
        "dossier_document_replace",
        "monitoring:document_replace",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION, "pk": w.dossier_document.pk},
        fields=lambda w: {
            **fields_of(DocumentUploadForm()),
            "version": version_field(w.dossier_document.version),
        },
        examples=30,
    ),
    Endpoint(
        "dossier_upload",
        "monitoring:document_upload",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION},
        fields=lambda w: fields_of(DocumentUploadForm()),
        examples=40,
    ),
    # imports: an upload is checked into a preview; a refused file is its outcome, shown
    Endpoint(
        "region_import",
        "imports:region",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION},
        fields=lambda w: fields_of(UploadForm(kinds=kinds_for(national=False, programme=False))),
        examples=20,
    ),
    Endpoint(
        "national_import",
        "imports:national",
        "pm",
        fields=lambda w: fields_of(UploadForm(kinds=kinds_for(national=True, programme=True))),
        examples=20,
    ),
    # specialists
    Endpoint(
        "deployment_request",
        "specialists:request",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION},
        fields=lambda w: fields_of(RequestForm(region=w.region)),
    ),
    Endpoint(
        "deployment_assign",
        "specialists:detail",
        "pm",
        kwargs=lambda w: {"pk": w.requested_deployment.pk},
        fields=lambda w: {
            "action": Field(valid=st.just("assign"), wrong=st.sampled_from(["cancel", "x", ""])),
            **fields_of(AssignForm(deployment=w.requested_deployment)),
        },
        needs=("other_specialist",),
    ),
    Endpoint(
        "deployment_report",
        "specialists:detail",
        "spec",
        kwargs=lambda w: {"pk": w.active_deployment.pk},
        fields=lambda w: {
            "action": Field(valid=st.just("report"), wrong=st.sampled_from(["assign", "cancel"])),
            **fields_of(ReportForm()),
        },
    ),
    Endpoint(
        "profile_edit",
        "specialists:profile_edit",
        "hub",
        kwargs=lambda w: {"pk": w.p.spec.pk},
        fields=lambda w: {
            **fields_of(ProfileForm(instance=w.p.spec.specialist_profile)),
            "version": version_field(w.p.spec.specialist_profile.version),
        },
    ),
    Endpoint(
        "availability",
        "specialists:availability",
        "spec",
        kwargs=lambda w: {"pk": w.p.spec.pk},
        fields=lambda w: {
            **fields_of(AvailabilityForm(instance=w.p.spec.specialist_profile)),
            "version": version_field(w.p.spec.specialist_profile.version),
        },
    ),
    Endpoint(
        "unavailability_add",
        "specialists:unavailability_add",
        "spec",
        kwargs=lambda w: {"pk": w.p.spec.pk},
        fields=lambda w: fields_of(UnavailabilityForm(profile=w.p.spec.specialist_profile)),
        needs=("period",),
    ),
    Endpoint(
        "unavailability_delete",
        "specialists:unavailability_delete",
        "spec",
        kwargs=lambda w: {"pk": w.p.spec.pk, "period": w.period.pk},
        fields=lambda w: {"version": version_field(w.period.version)},
        examples=10,
    ),
    # innovation
    Endpoint(
        "product_add",
        "innovation:catalogue",
        "hub",
        fields=lambda w: fields_of(ProductForm()),
        needs=("line",),
    ),
    Endpoint(
        "version_add",
        "innovation:product",
        "hub",
        kwargs=lambda w: {"pk": w.draft_version.product_id},
        fields=lambda w: fields_of(VersionForm(product=w.draft_version.product)),
    ),
    Endpoint(
        "version_review",
        "innovation:version_action",
        "hub",
        kwargs=lambda w: {"pk": w.draft_version.pk},
        fields=lambda w: {
            "action": Field(valid=st.sampled_from(["review", "publish"]), wrong=HOSTILE_TEXT),
            **fields_of(ReviewForm(prefix=f"v{w.draft_version.pk}")),
        },
    ),
    Endpoint(
        "version_document_upload",
        "innovation:document_upload",
        "hub",
        kwargs=lambda w: {"pk": w.draft_version.pk},
        fields=lambda w: fields_of(DocumentUploadForm(prefix=f"doc{w.draft_version.pk}")),
    ),
    Endpoint(
        "line_add", "innovation:lines", "hub", fields=lambda w: fields_of(DevelopmentLineForm())
    ),
    Endpoint(
        "line_edit",
        "innovation:line_edit",
        "hub",
        kwargs=lambda w: {"pk": w.line.pk},
        fields=lambda w: {
            **fields_of(DevelopmentLineForm(instance=w.line)),
            "version": version_field(w.line.version),
        },
        needs=("published_version",),
    ),
    Endpoint(
        "criterion_add", "innovation:criteria", "hub", fields=lambda w: fields_of(CriterionForm())
    ),
    Endpoint(
        "certification_add",
        "innovation:certifications",
        "hub",
        fields=lambda w: fields_of(CertificationForm()),
        needs=("published_version", "other_specialist"),
    ),
    Endpoint(
        "certification_edit",
        "innovation:certification_edit",
        "hub",
        kwargs=lambda w: {"pk": w.certification.pk},
        fields=lambda w: {
            **fields_of(CertificationForm(instance=w.certification)),
            "row_version": version_field(w.certification.row_version),
        },
    ),
    Endpoint(
        "certification_delete",
        "innovation:certification_delete",
        "hub",
        kwargs=lambda w: {"pk": w.certification.pk},
        fields=lambda w: {"row_version": version_field(w.certification.row_version)},
        examples=10,
    ),
    Endpoint(
        "agenda_item_edit",
        "innovation:agenda_item_edit",
        "hub",
        kwargs=lambda w: {"pk": w.agenda_item.pk},
        fields=lambda w: {
            **fields_of(AgendaItemForm(instance=w.agenda_item)),
            "version": version_field(w.agenda_item.version),
        },
        needs=("insight", "published_version", "draft_version", "line"),
    ),
    Endpoint(
        "agenda_item_delete",
        "innovation:agenda_item_delete",
        "hub",
        kwargs=lambda w: {"pk": w.agenda_item.pk},
        fields=lambda w: {"version": version_field(w.agenda_item.version)},
        examples=10,
    ),
    Endpoint(
        "agenda_item_add",
        "innovation:agenda",
        "hub",
        fields=lambda w: {
            "agenda": const("1"),
            **fields_of(AgendaItemForm(prefix="agenda")),
        },
        needs=("insight", "published_version", "draft_version", "line"),
    ),
    Endpoint(
        "insight_add",
        "innovation:agenda",
        "hub",
        fields=lambda w: fields_of(InsightForm(prefix="insight")),
        needs=("insight",),
    ),
    # reporting
    Endpoint(
        "freeze_quarter",
        "reporting:index",
        "pm",
        fields=lambda w: fields_of(
            FreezeForm(
                quarters=frozen_quarters_open(datetime.date.today()), today=datetime.date.today()
            )
        ),
        examples=15,
    ),
    Endpoint(
        "report_retry",
        "reporting:render",
        "pm",
        kwargs=lambda w: {"year": 2026, "quarter": 3},
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=10,
        needs=("failed_report",),
    ),
    Endpoint(
        "report_approve",
        "reporting:approve",
        "pm",
        kwargs=lambda w: {"year": 2026, "quarter": 2},
        fields=lambda w: {
            **fields_of(ApproveForm()),
            "version": version_field(w.concept_report.version),
        },
    ),
    Endpoint(
        "report_publish",
        "reporting:publish",
        "pm",
        kwargs=lambda w: {"year": 2026, "quarter": 1},
        fields=lambda w: {
            **fields_of(PublishForm()),
            "version": version_field(w.approved_report.version),
        },
    ),
    Endpoint(
        "export_create",
        "reporting:export_create",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION},
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=10,
    ),
    Endpoint(
        "export_retry",
        "reporting:export",
        "alice",
        kwargs=lambda w: {"code": OWN_REGION, "pk": w.failed_export.pk},
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=10,
    ),
    # regions: portfolios
    Endpoint(
        "handover",
        "regions:portfolios",
        "pm",
        fields=lambda w: {"handover": const("1"), **fields_of(HandoverForm(prefix="handover"))},
    ),
    Endpoint(
        "stand_in",
        "regions:portfolios",
        "pm",
        fields=lambda w: {"standin": const("1"), **fields_of(StandInForm(prefix="standin"))},
    ),
    # accounts and the admin
    Endpoint(
        "login",
        "login",
        None,
        fields=_login_fields,
        examples=20,
        needs=("passwords",),
        refused_writes=AXES,
    ),
    Endpoint(
        "admin_login",
        "admin:login",
        None,
        fields=_login_fields,
        examples=15,
        needs=("passwords",),
        refused_writes=AXES,
    ),
    Endpoint(
        "logout", "logout", "alice", fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)}, examples=5
    ),
    Endpoint(
        "api_token_new",
        "profile:index",
        "alice",
        fields=lambda w: fields_of(TokenForm()),
        examples=15,
    ),
    Endpoint(
        "saved_view_new",
        "dashboard:saved_view_new",
        "alice",
        fields=lambda w: fields_of(SavedViewForm()),
        examples=15,
    ),
    Endpoint(
        "saved_view_rename",
        "dashboard:saved_view_rename",
        "alice",
        kwargs=lambda w: {"pk": w.saved_view.pk},
        fields=lambda w: fields_of(SavedViewForm()),
        examples=15,
    ),
    Endpoint(
        "saved_view_delete",
        "dashboard:saved_view_delete",
        "alice",
        kwargs=lambda w: {"pk": w.saved_view.pk},
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=5,
    ),
    Endpoint(
        "second_factor",
        "accounts:second_factor",
        "pm",
        fields=lambda w: fields_of(SecondFactorForm()),
        examples=10,
    ),
    Endpoint(
        "second_factor_setup",
        "accounts:second_factor_setup",
        "alice",
        fields=lambda w: fields_of(AppConfirmForm()),
        examples=20,
        refused_writes=AXES,
    ),
    # The security page's buttons: a form without fields of its own.
    *(
        Endpoint(
            name,
            f"accounts:{name}",
            "alice",
            kwargs=kwargs,
            fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
            examples=5,
        )
        for name, kwargs in (
            ("recovery_codes_renew", lambda w: {}),
            ("second_factor_remove", lambda w: {}),
            ("sign_in_end", lambda w: {"pk": w.sign_in.pk}),
            ("sign_ins_end_others", lambda w: {}),
        )
    ),
    Endpoint(
        "api_token_revoke",
        "profile:token_revoke",
        "alice",
        kwargs=lambda w: {"pk": w.api_token.pk},
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=5,
    ),
    Endpoint(
        "calendar",
        "notifications:calendar",
        "alice",
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=5,
    ),
    Endpoint(
        "notification_preferences",
        "notifications:preferences",
        "alice",
        fields=lambda w: fields_of(PreferencesForm(user=w.p.alice, current={})),
        examples=15,
    ),
    Endpoint(
        "notifications_read",
        "notifications:read",
        "alice",
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=5,
    ),
    Endpoint(
        "partner_contact_add",
        "notifications:contacts",
        "pm",
        fields=lambda w: fields_of(PartnerContactForm()),
    ),
    Endpoint(
        "partner_contact_change",
        "notifications:contact_change",
        "pm",
        kwargs=lambda w: {"pk": w.partner_contact.pk},
        fields=lambda w: {
            "actie": Field(
                valid=st.sampled_from(["stoppen", "hervatten", "verwijderen"]), wrong=HOSTILE_TEXT
            )
        },
        examples=15,
    ),
    Endpoint(
        "unsubscribe",
        "notifications:unsubscribe",
        None,
        kwargs=lambda w: {"token": unsubscribe_token(user=w.p.alice, kind="herinnering")},
        fields=lambda w: {"x": Field(valid=HOSTILE_TEXT)},
        examples=5,
    ),
    Endpoint(
        "set_language",
        "set_language",
        "alice",
        fields=lambda w: {
            "language": Field(valid=st.sampled_from(["nl", "en"]), wrong=HOSTILE_TEXT),
            "next": Field(
                valid=st.sampled_from(["/", "/dashboard/"]),
                wrong=st.sampled_from(["https://evil.example/", "//evil.example/", "\\\\evil"]),
            ),
        },
        examples=10,
    ),
    Endpoint("admin_user_add", "admin:accounts_user_add", "admin", fields=_admin_fields("add")),
    Endpoint(
        "admin_user_change",
        "admin:accounts_user_change",
        "admin",
        kwargs=lambda w: {"object_id": w.admin_target.pk},
        fields=_admin_fields("change"),
    ),
    Endpoint(
        "admin_user_password",
        "admin:auth_user_password_change",
        "admin",
        kwargs=lambda w: {"id": w.admin_target.pk},
        fields=_admin_fields("password"),
        examples=15,
    ),
    Endpoint(
        "admin_own_password",
        "admin:password_change",
        "admin",
        fields=_admin_fields("own_password"),
        examples=10,
        needs=("passwords",),
    ),
    Endpoint(
        "admin_user_action",
        "admin:accounts_user_changelist",
        "admin",
        fields=_admin_fields("action"),
        examples=10,
        refused_when=_admin_protected,
        plain_page_ok=True,
    ),
    Endpoint(
        "admin_user_delete",
        "admin:accounts_user_delete",
        "admin",
        kwargs=lambda w: {"object_id": w.admin_target.pk},
        fields=_admin_fields("delete"),
        examples=5,
        refused_when=_admin_protected,
        plain_page_ok=True,
    ),
]

# Views that handle POST but are not fuzzed here, and why.
SKIPPED = {
    "admin:<catch-all>": "Django's redirect of unknown admin URLs; no form",
    "admin:notifications_outboxmessage_changelist": (
        "the read-only list of outgoing e-mail has no actions (actions = None), so a POST has "
        "nothing to act on; its refusal without a token is in test_security.py"
    ),
    "admin:notifications_outboxmessage_add": (
        "outgoing e-mail is made only by the application: every POST is refused (403)"
    ),
    "admin:notifications_outboxmessage_change": (
        "outgoing e-mail is read-only: every POST is refused (403, test_security.py)"
    ),
    "admin:notifications_outboxmessage_delete": (
        "outgoing e-mail is never deleted: every POST is refused (403, test_security.py)"
    ),
}

# --- checks ------------------------------------------------------------------------------------


class Tables:
    """Row counts of every table, and rows written after a given transaction id."""

    def __init__(self):
        names = sorted(connection.introspection.table_names(include_views=False))
        quote = connection.ops.quote_name
        # Table names come from the database's own catalogue, not from input.
        self.sql = " UNION ALL ".join(
            f"SELECT '{name}', count(*), coalesce(max(xmin::text::bigint), 0), "  # noqa: S608
            f"count(*) FILTER (WHERE xmin::text::bigint > %(since)s) FROM {quote(name)}"
            for name in names
        )

    def measure(self, since: int = 2**62) -> tuple[dict[str, int], int, dict[str, int]]:
        """Counts per table, the highest xmin seen, and per table the rows newer than `since`."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, {"since": since})
            rows = cursor.fetchall()
        return (
            {name: count for name, count, _, _ in rows},
            max(newest for _, _, newest, _ in rows),
            {name: new for name, _, _, new in rows if new},
        )


ENGLISH = re.compile(
    r"\b(the|this|that|field|enter|ensure|select|valid|please|choose|required|must|cannot|"
    r"should|value|characters|your|someone|already|before|after|only|with|not|file|number|"
    r"date|has|have|been|was|were|could|saved|error)\b",
    re.IGNORECASE,
)
DUTCH = re.compile(
    r"\b(de|het|een|dit|deze|niet|is|van|veld|kies|geen|op|voor|bestand|datum|waarde|zorg|"
    r"voer|geldig|geldige|opgeslagen|alleen|moet|al|er)\b",
    re.IGNORECASE,
)
ERROR_TEXT = [
    re.compile(r'<p class="rm-field-error"[^>]*>(.*?)</p>', re.DOTALL),
    re.compile(
        r'<div class="utrecht-alert utrecht-alert--(?:error|warning)"[^>]*>(.*?)</div></div>',
        re.DOTALL,
    ),
    re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.DOTALL),  # the admin's forms
    re.compile(r'<p class="errornote">(.*?)</p>', re.DOTALL),
]
REFUSED_MARKERS = ('class="rm-field-error"', "utrecht-alert--error", "rm-conflict", "errornote")


def _posted_strings(payload: dict) -> list[str]:
    strings = []
    for value in payload.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item.strip():
                strings += [item, item.strip()]
    return sorted(set(strings), key=len, reverse=True)


def error_texts(body: str, messages: list, payload: dict) -> list[str]:
    """The error texts the user is shown, without the values they posted."""
    found = [m.group(1) for pattern in ERROR_TEXT for m in pattern.finditer(body)]
    found += [str(m) for m in messages if m.level >= WARNING]
    texts = []
    for raw in found:
        text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
        for posted in _posted_strings(payload):
            # Whole values only: a posted "e" must not take the e's out of every word.
            text = re.sub(rf"(?<!\w){re.escape(posted)}(?!\w)", " ", text)
        text = " ".join(text.split())
        if text:
            texts.append(text)
    return texts


def assert_dutch(texts: list[str], where: str) -> None:
    assert texts, f"{where}: refused without an error text"
    for text in texts:
        english = ENGLISH.findall(text)
        assert not english, f"{where}: English in an error text: {text!r} ({english})"
    assert DUTCH.search(" ".join(texts)), f"{where}: no Dutch in the error texts: {texts!r}"


def media_files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file()}


# --- the test ------------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def fast_passwords(settings):
    """Every log-in attempt hashes a password (also for unknown users); MD5 keeps the fuzzing of
    log-in and password forms fast. The personas' PBKDF2 hashes then never match, which the
    fuzzing does not need."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@st.composite
def payloads(draw, fields: dict[str, Field]):
    """All fields plausible, or each one plausible, wrong, hostile or missing; sometimes with
    fields the form does not have (mass assignment)."""
    hostile = draw(st.booleans(), label="hostile")
    data = {}
    for name, spec in fields.items():
        if hostile:
            # Each kind equally likely (one_of would weigh them by their own alternatives).
            kind = draw(st.sampled_from(["valid", "wrong", "hostile", "missing"]), label=name)
            value = draw(
                {
                    "valid": spec.valid,
                    "wrong": st.one_of(spec.wrong, spec.valid),  # some fields have no wrong
                    "hostile": HOSTILE,
                    "missing": st.just(MISSING),
                }[kind],
                label=name,
            )
        else:
            value = draw(spec.valid, label=name)
        if value is not MISSING:
            data[name] = value
    extra = draw(
        st.dictionaries(
            st.sampled_from([n for n in EXTRA_NAMES if n not in fields]), HOSTILE, max_size=2
        ),
        label="extra",
    )
    return {**extra, **data}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_hostile_input(endpoint, personas, client, media_root, fast_passwords):
    world = World(personas)
    for need in endpoint.needs:
        getattr(world, need)
    url = reverse(endpoint.url_name, kwargs=endpoint.kwargs(world))
    fields = endpoint.fields(world)
    user = getattr(personas, endpoint.user) if endpoint.user else None
    tables = Tables()
    region_forms = endpoint.url_name.startswith("monitoring:")
    own_region_records = {
        s.model: s.model.objects.exclude(region__code=OWN_REGION).count() for s in SECTIONS
    }

    @settings(
        max_examples=endpoint.examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        payload=payloads(fields),
        htmx=st.booleans(),
        # Dutch whatever the browser asks for (only the language switch's cookie changes it).
        language=st.sampled_from(["nl", "en-US,en;q=0.9", "*"]),
        encoding=st.sampled_from(["multipart", "urlencoded", "broken-utf8"]),
    )
    def example(payload, htmx, language, encoding):
        headers = {"Accept-Language": language}
        if htmx:
            headers |= {"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"}
        has_files = any(hasattr(value, "read") for value in payload.values())
        if has_files:
            encoding = "multipart"
        files_before = media_files(media_root)
        with transaction.atomic():
            client.logout()
            if user is not None:
                client.force_login(user)
            counts_before, newest, _ = tables.measure()
            with transaction.atomic():
                if encoding == "multipart":
                    response = client.post(url, payload, headers=headers)
                else:
                    body = urlencode(payload, doseq=True).encode()
                    if encoding == "broken-utf8":
                        body += b"&raw=\xff\xfe\xc0\xaf%FF%C0%AF"
                    response = client.post(
                        url, body, content_type="application/x-www-form-urlencoded", headers=headers
                    )
            counts_after, _, new_rows = tables.measure(since=newest)
            check(response, payload, counts_before, counts_after, new_rows, files_before)
            transaction.set_rollback(True)
        EXAMPLES[endpoint.id] += 1

    def check(response, payload, counts_before, counts_after, new_rows, files_before):
        where = f"{endpoint.id} {url}"
        note(f"{where} -> {response.status_code}")
        assert response.status_code < 500, where
        changed = {t for t in counts_before if counts_before[t] != counts_after[t]}
        written = (changed | set(new_rows)) - {"django_session"}
        if response.status_code in (301, 302, 303):
            location = urlsplit(response["Location"])
            assert not location.scheme and not location.netloc, f"{where}: redirect off-site"
        messages = list(get_messages(response.wsgi_request))
        body = ""
        if "text/html" in response.get("Content-Type", ""):
            body = response.content.decode()
        refused = (
            response.status_code >= 400
            or any(marker in body for marker in REFUSED_MARKERS)
            or any(m.level >= WARNING for m in messages)
        )
        own_refusal = bool(endpoint.refused_when and endpoint.refused_when(response))
        if own_refusal:
            assert '<html lang="nl"' in body, f"{where}: the refusal is not in Dutch"
        refused = refused or own_refusal
        unchanged_save = "rm-saved" in body  # the values posted were the stored ones
        if response.status_code == 200 and not written and not endpoint.plain_page_ok:
            # A form shown again must say why; a save that changed nothing says it is saved.
            assert refused or unchanged_save, f"{where}: answered 200, wrote nothing, said nothing"
        outcome = "refused" if refused else "saved" if written else "accepted"
        event(f"{response.status_code} {outcome}")
        OUTCOMES[endpoint.id, outcome] += 1
        if refused:
            unexpected = written - endpoint.refused_writes
            assert not unexpected, (
                f"{where}: refused ({response.status_code}) but wrote {unexpected}"
            )
            assert media_files(media_root) == files_before, f"{where}: refused but stored a file"
            if (response.status_code in (200, 400, 409) or messages) and not own_refusal:
                assert_dutch(error_texts(body, messages, payload), where)
        # What a region page's form saves stays in that region, whatever was posted.
        for model, count in own_region_records.items() if region_forms else ():
            assert model.objects.exclude(region__code=OWN_REGION).count() == count, where
        if not refused and written and response.status_code == 302:
            page = client.get(response["Location"])
            assert page.status_code < 500, f"{where}: the page after the save fails"

    example()


def _handles_post(callback) -> bool:
    """Whether a view reads POST: a class-based view with a post method, or a function (or a
    function it calls) that mentions request.POST / request.method. Views restricted to GET by
    require_GET/require_safe do not."""
    if hasattr(callback, "view_class"):
        return hasattr(callback.view_class, "post")
    functions = []
    current = callback
    while current is not None and current not in functions:
        functions.append(current)
        current = getattr(current, "__wrapped__", None)
    for function in functions:
        closure = inspect.getclosurevars(function).nonlocals if inspect.isfunction(function) else {}
        methods = closure.get("request_method_list")
        if methods is not None and "POST" not in methods:
            return False
    sources = []
    for function in functions:
        target = getattr(function, "__func__", function)
        try:
            source = inspect.getsource(target)
        except (OSError, TypeError):
            continue
        sources.append(source)
        # One level down: module functions and methods of the same object it calls.
        owner = getattr(function, "__self__", None)
        names = set(re.findall(r"\b(?:self\.)?(_?[a-z][a-z0-9_]*)\(", source))
        for name in names:
            called = getattr(owner, name, None) if owner is not None else None
            called = called or getattr(target, "__globals__", {}).get(name)
            if inspect.isfunction(called) or inspect.ismethod(called):
                with contextlib.suppress(OSError, TypeError):
                    sources.append(inspect.getsource(called))
    return any(re.search(r"request\.(POST|method|FILES)", source) for source in sources)


def test_every_post_view_is_fuzzed():
    post_views = {name for name, view in url_views() if _handles_post(view)}
    fuzzed = {endpoint.url_name for endpoint in ENDPOINTS} | {e[0] for e in API_WRITES}
    assert post_views - fuzzed - set(SKIPPED) == set(), "POST views without hostile input"
    assert set(SKIPPED) <= post_views, "SKIPPED names a view that does not handle POST"
    assert fuzzed <= {name for name, _ in url_views()}
    # The detection itself: known POST views are seen, GET-only ones are not.
    assert {"monitoring:record_edit", "specialists:profile_edit", "login"} <= post_views
    assert not {"dashboard:index", "reporting:download", "regions:detail"} & post_views


def test_enough_examples(request, capsys):
    ran = {
        item.callspec.params["endpoint"].id
        for item in request.session.items
        if "endpoint" in getattr(getattr(item, "callspec", None), "params", {})
    }
    # With part of the endpoints selected (pytest -k), their share of the examples must have run.
    total = sum(EXAMPLES.values())
    missing = ran - set(EXAMPLES)
    assert not missing, f"endpoints that ran no example: {missing}"
    expected = MIN_EXAMPLES * len(ran) / len(ENDPOINTS)
    assert total >= expected, f"only {total} hypothesis examples ran, expected {expected:.0f}"
    by_outcome = Counter()
    for (_, outcome), count in OUTCOMES.items():
        by_outcome[outcome] += count
    if ran == {endpoint.id for endpoint in ENDPOINTS}:
        # Both paths were walked: saves that went through and refusals.
        assert by_outcome["saved"] >= total / 5, by_outcome
        assert by_outcome["refused"] >= total / 5, by_outcome
    with capsys.disabled():  # in the run's output, so a CI log says how many ran
        print(f"\nhostile input: {total} hypothesis examples, {dict(by_outcome)}")


# --- what the fuzzing found, pinned --------------------------------------------------------------


# --- the API's writes: hostile JSON --------------------------------------------------------------

# (endpoint, method, form): the API's writes, validated by the region page's forms.
API_WRITES = [
    ("api:progress_updates", "post", ProgressUpdateForm),
    ("api:progress_update", "patch", ProgressUpdateForm),
    ("api:progress_update", "put", ProgressUpdateForm),
    ("api:progress_update", "delete", ProgressUpdateForm),
    ("api:route_steps", "post", RouteStepForm),
    ("api:route_step", "patch", RouteStepForm),
    ("api:route_step", "put", RouteStepForm),
    ("api:route_step", "delete", RouteStepForm),
]
# What JSON can carry besides the strings a form post has.
JSON_VALUES = st.one_of(
    HOSTILE,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.lists(
        st.one_of(st.integers(), st.none(), st.dictionaries(st.text(max_size=3), st.none())),
        max_size=3,
    ),
)


def _api_messages(body) -> list[str]:
    """Every message in an API error body (per field lists, or a detail)."""
    if isinstance(body, dict):
        return [m for key, v in body.items() if key != "sent" for m in _api_messages(v)]
    if isinstance(body, list):
        return [m for v in body for m in _api_messages(v)]
    return [body] if isinstance(body, str) else []


@pytest.mark.parametrize(("url_name", "method", "form_class"), API_WRITES, ids=lambda v: str(v))
def test_hostile_json_to_the_api(url_name, method, form_class, personas):
    """The API's writes get random and hostile JSON from a user who may write: never a 5xx, a
    refusal (4xx) writes nothing and says why in Dutch, and what is saved stays in the region."""
    import json

    from django.test import Client

    from tests.api_client import bearer

    world = World(personas)
    model = form_class._meta.model
    record = world.progress_update if model is ProgressUpdate else personas.own_step
    kwargs = (
        {"code": OWN_REGION} if url_name.endswith("s") else {"code": OWN_REGION, "pk": record.pk}
    )
    url = reverse(url_name, kwargs=kwargs)
    fields = fields_of(form_class(region=world.region))
    fields["version"] = version_field(record.version)
    headers = bearer(personas.alice)
    tables = Tables()
    other_regions = model.objects.exclude(region__code=OWN_REGION).count()

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        body=st.one_of(
            payloads(fields),
            payloads(fields).flatmap(
                lambda p: st.dictionaries(st.sampled_from(sorted(fields)), JSON_VALUES).map(
                    lambda extra: {**p, **extra}
                )
            ),
            st.lists(st.integers(), max_size=2),
            st.text(max_size=10),
        ),
        language=st.sampled_from(["nl", "en-US,en;q=0.9", "*"]),
    )
    def example(body, language):
        with transaction.atomic():
            counts_before, newest, _ = tables.measure()
            with transaction.atomic():
                response = getattr(Client(), method)(
                    url,
                    data=json.dumps(body),
                    content_type="application/json",
                    headers={**headers, "Accept-Language": language},
                )
            counts_after, _, new_rows = tables.measure(since=newest)
            where = f"{method} {url} -> {response.status_code}"
            note(where)
            assert response.status_code < 500, where
            changed = {t for t in counts_before if counts_before[t] != counts_after[t]}
            # A token's first use is noted (api_apitoken), whatever the answer.
            written = (changed | set(new_rows)) - {"api_apitoken"}
            if response.status_code >= 400:
                assert not written, f"{where}: refused but wrote {written}"
                assert_dutch([" ".join(m.split()) for m in _api_messages(response.json())], where)
            assert model.objects.exclude(region__code=OWN_REGION).count() == other_regions
            transaction.set_rollback(True)

    example()


def test_the_write_detector_sees_inserts_updates_and_deletes(personas):
    """The check the fuzzing relies on: an UPDATE is seen although no row count changes."""
    tables = Tables()
    with transaction.atomic():
        counts, newest, new_rows = tables.measure()
        assert new_rows == {}
        with transaction.atomic():
            Region.objects.filter(code=OWN_REGION).update(population=1)
        after, _, new_rows = tables.measure(since=newest)
        assert after == counts
        assert set(new_rows) == {"regions_region"}
        with transaction.atomic():
            personas.own_step.delete()
        after, _, _ = tables.measure(since=newest)
        assert after["monitoring_routestep"] == counts["monitoring_routestep"] - 1
        transaction.set_rollback(True)


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_an_overlong_username_is_a_failed_log_in_not_a_500(client, personas, url_name):
    """AuthenticationForm never checks the username's length; django-axes then stored it in a
    255-character column and the log-in page answered 500."""
    response = client.post(reverse(url_name), {"username": "x" * 5000, "password": "geheim"})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "komen niet overeen" in page
        or "Voer de correcte" in page
        or (
            "Maximaal 150 tekens; u heeft er 5.000." in page  # our forms say the length
        )
    )
    assert "_auth_user_id" not in client.session


def test_approving_without_a_version_says_why(client, personas, media_root):
    """The hidden version missing or garbled: the form came back (400) without any reason."""
    report = World(personas).concept_report
    client.force_login(personas.pm)
    for version in (None, "abc"):
        data = {"note": "Gecontroleerd"} | ({"version": version} if version else {})
        response = client.post(reverse("reporting:approve", args=[2026, 2]), data)
        assert response.status_code == 400
        assert "kon niet worden goedgekeurd" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.CONCEPT


def test_an_empty_post_shows_the_form_errors(client, personas):
    """`Form(request.POST or None)` left an empty post's form unbound: no errors, no reason."""
    client.force_login(personas.hub)
    response = client.post(reverse("innovation:catalogue"), {})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()


def test_a_duplicate_version_label_says_why(client, personas):
    """The one-label-per-product rule is a non-field error the page did not show."""
    version = World(personas).draft_version
    client.force_login(personas.hub)
    response = client.post(
        reverse("innovation:product", args=[version.product_id]), {"label": version.label}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen" in html
    assert ProductVersion.objects.filter(product=version.product).count() == 1


def test_the_admin_refuses_garbled_ids_for_an_action(client, personas):
    """Django's admin filtered on the posted ids as they were: a 500 for a non-number."""
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": ["", "abc"], "index": "0"},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302
    assert "Er moeten items worden geselecteerd" in response.content.decode()
    assert User.objects.filter(pk=personas.bob.pk).exists()


@pytest.mark.parametrize("url_name", ["admin:auth_user_password_change", "admin:password_change"])
def test_admin_password_errors_are_dutch(client, personas, url_name, fast_passwords):
    """Django 5.2's too-short message has a msgid its Dutch catalogue does not translate."""
    World(personas).passwords  # noqa: B018 - the beheerder's own password is known
    client.force_login(personas.admin)
    data = {"password1": "kort", "password2": "kort", "usable_password": "true"}
    url = reverse(url_name, args=[personas.bob.pk]) if "auth_user" in url_name else None
    if url is None:
        url = reverse(url_name)
        data = {
            "old_password": KNOWN_PASSWORD,
            "new_password1": "kort",
            "new_password2": "kort",
        }
    html = client.post(url, data).content.decode()
    assert "Dit wachtwoord is te kort. De minimale lengte is" in html
    assert "too short" not in html
