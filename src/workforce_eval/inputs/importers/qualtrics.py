"""Qualtrics CSV exports to survey.csv (docs/formats/qualtrics.md).

Three header rows (column names, question text, `{"ImportId":"QID1"}`), legacy exports two; choice
answers as labels or, with `answers: codes`, as the codes 1..k of the instrument's scale. Metadata
columns are dropped; the identifier columns (IP address, recipient names and e-mail, location) are
dropped at the import, never copied and may not be mapped.
"""

from __future__ import annotations

import json
from pathlib import Path

from workforce_eval.inputs.importers.common import Imported, csv_rows, decode_export, read_export
from workforce_eval.inputs.importers.survey import Table, header_row, to_survey
from workforce_eval.inputs.spec import Instrument, Source

#: Direct identifiers Qualtrics adds (current and legacy `V<n>` names): dropped, never copied.
IDENTIFIERS = frozenset(
    {
        "IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "LocationLatitude",
        "LocationLongitude", "LocationAccuracy", "Name", "EmailAddress", "V3", "V5", "V6",
    }
)  # fmt: skip
#: Other metadata columns: dropped unless mapped (e.g. ResponseId, ExternalReference).
METADATA = frozenset(
    {
        "StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
        "ResponseId", "ResponseID", "ExternalReference", "ExternalDataReference", "DistributionChannel",
        "UserLanguage", "ResponseSet", "Q_RecaptchaScore", "Q_RelevantIDDuplicate", "Q_RelevantIDDuplicateScore",
        "Q_RelevantIDFraudScore", "Q_RelevantIDLastStartDate", "V1", "V2", "V4", "V7", "V8", "V9", "V10",
    }
)  # fmt: skip


def read_table(path: Path) -> Table:
    """The export as a table: 3 header rows when row 3 holds ImportIds, else 2 (legacy)."""
    rows = csv_rows(path, decode_export(path, read_export(path)))
    columns = header_row(rows, path)
    aliases: dict[str, str] = {}
    headers = 2
    if len(rows) > 2 and rows[2] and rows[2][0].strip().startswith("{"):
        headers = 3
        for name, cell in zip(columns, rows[2]):
            try:
                ref = json.loads(cell)
            except json.JSONDecodeError:
                continue
            if isinstance(ref, dict) and isinstance(ref.get("ImportId"), str):
                aliases.setdefault(ref["ImportId"], name)
    return Table(path, columns, rows[headers:], headers + 1, aliases)


def import_survey(path: Path, source: Source, instrument: Instrument) -> Imported:
    """survey.csv from a Qualtrics CSV export."""
    table = read_table(path)
    default = "ResponseId" if "ResponseId" in table.columns else "ResponseID" if "ResponseID" in table.columns else None
    return to_survey(table, source, instrument, METADATA, IDENTIFIERS, default)
