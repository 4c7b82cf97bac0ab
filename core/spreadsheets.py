"""Cells for spreadsheets we write (CSV and XLSX exports): a text that a spreadsheet program
would read as a formula is made plain text (OWASP "CSV injection").

A text starting with "=", "+", "-" or "@" (or a tab or carriage return, which some programs
skip before looking) gets a leading apostrophe, which Excel and LibreOffice show as text and
never evaluate; numbers stay numbers."""

from collections.abc import Iterable

__all__ = ["safe_cell", "safe_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]
