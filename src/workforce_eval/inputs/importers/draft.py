"""`workforce-eval import <format> <export> --out <folder>`: a draft cohort folder that runs as it is.

The folder holds a byte-for-byte copy of the export (so provenance records the export's own SHA-256; a
bare `.qde` brings its `sources/`, a REDCap export its data dictionary), a cohort.yaml whose `sources:`
section maps the export, and the hand-written files the importers cannot make from it: instrument.yaml
for a survey (item wording from the tool, types guessed from the answers and the tool's metadata),
codebook.yaml for Taguette (one code per tag), participants.csv when a participant id is mapped. Every
guessed value is marked `# GUESS: confirm`; a cohort.yaml or instrument.yaml still holding such a mark
is refused by the import rule, so confirming means deleting the marks. Columns or variables that could
hold the group are offered as commented `# GUESS` lines; without a group the cohort has one group.

The draft is checked before anything is written: it is imported and validated exactly as the pipeline
will (marks aside), so a draft that is written runs. `--force` replaces only the files a previous draft
wrote (listed in `DRAFT_RECORD`) and refuses the current, home or root folder and those above them, a
folder holding the export and a folder with anything else in it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workforce_eval import atomic
from workforce_eval.errors import InputError
from workforce_eval.inputs import privacy
from workforce_eval.inputs.importers import flat, msforms, qualtrics, redcap, refi_qda
from workforce_eval.inputs.importers.common import csv_rows, decode_export, fold, read_export, slug_id, write_csv
from workforce_eval.inputs.importers.survey import Table, header_row
from workforce_eval.inputs.spec import RESERVED_SURVEY_COLUMNS
from workforce_eval.inputs.validate import fold_label

DRAFT_FORMATS = ("refi_qda", "taguette", "qualcoder_csv", "qualtrics", "redcap", "msforms")
SEGMENT_DRAFTS = ("refi_qda", "taguette", "qualcoder_csv")
GUESS = "# GUESS: confirm"
#: The record of what a draft wrote (for `--force`), kept in the draft folder.
DRAFT_RECORD = ".workforce-eval-draft.json"
#: Words of a column or variable name that suggest it holds the group.
GROUP_WORDS = ("group", "role", "cohort", "site", "team", "department", "directorate", "profession", "band", "arm")

#: Answer scales recognised by their wording (compared folded), in order.
KNOWN_SCALES: dict[str, tuple[str, ...]] = {
    "agree5": ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
    "agree5_somewhat": (
        "Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree", "Strongly agree",
    ),
    "agree7": (
        "Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
        "Agree", "Strongly agree",
    ),
    "satisfied5": (
        "Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied",
    ),
    "likely5": ("Extremely unlikely", "Unlikely", "Neither likely nor unlikely", "Likely", "Extremely likely"),
    "frequency5": ("Never", "Rarely", "Sometimes", "Often", "Always"),
    "useful5": ("Not at all useful", "Slightly useful", "Moderately useful", "Very useful", "Extremely useful"),
}  # fmt: skip
MISSING = ("Prefer not to say", "N/A", "Not applicable", "Don't know")
YESNO = ("No", "Yes")


class DraftExists(Exception):
    """The output folder exists and is not empty (and --force was not given)."""


@dataclass
class Options:
    """What the evaluator told the command: the group (a column or one value), participant id, time point."""

    group_column: str | None = None
    group: str | None = None
    participant: str | None = None
    timepoint: str | None = None
    dictionary: Path | None = None


@dataclass
class Draft:
    """A draft before it is written: files by name (text, or bytes for copies) and the guessed key paths."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    guessed: set[str] = field(default_factory=set)
    groups: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    roster: dict[str, str] = field(default_factory=dict)  # participant -> group value
    design_note: str = ""


# ---------------------------------------------------------------------- YAML with marks


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _mark(text: str, keys: set[str]) -> str:
    """Append the GUESS marker to every YAML line whose key is one of `keys`."""
    out = []
    for line in text.splitlines():
        key = line.strip().split(":", 1)[0].lstrip("- ").strip("'\"")
        out.append(f"{line}  {GUESS}" if key in keys else line)
    return "\n".join(out) + "\n"


