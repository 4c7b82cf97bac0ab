"""Every URL in the URLconf x every role, with the status each must get (pretix style).

A URL added without a row here fails test_every_url_has_a_row. Outsiders get 404 for objects they
may not know; readers get 403 where they may not change; anonymous visitors go to the log-in.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pghistory.models import Events

from notifications.calendar import renew_feed
from notifications.services import unsubscribe_token
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION

ROLES = [
    "anonymous",
    "adviser",
    "other_adviser",
    "programme",
    "hub",
    "specialist",
    "partner",
    "admin",
]

VALID_PROGRESS = {
    "year": "2026",
    "quarter": "4",
    "status": "aandacht",
    "narrative": "Besluitvorming in de raden is uitgesteld naar januari.",
    "help_needed": "",
}


VALID_STEP = {
    "order": "2",
    "title": "Besluitvorming voorbereiden",
    "parties": "Colleges, SOB",
    "expertise": ["governance"],
    "planned_date": "2026-11-15",
    "status": "gepland",
}


@dataclass(frozen=True)
class Case:
    name: str
    expect: dict[str, int]
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    label: str = ""
    htmx: dict[str, int] | None = None  # the htmx partial's statuses, when not those of the page

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.name}: no expectation for {missing}"

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}:{self.method}"


def roles(default: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, default) for role in ROLES}


REDIRECT_ANON = {"anonymous": 302}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ADMIN_ONLY = roles(302, admin=200)
READERS = roles(200, anonymous=302, specialist=403, admin=403)
CONCEPT = {"year": 2026, "quarter": 2}  # a finished draft report (see _reports)
PUBLISHED = {"year": 2026, "quarter": 1}

CASES = [
    # core
    Case("core:home", roles(302)),
    Case("core:about", roles(200)),
    Case("core:health", roles(403, anonymous=302, programme=200, admin=200)),
    Case("core:liveness", roles(200)),
    # notifications: everyone's own calendar address; the feed opens with its token alone
    Case("notifications:calendar", roles(200, anonymous=302)),
    Case("notifications:calendar", roles(200, anonymous=302), method="post"),
    Case("notifications:feed", roles(200), kwargs={"token": "{feed_token}"}),
    Case("notifications:feed", roles(404), kwargs={"token": "geraden"}, label="wrong"),
    # notifications: one's own Meldingen and choices; the unsubscribe link needs no log-in
    Case("notifications:list", roles(200, anonymous=302)),
    Case(
        "notifications:open",
        roles(404, anonymous=302, adviser=302),
        kwargs={"pk": "{alice_notification}"},
    ),
    Case("notifications:read", roles(302), method="post"),
    Case("notifications:preferences", roles(200, anonymous=302)),
    Case("notifications:preferences", roles(200, anonymous=302), method="post"),
    Case("notifications:unsubscribe", roles(200), kwargs={"token": "{unsubscribe_token}"}),
    Case(
        "notifications:unsubscribe",
        roles(400),
        kwargs={"token": "geraden"},
        method="post",
        label="wrong",
    ),
    Case("notifications:contacts", roles(403, anonymous=302, programme=200)),
    Case("notifications:contacts", roles(403, anonymous=302, programme=200), method="post"),
    Case(
        "notifications:contact_change",
        roles(403, anonymous=302, programme=302),
        kwargs={"pk": "{contact}"},
        method="post",
        data={"actie": "stoppen"},
    ),
    Case("reporting:contact_download", roles(404), kwargs={"token": "geraden"}, label="wrong"),
    # the profile page: everyone's own API tokens; someone else's token is a 404
    Case("profile:index", roles(200, anonymous=302)),
    Case("profile:index", roles(200, anonymous=302), method="post", data={"name": "Script"}),
    Case(
        "profile:token_revoke",
        roles(404, anonymous=302, adviser=302),
        kwargs={"pk": "{alice_token}"},
        method="post",
    ),
    Case("profile:token_revoke", roles(405), kwargs={"pk": "{alice_token}"}, label="get"),
    # accounts (the personas have passed the second factor: see tests/test_second_factor.py for
    # the way there)
    Case("accounts:second_factor", roles(302)),
    Case("accounts:second_factor_setup", roles(200, anonymous=302)),
    Case("accounts:security", roles(200, anonymous=302)),
    Case("accounts:recovery_codes_renew", roles(302), method="post"),
    Case("accounts:recovery_codes_renew", roles(405), label="get"),
    Case("accounts:second_factor_remove", roles(302), method="post"),
    Case("accounts:second_factor_remove", roles(405), label="get"),
    Case("accounts:waiting", roles(302)),
    Case(
        "accounts:sign_in_end",
        roles(404, anonymous=302, adviser=302),
        kwargs={"pk": "{alice_sign_in}"},
        method="post",
    ),
    Case("accounts:sign_in_end", roles(405), kwargs={"pk": "{alice_sign_in}"}, label="get"),
    Case("accounts:sign_ins_end_others", roles(302), method="post"),
    Case("accounts:sign_ins_end_others", roles(405), label="get"),
    # single sign-on answers 404 while no provider is configured (tests/test_oidc.py with one)
    Case("oidc_authentication_init", roles(404)),
    Case("oidc_authentication_callback", roles(404)),
    Case("login", roles(302, anonymous=200)),
    Case("logout", roles(302), method="post"),
    Case("set_language", roles(302), method="post", data={"language": "en", "next": "/"}),
    # regions
    Case("regions:overview", roles(200, anonymous=302, partner=403, admin=403)),
    Case("regions:shapes", roles(200, anonymous=302, partner=403, admin=403)),
    Case("regions:portfolio", roles(403, anonymous=302, adviser=200, other_adviser=200)),
    Case("regions:portfolio_changes", roles(403, anonymous=302, adviser=200, other_adviser=200)),
    Case("dashboard:index", roles(200, anonymous=302, specialist=403, partner=403, admin=403)),
    Case("dashboard:export_csv", roles(200, anonymous=302, specialist=403, partner=403, admin=403)),
    Case(
        "dashboard:export_xlsx", roles(200, anonymous=302, specialist=403, partner=403, admin=403)
    ),
    Case("dashboard:results", roles(200, anonymous=302, specialist=403, partner=403, admin=403)),
    # saved views: every dashboard reader's own; someone else's view is a 404
    Case(
        "dashboard:saved_views", roles(200, anonymous=302, specialist=403, partner=403, admin=403)
    ),
    Case(
        "dashboard:saved_view_new",
        roles(200, anonymous=302, specialist=403, partner=403, admin=403),
    ),
    Case(
        "dashboard:saved_view_new",
        roles(302, specialist=403, partner=403, admin=403),
        method="post",
        data={"name": "Mijn weergave"},
    ),
    Case(
        "dashboard:saved_view_rename",
        roles(404, anonymous=302, adviser=302, specialist=403, partner=403, admin=403),
        kwargs={"pk": "{alice_saved_view}"},
        method="post",
        data={"name": "Nieuwe naam"},
    ),
    Case(
        "dashboard:saved_view_rename",
        roles(405),
        kwargs={"pk": "{alice_saved_view}"},
        label="get",
    ),
    Case(
        "dashboard:saved_view_delete",
        roles(404, anonymous=302, adviser=302, specialist=403, partner=403, admin=403),
        kwargs={"pk": "{alice_saved_view}"},
        method="post",
    ),
    Case(
        "dashboard:saved_view_delete",
        roles(405),
        kwargs={"pk": "{alice_saved_view}"},
        label="get",
    ),
    Case("specialists:list", roles(200, anonymous=302, partner=403, admin=403)),
    Case(
        "specialists:detail",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"pk": "{own_deployment}"},
        label="specialist's own",
    ),
    Case(
        "specialists:detail",
        roles(200, anonymous=302, partner=404, admin=404, specialist=404),
        kwargs={"pk": "{foreign_deployment}"},
        label="someone else's",
    ),
    Case(
        "specialists:detail",
        roles(403, anonymous=302, partner=404, admin=404, specialist=404),
        kwargs={"pk": "{foreign_deployment}"},
        method="post",
        data={"action": "report", "hours": "3", "progress": "x"},
        label="report on someone else's",
    ),
    Case(
        "specialists:request",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        label="own",
    ),
    Case(
        "specialists:request",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        method="post",
        data={"expertise": "governance", "note": "Hulp bij governance"},
        label="foreign",
    ),
    # specialist profiles: the specialist reads and keeps only their own availability
    Case("specialists:profiles", roles(200, anonymous=302, specialist=403, partner=403, admin=403)),
    Case(
        "specialists:profile",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"pk": "{spec}"},
        label="own",
    ),
    Case(
        "specialists:profile",
        roles(200, anonymous=302, partner=404, admin=404, specialist=404),
        kwargs={"pk": "{other_spec}"},
        label="another specialist",
    ),
    Case(
        "specialists:profile_edit",
        roles(403, anonymous=302, programme=200, hub=200, partner=404, admin=404),
        kwargs={"pk": "{spec}"},
    ),
    Case(
        "specialists:profile_edit",
        roles(403, anonymous=302, programme=302, hub=302, partner=404, admin=404),
        kwargs={"pk": "{spec}"},
        method="post",
        data={"expertise": ["governance", "juridisch"], "summary": "Jurist", "version": "1"},
    ),
    Case(
        "specialists:availability",
        roles(403, anonymous=302, specialist=200, partner=404, admin=404),
        kwargs={"pk": "{spec}"},
        label="own",
    ),
    Case(
        "specialists:availability",
        roles(403, anonymous=302, specialist=302, partner=404, admin=404),
        kwargs={"pk": "{spec}"},
        method="post",
        data={"hours_per_week": "12", "availability_note": "", "version": "1"},
        label="own",
    ),
    Case(
        "specialists:availability",
        roles(403, anonymous=302, specialist=404, partner=404, admin=404),
        kwargs={"pk": "{other_spec}"},
        method="post",
        data={"hours_per_week": "12", "availability_note": "", "version": "1"},
        label="another specialist",
    ),
    Case(
        "specialists:unavailability_add",
        roles(403, anonymous=302, specialist=302, partner=404, admin=404),
        kwargs={"pk": "{spec}"},
        method="post",
        data={"start_date": "2026-12-21", "end_date": "2027-01-03", "reason": "Verlof"},
        label="own",
    ),
    Case(
        "specialists:unavailability_add",
        roles(403, anonymous=302, specialist=404, partner=404, admin=404),
        kwargs={"pk": "{other_spec}"},
        method="post",
        data={"start_date": "2026-12-21", "end_date": "2027-01-03", "reason": "Verlof"},
        label="another specialist",
    ),
    Case(
        "specialists:unavailability_delete",
        roles(403, anonymous=302, specialist=302, partner=404, admin=404),
        kwargs={"pk": "{spec}", "period": "{period}"},
        method="post",
        data={"version": "1"},
    ),
    Case(
        "specialists:unavailability_delete",
        roles(405, anonymous=302),
        kwargs={"pk": "{spec}", "period": "{period}"},
        label="get",
    ),
    Case("innovation:catalogue", roles(200, anonymous=302, partner=403, admin=403)),
    Case(
        "innovation:product",
        roles(404, anonymous=302, programme=200, hub=200),
        kwargs={"pk": "{draft_product}"},
        label="draft only",
    ),
    Case(
        "innovation:version_action",
        roles(403, anonymous=302, hub=302),
        kwargs={"pk": "{draft_version}"},
        method="post",
        data={"action": "publish"},
    ),
    Case(
        "innovation:document_upload",
        roles(403, anonymous=302, hub=302),
        kwargs={"pk": "{draft_version}"},
    ),
    Case(
        "innovation:document_upload",
        roles(403, anonymous=302, hub=200),  # no file: the form comes back with its error
        kwargs={"pk": "{draft_version}"},
        method="post",
        data={"doc{draft_version}-title": "Handleiding"},
    ),
    Case(
        "innovation:document_download",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"pk": "{published_document}"},
        label="published",
    ),
    Case(
        "innovation:document_download",
        roles(404, anonymous=302, hub=200),
        kwargs={"pk": "{draft_document}"},
        label="draft",
    ),
    Case("innovation:lines", roles(403, anonymous=302, programme=200, hub=200)),
    Case(
        "innovation:lines",
        roles(403, anonymous=302, hub=302),
        method="post",
        data={"name": "Nieuwe ontwikkellijn"},
    ),
    Case("innovation:line_edit", roles(403, anonymous=302, hub=200), kwargs={"pk": "{line}"}),
    Case(
        "innovation:line_edit",
        roles(403, anonymous=302, hub=302),
        kwargs={"pk": "{line}"},
        method="post",
        data={"name": "Governance en sturing", "version": "1"},
    ),
    Case("innovation:agenda", roles(403, anonymous=302, programme=200, hub=200)),
    Case(
        "innovation:agenda_item_edit",
        roles(403, anonymous=302, hub=200),
        kwargs={"pk": "{agenda_item}"},
    ),
    Case(
        "innovation:agenda_item_edit",
        roles(403, anonymous=302, hub=302),
        kwargs={"pk": "{agenda_item}"},
        method="post",
        data={
            "title": "Handreiking governance",
            "priority": "midden",
            "start_quarter": "2026-Q2",
            "end_quarter": "2027-Q1",
            "status": "lopend",
            "version": "1",
        },
    ),
    Case(
        "innovation:agenda_item_delete",
        roles(403, anonymous=302, hub=200),
        kwargs={"pk": "{agenda_item}"},
    ),
    Case(
        "innovation:agenda_item_delete",
        roles(403, anonymous=302, hub=302),
        kwargs={"pk": "{agenda_item}"},
        method="post",
        data={"version": "1"},
    ),
    Case("innovation:cycle", roles(403, anonymous=302, programme=200, hub=200)),
    Case("innovation:criteria", roles(403, anonymous=302, programme=200, hub=200)),
    Case("innovation:certifications", roles(403, anonymous=302, programme=200, hub=200)),
    Case(
        "innovation:certification_edit",
        roles(403, anonymous=302, hub=200),
        kwargs={"pk": "{certification}"},
    ),
    Case(
        "innovation:certification_edit",
        roles(403, anonymous=302, hub=200),  # the hub sees the form again: fields are missing
        kwargs={"pk": "{certification}"},
        method="post",
        data={"row_version": "1", "certified_on": "2026-02-01"},
    ),
    Case(
        "innovation:certification_delete",
        roles(403, anonymous=302, hub=200),
        kwargs={"pk": "{certification}"},
    ),
    Case(
        "innovation:certification_delete",
        roles(403, anonymous=302, hub=302),
        kwargs={"pk": "{certification}"},
        method="post",
        data={"row_version": "1"},
    ),
    Case("regions:portfolios", roles(403, anonymous=302, programme=200)),
    Case("dashboard:national", roles(200, anonymous=302, specialist=403, admin=403)),
    Case(
        "regions:detail",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        label="own",
    ),
    Case(
        "regions:detail",
        roles(200, anonymous=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        label="foreign",
    ),
    Case(
        "regions:detail",
        roles(404, anonymous=302),
        kwargs={"code": "AM99"},
        label="unknown",
    ),
    # monitoring: only the region's own adviser changes it
    Case(
        "monitoring:progress_create",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        label="own",
    ),
    Case(
        "monitoring:progress_create",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        method="post",
        data=VALID_PROGRESS,
        label="own",
    ),
    Case(
        "monitoring:progress_create",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        method="post",
        data=VALID_PROGRESS,
        label="foreign",
    ),
    Case(
        "monitoring:progress_item",
        roles(302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_update}"},
        label="own",
        htmx=roles(200, anonymous=302, partner=404, admin=404),
    ),
    Case(
        "monitoring:progress_item",
        roles(404, anonymous=302),
        kwargs={"code": OWN_REGION, "pk": "{foreign_update}"},
        label="update-of-another-region",
    ),
    Case(
        "monitoring:progress_edit",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_update}"},
        label="own",
    ),
    Case(
        "monitoring:progress_edit",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_update}"},
        method="post",
        data={**VALID_PROGRESS, "version": "1"},
        label="own",
    ),
    Case(
        "monitoring:progress_edit",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION, "pk": "{foreign_update}"},
        method="post",
        data={**VALID_PROGRESS, "version": "1"},
        label="foreign",
    ),
    Case(
        "monitoring:progress_delete",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_update}"},
        label="own",
    ),
    Case(
        "monitoring:progress_delete",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_update}"},
        method="post",
        data={"version": "1"},
        label="own",
    ),
    Case(
        "monitoring:progress_delete",
        roles(403, anonymous=302, adviser=404, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{foreign_update}"},
        method="post",
        data={"version": "1"},
        label="update-of-another-region",
    ),
    Case(
        "regions:history",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        label="own",
    ),
    Case(
        "regions:history",
        roles(200, anonymous=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        label="foreign",
    ),
    Case(
        "regions:changes",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        label="own",
    ),
    Case(
        "regions:changes",
        roles(200, anonymous=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        label="foreign",
    ),
    # inline sections (the route steps stand for every section; see test_inline_sections.py)
    Case(
        "monitoring:record_new",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "key": "processtappen"},
        label="own",
    ),
    Case(
        "monitoring:record_new",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "key": "processtappen"},
        method="post",
        data=VALID_STEP,
        label="own",
    ),
    Case(
        "monitoring:record_new",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION, "key": "processtappen"},
        method="post",
        data=VALID_STEP,
        label="foreign",
    ),
    Case(
        "monitoring:record_item",
        roles(302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "key": "processtappen", "pk": "{own_step}"},
        label="own",
        htmx=roles(200, anonymous=302, partner=404, admin=404),
    ),
    Case(
        "monitoring:record_item",
        roles(302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION, "key": "processtappen", "pk": "{foreign_step}"},
        label="foreign",
        htmx=roles(200, anonymous=302, partner=404, admin=404, specialist=404),
    ),
    Case(
        "monitoring:record_item",
        roles(404, anonymous=302),
        kwargs={"code": OWN_REGION, "key": "processtappen", "pk": "{foreign_step}"},
        label="step-of-another-region",
    ),
    Case(
        "monitoring:record_edit",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "key": "processtappen", "pk": "{own_step}"},
        label="own",
    ),
    Case(
        "monitoring:record_edit",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "key": "processtappen", "pk": "{own_step}"},
        method="post",
        data={**VALID_STEP, "version": "1"},
        label="own",
    ),
    Case(
        "monitoring:record_edit",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION, "key": "processtappen", "pk": "{foreign_step}"},
        method="post",
        data={**VALID_STEP, "version": "1"},
        label="foreign",
    ),
    Case(
        "monitoring:record_delete",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "key": "processtappen", "pk": "{own_step}"},
        method="post",
        data={"version": "1"},
        label="own",
    ),
    Case(
        "monitoring:record_delete",
        roles(405, anonymous=302),
        kwargs={"code": OWN_REGION, "key": "processtappen", "pk": "{own_step}"},
        label="get",
    ),
    Case(
        "monitoring:stage_reached",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        method="post",
        data={"stage": "orientatie", "version": "", "reached_date": "2026-01-15"},
        label="own",
    ),
    Case(
        "monitoring:stage_reached",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        method="post",
        data={"stage": "orientatie", "version": "", "reached_date": "2026-01-15"},
        label="foreign",
    ),
    Case(
        "monitoring:stage_reached",
        roles(405, anonymous=302),
        kwargs={"code": OWN_REGION},
        label="get",
    ),
    Case(
        "monitoring:document_upload",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        label="own",
    ),
    Case(
        "monitoring:document_upload",
        roles(403, anonymous=302, other_adviser=200, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        method="post",
        data={"title": "Leeg"},
        label="foreign",
    ),
    Case(
        "monitoring:document_download",
        roles(404, anonymous=302),
        kwargs={"code": OWN_REGION, "pk": 999999},
        label="missing",
    ),
    Case(
        "monitoring:document_item",
        roles(302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        label="own",
        htmx=roles(200, anonymous=302, partner=404, admin=404),
    ),
    Case(
        "monitoring:document_item",
        roles(404, anonymous=302),
        kwargs={"code": OWN_REGION, "pk": "{foreign_dossier_document}"},
        label="document-of-another-region",
    ),
    Case(
        "monitoring:document_edit",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        label="own",
    ),
    Case(
        "monitoring:document_edit",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        method="post",
        data={"title": "Toekomstplan 2027", "version": "1"},
        label="own",
    ),
    Case(
        "monitoring:document_edit",
        roles(403, anonymous=302, other_adviser=302, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION, "pk": "{foreign_dossier_document}"},
        method="post",
        data={"title": "Toekomstplan 2027", "version": "1"},
        label="foreign",
    ),
    Case(
        "monitoring:document_delete",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        label="own",
    ),
    Case(
        "monitoring:document_delete",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        method="post",
        data={"version": "1"},
        label="own",
    ),
    Case(
        "monitoring:document_delete",
        roles(403, anonymous=302, adviser=404, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{foreign_dossier_document}"},
        method="post",
        data={"version": "1"},
        label="document-of-another-region",
    ),
    Case(
        "monitoring:document_replace",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        label="own",
    ),
    Case(
        "monitoring:document_replace",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_dossier_document}"},
        method="post",
        data={"title": "Toekomstplan 2027", "version": "1"},  # no file: the form says so
        label="own",
    ),
    Case(
        "monitoring:document_replace",
        roles(403, anonymous=302, adviser=404, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{foreign_dossier_document}"},
        method="post",
        data={"title": "Toekomstplan 2027", "version": "1"},
        label="document-of-another-region",
    ),
    # search: every role that sees regions or products; the results follow each kind's own
    # rules (tests/test_search.py)
    Case("search:results", roles(200, anonymous=302, partner=403, admin=403)),
    Case(
        "search:results",
        roles(200, anonymous=302, partner=403, admin=403),
        data={"q": "toekomstplan", "soort": "documenten", "pagina": "2"},
        label="query",
    ),
    # discussions: who sees the record reads; who may change it, or is its party, writes
    # (discussion/subjects.py); outsiders get 404, readers 403 on every write
    Case(
        "discussion:thread",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{own_step}"},
    ),
    Case(
        "discussion:thread",
        roles(200, anonymous=302, specialist=404, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{foreign_step}"},
        label="foreign",
    ),
    Case(
        "discussion:thread",
        roles(404, anonymous=302),
        kwargs={"subject": "onbekend", "pk": "{own_step}"},
        label="unknown-kind",
    ),
    Case(
        "discussion:thread",
        roles(403, anonymous=302, adviser=302, programme=302, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{own_step}"},
        method="post",
        data={"body": "Kan de planning van deze stap een maand naar voren?"},
    ),
    Case(
        "discussion:thread",
        roles(
            403,
            anonymous=302,
            other_adviser=302,
            programme=302,
            specialist=404,
            partner=404,
            admin=404,
        ),
        kwargs={"subject": "processtappen", "pk": "{foreign_step}"},
        method="post",
        data={"body": "Kan de planning van deze stap een maand naar voren?"},
        label="foreign",
    ),
    Case(
        "discussion:thread",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"subject": "voortgang", "pk": "{own_update}"},
        label="progress",
    ),
    Case(
        "discussion:thread",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"subject": "documenten", "pk": "{own_dossier_document}"},
        label="document",
    ),
    Case(
        "discussion:thread",
        roles(200, anonymous=302, partner=404, admin=404),
        kwargs={"subject": "inzet", "pk": "{own_deployment}"},
        label="deployment",
    ),
    Case(
        "discussion:thread",
        roles(302, other_adviser=403, partner=404, admin=404),
        kwargs={"subject": "inzet", "pk": "{own_deployment}"},
        method="post",
        data={"body": "Wanneer kan de eerste sessie plaatsvinden?"},
        label="deployment",
    ),
    Case(
        "discussion:thread",
        roles(200, anonymous=302, specialist=404, other_adviser=200, partner=404, admin=404),
        kwargs={"subject": "inzet", "pk": "{foreign_deployment}"},
        label="foreign-deployment",
    ),
    Case(
        "discussion:thread",
        roles(404, anonymous=302, programme=200, hub=200),
        kwargs={"subject": "productversies", "pk": "{draft_version}"},
        label="draft-version",
    ),
    Case(
        "discussion:thread",
        roles(404, anonymous=302, programme=403, hub=302),
        kwargs={"subject": "productversies", "pk": "{draft_version}"},
        method="post",
        data={"body": "De handleiding mist nog een voorbeeld."},
        label="draft-version",
    ),
    Case(
        "discussion:thread",
        roles(200, anonymous=302, specialist=404, partner=404, admin=404),
        kwargs={"subject": "rapportages", "pk": "{concept_report}"},
        label="report",
    ),
    Case(
        "discussion:thread",
        roles(403, anonymous=302, programme=302, specialist=404, partner=404, admin=404),
        kwargs={"subject": "rapportages", "pk": "{concept_report}"},
        method="post",
        data={"body": "Hoofdstuk 2 kan korter."},
        label="report",
    ),
    Case(
        "discussion:people",
        roles(403, anonymous=302, adviser=200, programme=200, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{own_step}"},
        data={"q": "b"},
    ),
    # a comment is changed by its author alone, within 15 minutes; its author and programme
    # management remove it
    Case(
        "discussion:edit",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{own_step}", "comment": "{alice_comment}"},
    ),
    Case(
        "discussion:edit",
        roles(403, anonymous=302, adviser=302, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{own_step}", "comment": "{alice_comment}"},
        method="post",
        data={"body": "Gewijzigd", "version": "1"},
    ),
    Case(
        "discussion:remove",
        roles(403, anonymous=302, adviser=302, programme=302, partner=404, admin=404),
        kwargs={"subject": "processtappen", "pk": "{own_step}", "comment": "{alice_comment}"},
        method="post",
        data={"version": "1"},
    ),
    Case(
        # removing follows posting: no one writes in an approved report's closed discussion
        "discussion:remove",
        roles(403, anonymous=302, specialist=404, partner=404, admin=404),
        kwargs={"subject": "rapportages", "pk": "{published_report}", "comment": "{pm_comment}"},
        method="post",
        data={"version": "1"},
        label="closed-report",
    ),
    Case(
        "discussion:remove",
        roles(405, anonymous=302),
        kwargs={"subject": "processtappen", "pk": "{own_step}", "comment": "{alice_comment}"},
        label="get",
    ),
    # imports: who may change a region imports its records; nationally an adviser their
    # regions' records, programme management the portfolios; an import is its uploader's
    Case(
        "imports:national", roles(403, anonymous=302, adviser=200, other_adviser=200, programme=200)
    ),
    Case(
        "imports:national",
        roles(403, anonymous=302, adviser=400, other_adviser=400, programme=400),
        method="post",
        data={},
    ),
    Case(
        "imports:template",
        roles(403, anonymous=302, adviser=200, other_adviser=200, programme=404),
        kwargs={"kind": "processtappen"},
    ),
    Case(
        "imports:template",
        roles(403, anonymous=302, adviser=404, other_adviser=404, programme=200),
        kwargs={"kind": "portefeuilles"},
        label="portfolios",
    ),
    Case(
        "imports:region",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
    ),
    Case(
        "imports:region",
        roles(403, anonymous=302, adviser=400, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        method="post",
        data={},
    ),
    Case(
        "imports:region",
        roles(403, anonymous=302, other_adviser=200, partner=404, admin=404, specialist=404),
        kwargs={"code": FOREIGN_REGION},
        label="foreign",
    ),
    Case(
        "imports:region_template",
        roles(403, anonymous=302, adviser=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "kind": "processtappen"},
    ),
    Case(
        "imports:region_template",
        roles(403, anonymous=302, adviser=404, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "kind": "portefeuilles"},
        label="national kind",
    ),
    Case(
        "imports:run",
        roles(404, anonymous=302, adviser=200),
        kwargs={"pk": "{alice_import}"},
    ),
    Case(
        "imports:confirm",
        roles(404, anonymous=302, adviser=302),
        kwargs={"pk": "{alice_import}"},
        method="post",
    ),
    # the admin is the beheerder's
    Case("admin:index", ADMIN_ONLY),
    Case("admin:login", roles(200, admin=302)),
    Case("admin:logout", roles(302), method="post"),
    # reporting: programme management runs the workflow; partners see published reports only
    Case("reporting:index", READERS),
    Case("reporting:index", roles(403, anonymous=302, programme=200), method="post", data={}),
    Case("reporting:compare", roles(200, anonymous=302, specialist=403, partner=404, admin=403)),
    Case(
        "reporting:snapshot",
        roles(200, anonymous=302, specialist=403, partner=404, admin=403),
        kwargs=CONCEPT,
        label="concept",
    ),
    Case("reporting:snapshot", READERS, kwargs=PUBLISHED, label="published"),
    Case(
        "reporting:status",
        roles(200, anonymous=302, specialist=403, partner=404, admin=403),
        kwargs=CONCEPT,
        htmx=roles(286, anonymous=302, specialist=403, partner=404, admin=403),
    ),
    Case(
        "reporting:render",
        roles(403, anonymous=302, programme=302, partner=404),
        kwargs=CONCEPT,
        method="post",
    ),
    Case(
        "reporting:approve",
        roles(403, anonymous=302, programme=302, partner=404),
        kwargs=CONCEPT,
        method="post",
        data={"note": "Gecontroleerd", "version": "1"},
    ),
    Case(
        "reporting:publish",
        roles(403, anonymous=302, programme=302),
        kwargs=PUBLISHED,
        method="post",
        data={"version": "1"},
    ),
    Case(
        "reporting:download",
        roles(200, anonymous=302, specialist=403, partner=404, admin=403),
        kwargs=CONCEPT,
        label="concept",
    ),
    Case("reporting:download", READERS, kwargs=PUBLISHED, label="published"),
    Case(
        "reporting:export_create",
        roles(403, anonymous=302, adviser=302, programme=302, partner=404, admin=404),
        kwargs={"code": OWN_REGION},
        method="post",
        label="own",
    ),
    Case(
        "reporting:export_create",
        roles(
            403,
            anonymous=302,
            other_adviser=302,
            programme=302,
            partner=404,
            admin=404,
            specialist=404,
        ),
        kwargs={"code": FOREIGN_REGION},
        method="post",
        label="foreign",
    ),
    Case(
        "reporting:export",
        roles(403, anonymous=302, adviser=200, programme=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_export}"},
        htmx=roles(403, anonymous=302, adviser=286, programme=286, partner=404, admin=404),
    ),
    Case(
        "reporting:export_download",
        roles(403, anonymous=302, adviser=200, programme=200, partner=404, admin=404),
        kwargs={"code": OWN_REGION, "pk": "{own_export}"},
        label="own",
    ),
    Case(
        "reporting:export_download",
        roles(
            403,
            anonymous=302,
            other_adviser=200,
            programme=200,
            partner=404,
            admin=404,
            specialist=404,
        ),
        kwargs={"code": FOREIGN_REGION, "pk": "{foreign_export}"},
        label="foreign",
    ),
    Case("admin:password_change", ADMIN_ONLY),
    Case("admin:password_change_done", ADMIN_ONLY),
    Case("admin:jsi18n", ADMIN_ONLY),
    Case("admin:autocomplete", roles(302, admin=403)),
    Case("admin:app_list", ADMIN_ONLY, kwargs={"app_label": "accounts"}),
    Case(
        "admin:view_on_site",
        roles(302, admin=404),
        kwargs={"content_type_id": "{user_type}", "object_id": "999999"},  # no such user
    ),
    Case(
        "admin:view_on_site",
        roles(302, admin=404),
        # the audit history's combined events: a kind without a table, so without a page
        kwargs={"content_type_id": "{events_type}", "object_id": "1"},
        label="audit events",
    ),
    Case("admin:accounts_user_changelist", ADMIN_ONLY),
    Case("admin:accounts_user_add", ADMIN_ONLY),
    Case("admin:accounts_user_change", ADMIN_ONLY, kwargs={"object_id": "{alice}"}),
    Case("admin:accounts_user_history", ADMIN_ONLY, kwargs={"object_id": "{alice}"}),
    Case("admin:accounts_user_delete", ADMIN_ONLY, kwargs={"object_id": "{alice}"}),
    Case("admin:auth_user_password_change", ADMIN_ONLY, kwargs={"id": "{alice}"}),
    # outgoing e-mail: the beheerder reads it, nobody adds, changes or deletes it
    Case("admin:notifications_outboxmessage_changelist", ADMIN_ONLY),
    Case("admin:notifications_outboxmessage_add", roles(302, admin=403)),
    Case("admin:notifications_outboxmessage_change", ADMIN_ONLY, kwargs={"object_id": "{outbox}"}),
    Case("admin:notifications_outboxmessage_history", ADMIN_ONLY, kwargs={"object_id": "{outbox}"}),
    Case(
        "admin:notifications_outboxmessage_delete",
        roles(302, admin=403),
        kwargs={"object_id": "{outbox}"},
    ),
    Case("admin:<catch-all>", roles(302, admin=404)),
]


def url_views(patterns=None, prefix=""):
    """(namespaced name, view) of every URL in the URLconf; an unnamed one is "<catch-all>"."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_views(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{prefix}{pattern.name}" if pattern.name else f"{prefix}<catch-all>"
            yield name, pattern.callback


