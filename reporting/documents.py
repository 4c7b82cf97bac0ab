"""Renderers: each returns (filename, content_type, bytes), so tasks and downloads share one path
(pretix' invoice renderers). The quarterly report reads only its frozen snapshot."""

import io
import json
import zipfile

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.display import display_value
from core.hashing import sha256_hex
from core.history import history_of
from core.quarters import quarter_start
from dashboard.charts import bar_chart, column_chart
from dashboard.readiness import RULE_TEXT, URGENCY, Readiness
from discussion.services import region_discussions
from monitoring.models import RECORD_KINDS, PlanStage, Status
from regions.maps import SvgMap, choropleth
from regions.models import Region
from reporting.models import DossierExport, Report, ReportStatus
from reporting.pdf import PdfAttachment, render_to_pdf
from reporting.snapshots import canonical_json, snapshot_csv

__all__ = ["render_dossier", "render_report"]

REPORT_VARIANT = "pdf/a-3u"
DOSSIER_VARIANT = "pdf/a-2u"


def _snapshot_map(data: dict) -> SvgMap:
    """The national map coloured by the snapshot's readiness: today's outlines, frozen colours."""
    frozen = {r["code"]: r for r in data["regions"]}
    regions = list(
        Region.objects.filter(code__in=frozen)
        .only("code", "name", "svg_path", "bbox")
        .order_by("name")
    )

    def classify(region):
        state = frozen[region.code]
        return f"readiness-{state['readiness']}", f"{region.name}: {state['readiness_label']}"

    return choropleth(
        regions,
        classify,
        [(f"readiness-{r.value}", str(r.label)) for r in URGENCY],
        _("Map of the regions by readiness for 31 December 2026"),
        linked=False,
    )


def _charts(data: dict) -> dict:
    stage = bar_chart(
        _("Regions per stage of the future plan"),
        [(s["label"], s["count"], f"stage-{i}") for i, s in enumerate(data["stages"])],
    )
    readiness = bar_chart(
        _("Regions per readiness"),
        [(r["label"], r["count"], f"readiness-{r['key']}") for r in data["readiness"]],
    )
    hours = bar_chart(
        _("Specialist hours per expertise"),
        [(h["label"], h["hours"], "activity-meetings") for h in data["hours"]],
    )
    status_series = [(s.value, s.label, f"status-{s.value}") for s in Status]
    trend = column_chart(
        _("Status of the regions per quarter"),
        list(data["status_trend"]),
        status_series,
        data["status_trend"],
    )
    activity = column_chart(
        _("Meetings and pilots per quarter"),
        list(data["activity_trend"]),
        [
            ("meetings", _("Meetings"), "activity-meetings"),
            ("pilots", _("Pilots"), "activity-pilots"),
        ],
        data["activity_trend"],
    )
    return {
        "stage": stage,
        "readiness": readiness,
        "trend": trend,
        "activity": activity,
        "hours": hours,
    }


def _quarter_page(region: dict, start: str, end: str) -> dict:
    """What one region's page shows: the quarter's meetings, pilots that started in it or are
    still running, and signals raised in it or still open. Everything else stays in the
    attached JSON, so the page stays one page however long the history."""
    meetings = [m for m in region["meetings"] if start <= m["date"] <= end]
    pilots = [p for p in region["pilots"] if p["start"] >= start or not p["delivered"]]
    signals = [s for s in region["signals"] if s["raised_on"] >= start or s.get("open")]
    return region | {
        "meetings": meetings,
        "pilots": pilots,
        "signals": signals,
        "earlier": {
            "meetings": len(region["meetings"]) - len(meetings),
            "pilots": len(region["pilots"]) - len(pilots),
            "signals": len(region["signals"]) - len(signals),
        },
    }


def _summary(data: dict) -> dict:
    regions = data["regions"]
    indicators = data["indicators"]
    return {
        "regions": len(regions),
        "ready": sum(1 for r in regions if r["readiness"] == "gereed"),
        "critical": sum(1 for r in regions if r["readiness"] == Readiness.CRITICAL),
        "behind": sum(1 for r in regions if r["readiness"] == "achter"),
        "met": sum(1 for i in indicators if i["state"] == "met"),
        "not_met": sum(1 for i in indicators if i["state"] == "not_met"),
        "measured": sum(1 for i in indicators if i["state"] in ("met", "not_met")),
        "signals": sum(len(r["signals"]) for r in regions),
        "late_steps": sum(r["late_steps"] for r in regions),
        "attention": sorted(
            (r for r in regions if r["readiness"] in (Readiness.CRITICAL, Readiness.BEHIND)),
            key=lambda r: (r["readiness"] != Readiness.CRITICAL, -r["late_steps"], r["name"]),
        )[:8],
    }


