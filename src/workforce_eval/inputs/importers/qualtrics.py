"""Qualtrics CSV exports to survey.csv (docs/formats/qualtrics.md).

Three header rows (column names, question text, `{"ImportId":"QID1"}`), legacy exports two; choice
answers as labels or, with `answers: codes`, as the codes 1..k of the instrument's scale. Metadata
columns are dropped; the identifier columns (IP address, recipient names and e-mail, location) are
dropped at the import, never copied and may not be mapped.
"""

from __future__ import annotations

import json
import re
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


#: Columns Qualtrics Text iQ adds after a text question (`Q5 - Topics`, `Q5 - Sentiment Polarity`, ...):
#: the tool's own analysis, never an answer, dropped like metadata.
TEXT_IQ = re.compile(
    r".+ - (Parent Topics|Topics|Topic Hierarchy Level \d+|Sentiment|Sentiment Polarity|Sentiment Score|"
    r"Topic Sentiment Label|Topic Sentiment Score|Actionability|Emotion|Emotion Intensity|Effort Score|"
    r"Effort Numeric)$"
)  # fmt: skip


def read_table(path: Path) -> Table:
    """The export as a table: 3 header rows when row 3 holds ImportIds, else 2 (legacy).

    Row 2 (the question wording) becomes the columns' labels and row 3's ImportIds their aliases and tool
    ids. A legacy export names its columns V1..V10 in row 1 and ResponseID, Name, ... in row 2: those
    names become aliases of the V columns. A column with neither a name nor a value (the trailing comma
    of a legacy export) is dropped.
    """
    rows = csv_rows(path, decode_export(path, read_export(path)))
    columns = header_row(rows, path)
    aliases: dict[str, str] = {}
    tool_ids: dict[str, str] = {}
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
                tool_ids[name] = ref["ImportId"]
    second = [c.strip() for c in rows[1]] if len(rows) > 1 else []
    labels = {name: text for name, text in zip(columns, second) if text}
    for name, text in labels.items():
        if re.fullmatch(r"V\d+", name) and text in METADATA | IDENTIFIERS:
            aliases.setdefault(text, name)
    data = rows[headers:]
    keep = [
        j
        for j, name in enumerate(columns)
        if name or any(j < len(r) and r[j].strip() for r in data)  # a trailing comma makes an empty column
    ]
    if len(keep) < len(columns):
        columns = [columns[j] for j in keep]
        data = [[r[j] if j < len(r) else "" for j in keep] for r in data]
    return Table(path, columns, data, headers + 1, aliases, labels, tool_ids)


def text_iq(table: Table) -> set[str]:
    """The Text iQ columns of an export (by name or by their question wording)."""
    return {c for c in table.columns if TEXT_IQ.fullmatch(c) or TEXT_IQ.fullmatch(table.labels.get(c, ""))}


def response_column(table: Table) -> str | None:
    """The column of the tool's own response id (ResponseId; a legacy export's V1, ResponseID)."""
    for name in ("ResponseId", "ResponseID"):
        if name in table.columns or name in table.aliases:
            return name
    return None


def import_survey(path: Path, source: Source, instrument: Instrument) -> Imported:
    """survey.csv from a Qualtrics CSV export."""
    table = read_table(path)
    return to_survey(table, source, instrument, METADATA | text_iq(table), IDENTIFIERS, response_column(table))
