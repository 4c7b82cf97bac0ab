"""“Waar is hulp nodig”: regions ranked by risk, each reason linked to its evidence."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.queries import DashboardRow
from monitoring.freshness import is_stale
from monitoring.models import Status

__all__ = ["HelpCase", "help_needed", "reasons_for"]


@dataclass(frozen=True)
class Reason:
    text: str
    url: str


@dataclass(frozen=True)
class HelpCase:
    row: DashboardRow
    score: int
    reasons: list[Reason]


def _stage_gap(row: DashboardRow) -> int:
    return max(
        (row.expected if row.expected is not None else -1)
        - (row.reached if row.reached is not None else -1),
        0,
    )


def _without_decision(row: DashboardRow) -> bool:
    return row.upcoming_decisions == 0 and row.readiness != "gereed"


def _score(row: DashboardRow, today: date) -> int:
    """How much help a region needs: the weights of the reasons `reasons_for` lists, without
    building their texts and links (every region is scored, ten are shown)."""
    score = {Status.RISK: 3, Status.ATTENTION: 1}.get(row.status, 0)
    score += 2 * _stage_gap(row)
    score += min(row.late_steps, 3)
    score += 2 * is_stale(row.update_age_days(today))
    score += 2 * _without_decision(row)
    score += 1 * bool(row.open_signals)
    return score


def reasons_for(row: DashboardRow, today: date) -> list[Reason]:
    """Why the row's region needs help, each reason with the address of its evidence."""
    page = row.region.get_absolute_url()
    reasons = []
    if row.status == Status.RISK:
        reasons.append(Reason(_("Latest progress update: at risk"), f"{page}#progress"))
    elif row.status == Status.ATTENTION:
        reasons.append(Reason(_("Latest progress update: needs attention"), f"{page}#progress"))
    gap = _stage_gap(row)
    if gap:
        reasons.append(
            Reason(
                ngettext("%(n)s stage behind plan", "%(n)s stages behind plan", gap) % {"n": gap},
                f"{page}#section-fasen",
            )
        )
    if row.late_steps:
        reasons.append(
            Reason(
                ngettext("%(n)s late route step", "%(n)s late route steps", row.late_steps)
                % {"n": row.late_steps},
                f"{page}#section-processtappen",
            )
        )
    age = row.update_age_days(today)
    if is_stale(age):
        text = (
            _("No progress update yet")
            if age is None
            else _("Last progress update %(days)s days ago") % {"days": age}
        )
        reasons.append(Reason(text, f"{page}#progress"))
    if _without_decision(row):
        reasons.append(
            Reason(_("No decision moment planned or taken"), f"{page}#section-besluiten")
        )
    if row.open_signals:
        reasons.append(
            Reason(
                ngettext("%(n)s open signal", "%(n)s open signals", row.open_signals)
                % {"n": row.open_signals},
                f"{page}#section-signalen",
            )
        )
    return reasons


def help_needed(rows: list[DashboardRow], today: date, limit: int = 10) -> list[HelpCase]:
    """The `limit` regions that need help most, each with its reasons."""
    scored = [(score, row) for row in rows if (score := _score(row, today))]
    scored.sort(key=lambda item: (-item[0], item[1].region.name))
    return [
        HelpCase(row=row, score=score, reasons=reasons_for(row, today))
        for score, row in scored[:limit]
    ]
