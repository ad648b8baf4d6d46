"""CSV exports that spreadsheets cannot turn into live formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

# OWASP "CSV injection": a cell starting with one of these is evaluated by spreadsheet
# software. Prefixing an apostrophe makes it text while keeping the visible value.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text  # numbers, including negative ones, stay numbers
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_rows(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Yield the CSV line by line, so large exports stream instead of filling memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in (header, *rows):
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
