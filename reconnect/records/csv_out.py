"""CSV files Reconnect writes: no cell a spreadsheet would run as a formula.

A cell starting with "=", "+", "-" or "@" (or a tab or carriage return, which some
spreadsheets skip before reading a formula) is opened by Excel, LibreOffice and Google Sheets
as a formula. Any such text is written with a single quote in front, which the spreadsheet
shows as text; the importer takes that quote off again, so a file Reconnect wrote imports
unchanged.
"""
from __future__ import annotations

import csv
from typing import IO, Any, Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, quoted; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unquote(value: str) -> str:
    """The text `spreadsheet_safe` quoted, as it was."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeDictWriter:
    """csv.DictWriter whose every text cell goes through `spreadsheet_safe`."""

    def __init__(self, handle: IO[str], fieldnames: Sequence[str], **options: Any):
        self._writer = csv.DictWriter(handle, fieldnames=list(fieldnames), **options)

    def writeheader(self) -> None:
        self._writer.writerow({f: spreadsheet_safe(f) for f in self._writer.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeWriter:
    """csv.writer whose every text cell goes through `spreadsheet_safe`."""

    def __init__(self, handle: IO[str], **options: Any):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_safe(v) for v in row])
