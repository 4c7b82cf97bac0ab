"""“Waar is hulp nodig”: regions ranked by risk, each reason linked to its evidence."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.queries import STALE_AFTER_DAYS, DashboardRow
from monitoring.models import Status

__all__ = ["HelpCase", "help_needed"]


@dataclass(frozen=True)
class Reason:
    text: str
    url: str


@dataclass(frozen=True)
class HelpCase:
    row: DashboardRow
    score: int
    reasons: list[Reason]


def _reasons(row: DashboardRow, today: date) -> tuple[int, list[Reason]]:
    page = row.region.get_absolute_url()
    score, reasons = 0, []
    if row.status == Status.RISK:
        score += 3
        reasons.append(Reason(_("Latest progress update: at risk"), f"{page}#progress"))
    elif row.status == Status.ATTENTION:
        score += 1
        reasons.append(Reason(_("Latest progress update: needs attention"), f"{page}#progress"))
    gap = max(
        (row.expected if row.expected is not None else -1)
        - (row.reached if row.reached is not None else -1),
        0,
    )
    if gap:
        score += 2 * gap
        reasons.append(
            Reason(
                ngettext("%(n)s stage behind plan", "%(n)s stages behind plan", gap) % {"n": gap},
                f"{page}#section-fasen",
            )
        )
    if row.late_steps:
        score += min(row.late_steps, 3)
        reasons.append(
            Reason(
                ngettext("%(n)s late route step", "%(n)s late route steps", row.late_steps)
                % {"n": row.late_steps},
                f"{page}#section-processtappen",
            )
        )
    age = row.update_age_days(today)
    if age is None or age > STALE_AFTER_DAYS:
        score += 2
        text = (
            _("No progress update yet")
            if age is None
            else _("Last progress update %(days)s days ago") % {"days": age}
        )
        reasons.append(Reason(text, f"{page}#progress"))
    if row.upcoming_decisions == 0 and row.readiness != "gereed":
        score += 2
        reasons.append(
            Reason(_("No decision moment planned or taken"), f"{page}#section-besluiten")
        )
    if row.open_signals:
        score += 1
        reasons.append(
            Reason(
                ngettext("%(n)s open signal", "%(n)s open signals", row.open_signals)
                % {"n": row.open_signals},
                f"{page}#section-signalen",
            )
        )
    return score, reasons


def help_needed(rows: list[DashboardRow], today: date, limit: int = 10) -> list[HelpCase]:
    cases = []
    for row in rows:
        score, reasons = _reasons(row, today)
        if score:
            cases.append(HelpCase(row=row, score=score, reasons=reasons))
    cases.sort(key=lambda c: (-c.score, c.row.region.name))
    return cases[:limit]