def render_report(report: Report) -> tuple[str, str, bytes]:
    snapshot = report.snapshot
    data = snapshot.data
    start = quarter_start(snapshot.year, snapshot.quarter).isoformat()
    with translation.override("nl"):
        context = {
            "pdf": True,
            "report": report,
            "snapshot": snapshot,
            "data": data,
            "status_label": _status_label(report),
            "summary": _summary(data),
            "map": _snapshot_map(data),
            "charts": _charts(data),
            "regions": [_quarter_page(r, start, data["as_of"]) for r in data["regions"]],
            "signals": [
                (region["name"], signal)
                for region in data["regions"]
                for signal in region["signals"]
                if signal["raised_on"] >= start or signal.get("open")
            ],
            "rule": [str(line) for line in RULE_TEXT],
            "stages": [str(s.label) for s in PlanStage],
            "generated_at": timezone.now(),
        }
        content = render_to_pdf(
            "reporting/report_pdf.html",
            context,
            variant=REPORT_VARIANT,
            attachments=[
                PdfAttachment(
                    f"kwartaalmonitor-{snapshot.year}-q{snapshot.quarter}.json",
                    canonical_json(data).encode(),
                    "Snapshot (JSON)",
                    "application/json",
                ),
                PdfAttachment(
                    f"kwartaalmonitor-{snapshot.year}-q{snapshot.quarter}.csv",
                    snapshot_csv(data).encode(),
                    "Regio's en indicatoren (CSV)",
                    "text/csv",
                ),
            ],
        )
    return report.filename, "application/pdf", content


def _status_label(report: Report) -> str:
    """The running header's word: CONCEPT until approved."""
    if report.status == ReportStatus.CONCEPT:
        return "CONCEPT"
    return str(report.get_status_display()).upper()


def _dossier_sections(region: Region) -> list[dict]:
    sections = []
    for section in RECORD_KINDS.values():
        manager = getattr(region, section.related_name, None)
        if section.single:
            records = [manager] if manager is not None else []
        else:
            records = list(manager.all()) if manager is not None else []
        fields = [section.model._meta.get_field(name) for name in section.columns]
        sections.append(
            {
                "title": str(section.title),
                "headers": [str(f.verbose_name) for f in fields],
                "rows": [[display_value(r, f.name) for f in fields] for r in records],
            }
        )
    return sections


def render_dossier(export: DossierExport) -> tuple[str, str, bytes]:
    """The ZIP: dossier.pdf (PDF/A-2u), the original documents and manifest.json."""
    region = Region.objects.select_related("adviser").get(pk=export.region_id)
    documents = list(
        region.documents.current().select_related("uploaded_by").order_by("uploaded_at", "pk")
    )
    updates = list(region.progress_updates.select_related("author").order_by("-created_at"))
    deployments = list(
        region.deployments.with_spent_hours()
        .select_related("specialist")
        .order_by("requested_at", "pk")
    )
    with translation.override("nl"):
        context = {
            "pdf": True,
            "region": region,
            "export": export,
            "sections": _dossier_sections(region),
            "updates": updates,
            "deployments": deployments,
            "documents": documents,
            "discussions": region_discussions(region),
            "history": history_of(region, limit=100_000),
            "generated_at": timezone.now(),
        }
        pdf = render_to_pdf("reporting/dossier_pdf.html", context, variant=DOSSIER_VARIANT)
    manifest = {
        "region": {"code": region.code, "name": region.name},
        "export": export.pk,
        "generated_at": context["generated_at"].isoformat(),
        "requested_by": str(export.requested_by),
        "files": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dossier.pdf", pdf)
        manifest["files"].append(
            {"path": "dossier.pdf", "sha256": sha256_hex(pdf), "size": len(pdf)}
        )
        for document in documents:
            path = f"documenten/{document.pk:06d}-{_safe_name(document.original_name)}"
            entry = {
                "path": path,
                "title": document.title,
                "sha256": document.sha256,
                "uploaded_at": document.uploaded_at.isoformat(),
                "uploaded_by": str(document.uploaded_by),
            }
            try:
                with document.file.open("rb") as handle:
                    content = handle.read()
            except FileNotFoundError:
                # An audit must see that a file is gone, not get no export at all.
                entry |= {"path": None, "missing": True, "sha256_verified": False}
            else:
                archive.writestr(path, content)
                entry |= {"sha256_verified": sha256_hex(content) == document.sha256}
                entry["size"] = len(content)
            manifest["files"].append(entry)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return export.filename, "application/zip", buffer.getvalue()


def _safe_name(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return keep.lstrip(".")[:120] or "document"
