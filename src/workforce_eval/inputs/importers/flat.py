"""Flat QDA exports to segments.csv (docs/formats/taguette.md, docs/formats/qualcoder_csv.md).

- Taguette highlights CSV (`id,document,tag,content`): no offsets, no coder, tags without a hierarchy,
  so the tags are matched to the cohort's codebook.yaml (by code id or label), which must exist;
- QualCoder coding CSV (`File` or `Case`, `Coder`, `Coded`, `Id`, `Codename`, `Category...`,
  `FileVar_*`, `CaseVar_*`): the categories are the code's ancestors, top first, so the tree maps
  onto theme > subtheme > code as a REFI-QDA code tree does (or is matched to codebook.yaml).

Participants come from a case column or variable (`participant:`), a document-name pattern
(`participant_pattern:`), or are left blank; groups from a variable (`group:`) or the roster; consent
from a variable (`consent:`), else no passage may be quoted; or all three from a mapping CSV
(`documents:`, columns `document`, `participant` and any variables named by `group:`/`consent:`).
Coders are pseudonymised (`coder_<n>`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers.common import (
    Imported,
    TreeNode,
    consent_values,
    csv_rows,
    decode_export,
    fold,
    group_code,
    map_tree,
    option,
    read_export,
    write_csv,
)
from workforce_eval.inputs.spec import Codebook, Source
from workforce_eval.names import IMPORTED_SEGMENT_COLUMNS, printable

TAGUETTE_COLUMNS = ("id", "document", "tag", "content")


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = csv_rows(path, decode_export(path, read_export(path)))
    if not rows:
        raise InputError(path, row=1, expected="a header row", found="an empty file")
    return [c.strip() for c in rows[0]], rows[1:]


def documents_map(source: Source, cohort_dir: Path) -> dict[str, dict[str, str]]:
    """The optional mapping CSV (`documents:`): document name -> its participant, group and consent values."""
    name = option(source, "documents")
    if not name:
        return {}
    path = cohort_dir / str(name)
    header, rows = _rows(path)
    if "document" not in header:
        raise InputError(path, row=1, column="document", expected="a document column", found="no such column")
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows, start=2):
        values = {fold(h): (row[k].strip() if k < len(row) else "") for k, h in enumerate(header)}
        if values["document"] in out:
            raise InputError(path, row=n, column="document", expected="each document once", found=values["document"])
        out[values["document"]] = values
    return out


def _participant(source: Source, document: str, values: dict[str, str], path: Path, row: int) -> str:
    if "documents" in source.options:
        return values.get("participant", "")
    pattern = option(source, "participant_pattern")
    if pattern:
        m = re.search(str(pattern), document)
        if m is None:
            raise InputError(path, row=row, expected=f"a document name matching {source.key('participant_pattern')}",
                             found=document)  # fmt: skip
        return m.groupdict().get("participant") or (m.group(1) if m.groups() else m.group(0))
    name = option(source, "participant")
    return values.get(fold(str(name)), "") if name else ""


def _segment(
    source: Source,
    path: Path,
    row: int,
    document: str,
    values: dict[str, str],
    roster: dict[str, str],
    docs: dict[str, dict[str, str]],
) -> tuple[str, str, str, str]:
    """(source kind, participant, group, quote_ok) of one coded row."""
    if docs:
        if document not in docs:
            raise InputError(path, row=row, expected=f"a document listed in {source.options['documents']}",
                             found=document)  # fmt: skip
        values = {**values, **docs[document]}
    participant = _participant(source, document, values, path, row)
    group_var = option(source, "group")
    group = group_code(source, values.get(fold(str(group_var)), "")) if group_var else roster.get(participant, "")
    group = group or str(option(source, "group_value", "") or "")
    if not group and group_var:  # unmapped: the cohort's one group (no groups declared)
        raise InputError(path, row=row, expected="a group for this row's document (mapping key "
                         f"{source.key('group') if group_var else 'participants.csv'})", found="none")  # fmt: skip
    consent_var = option(source, "consent")
    quote = bool(consent_var) and fold(values.get(fold(str(consent_var)), "")) in consent_values(source)
    pattern = option(source, "survey_documents")
    kind = "survey" if pattern and re.search(str(pattern), document) else "interview"
    return kind, participant, group, "true" if quote else "false"


def _columns(source: Source, document: str, code: str, text: str) -> dict[str, tuple[str, str]]:
    """The export columns (and mapping keys) segments.csv's columns come from, for messages."""
    return {
        "document_id": (document, source.key("file")),
        "participant_id": ("", source.key("participant")),
        "group": (str(option(source, "group", "") or ""), source.key("group")),
        "code": (code, source.key("format")),
        "text": (text, source.key("file")),
        "quote_ok": (str(option(source, "consent", "") or ""), source.key("consent")),
    }


def _match(codebook: Codebook, name: str) -> str | None:
    for theme in codebook.themes:
        for sub in theme.children:
            for code in sub.children:
                if fold(name) in (fold(code.id), fold(code.label)):
                    return code.id
    return None