def test_every_url_has_a_row():
    """The API's endpoints have a table of their own (tests/test_api_access.py)."""
    in_urlconf = {name for name, _view in url_views() if not name.startswith("api:")}
    in_table = {case.name for case in CASES}
    assert in_urlconf - in_table == set(), "URLs without a row in the access table"
    assert in_table - in_urlconf == set(), "rows for URLs that no longer exist"


def _foreign_deployment(personas):
    from specialists.models import Deployment

    deployment, _ = Deployment.objects.get_or_create(
        region=personas.foreign_step.region,
        expertise="financien",
        defaults={"requested_by": personas.bob, "status": "lopend"},
    )
    return deployment


def _draft_version(personas):
    from innovation.models import Product, ProductVersion

    product, _ = Product.objects.get_or_create(
        name="Conceptproduct", defaults={"kind": "format", "owner": personas.hub}
    )
    version, _ = ProductVersion.objects.get_or_create(product=product, label="0.1")
    return version


def _done(job, folder: str) -> None:
    """Give a job a finished file, as the worker would."""
    from django.conf import settings

    path = Path(settings.MEDIA_ROOT) / folder / f"{type(job).__name__}-{job.pk}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 test")
    type(job).objects.filter(pk=job.pk).update(
        state="klaar", file=f"{folder}/{path.name}", size=13, sha256="0" * 64
    )


