"""REDCap exports (raw or label CSV) with their data dictionary, to survey.csv (docs/formats/redcap.md).

The data dictionary (`dictionary:` in the mapping) names each field's form, type, label and choices
(`"1, Agree | 2, Disagree"`) and flags identifiers (`Identifier? = y`): those fields, and the
checkbox columns of them, are dropped at the import, never copied and may not be mapped. Raw exports
hold choice codes, turned into the dictionary's labels; label exports hold the labels (and may have
the field labels as column names). Checkbox fields come as `<field>___<code>` 0/1 columns (read as
No/Yes); `<form>_complete`, timestamps and the other `redcap_*` columns are dropped; with
`events:` the `redcap_event_name` of each row gives its time point and the response id is
`<record>-<event>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers.common import Imported, csv_rows, decode_export, fold, option, read_export
from workforce_eval.inputs.importers.survey import Table, header_row, to_survey
from workforce_eval.inputs.spec import Instrument, Source

DICTIONARY_COLUMNS = {
    "name": "Variable / Field Name",
    "form": "Form Name",
    "type": "Field Type",
    "label": "Field Label",
    "choices": "Choices, Calculations, OR Slider Labels",
    "identifier": "Identifier?",
    "validation": "Text Validation Type OR Show Slider Number",
}
#: Dictionary columns an export may lack.
OPTIONAL_COLUMNS = ("identifier", "validation")
METADATA = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance", "redcap_data_access_group",
            "redcap_survey_identifier")  # fmt: skip
TIMEPOINT, RESPONSE = "__timepoint", "__response_id"


@dataclass
class Field:
    """One field of the data dictionary."""

    name: str
    form: str
    type: str
    label: str
    choices: dict[str, str] = field(default_factory=dict)
    identifier: bool = False
    validation: str = ""
    row: int = 0  # its row in the dictionary file


def read_dictionary(path: Path) -> dict[str, Field]:
    """The data dictionary: field name -> Field; a missing column or bad choice list is an InputError."""
    rows = csv_rows(path, decode_export(path, read_export(path)))
    header = header_row(rows, path)
    index = {}
    for key, name in DICTIONARY_COLUMNS.items():
        if name not in header:
            if key in OPTIONAL_COLUMNS:
                continue
            raise InputError(
                path, row=1, column=name, expected="a REDCap data dictionary column", found="no such column"
            )
        index[key] = header.index(name)
    fields: dict[str, Field] = {}
    for n, row in enumerate(rows[1:], start=2):

        def get(key: str, row: list[str] = row) -> str:
            j = index.get(key)
            return row[j].strip() if j is not None and j < len(row) else ""

        name = get("name")
        if not name:
            continue
        choices: dict[str, str] = {}
        ftype = get("type").lower()
        if ftype in ("radio", "dropdown", "checkbox") and get("choices"):
            for part in get("choices").split("|"):
                code, sep, label = part.partition(",")
                if not sep or not code.strip():
                    raise InputError(path, row=n, column=DICTIONARY_COLUMNS["choices"],
                                     expected='choices as "1, Label | 2, Label"', found=part.strip())  # fmt: skip
                choices[code.strip()] = label.strip()
        elif ftype == "yesno":
            choices = {"1": "Yes", "0": "No"}
        elif ftype == "truefalse":
            choices = {"1": "True", "0": "False"}
        fields[name] = Field(name, get("form"), ftype, get("label"), choices, get("identifier").lower() == "y",
                             get("validation").lower(), n)  # fmt: skip
    return fields


def _choice(path: Path, row: int, column: str, f: Field, value: str, dictionary: Path, source: Source) -> str:
    """A choice field's answer as its label: a code of the dictionary's choices, or one of their labels.

    Anything else (a radio field exported as TRUE/FALSE, a code the dictionary lacks) stops the import here,
    naming the export's row and column, the dictionary's row and the mapping key, not a file made from it.
    """
    if value in f.choices:
        return f.choices[value]
    labels = {fold(v): v for v in f.choices.values()}
    if fold(value) in labels:
        return labels[fold(value)]
    codes = ", ".join(f.choices)
    raise InputError(
        path,
        row=row,
        column=column,
        expected=f"a code ({codes}) or label of field {f.name!r}'s choices in {dictionary.name}, row {f.row} "
        f"(mapping key {source.key('dictionary')})",
        found=value,
    )


def import_survey(path: Path, source: Source, instrument: Instrument, cohort_dir: Path) -> Imported:
    """survey.csv from a REDCap raw or label export and its data dictionary."""
    dictionary = option(source, "dictionary")
    if not dictionary:
        raise InputError(cohort_dir / "cohort.yaml", column=source.key("dictionary"), column_word="key",
                         expected="the REDCap data dictionary file", found="none")  # fmt: skip
    fields = read_dictionary(cohort_dir / str(dictionary))
    rows = csv_rows(path, decode_export(path, read_export(path)))
    columns = header_row(rows, path)
    by_label = {fold(f.label): f.name for f in fields.values() if f.label}
    columns = [c if c in fields or "___" in c or c in METADATA else by_label.get(fold(c), c) for c in columns]
    identifiers: set[str] = set()
    metadata: set[str] = set(METADATA)
    for c in columns:
        base = c.split("___", 1)[0]
        if base in fields and fields[base].identifier:
            identifiers.add(c)
        if c.endswith("_complete") and c[: -len("_complete")] in {f.form for f in fields.values()}:
            metadata.add(c)
        if c.endswith("_timestamp") or c == "redcap_survey_identifier":
            metadata.add(c)
    data: list[list[str]] = []
    dict_path = cohort_dir / str(dictionary)
    for n, row in enumerate(rows[1:], start=2):
        cells = []
        for j, c in enumerate(columns):
            value = row[j].strip() if j < len(row) else ""
            base, sep, _code = c.partition("___")
            if sep and base in fields and value in ("0", "1"):
                value = "Yes" if value == "1" else "No"
            elif c in fields and fields[c].choices and value:
                value = _choice(path, n, rows[0][j] if j < len(rows[0]) else c, fields[c], value, dict_path, source)
            cells.append(value)
        data.append(cells)
    events = option(source, "events")
    record = columns[0]
    if events:
        if "redcap_event_name" not in columns:
            raise InputError(path, row=1, expected=f"a redcap_event_name column ({source.key('events')} is set)",
                             found="no such column")  # fmt: skip
        e = columns.index("redcap_event_name")
        for n, cells in enumerate(data, start=2):
            if cells[e] not in events:
                raise InputError(path, row=n, column="redcap_event_name",
                                 expected=f"an event listed under {source.key('events')}", found=cells[e])  # fmt: skip
            cells += [events[cells[e]], f"{cells[0]}-{re.sub(r'[^A-Za-z0-9]+', '_', cells[e])}"]
        columns = columns + [TIMEPOINT, RESPONSE]
        metadata |= {TIMEPOINT, RESPONSE}
        source = replace(source, options={**source.options, "timepoint": TIMEPOINT, "response_id": RESPONSE})
    table = Table(path, columns, data, 2, {})
    return to_survey(table, source, instrument, metadata | {record}, identifiers, record)