def import_taguette(
    path: Path, source: Source, codebook: Codebook | None, roster: dict[str, str], cohort_dir: Path
) -> Imported:
    """segments.csv from a Taguette highlights CSV export."""
    header, rows = _rows(path)
    missing = [c for c in TAGUETTE_COLUMNS if c not in header]
    if missing:
        raise InputError(path, row=1, column=missing[0], expected="Taguette's columns id,document,tag,content",
                         found="no such column")  # fmt: skip
    if codebook is None:
        raise InputError(path.parent / "codebook.yaml", expected="codebook.yaml (Taguette tags have no theme > "
                         "subtheme hierarchy to build one from)", found="no such file")  # fmt: skip
    j = {c: header.index(c) for c in TAGUETTE_COLUMNS}
    docs = documents_map(source, cohort_dir)
    out: list[list[Any]] = []
    passages: dict[tuple[str, str], str] = {}  # (document, passage text) -> its key
    origin_rows: list[int] = []
    for n, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        cell = {c: (row[j[c]].strip() if j[c] < len(row) else "") for c in TAGUETTE_COLUMNS}
        code = _match(codebook, cell["tag"])
        if code is None:
            raise InputError(path, row=n, column="tag", expected="a code id or label of codebook.yaml",
                             found=cell["tag"])  # fmt: skip
        kind, participant, group, quote = _segment(source, path, n, cell["document"], {}, roster, docs)
        text = printable(cell["content"]) if quote == "true" else ""  # no text kept unless it may be quoted
        key = passages.setdefault((cell["document"], cell["content"]), f"p{len(passages) + 1}")
        out.append(["", kind, cell["document"], participant, group, code, "", text, quote, key])
        origin_rows.append(n)
    for k, row in enumerate(out, start=1):
        row[0] = f"S{k:05d}"
    result = Imported({"segments.csv": write_csv(IMPORTED_SEGMENT_COLUMNS, out)})
    result.origin("segments.csv", origin_rows, _columns(source, "document", "tag", "content"))
    result.note(f"{path.name}: Taguette records no coder and no offsets; the coder column is blank")
    return result


def import_qualcoder(
    path: Path, source: Source, codebook: Codebook | None, roster: dict[str, str], cohort_dir: Path
) -> Imported:
    """segments.csv (and codebook.yaml from the categories when the cohort has none) from QualCoder's CSV."""
    header, rows = _rows(path)
    doc_col = "File" if "File" in header else "Case" if "Case" in header else None
    for name in ("Coded", "Codename"):
        if name not in header:
            raise InputError(
                path, row=1, column=name, expected="QualCoder's coding CSV columns", found="no such column"
            )
    if doc_col is None:
        raise InputError(path, row=1, column="File", expected="a File or Case column", found="no such column")
    cats = [k for k, c in enumerate(header) if c.startswith("Category")]
    variables = [k for k, c in enumerate(header) if c.startswith(("FileVar_", "CaseVar_"))]
    roots: list[TreeNode] = []
    nodes: dict[tuple[str, ...], TreeNode] = {}
    keyed: list[tuple[int, list[str], str]] = []
    for n, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        path_names = [row[k].strip() for k in cats if k < len(row) and row[k].strip()]
        path_names.append(row[header.index("Codename")].strip())
        for d in range(1, len(path_names) + 1):
            key = tuple(path_names[:d])
            if key not in nodes:  # keyed by where it first appears: messages never show a code's name
                nodes[key] = TreeNode(f"row {n} level {d}", key[-1])
                (nodes[key[:-1]].children if d > 1 else roots).append(nodes[key])
        keyed.append((n, row, nodes[tuple(path_names)].key))
    mapping, codebook_text = map_tree(path, roots, source, codebook, element="Codename")
    docs = documents_map(source, cohort_dir)
    coders: dict[str, str] = {}
    out: list[list[Any]] = []
    passages: dict[tuple[str, str], str] = {}  # (document, passage text) -> its key
    origin_rows: list[int] = []
    for n, row, code_key in keyed:
        if code_key not in mapping:
            raise InputError(path, row=n, column="Codename", expected="a code at the code level (category > category "
                             "> code)", found=code_key)  # fmt: skip
        values = {}
        for k in variables:
            if k < len(row):
                name = header[k].split("_", 1)[1]
                values[fold(name)] = row[k].strip()
        if "Case" in header and header.index("Case") < len(row):
            values.setdefault(fold("case"), row[header.index("Case")].strip())
        document = row[header.index(doc_col)].strip()
        kind, participant, group, quote = _segment(source, path, n, document, values, roster, docs)
        coder = row[header.index("Coder")].strip() if "Coder" in header else ""
        coder = coders.setdefault(coder, f"coder_{len(coders) + 1}") if coder else ""
        coded = row[header.index("Coded")].strip()
        text = printable(coded) if quote == "true" else ""  # no text kept unless it may be quoted
        passage = passages.setdefault((document, coded), f"p{len(passages) + 1}")
        out.append(["", kind, document, participant, group, mapping[code_key], coder, text, quote, passage])
        origin_rows.append(n)
    for k, seg in enumerate(out, start=1):
        seg[0] = f"S{k:05d}"
    result = Imported({"segments.csv": write_csv(IMPORTED_SEGMENT_COLUMNS, out)})
    result.origin("segments.csv", origin_rows, _columns(source, doc_col, "Codename", "Coded"))
    if codebook_text is not None:
        result.files["codebook.yaml"] = codebook_text
    return result
