"""Build the frozen data of a quarterly snapshot, and compare two snapshots.

The snapshot is plain JSON, so the report, its CSV/JSON attachments and later comparisons read
the same figures, and none of them depends on records that change after the quarter.

Reference date: the quarter's last day (or today, for a quarter still running). Dated records
(milestones reached, progress updates, meetings, pilots, signals, decisions, deployments) count
only when dated on or before it; route steps count as late when planned before it and not
finished by it. The results (dashboard/results.py) are computed with that date as "today".
"""

import csv
import io
import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.hashing import sha256_hex
from core.quarters import label as quarter_label
from core.quarters import quarter_end, quarter_of, quarters_until
from core.spreadsheets import safe_row
from dashboard.queries import STAGES
from dashboard.readiness import URGENCY, Readiness, readiness_of, stage_inputs
from dashboard.results import compute_indicators, registered
from monitoring.models import Expertise, ProgressUpdate, SignalStatus, Status
from regions.models import Region
from specialists.models import Deployment

__all__ = [
    "build_data",
    "canonical_json",
    "compare",
    "shown_indicators",
    "shown_regions",
    "snapshot_csv",
]

SCHEMA = 1
STATUS_LABELS = {s.value: str(s.label) for s in Status}

OPEN_SIGNAL = (SignalStatus.OPEN, SignalStatus.PASSED_ON)  # a signal still waiting for a reply


def canonical_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, indent=1)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _regions():
    """All regions with every record the report shows, in a fixed number of queries."""
    return (
        Region.objects.defer("svg_path", "bbox")
        .select_related("adviser", "route")
        .prefetch_related(
            "milestones",
            "route_steps",
            "pilots",
            "meetings",
            "signals",
            "decisions",
            "scenarios",
            "product_uses",
            "municipalities",
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.order_by("year", "quarter", "created_at", "pk"),
            ),
            Prefetch(
                "deployments",
                queryset=Deployment.objects.select_related("specialist")
                .prefetch_related("hours_entries")
                .order_by("requested_at"),
            ),
        )
        .order_by("name")
    )


def _region_state(region: Region, as_of: date, year: int, quarter: int) -> dict:
    stages = stage_inputs(
        ((region.pk, m.stage, m.planned_date, m.reached_date) for m in region.milestones.all()),
        as_of=as_of,
    )
    reached, expected = stages.reached.get(region.pk), stages.expected.get(region.pk)
    planned_any = region.pk in stages.planned
    updates = [u for u in region.progress_updates.all() if (u.year, u.quarter) <= (year, quarter)]
    latest = updates[-1] if updates else None
    status_per_quarter = {f"{u.year} Q{u.quarter}": u.status for u in updates}
    steps = sorted(region.route_steps.all(), key=lambda s: (s.order, s.planned_date, s.pk))

    def late(step) -> bool:
        return step.is_late_on(as_of)

    late_steps = sum(1 for step in steps if late(step))
    status = latest.status if latest else None
    readiness = readiness_of(
        reached=reached,
        expected=expected,
        planned_any=planned_any,
        late_steps=late_steps,
        status=status,
    )
    route = getattr(region, "route", None)
    signals = [s for s in region.signals.all() if s.raised_on <= as_of]
    expertise = dict(Expertise.choices)
    return {
        "code": region.code,
        "name": region.name,
        "adviser": region.adviser.get_full_name() if region.adviser else "",
        "municipalities": len(region.municipalities.all()),
        "stage": reached,
        "stage_label": str(STAGES[reached].label) if reached is not None else "",
        "expected_stage": expected,
        "status": status,
        "status_label": STATUS_LABELS.get(status, _("No update yet")),
        "readiness": readiness.value,
        "readiness_label": str(readiness.label),
        "late_steps": late_steps,
        "open_signals": sum(1 for s in signals if s.status in OPEN_SIGNAL),
        "last_update": _iso(latest.created_at.date()) if latest else None,
        "narrative": latest.narrative if latest else "",
        "help_needed": latest.help_needed if latest else "",
        "route": {
            "agreed_on": _iso(route.agreed_on) if route else None,
            "agreed_with": route.agreed_with if route else "",
            "steps": [
                {
                    "order": s.order,
                    "title": s.title,
                    "status": str(s.get_status_display()),
                    "planned": _iso(s.planned_date),
                    "done": _iso(s.actual_date),
                    "late": late(s),
                    "expertise": [str(expertise.get(e, e)) for e in s.expertise],
                }
                for s in steps
            ],
        },
        "scenarios": [
            {"national": s.national_scenario, "chosen": s.chosen} for s in region.scenarios.all()
        ],
        "decisions": [
            {
                "date": _iso(d.date),
                "body": str(d.get_body_display()),
                "subject": d.subject,
                "outcome": str(d.get_outcome_display()),
            }
            for d in sorted(region.decisions.all(), key=lambda d: d.date)
            if d.date <= as_of
        ],
        "deployments": [
            {
                "expertise": str(expertise.get(d.expertise, d.expertise)),
                "specialist": d.specialist.get_full_name() if d.specialist else "",
                "status": str(d.get_status_display()),
                "planned_hours": d.planned_hours,
                # The hours log up to the quarter's end (a number in the JSON: quarter hours
                # are exact as floats).
                "spent_hours": float(sum(e.hours for e in d.hours_entries.all() if e.day <= as_of)),
                "result": d.result,
            }
            for d in region.deployments.all()
            if timezone.localtime(d.requested_at).date() <= as_of
        ],
        "pilots": [
            {
                "title": p.title,
                "kind": str(p.get_kind_display()),
                "start": _iso(p.start_date),
                "delivered": p.delivered,
                "outcomes": p.outcomes,
            }
            for p in sorted(region.pilots.all(), key=lambda p: p.start_date)
            if p.start_date <= as_of
        ],
        "meetings": [
            {"date": _iso(m.date), "kind": str(m.get_kind_display()), "title": m.title}
            for m in sorted(region.meetings.all(), key=lambda m: m.date)
            if m.date <= as_of
        ],
        "signals": [
            {
                "raised_on": _iso(s.raised_on),
                "title": s.title,
                "description": s.description,
                "addressed_to": str(s.get_addressed_to_display()),
                "status": str(s.get_status_display()),
                "open": s.status in OPEN_SIGNAL,
                "response": s.response,
            }
            for s in sorted(signals, key=lambda s: s.raised_on)
        ],
        "status_per_quarter": status_per_quarter,
        "instruments": sum(1 for u in region.product_uses.all() if u.applied_on <= as_of),
    }