def _reports(personas) -> dict[str, int]:
    """Q1 2026 with a published report, Q2 with a finished draft, and one dossier export of an
    own and a foreign region; made through the services, files written as the worker would.
    The scheduled job froze the quarters, so pm may approve them (four eyes)."""
    from reporting.models import DossierExport, Report, ReportStatus
    from reporting.services import freeze_quarter

    for quarter, status in ((1, ReportStatus.PUBLISHED), (2, ReportStatus.CONCEPT)):
        snapshot = freeze_quarter(year=2026, quarter=quarter, by=None)
        report, created = Report.objects.get_or_create(snapshot=snapshot)
        if created:
            _done(report, "reports")
            Report.objects.filter(pk=report.pk).update(status=status)
    exports = {}
    for key, code, user in (
        ("{own_export}", OWN_REGION, personas.alice),
        ("{foreign_export}", FOREIGN_REGION, personas.bob),
    ):
        export = DossierExport.objects.filter(region__code=code).first()
        if export is None:
            export = DossierExport.objects.create(
                region=Region.objects.get(code=code), requested_by=user
            )
            _done(export, "exports")
        exports[key] = export.pk
    return exports


def _published_version(personas):
    from innovation.models import Product, ProductVersion

    product, _ = Product.objects.get_or_create(
        name="Gepubliceerd product", defaults={"kind": "scan", "owner": personas.hub}
    )
    version, _ = ProductVersion.objects.get_or_create(
        product=product, label="1.0", defaults={"status": "gepubliceerd"}
    )
    return version


