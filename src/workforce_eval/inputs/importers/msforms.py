"""Microsoft Forms exports (`.xlsx` or `.csv`) to survey.csv (docs/formats/msforms.md).

Columns `ID, Start time, Completion time, Email, Name, [Last modified time,] <questions...>`. `Email`
and `Name` are dropped at the import, never copied and may not be mapped (`anonymous` in Email marks
an anonymous response); times are dropped; quiz columns `Points - <q>` and `Feedback - <q>` are
ignored; a multi-select cell (`a;b;`) loses its trailing `;` and must then hold one answer for a
single-answer item. `.xlsx` is read with openpyxl (read-only, values only) after the archive's sizes
are checked.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers.common import Imported, csv_rows, decode_export, read_export
from workforce_eval.inputs.importers.survey import Table, header_row, to_survey
from workforce_eval.inputs.spec import Instrument, Source

IDENTIFIERS = frozenset({"Email", "Name"})
METADATA = frozenset({"ID", "Start time", "Completion time", "Last modified time", "Total points", "Quiz feedback"})
MAX_XLSX_EXPANDED = 200 * 1024 * 1024


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_rows(path: Path) -> list[list[str]]:
    """The export's rows as text: the first sheet of an .xlsx, or a CSV."""
    data = read_export(path)
    if path.suffix.lower() != ".xlsx":
        return csv_rows(path, decode_export(path, data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise InputError(path, expected="an .xlsx workbook (a zip archive)", found="a broken archive") from None
    if expanded > MAX_XLSX_EXPANDED:
        raise InputError(path, expected=f"a workbook expanding to at most {MAX_XLSX_EXPANDED} bytes", found=expanded)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    except (
        OSError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        SyntaxError,
        zipfile.BadZipFile,
    ) as exc:
        # SyntaxError: the XML parse errors of ElementTree and lxml both derive from it
        raise InputError(path, expected="a readable .xlsx workbook", found=type(exc).__name__) from None
    return rows


def import_survey(path: Path, source: Source, instrument: Instrument) -> Imported:
    """survey.csv from a Microsoft Forms export."""
    rows = read_rows(path)
    columns = header_row(rows, path)
    quiz = {c for c in columns if c.startswith(("Points - ", "Feedback - "))}
    data = []
    for row in rows[1:]:
        cells = [c.strip() for c in row] + [""] * (len(columns) - len(row))
        data.append([c[:-1].strip() if c.endswith(";") else c for c in cells])
    table = Table(path, columns, data, 2, {})
    multi = [j for j, c in enumerate(columns) if c not in METADATA | IDENTIFIERS | quiz]
    for n, cells in enumerate(data, start=2):
        for j in multi:
            if ";" in cells[j] and any(i.text == columns[j] or i.id == columns[j] for i in instrument.items):
                raise InputError(path, row=n, column=columns[j], expected="one answer for a single-answer item",
                                 found=cells[j])  # fmt: skip
    return to_survey(table, source, instrument, METADATA | quiz, IDENTIFIERS, "ID")