def _indicator(indicator) -> dict:
    return {
        "key": indicator.key,
        "seed": indicator.seed,
        "result": indicator.result,
        "measure": indicator.measure,
        "value": indicator.value,
        "target": indicator.target,
        "kind": indicator.kind,
        "state": indicator.state,
        "evidence": [e.label for e in indicator.evidence.all()],
    }


def build_data(*, year: int, quarter: int, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    as_of = min(quarter_end(year, quarter), today)
    regions = [_region_state(r, as_of, year, quarter) for r in _regions()]
    stage_counts = [0] * len(STAGES)
    for region in regions:
        if region["stage"] is not None:
            stage_counts[region["stage"]] += 1
    hours: dict[str, float] = {}
    for region in regions:
        for deployment in region["deployments"]:
            hours[deployment["expertise"]] = (
                hours.get(deployment["expertise"], 0) + deployment["spent_hours"]
            )
    quarters = [f"{y} Q{q}" for y, q in quarters_until(as_of)]
    status_trend = {
        label: {
            s.value: sum(1 for r in regions if r["status_per_quarter"].get(label) == s.value)
            for s in Status
        }
        for label in quarters
    }
    activity_trend = {label: {"meetings": 0, "pilots": 0} for label in quarters}
    for region in regions:
        for key, items, field in (
            ("meetings", region["meetings"], "date"),
            ("pilots", region["pilots"], "start"),
        ):
            for item in items:
                day = date.fromisoformat(item[field])
                label = quarter_label(day.year, quarter_of(day))
                if label in activity_trend:
                    activity_trend[label][key] += 1
    activity = {
        "meetings": sum(len(r["meetings"]) for r in regions),
        "pilots": sum(len(r["pilots"]) for r in regions),
        "signals": sum(len(r["signals"]) for r in regions),
        "deployments": sum(len(r["deployments"]) for r in regions),
    }
    return {
        "schema": SCHEMA,
        "year": year,
        "quarter": quarter,
        "as_of": as_of.isoformat(),
        "regions": regions,
        "stages": [
            {"label": str(stage.label), "count": stage_counts[i]} for i, stage in enumerate(STAGES)
        ],
        "readiness": [
            {
                "key": r.value,
                "label": str(r.label),
                "count": sum(1 for x in regions if x["readiness"] == r.value),
            }
            for r in URGENCY
        ],
        "statuses": [
            {
                "key": s.value,
                "label": str(s.label),
                "count": sum(1 for x in regions if x["status"] == s.value),
            }
            for s in Status
        ],
        "hours": [
            {"label": str(label), "hours": hours.get(str(label), 0)}
            for _value, label in Expertise.choices
        ],
        "activity": activity,
        "status_trend": status_trend,
        "activity_trend": activity_trend,
        "indicators": [
            _indicator(i) for i in compute_indicators(Region.objects.all(), today=as_of)
        ],
    }


def sha256_of(data: dict) -> str:
    return sha256_hex(canonical_json(data))


CSV_COLUMNS = [
    "code",
    "name",
    "adviser",
    "stage_label",
    "status_label",
    "readiness_label",
    "late_steps",
    "open_signals",
    "last_update",
    "instruments",
]


def snapshot_csv(data: dict) -> str:
    """One row per region: the figures of the report, machine-readable."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*CSV_COLUMNS, "route_steps", "deployments", "pilots", "meetings", "signals"])
    for region in data["regions"]:
        writer.writerow(
            [
                *safe_row(region[c] if region[c] is not None else "" for c in CSV_COLUMNS),
                len(region["route"]["steps"]),
                len(region["deployments"]),
                len(region["pilots"]),
                len(region["meetings"]),
                len(region["signals"]),
            ]
        )
    writer.writerow([])
    writer.writerow(["indicator", "result", "value", "target", "state"])
    for indicator in data["indicators"]:
        writer.writerow(
            [
                indicator["key"],
                indicator["result"],
                "" if indicator["value"] is None else indicator["value"],
                "" if indicator["target"] is None else indicator["target"],
                indicator["state"],
            ]
        )
    return out.getvalue()


# --- shown in the reader's language ------------------------------------------------------------
#
# A snapshot is frozen in Dutch (reporting.services.freeze_quarter): beside each code (a stage's
# number, a status, a readiness, a result's key) it keeps the Dutch label of that moment. A Dutch
# reader sees those frozen labels as they are; any other language gets the label of the code,
# translated now. A code this version no longer knows keeps its frozen label. The data itself is
# never changed.

FROZEN_LANGUAGE = "nl"


def _frozen_language() -> bool:
    return (translation.get_language() or FROZEN_LANGUAGE).split("-")[0] == FROZEN_LANGUAGE


def stage_label(stage, frozen: str) -> str:
    if _frozen_language() or not isinstance(stage, int) or not 0 <= stage < len(STAGES):
        return frozen
    return str(STAGES[stage].label)


def status_label(status, frozen: str) -> str:
    if _frozen_language():
        return frozen
    if status is None:
        return _("No update yet")
    return str(Status(status).label) if status in Status.values else frozen


def readiness_label(readiness, frozen: str) -> str:
    if _frozen_language() or readiness not in Readiness.values:
        return frozen
    return str(Readiness(readiness).label)


def result_text(key: str, frozen: str) -> str:
    """A result's title: the frozen one in Dutch, else the registered result's translation."""
    if _frozen_language():
        return frozen
    result = next((r for r in registered() if r.key == key), None)
    return str(result.result) if result else frozen


def shown_regions(data: dict) -> list[dict]:
    """The snapshot's regions with stage, status and readiness in the reader's language."""
    # .get: the page shows whatever a snapshot holds, even one missing a figure.
    return [
        region
        | {
            "stage_label": stage_label(region.get("stage"), region.get("stage_label", "")),
            "status_label": status_label(region.get("status"), region.get("status_label", "")),
            "readiness_label": readiness_label(
                region.get("readiness"), region.get("readiness_label", "")
            ),
        }
        for region in data.get("regions", [])
    ]


def shown_indicators(data: dict) -> list[dict]:
    """The snapshot's results with their titles in the reader's language."""
    return [
        i | {"result": result_text(i.get("key", ""), i.get("result", ""))}
        for i in data.get("indicators", [])
    ]


COMPARED = [
    ("stage_label", "stage"),
    ("status_label", "status"),
    ("readiness_label", "readiness"),
    ("late_steps", "late_steps"),
    ("open_signals", "open_signals"),
]


def compare(older: dict, newer: dict) -> dict:
    """What moved between two snapshots: per region the changed figures, per indicator the
    changed value, and the readiness counts side by side; labels in the reader's language."""
    older = older | {"regions": shown_regions(older)}
    newer = newer | {"regions": shown_regions(newer), "indicators": shown_indicators(newer)}
    before = {r["code"]: r for r in older["regions"]}
    regions = []
    for region in newer["regions"]:
        old = before.get(region["code"])
        if old is None:
            regions.append({"name": region["name"], "code": region["code"], "changes": []})
            continue
        changes = [
            {"field": key, "before": old[label], "after": region[label]}
            for label, key in COMPARED
            if old[label] != region[label]
        ]
        for key in ("pilots", "meetings", "signals", "deployments"):
            if len(old[key]) != len(region[key]):
                changes.append({"field": key, "before": len(old[key]), "after": len(region[key])})
        if changes:
            regions.append({"name": region["name"], "code": region["code"], "changes": changes})
    old_indicators = {i["key"]: i for i in older["indicators"]}
    indicators = [
        {
            "key": i["key"],
            "result": i["result"],
            "before": old_indicators.get(i["key"], {}).get("value"),
            "after": i["value"],
            "state_before": old_indicators.get(i["key"], {}).get("state"),
            "state_after": i["state"],
        }
        for i in newer["indicators"]
        if old_indicators.get(i["key"], {}).get("value") != i["value"]
    ]
    old_readiness = {r["key"]: r["count"] for r in older["readiness"]}
    readiness = [
        {
            "label": readiness_label(r["key"], r["label"]),
            "before": old_readiness.get(r["key"], 0),
            "after": r["count"],
        }
        for r in newer["readiness"]
    ]
    return {"regions": regions, "indicators": indicators, "readiness": readiness}


def readiness_css(key: str) -> str:
    return f"readiness-{key}" if key in Readiness.values else "readiness-onbekend"
