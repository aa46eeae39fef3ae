"""What the survey importers share: mapping export columns onto survey.csv, fail-closed on anything unmapped."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers.common import Imported, fold, group_code, option, write_csv
from workforce_eval.inputs.spec import SCALED_TYPES, Instrument, Source


@dataclass
class Table:
    """An export as text cells: the column names, the data rows and the file row of each data row."""

    path: Path
    columns: list[str]
    rows: list[list[str]]
    first_row: int  # file row (1-based) of the first data row
    aliases: dict[str, str]  # other names of a column (e.g. Qualtrics ImportId) -> column name
    labels: dict[str, str] = field(default_factory=dict)  # column -> the tool's question wording
    tool_ids: dict[str, str] = field(default_factory=dict)  # column -> the tool's own id (Qualtrics ImportId)

    def index(self, name: str, key: str) -> int:
        """The position of a mapped column; a missing one is an InputError naming the mapping key."""
        name = self.aliases.get(name, name)
        if name not in self.columns:
            raise InputError(
                self.path, row=1, expected=f"a column {name!r} (mapping key {key})", found="no such column"
            )
        return self.columns.index(name)


def to_survey(
    table: Table,
    source: Source,
    instrument: Instrument,
    metadata: Collection[str],
    identifiers: Collection[str],
    default_response_id: str | None,
    skip: Collection[str] = (),
) -> Imported:
    """survey.csv from an export table: the mapped key columns and items, every other column refused or dropped.

    Identifier columns are dropped and may not be mapped; metadata columns are dropped; a column that is
    neither, nor mapped, nor listed under `ignore:` is an InputError (nothing is copied by default).
    """
    result = Imported()
    used: dict[str, int] = {}

    def take(key: str, name: str | None, required: bool) -> int | None:
        if name is None:
            if required:
                raise InputError(
                    table.path, row=1, expected=f"a column mapped by {source.key(key)}", found="no mapping"
                )
            return None
        j = table.index(str(name), source.key(key))
        if table.columns[j] in identifiers:
            raise InputError(
                table.path,
                row=1,
                column=table.columns[j],
                expected=f"a column that is not a direct identifier (mapping key {source.key(key)})",
                found="an identifier column, which is never copied",
            )
        used[table.columns[j]] = j
        return j

    response = take("response_id", option(source, "response_id", default_response_id), False)
    participant = take("participant", option(source, "participant"), False)
    group = take("group", option(source, "group"), False)  # none: `group_value`, or the cohort's one group
    group_value = str(option(source, "group_value", "") or "")
    tp = option(source, "timepoint", "post")
    timepoint = None if tp in ("pre", "post") else take("timepoint", tp, True)
    organisation = take("organisation", option(source, "organisation"), False)
    items = dict(option(source, "items", {}) or {})
    item_cols: list[tuple[str, int | None]] = []
    for item in instrument.items:
        if item.id in items:
            item_cols.append((item.id, take(f"items.{item.id}", items[item.id], True)))
        else:
            name = table.aliases.get(item.id, item.id)
            item_cols.append((item.id, take(f"items.{item.id}", name, True) if name in table.columns else None))
    for unknown in sorted(set(items) - {i.id for i in instrument.items}):
        raise InputError(
            table.path,
            row=1,
            expected=f"an item id of instrument.yaml (mapping key {source.key('items')})",
            found=unknown,
        )
    ignored = set(option(source, "ignore", []) or []) | set(metadata) | set(identifiers) | set(skip)
    for name in table.columns:
        if name not in used and name not in ignored:
            raise InputError(
                table.path,
                row=1,
                column=name,
                expected=f"a column mapped under {source.key('items')} or listed under {source.key('ignore')}",
                found="an unmapped column",
            )
    missing = [i for i, j in item_cols if j is None]
    if missing:
        result.note(f"{table.path.name}: no column for item(s) {', '.join(missing)}; left blank")
    codes = option(source, "answers", "labels") == "codes"
    scaled = {i.id: i for i in instrument.items if i.type in SCALED_TYPES}
    no_answer = {i.id: {fold(m) for m in i.scale.missing} for i in scaled.values() if i.scale}  # kept as labels
    header = ["response_id", "participant_id", "group", "timepoint"] + (
        ["organisation"] if organisation is not None else []
    )
    header += [i for i, _ in item_cols]
    out: list[list[str]] = []
    origin_rows: list[int] = []
    for n, row in enumerate(table.rows):
        file_row = table.first_row + n
        if not any(c.strip() for c in row):
            continue

        def cell(j: int | None, row: list[str] = row) -> str:
            return row[j].strip() if j is not None and j < len(row) else ""

        values = [
            cell(response) or f"R{n + 1:04d}",
            cell(participant),
            group_code(source, cell(group)) if group is not None else group_value,
            tp if timepoint is None else cell(timepoint),
        ] + ([cell(organisation)] if organisation is not None else [])
        for item_id, j in item_cols:
            value = cell(j)
            if codes and value and item_id in scaled and fold(value) not in no_answer.get(item_id, set()):
                levels = scaled[item_id].levels
                if not value.isdigit() or not 1 <= int(value) <= len(levels):
                    raise InputError(
                        table.path,
                        row=file_row,
                        column=table.columns[j] if j is not None else item_id,
                        expected=f"an answer code 1..{len(levels)} (answers: codes)",
                        found=value,
                    )
                value = levels[int(value) - 1]
            values.append(value)
        out.append(values)
        origin_rows.append(file_row)
    result.files["survey.csv"] = write_csv(header, out)
    keyed = {"response_id": response, "participant_id": participant, "group": group, "organisation": organisation}
    keys = {"response_id": "response_id", "participant_id": "participant", "group": "group",
            "organisation": "organisation"}  # fmt: skip
    columns = {c: (table.columns[j], source.key(keys[c])) for c, j in keyed.items() if j is not None}
    if group is None:
        columns["group"] = ("", source.key("group"))
    if timepoint is not None:
        columns["timepoint"] = (table.columns[timepoint], source.key("timepoint"))
    for item_id, j in item_cols:
        columns[item_id] = (table.columns[j] if j is not None else "", source.key(f"items.{item_id}"))
    result.origin("survey.csv", origin_rows, columns)
    return result


def header_row(rows: Sequence[Sequence[str]], path: Path) -> list[str]:
    """The first row of an export (its column names); an empty file is an InputError."""
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputError(path, row=1, expected="a header row of column names", found="an empty file")
    return [c.strip() for c in rows[0]]
