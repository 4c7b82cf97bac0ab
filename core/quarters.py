"""Quarters of the calendar year: the programme reports, freezes and charts by them.

The one home of quarter arithmetic; a quarter is a (year, quarter) pair, quarter 1 to 4.
"""

from datetime import date

__all__ = [
    "FIRST",
    "current_quarter",
    "label",
    "previous_quarter",
    "quarter_end",
    "quarter_of",
    "quarter_start",
    "quarters_until",
]

FIRST = (2025, 1)  # the programme's first quarter on record


def quarter_of(day: date) -> int:
    """1 for January-March, ..., 4 for October-December."""
    return (day.month - 1) // 3 + 1


def current_quarter(today: date) -> tuple[int, int]:
    return today.year, quarter_of(today)


def previous_quarter(today: date) -> tuple[int, int]:
    year, quarter = current_quarter(today)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter * 3 - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, 31 if month in (3, 12) else 30)


def quarters_until(today: date, first: tuple[int, int] = FIRST) -> list[tuple[int, int]]:
    """Every quarter from `first` up to and including the one `today` falls in."""
    quarters, (year, quarter) = [], first
    current = current_quarter(today)
    while (year, quarter) <= current:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def label(year: int, quarter: int) -> str:
    """As the pages, reports and snapshots write a quarter: "2026 Q3"."""
    return f"{year} Q{quarter}"