def _document(personas, version):
    from innovation.models import VersionDocument

    document = VersionDocument(
        version=version,
        title="Handleiding",
        original_name="handleiding.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=personas.hub,
    )
    document.file.save("handleiding.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _dossier_document(personas, code: str):
    from monitoring.models import Document

    document = Document(
        region=Region.objects.get(code=code),
        title="Toekomstplan",
        original_name="toekomstplan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=personas.alice,
    )
    document.file.save("toekomstplan.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _progress_update(personas, code: str):
    from tests.factories import ProgressUpdateFactory

    region = Region.objects.get(code=code)
    return region.progress_updates.first() or ProgressUpdateFactory(region=region)


def _other_specialist(personas):
    from specialists.models import SpecialistProfile
    from tests.factories import UserFactory

    other = UserFactory(username="spec2", specialist=True)
    SpecialistProfile.objects.get_or_create(user=other, defaults={"expertise": ["juridisch"]})
    return other


def _period(personas):
    from specialists.models import Unavailability

    period, _ = Unavailability.objects.get_or_create(
        profile=personas.spec.specialist_profile,
        start_date=datetime.date(2026, 7, 20),
        end_date=datetime.date(2026, 8, 7),
    )
    return period


def _line(personas):
    from innovation.models import DevelopmentLine

    line, _ = DevelopmentLine.objects.get_or_create(name="Governance")
    return line


def _certification(personas):
    from innovation.models import Certification

    certification, _ = Certification.objects.get_or_create(
        specialist=personas.spec,
        version=_published_version(personas),
        defaults={
            "certified_on": datetime.date(2026, 3, 1),
            "expires_on": datetime.date(2028, 3, 1),
        },
    )
    return certification


def _agenda_item(personas):
    from innovation.models import AgendaItem

    item, _ = AgendaItem.objects.get_or_create(
        title="Handreiking governance",
        defaults={
            "priority": "hoog",
            "owner": personas.hub,
            "start_quarter": "2026-Q2",
            "end_quarter": "2026-Q4",
        },
    )
    return item


def _api_token(personas):
    from api.models import ApiToken
    from api.tokens import issue_token

    token = ApiToken.objects.filter(user=personas.alice).first()
    return token or issue_token(user=personas.alice, name="Script")[0]


def _sign_in(personas):
    """One of alice's sessions in another browser."""
    from accounts.models import SignIn

    sign_in, _ = SignIn.objects.get_or_create(
        user=personas.alice, session_key="another-browser-of-alice", defaults={"user_agent": "X"}
    )
    return sign_in


def _saved_view(personas):
    from dashboard.models import SavedView
    from dashboard.saved import save_view

    view = SavedView.objects.filter(user=personas.alice).first()
    return view or save_view(user=personas.alice, name="Risico", query="status=risico")


def _outbox_message():
    from notifications.models import MessageKind, OutboxMessage

    message, _ = OutboxMessage.objects.get_or_create(
        key="test:access",
        defaults={"kind": MessageKind.TEST, "to": "a@example.org", "subject": "Test", "text": "x"},
    )
    return message


def _notification(personas):
    from notifications.models import Notification

    notification, _ = Notification.objects.get_or_create(
        recipient=personas.alice,
        key="access",
        defaults={
            "kind": "herinnering",
            "title": "Test",
            "url": "/portefeuille/",
            "delivery": "app",
        },
    )
    return notification


def _import(personas):
    """Alice's checked import of one new route step for her region, not yet confirmed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.models import ImportRun
    from imports.services import start

    run = ImportRun.objects.filter(created_by=personas.alice).first()
    if run is None:
        content = b"Stap;Geplande datum\nNieuwe stap;15-11-2026\n"
        run = start(
            upload=SimpleUploadedFile("stappen.csv", content),
            kind="processtappen",
            region=Region.objects.get(code=OWN_REGION),
            by=personas.alice,
        )
    return run


def _partner_contact():
    from notifications.models import PartnerContact

    contact, _ = PartnerContact.objects.get_or_create(
        email="c@szw.example", defaults={"organisation": "SZW", "name": "C"}
    )
    return contact


def _comment(personas):
    from discussion.models import Comment

    comment, _ = Comment.objects.get_or_create(
        subject="processtappen",
        object_id=personas.own_step.pk,
        defaults={
            "region": personas.own_step.region,
            "author": personas.alice,
            "body": "Graag een datum voor het bestuurlijk overleg.",
        },
    )
    return comment


def _concept_report(personas):
    from reporting.models import Report

    _reports(personas)
    return Report.objects.get(snapshot__year=CONCEPT["year"], snapshot__quarter=CONCEPT["quarter"])


def _published_report(personas):
    from reporting.models import Report

    _reports(personas)
    return Report.objects.get(
        snapshot__year=PUBLISHED["year"], snapshot__quarter=PUBLISHED["quarter"]
    )


def _report_comment(personas):
    """Programme management's comment in the published report's (closed) discussion, from
    when it was a draft."""
    from discussion.models import Comment

    comment, _ = Comment.objects.get_or_create(
        subject="rapportages",
        object_id=_published_report(personas).pk,
        defaults={"author": personas.pm, "body": "Hoofdstuk 3 kan korter."},
    )
    return comment


def _resolve(case: Case, personas) -> str:
    if case.name == "admin:<catch-all>":
        return "/beheer/bestaat-niet/"
    if case.name.startswith("reporting:"):
        kwargs = {k: _reports(personas).get(v, v) for k, v in case.kwargs.items()}
        return reverse(case.name, kwargs=kwargs)
    placeholders = {
        "{alice}": lambda: personas.alice.pk,
        "{user_type}": lambda: ContentType.objects.get_for_model(personas.alice).pk,
        "{events_type}": lambda: (
            ContentType.objects.get_for_model(Events, for_concrete_model=False).pk
        ),
        "{alice_token}": lambda: _api_token(personas).pk,
        "{alice_sign_in}": lambda: _sign_in(personas).pk,
        "{alice_saved_view}": lambda: _saved_view(personas).pk,
        "{feed_token}": lambda: renew_feed(personas.alice),
        "{alice_notification}": lambda: _notification(personas).pk,
        "{alice_import}": lambda: _import(personas).pk,
        "{alice_comment}": lambda: _comment(personas).pk,
        "{concept_report}": lambda: _concept_report(personas).pk,
        "{published_report}": lambda: _published_report(personas).pk,
        "{pm_comment}": lambda: _report_comment(personas).pk,
        "{unsubscribe_token}": lambda: unsubscribe_token(user=personas.alice, kind="herinnering"),
        "{contact}": lambda: _partner_contact().pk,
        "{outbox}": lambda: _outbox_message().pk,
        "{own_step}": lambda: personas.own_step.pk,
        "{foreign_step}": lambda: personas.foreign_step.pk,
        "{own_update}": lambda: _progress_update(personas, OWN_REGION).pk,
        "{foreign_update}": lambda: _progress_update(personas, FOREIGN_REGION).pk,
        "{own_dossier_document}": lambda: _dossier_document(personas, OWN_REGION).pk,
        "{foreign_dossier_document}": lambda: _dossier_document(personas, FOREIGN_REGION).pk,
        "{own_deployment}": lambda: personas.spec.deployments.get().pk,
        "{foreign_deployment}": lambda: _foreign_deployment(personas).pk,
        "{draft_product}": lambda: _draft_version(personas).product_id,
        "{draft_version}": lambda: _draft_version(personas).pk,
        "{spec}": lambda: personas.spec.pk,
        "{other_spec}": lambda: _other_specialist(personas).pk,
        "{period}": lambda: _period(personas).pk,
        "{line}": lambda: _line(personas).pk,
        "{certification}": lambda: _certification(personas).pk,
        "{agenda_item}": lambda: _agenda_item(personas).pk,
        "{published_document}": lambda: _document(personas, _published_version(personas)).pk,
        "{draft_document}": lambda: _document(personas, _draft_version(personas)).pk,
    }
    kwargs = {k: placeholders[v]() if v in placeholders else v for k, v in case.kwargs.items()}
    return reverse(case.name, kwargs=kwargs)


def _data(case: Case, personas) -> dict | None:
    """Posted field names may carry a placeholder (a form prefix with a primary key)."""
    if case.data is None:
        return None
    draft = str(_draft_version(personas).pk) if "{draft_version}" in str(case.data) else ""
    return {key.replace("{draft_version}", draft): value for key, value in case.data.items()}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access(client, personas, case, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = personas.by_role(role)
    if user is not None:
        client.force_login(user)
    url = _resolve(case, personas)
    expected = case.expect[role]

    response = getattr(client, case.method)(url, data=_data(case, personas))
    assert response.status_code == expected, f"{case.id} as {role}: {response.status_code}"

    if case.method == "get":
        # htmx partials go through the same access check as the page.
        partial = client.get(url, headers={"HX-Request": "true", "HX-Target": "progress"})
        expected_partial = (case.htmx or case.expect)[role]
        if expected_partial == 302 and getattr(response, "url", "").startswith(reverse("login")):
            # Without a session htmx gets 401, not the log-in page to swap into the form.
            expected_partial = 401
        assert partial.status_code == expected_partial, f"{case.id} partial as {role}"


def test_state_changing_urls_refuse_get(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("logout")).status_code == 405