def strip_guesses(text: str) -> str:
    """The text with every GUESS marker removed (what an evaluator does once each guess is confirmed)."""
    return re.sub(r"\s*# GUESS: confirm[^\n]*", "", text)


# ---------------------------------------------------------------------- item types


def guess_item(values: Sequence[str], hint: str = "") -> tuple[str, tuple[str, ...], tuple[str, ...], str | None]:
    """(type, levels, missing labels, known scale id) guessed from an item's answers and the tool's hint.

    A hint of `free_text` or `numeric` (the tool's own metadata) wins; answers that all fall in a known scale's
    wording make a Likert item with that scale's every level; Yes/No a yesno item; numbers numeric; long or
    many distinct answers free text; a few short ones a choice item. Never a one-level scale: a single
    distinct answer that is no known wording is free text.
    """
    answers = [v.strip() for v in values if v and v.strip()]
    first: dict[str, str] = {}
    for v in answers:
        first.setdefault(fold_label(v), v)  # the first spelling of each, in order of appearance
    distinct = list(first.values())
    missing = tuple(m for m in MISSING if fold_label(m) in {fold_label(v) for v in distinct})
    real = [v for v in distinct if fold_label(v) not in {fold_label(m) for m in MISSING}]
    folded = {fold_label(v) for v in real}
    numbers = bool(real) and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in real)
    if numbers and (hint in ("numeric", "free_text") or len(real) > 5):  # a text box holding numbers: numeric
        return "numeric", (), (), None
    if hint == "free_text":
        return "free_text", (), (), None
    for sid, levels in KNOWN_SCALES.items():
        if real and folded <= {fold_label(x) for x in levels}:
            return "likert", levels, missing, sid
    if real and folded <= {"yes", "no"}:
        return "yesno", YESNO, missing, "yesno"
    long = any(len(v) > 60 for v in real) or (len(answers) > 0 and sum(map(len, answers)) / len(answers) > 40)
    if 2 <= len(real) <= 8 and not long and len(real) < max(len(answers), 1):
        return "choice", tuple(real), missing, None
    return "free_text", (), (), None


def known_scale(labels: Sequence[str]) -> str | None:
    """The known scale whose wording holds every one of these labels (compared folded), if any."""
    folded = {fold_label(x) for x in labels}
    return next((k for k, v in KNOWN_SCALES.items() if folded <= {fold_label(y) for y in v}), None)


def _item_id(name: str, taken: set[str]) -> str:
    """An instrument item id from an export column or tag: `common.slug_id`, starting with a letter."""
    return slug_id(name, taken, empty="item", prefix="q", letter_first=True)


@dataclass
class InstrumentDraft:
    """instrument.yaml being built: scales and items, and the mapping item id -> export column."""

    scales: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=lambda: set(RESERVED_SURVEY_COLUMNS))

    def add(
        self,
        column: str,
        text: str,
        values: Sequence[str],
        hint: str = "",
        levels: tuple[str, ...] = (),
        kind: str | None = None,
    ) -> None:
        """One item from an export column: its wording, and its type from the tool (`kind`, `levels`) or guessed."""
        iid = _item_id(column, self.taken)
        if kind is None:
            kind, levels, missing, sid = guess_item(values, hint)
        else:
            missing, sid = tuple(m for m in MISSING if any(fold_label(m) == fold_label(v) for v in values)), None
        entry: dict[str, Any] = {"id": iid, "text": " ".join(text.split()) or column, "type": kind}
        if levels:
            if len(levels) < 2:  # never a one-level scale
                entry["type"] = "free_text"
            else:
                sid = sid or f"{iid}_levels"
                known = self.scales.setdefault(sid, {"levels": list(levels), "missing": []})
                known["missing"] = [m for m in MISSING if m in known["missing"] or m in missing]
                entry["scale"] = sid
        self.items.append(entry)
        self.columns[iid] = column

    def text(self, source: str) -> str:
        scales = {k: v if v["missing"] else {"levels": v["levels"]} for k, v in self.scales.items()}
        body = _mark(_yaml({"scales": scales, "items": self.items}), {"type", "scale", "levels"})
        return f"# Made by `workforce-eval import` from {source}: confirm each item's type and scale.\n" + body


# ---------------------------------------------------------------------- group, participant, time point


def _candidates(names: Sequence[str], tables: dict[str, list[str]] | None = None) -> list[str]:
    """Columns or variables that could hold the group: by name, or (surveys) a few distinct short values."""
    out = [n for n in names if any(w in fold(n) for w in GROUP_WORDS)]
    for name, values in (tables or {}).items():
        distinct = {v.strip() for v in values if v.strip()}
        if name not in out and 2 <= len(distinct) <= 6 and all(len(v) <= 40 for v in distinct):
            out.append(name)
    return out[:8]


def _group_code(value: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", value).strip("_-") or "group"
    if not base[0].isalnum():
        base = "g" + base
    code, n = base, 2
    while code in taken or code == "all":
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code


def _survey_keys(draft: Draft, table: Table, opts: Options, response: str | None) -> None:
    """The mapping's response id, group, participant and time point of a survey export."""
    if response:
        draft.source["response_id"] = response
    if opts.group_column:
        table.index(opts.group_column, "--group-column")
        draft.source["group"] = opts.group_column
        j = table.index(opts.group_column, "--group-column")
        draft.groups = sorted({r[j].strip() for r in table.rows if j < len(r) and r[j].strip()})
    elif opts.group:
        draft.source["group_value"] = opts.group
        draft.groups = [opts.group]
    if opts.participant:
        j = table.index(opts.participant, "--participant")
        draft.source["participant"] = opts.participant
        g = table.index(opts.group_column, "--group-column") if opts.group_column else None
        for n, r in enumerate(table.rows):
            pid = r[j].strip() if j < len(r) else ""
            if pid:
                value = (r[g].strip() if g is not None and g < len(r) else "") or (opts.group or "")
                if draft.roster.get(pid, value) != value:
                    raise InputError(table.path, row=table.first_row + n, column=opts.participant,
                                     expected="one group per participant (option --participant)",
                                     found="a participant in two groups")  # fmt: skip
                draft.roster[pid] = value
    tp = opts.timepoint or "post"
    if tp not in ("pre", "post"):
        table.index(tp, "--timepoint")
    draft.source["timepoint"] = tp


# ---------------------------------------------------------------------- formats


def _column_values(table: Table, name: str) -> list[str]:
    j = table.columns.index(name)
    return [r[j] if j < len(r) else "" for r in table.rows]


def _survey_from_table(
    draft: Draft, table: Table, opts: Options, skip: set[str], hints: dict[str, str], source: str
) -> InstrumentDraft:
    """Items from every column that is not metadata, an identifier or a key column; the ignore list."""
    keys = {opts.group_column, opts.participant, opts.timepoint}
    inst = InstrumentDraft()
    free = [c for c in table.columns if c not in skip and c not in keys]
    if not opts.group_column and not opts.group:
        choices = {c: _column_values(table, c) for c in free}
        choices = {c: v for c, v in choices.items() if guess_item(v, hints.get(c, ""))[0] == "choice"}
        draft.candidates = _candidates(free, choices)[:5]
    named = [c for c in draft.candidates if any(w in fold(c) for w in GROUP_WORDS)]
    for name in free:
        if name not in named:  # a column named like a group is offered as the group, not made an item
            inst.add(name, table.labels.get(name, name), _column_values(table, name), hints.get(name, ""))
    draft.files["instrument.yaml"] = inst.text(source)
    draft.source["items"] = dict(inst.columns)
    if named:
        draft.source["ignore"] = named
        draft.guessed.add("ignore")
    draft.guessed |= {"timepoint"} if opts.timepoint is None else set()
    return inst


def _qualtrics(export: Path, opts: Options, draft: Draft) -> None:
    table = qualtrics.read_table(export)
    response = qualtrics.response_column(table)
    _survey_keys(draft, table, opts, response)
    skip = set(qualtrics.METADATA) | set(qualtrics.IDENTIFIERS) | qualtrics.text_iq(table)
    hints = {}
    for name in table.columns:
        ident = table.tool_ids.get(name, "")
        label = table.labels.get(name, "")
        if ident.endswith("_TEXT") or label.endswith(" - Text"):
            hints[name] = "free_text"
    _survey_from_table(draft, table, opts, skip, hints, export.name)


def _msforms(export: Path, opts: Options, draft: Draft) -> None:
    rows = msforms.read_rows(export)
    columns = header_row(rows, export)
    data = [[c.strip() for c in r] + [""] * (len(columns) - len(r)) for r in rows[1:]]
    data = [[c[:-1].strip() if c.endswith(";") else c for c in r] for r in data]
    table = Table(export, columns, data, 2, {})
    _survey_keys(draft, table, opts, "ID" if "ID" in columns else None)
    quiz = {c for c in columns if c.startswith(("Points - ", "Feedback - "))}
    _survey_from_table(draft, table, opts, set(msforms.METADATA) | set(msforms.IDENTIFIERS) | quiz, {}, export.name)


def _strip_html(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _redcap(export: Path, opts: Options, draft: Draft) -> None:
    if opts.dictionary is None:
        raise InputError(export, expected="its REDCap data dictionary (option --dictionary FILE)", found="none")
    fields = redcap.read_dictionary(opts.dictionary)
    rows = csv_rows(export, decode_export(export, read_export(export)))
    columns = header_row(rows, export)
    table = Table(export, columns, [list(r) for r in rows[1:]], 2, {})
    record = columns[0]
    _survey_keys(draft, table, opts, None)
    chosen = fields.get(opts.group_column or "")
    if chosen is not None and chosen.choices:  # the importer turns codes into labels: so must the groups
        draft.groups = sorted({chosen.choices.get(g, g) for g in draft.groups})
        draft.roster = {p: chosen.choices.get(g, g) for p, g in draft.roster.items()}
    draft.files[opts.dictionary.name] = read_export(opts.dictionary)
    draft.source["dictionary"] = opts.dictionary.name
    keys = {opts.group_column, opts.participant, opts.timepoint, record}
    inst = InstrumentDraft()
    by_label = {fold(f.label): f.name for f in fields.values() if f.label}
    ignore: list[str] = []
    for name in columns:
        base, sep, code = name.partition("___")
        fname = name if name in fields or sep else by_label.get(fold(name), name)
        f = fields.get(base if sep else fname)
        if name in keys or name in redcap.METADATA or name.endswith(("_complete", "_timestamp")) or f is None:
            if name not in keys and name not in redcap.METADATA and not name.endswith(("_complete", "_timestamp")):
                ignore.append(name)
            continue
        if f.identifier or f.type in ("descriptive", "file", "signature"):
            if not f.identifier:
                ignore.append(name)
            continue
        text = _strip_html(f.label) or name
        values = _column_values(table, name)
        if sep:  # a checkbox option: ticked or not
            inst.add(name, f"{text}: {f.choices.get(code, code)}", values, kind="yesno", levels=YESNO)
            inst.scales.setdefault("yesno", {"levels": list(YESNO), "missing": []})
            inst.items[-1]["scale"] = "yesno"
        elif f.choices:
            labels = tuple(f.choices.values())
            known = known_scale(labels)
            if f.type == "yesno":
                inst.add(name, text, values, kind="yesno", levels=YESNO)
            elif known:
                inst.add(name, text, values, kind="likert", levels=KNOWN_SCALES[known])
            else:
                inst.add(name, text, values, kind="choice", levels=labels)
        elif f.type in ("calc", "slider") or f.validation in ("integer", "number") or f.validation.startswith("number"):
            inst.add(name, text, values, kind="numeric")
        elif f.type in ("notes",):
            inst.add(name, text, values, kind="free_text")
        else:
            inst.add(name, text, values)
    if not opts.group_column and not opts.group:
        draft.candidates = _candidates([c for c in columns if c not in keys])
    draft.files["instrument.yaml"] = inst.text(export.name)
    draft.source["items"] = dict(inst.columns)
    if ignore:
        draft.source["ignore"] = ignore
    draft.guessed |= {"timepoint"} if opts.timepoint is None else set()


def _segment_keys(draft: Draft, names: list[str], opts: Options) -> None:
    if opts.group_column:
        draft.source["group"] = opts.group_column
    elif opts.group:
        draft.source["group_value"] = opts.group
        draft.groups = [opts.group]
    else:
        draft.candidates = _candidates(names)
    consent = next((n for n in names if "consent" in fold(n)), None)
    if consent:
        draft.source["consent"] = consent
        draft.source["consent_values"] = ["Yes"]
        draft.guessed |= {"consent", "consent_values"}


def _segment_groups(fmt: str, export: Path, draft: Draft) -> None:
    """The group values a mapped group variable gives (the importer run once on the export)."""
    from workforce_eval.inputs.importers import IMPORTERS, Context
    from workforce_eval.inputs.spec import Source

    if "group" not in draft.source:
        return
    source = Source("segments", fmt, export.name, dict(draft.source))
    ctx = Context(export.parent / ".no-such-folder")
    result = IMPORTERS[fmt](export, source, ctx)
    rows = csv_rows(export, result.files["segments.csv"])
    draft.groups = sorted({r[4] for r in rows[1:] if len(r) > 4 and r[4]})


def _refi(export: Path, opts: Options, draft: Draft) -> None:
    project = refi_qda.Project(export, read_export(export))
    names = list(dict.fromkeys(project.variables().values()))
    known = {fold(n) for n in names} | {fold(n.split(":", 1)[-1]) for n in names}  # NVivo: `Person:Staff group`
    if opts.group_column and fold(opts.group_column) not in known:
        raise InputError(export, expected="a variable of the project (option --group-column)", found="no such variable")
    has_cases = any(True for _ in project.cases())
    draft.source["participant"] = opts.participant or ("case" if has_cases else "")
    if not draft.source["participant"]:
        del draft.source["participant"]
    elif not opts.participant:
        draft.guessed.add("participant")
    _segment_keys(draft, names, opts)
    _segment_groups("refi_qda", export, draft)
    if project.archive is None:  # a bare .qde: its sources/ folder comes with it
        for folder in ("sources", "Sources"):
            base = export.parent / folder
            if os.path.lexists(base):
                for entry in sorted(os.listdir(base)):  # a link is refused by read_export; sub-folders are not read
                    if not stat.S_ISDIR(os.lstat(base / entry).st_mode):
                        draft.files[f"{folder}/{entry}"] = read_export(base / entry, root=export.parent)


def _qualcoder(export: Path, opts: Options, draft: Draft) -> None:
    header, _rows = flat._rows(export)
    names = [h.split("_", 1)[1] for h in header if h.startswith(("FileVar_", "CaseVar_"))]
    if "Case" in header:
        draft.source["participant"] = opts.participant or "case"
    _segment_keys(draft, names, opts)
    _segment_groups("qualcoder_csv", export, draft)


def _taguette(export: Path, opts: Options, draft: Draft) -> None:
    header, rows = flat._rows(export)
    if "tag" not in header:
        raise InputError(export, row=1, column="tag", expected="Taguette's columns id,document,tag,content",
                         found="no such column")  # fmt: skip
    j = header.index("tag")
    tags = list(dict.fromkeys(r[j].strip() for r in rows if j < len(r) and r[j].strip()))
    taken: set[str] = set()
    codes = [{"id": _item_id(t, taken), "label": t, "definition": ""} for t in tags]
    book = {"themes": [{"id": "tags", "label": "Tags", "subthemes": [{"id": "all_tags", "label": "All tags",
                                                                        "codes": codes}]}]}  # fmt: skip
    draft.files["codebook.yaml"] = (
        "# Made by `workforce-eval import`: Taguette tags have no hierarchy; arrange them into themes and\n"
        "# subthemes (the tag is matched by the code's id or label).  " + GUESS + "\n" + _yaml(book)
    )
    _segment_keys(draft, [], opts)


BUILDERS = {
    "refi_qda": _refi,
    "taguette": _taguette,
    "qualcoder_csv": _qualcoder,
    "qualtrics": _qualtrics,
    "redcap": _redcap,
    "msforms": _msforms,
}


# ---------------------------------------------------------------------- the folder


def check_out(out: Path, export: Path, force: bool) -> list[str]:
    """Refuse a draft folder that is a link or a file, or (with --force) one holding anything a draft did not
    write; return the files a previous draft wrote there (to be replaced)."""
    try:
        mode = os.lstat(out).st_mode
    except FileNotFoundError:
        return []
    if stat.S_ISLNK(mode):
        raise InputError(out, expected="a folder for the draft, not a symbolic link (never followed)",
                         found="a symbolic link")  # fmt: skip
    if not stat.S_ISDIR(mode):
        raise InputError(out, expected="a folder for the draft", found="a file")
    entries = sorted(os.listdir(out))
    if not entries:
        return []
    if not force:
        raise DraftExists(f"{out} exists and is not empty; use --force to replace a draft written there")
    here = out.resolve()
    protected = [(Path.cwd().resolve(), "the current folder"), (Path.home().resolve(), "the home folder")]
    for folder, what in protected:
        if here == folder or here in folder.parents:
            raise InputError(out, expected="a draft folder (--force never empties the current or home folder or "
                             "one above them)", found=what)  # fmt: skip
    if here == Path(here.anchor) or here in export.resolve().parents:
        raise InputError(out, expected="a draft folder that does not hold the export (--force would delete it)",
                         found="the export's folder")  # fmt: skip
    written = _record(out)
    others = [e for e in entries if e != DRAFT_RECORD and e not in {w.split("/", 1)[0] for w in written}]
    if not written or others:
        raise InputError(out, expected="a folder holding only a draft this command wrote (--force replaces only "
                         f"that draft, listed in {DRAFT_RECORD})", found=f"{len(others) or len(entries)} other "
                         "entries")  # fmt: skip
    return written


def _record(out: Path) -> list[str]:
    path = out / DRAFT_RECORD
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return []
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = doc.get("files") if isinstance(doc, dict) else None
    ok = isinstance(files, list) and all(isinstance(f, str) and ".." not in f.split("/") for f in files)
    return [str(f) for f in files] if ok and isinstance(files, list) else []


def cohort_yaml(fmt: str, export: Path, draft: Draft) -> str:
    """cohort.yaml of the draft: TODOs, the design, the groups (or the candidates) and the sources: mapping."""
    kind = "segments" if fmt in SEGMENT_DRAFTS else "survey"
    taken: set[str] = set()
    codes = {_group_code(g, taken): g for g in draft.groups}
    if opts_group_value := draft.source.get("group_value"):
        draft.source["group_value"] = next(c for c, v in codes.items() if v == opts_group_value)
    head = {
        "programme": "Programme name (TODO)",
        "cohort": "Cohort label (TODO)",
        "design": "cross_sectional",
        "synthetic": False,
    }
    text = "# Draft made by `workforce-eval import`: complete the TODOs and confirm every GUESS (delete the mark).\n"
    text += _mark(_yaml(head), {"design", "synthetic"})
    if codes:
        text += _mark(_yaml({"groups": codes}), set(codes))
        renamed = {v: c for c, v in codes.items() if c != v}
        if renamed and "group" in draft.source:
            draft.source["group_values"] = renamed
            draft.guessed.add("group_values")
    else:
        text += "# groups: none declared, so the cohort is one group (`cohort`). To report by group, declare\n"
        text += "# them here and map the column or variable that holds them under sources:\n"
    source = {"format": fmt, "file": export.name, **draft.source}
    mapped = _mark(_yaml({"sources": {kind: source}}), draft.guessed | {"items"})
    if draft.candidates and "group" not in draft.source and "group_value" not in draft.source:
        lines = mapped.rstrip("\n").split("\n")
        at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("file:")) + 1
        pad = " " * (len(lines[at - 1]) - len(lines[at - 1].lstrip()))
        offer = [f"{pad}# group: {json.dumps(c, ensure_ascii=False)}  {GUESS} (a candidate group column)"
                 for c in draft.candidates]  # fmt: skip
        mapped = "\n".join(lines[:at] + offer + lines[at:]) + "\n"
    return text + mapped


def build(fmt: str, export: Path, opts: Options) -> Draft:
    """Every file of the draft, in memory."""
    if fmt not in DRAFT_FORMATS:
        raise InputError(export, expected="a format: " + ", ".join(DRAFT_FORMATS), found=fmt)
    draft = Draft()
    data = read_export(export)
    BUILDERS[fmt](export, opts, draft)
    draft.files[export.name] = data
    draft.files["cohort.yaml"] = cohort_yaml(fmt, export, draft)
    if draft.roster:
        taken: set[str] = set()
        codes = {g: _group_code(g, taken) for g in draft.groups}
        rows = [[p, codes.get(g, "")] for p, g in sorted(draft.roster.items())]
        draft.files["participants.csv"] = write_csv(["participant_id", "group"], rows)
    return draft


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def check_runs(fmt: str, export: Path, files: dict[str, str | bytes]) -> None:
    """Import and validate the draft (its guesses confirmed) in a scratch folder, as the pipeline will.

    A problem names the export itself, or the draft's file (instrument.yaml, ...), never the scratch copy."""
    with tempfile.TemporaryDirectory(prefix="draft-check-") as tmp:
        try:
            _check_in(Path(tmp), export, files)
        except InputError as err:
            where = str(err.file)
            if where.startswith(tmp):
                inner = Path(*Path(where[len(tmp) :].lstrip("/")).parts[1:]).as_posix()
                where = (
                    str(export) + where[len(tmp) + 1 + len("cohort/" + export.name) :]
                    if inner.startswith(export.name)
                    else f"the draft's {inner}"
                )
            raise dataclasses.replace(err, file=where) from None


def _check_in(tmp: Path, export: Path, files: dict[str, str | bytes]) -> None:
    from workforce_eval.inputs import importers
    from workforce_eval.inputs.validate import load

    cohort = tmp / "cohort"
    cohort.mkdir()
    _write(cohort, {n: strip_guesses(c) if isinstance(c, str) else c for n, c in files.items()})
    converted, _ = importers.convert(cohort, "draft")
    imported = tmp / "imported"
    imported.mkdir()
    _write(imported, dict(converted))
    try:
        load(imported, "draft")
    except InputError as err:
        where = Path(err.file).name + (f", row {err.row}" if err.row else "")
        raise InputError(export, expected=f"a draft that passes validation ({where}: {err.expected})",
                         found=err.found, column=err.column) from None  # fmt: skip


def draft(fmt: str, export: Path, out: Path, force: bool = False, opts: Options | None = None) -> list[str]:
    """Write the draft cohort folder; returns the files written. DraftExists unless out is new/empty or force.

    Errors are redacted as validation's are (`privacy.redact`).
    """
    export, out = Path(export), Path(out)
    try:
        previous = check_out(out, export, force)
        made = build(fmt, export, opts or Options())
        check_runs(fmt, export, made.files)
    except InputError as err:
        raise privacy.redact(err, export.parent) from None
    for name in previous:  # only the files the previous draft wrote; a link is removed, never followed
        path = out / name
        if os.path.islink(path) or os.path.isfile(path):
            os.unlink(path)
    for name in sorted({n.split("/", 1)[0] for n in previous if "/" in n}):  # its sources/ folder, if now empty
        with contextlib.suppress(OSError):
            os.rmdir(out / name)
    out.mkdir(parents=True, exist_ok=True)
    _write(out, made.files)
    atomic.write_json(out / DRAFT_RECORD, {"files": sorted(made.files)})
    return sorted(made.files)
