"""REFI-QDA projects (`.qdpx` zip or bare `.qde`, and `.qdc` codebooks) to segments.csv and codebook.yaml.

What is read, what is ignored and what is never copied: docs/formats/refi_qda.md. The facts a parser
must respect (namespaces, nesting, offsets as NVivo, ATLAS.ti and QualCoder count them) are listed in
issue 11 and summarised there. XML is parsed with `defusedxml` (no DTD, no entity, no external
resolution) and every member of the archive is read with a size limit.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers.common import (
    Imported,
    TreeNode,
    consent_values,
    fold,
    group_code,
    map_tree,
    option,
    read_export,
    write_csv,
)
from workforce_eval.inputs.spec import Codebook, Source
from workforce_eval.names import IMPORTED_SEGMENT_COLUMNS, printable

NS = "{urn:QDA-XML:project:1.0}"
CODEBOOK_NS = "{urn:QDA-XML:codebook:1.0}"
#: Limits on what an archive may hold (bytes): one member, all members, and the largest expansion ratio.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
#: The deepest element nesting read (a code tree deeper than this is not a real project).
MAX_DEPTH = 200
#: Offset units: UTF-16 code units (CRLF two, NVivo for Windows), code points (the standard, QualCoder,
#: MAXQDA), code points with CRLF as one (ATLAS.ti).
UNITS = ("utf16", "codepoints", "codepoints_lf")
#: Share of passages that must start and end on word boundaries for a unit to be taken as right.
FIT = 0.8


@dataclass
class Selection:
    """One PlainTextSelection: its offsets in the export's unit and its codings (code GUID, user GUID)."""

    guid: str
    start: int
    end: int
    codings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class TextDoc:
    """One TextSource: name, its text (as stored, CRLF kept) and its selections."""

    guid: str
    name: str
    text: str
    selections: list[Selection]
    attributes: dict[str, str] = field(default_factory=dict)


class Project:
    """A parsed REFI-QDA project: users, the code tree, text sources, cases and sets."""

    def __init__(self, export: Path, data: bytes) -> None:
        self.export = export
        self.members: dict[str, bytes] = {}
        self.archive: zipfile.ZipFile | None = None
        if export.suffix.lower() == ".qdpx" or data[:4] == b"PK\x03\x04":
            self.archive = _open_zip(export, data)
            self.inner = _project_member(export, self.archive)
            self.where = f"{export}:{self.inner}"
            xml = self._member(self.inner)
        else:
            self.inner = export.name
            self.where = str(export)
            xml = data
        self.root = parse_xml(self.where, xml)
        if self.root.tag not in (NS + "Project", CODEBOOK_NS + "CodeBook"):
            raise InputError(
                self.where,
                column=_local(self.root.tag),
                column_word="element",
                expected="a REFI-QDA <Project> (namespace urn:QDA-XML:project:1.0) or <CodeBook>",
                found=self.root.tag,
            )
        self.ns = NS if self.root.tag.startswith(NS) else CODEBOOK_NS
        self.origin = self.root.get("origin", "")

    # ------------------------------------------------------------------ archive
    def _member(self, name: str) -> bytes:
        assert self.archive is not None
        info = self.archive.getinfo(name)
        try:
            with self.archive.open(info) as handle:
                data = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(f"{self.export}:{name}", expected="a readable archive member", found=str(exc)) from None
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(f"{self.export}:{name}", expected=f"at most {MAX_MEMBER_BYTES} bytes", found="more")
        return data

    def source_text(self, where: str, path: str) -> str:
        """The text of an internal plain-text source, read as bytes so CRLF stays two characters."""
        name = re.sub(r"^internal://", "", path.strip())
        if "://" in name or "/" in name or "\\" in name or name in ("", ".", ".."):
            raise InputError(
                self.where,
                column=where,
                column_word="element",
                expected="a plainTextPath inside the project (internal://<name>.txt)",
                found=path,
            )
        data: bytes | None = None
        if self.archive is not None:
            wanted = {f"sources/{name}".lower()}
            for member in self.archive.namelist():
                if member.lower() in wanted:
                    data = self._member(member)
                    break
        else:
            for folder in ("sources", "Sources"):
                candidate = self.export.parent / folder / name
                if os.path.lexists(candidate):  # a link (of the file or of sources/) is refused, never followed
                    data = read_export(candidate, MAX_MEMBER_BYTES, root=self.export.parent)
                    break
        if data is None:
            raise InputError(
                self.where,
                column=where,
                column_word="element",
                expected="its plain text under sources/ in the project",
                found=f"no file {name}",
            )
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(
                f"{self.export}:sources/{name}", expected="UTF-8 text", found="bytes that are not UTF-8"
            ) from None

    # ------------------------------------------------------------------ elements
    def find(self, parent: Element, *path: str) -> Element | None:
        node: Element | None = parent
        for step in path:
            node = node.find(self.ns + step) if node is not None else None
        return node

    def all(self, parent: Element | None, *path: str) -> list[Element]:
        if parent is None:
            return []
        *head, last = path
        node = self.find(parent, *head) if head else parent
        return node.findall(self.ns + last) if node is not None else []

    def users(self) -> dict[str, str]:
        return {u.get("guid", ""): u.get("name", "") for u in self.all(self.root, "Users", "User")}

    def code_tree(self) -> list[TreeNode]:
        book = self.root if self.root.tag.endswith("CodeBook") else self.find(self.root, "CodeBook")
        codes = self.find(book, "Codes") if book is not None else None

        def node(el: Element) -> TreeNode:
            desc = self.find(el, "Description")
            return TreeNode(
                key=el.get("guid", ""),
                name=(el.get("name") or "").strip(),
                description=" ".join((desc.text or "").split()) if desc is not None else "",
                children=[node(c) for c in el.findall(self.ns + "Code")],
            )

        return [node(c) for c in codes.findall(self.ns + "Code")] if codes is not None else []

    def variables(self) -> dict[str, str]:
        return {v.get("guid", ""): v.get("name", "") for v in self.all(self.root, "Variables", "Variable")}

    def values(self, el: Element, names: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for vv in el.findall(self.ns + "VariableValue"):
            ref = vv.find(self.ns + "VariableRef")
            name = names.get(ref.get("targetGUID", "")) if ref is not None else None
            value = next((c.text for c in vv if not c.tag.endswith("VariableRef")), None)
            if name and value is not None:
                out[fold(name)] = value.strip()
                out.setdefault(fold(name.split(":", 1)[-1]), value.strip())  # NVivo: `Cases:Age group`
        return out

    def cases(self) -> Iterator[tuple[str, dict[str, str], list[str]]]:
        names = self.variables()
        for case in self.all(self.root, "Cases", "Case"):
            refs = [r.get("targetGUID", "") for r in case.findall(self.ns + "SourceRef")]
            yield (case.get("name") or "").strip(), self.values(case, names), refs

    def sets(self) -> Iterator[tuple[str, list[str]]]:
        for s in self.all(self.root, "Sets", "Set"):
            yield (s.get("name") or "").strip(), [m.get("targetGUID", "") for m in s.findall(self.ns + "MemberSource")]

    def text_sources(self) -> tuple[list[TextDoc], int]:
        names = self.variables()
        docs: list[TextDoc] = []
        skipped = 0
        sources = self.find(self.root, "Sources")
        for el in list(sources) if sources is not None else []:
            kind = _local(el.tag)
            if kind != "TextSource":
                skipped += 1
                continue
            guid = el.get("guid", "")
            name = (el.get("name") or "").strip() or guid
            where = f"TextSource[{guid or name}]"  # the GUID, not the name (a name may identify someone)
            inline = self.find(el, "PlainTextContent")
            if inline is not None:
                text = inline.text or ""
            elif el.get("plainTextPath"):
                text = self.source_text(where, el.get("plainTextPath", ""))
            else:
                raise InputError(
                    self.where,
                    column=where,
                    column_word="element",
                    expected="a plainTextPath or PlainTextContent",
                    found="neither",
                )
            selections = []
            for sel in el.findall(self.ns + "PlainTextSelection"):
                sguid = sel.get("guid", "")
                try:
                    start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                except ValueError:
                    raise InputError(
                        self.where,
                        column=f"{where}/PlainTextSelection[{sguid}]",
                        column_word="element",
                        expected="integer startPosition and endPosition",
                        found=f"{sel.get('startPosition')!r}, {sel.get('endPosition')!r}",
                    ) from None
                if start < 0 or end <= start:
                    raise InputError(
                        self.where,
                        column=f"{where}/PlainTextSelection[{sguid}]",
                        column_word="element",
                        expected="0 <= startPosition < endPosition",
                        found=f"{start}..{end}",
                    )
                s = Selection(sguid, start, end)
                for coding in sel.findall(self.ns + "Coding"):
                    refs = coding.findall(self.ns + "CodeRef")
                    if len(refs) != 1:
                        raise InputError(
                            self.where,
                            column=f"{where}/PlainTextSelection[{sguid}]/Coding",
                            column_word="element",
                            expected="exactly one CodeRef",
                            found=len(refs),
                        )
                    s.codings.append((refs[0].get("targetGUID", ""), coding.get("creatingUser", "")))
                selections.append(s)
            docs.append(TextDoc(guid, name, text, selections, self.values(el, names)))
        return docs, skipped


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(where: str, data: bytes) -> Element:
    """XML parsed safely: no DTD, no entity expansion, no external resolution; errors name the file and line."""
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(
            where, expected="XML without a DTD or entities (refused for safety)", found=type(exc).__name__
        ) from None
    except ParseError as exc:
        row = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(where, row=row, expected="well-formed XML", found=str(exc)) from None
    check_depth(where, root)
    return root


def check_depth(where: str, root: Element, limit: int = MAX_DEPTH) -> None:
    """Refuse elements nested deeper than `limit` (walked without recursion), before any recursive reader runs."""
    stack: list[tuple[Element, int]] = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            raise InputError(
                where,
                column=_local(el.tag),
                column_word="element",
                expected=f"elements nested at most {limit} deep",
                found="deeper nesting",
            )
        stack.extend((child, depth + 1) for child in el)


def _open_zip(export: Path, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            export, expected="a .qdpx project (a zip archive)", found=f"a broken archive ({exc})"
        ) from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise InputError(
                f"{export}:{info.filename}",
                expected=f"a member of at most {MAX_MEMBER_BYTES} bytes expanding at most {MAX_RATIO} times",
                found=f"{info.file_size} bytes from {info.compress_size}",
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            export, expected=f"an archive expanding to at most {MAX_TOTAL_BYTES} bytes", found=f"{total} bytes"
        )
    return archive


def _project_member(export: Path, archive: zipfile.ZipFile) -> str:
    """`project.qde`, or the one other `.qde` at the top of the archive (ATLAS.ti names it after the project)."""
    top = [n for n in archive.namelist() if "/" not in n.strip("/") and n.lower().endswith(".qde")]
    named = [n for n in top if n.lower() == "project.qde"]
    if named:
        return named[0]
    if len(top) == 1:
        return top[0]
    raise InputError(export, expected="one .qde project file at the top of the archive", found=", ".join(top) or "none")


# ---------------------------------------------------------------------- offsets


def boundaries(text: str, unit: str) -> tuple[dict[int, int], int]:
    """Offset in `unit` -> index into the Python string, at every character boundary; and the length in units."""
    pos, i, n = 0, 0, len(text)
    index = {0: 0}
    while i < n:
        ch = text[i]
        if unit == "codepoints_lf" and ch == "\r" and text[i + 1 : i + 2] == "\n":
            i += 2
            pos += 1
        else:
            pos += 2 if unit == "utf16" and ord(ch) > 0xFFFF else 1
            i += 1
        index[pos] = i
    return index, pos


def _on_word_boundaries(text: str, a: int, b: int) -> bool:
    """A passage starts and ends on word boundaries and not on a line break (a shifted selection does)."""
    start = a == 0 or not text[a - 1].isalnum() or not text[a].isalnum()
    end = b == len(text) or not text[b].isalnum() or not text[b - 1].isalnum()
    return start and end and text[a] not in "\r\n" and text[b - 1] not in "\r\n"


def fit(docs: list[TextDoc], unit: str) -> float:
    """Share of the selections that fall on character and word boundaries when offsets are read in `unit`."""
    total = good = 0
    for doc in docs:
        index, _ = boundaries(doc.text, unit)
        for s in doc.selections:
            total += 1
            a, b = index.get(s.start), index.get(s.end)
            good += a is not None and b is not None and _on_word_boundaries(doc.text, a, b)
    return good / total if total else 1.0


def choose_unit(project: Project, docs: list[TextDoc], source: Source, result: Imported) -> str:
    """The offset unit: as configured, else from Project@origin, checked against word boundaries."""
    configured = option(source, "offsets", "auto")
    if configured != "auto":
        return str(configured)
    origin = project.origin.lower()
    unit = "utf16" if "nvivo" in origin else "codepoints_lf" if "atlas" in origin else "codepoints"
    if not any(d.selections for d in docs):
        return unit
    scores = {u: fit(docs, u) for u in UNITS}
    if scores[unit] >= FIT:
        return unit
    best = max(UNITS, key=lambda u: (scores[u], u == unit))
    if scores[best] >= FIT:
        result.note(
            f"{project.where}: offsets read as {best} ({scores[best]:.0%} of passages on word boundaries), not as "
            f"{unit} as Project@origin {project.origin!r} suggests ({scores[unit]:.0%}); set {source.key('offsets')} "
            "to confirm"
        )
        return best
    result.note(
        f"{project.where}: WARNING no offset unit puts most passages on word boundaries ("
        + ", ".join(f"{u} {scores[u]:.0%}" for u in UNITS)
        + f"); read as {unit}; check the passages and set {source.key('offsets')}"
    )
    return unit


# ---------------------------------------------------------------------- participants


def _attributes(project: Project, docs: list[TextDoc]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Per source GUID: its attributes (case variables, document variables, ATLAS.ti sets) and its case name."""
    attrs: dict[str, dict[str, str]] = {d.guid: dict(d.attributes) for d in docs}
    case_of: dict[str, str] = {}
    for name, values, refs in project.cases():
        for ref in refs:
            if ref in attrs:
                for k, v in values.items():
                    attrs[ref].setdefault(k, v)
                if name:
                    case_of.setdefault(ref, name)
    for name, members in project.sets():
        key, sep, value = name.partition(":")
        if sep:
            for ref in members:
                if ref in attrs:
                    attrs[ref].setdefault(fold(key), value.strip())
    return attrs, case_of


def import_project(export: Path, source: Source, codebook: Codebook | None, roster: dict[str, str]) -> Imported:
    """segments.csv (and codebook.yaml when the cohort has none) from a REFI-QDA project or codebook."""
    result = Imported()
    project = Project(export, read_export(export))
    mapping, codebook_text = map_tree(project.where, project.code_tree(), source, codebook)
    if codebook_text is not None:
        result.files["codebook.yaml"] = codebook_text
    docs, skipped = project.text_sources() if project.ns == NS else ([], 0)
    if skipped:
        result.note(f"{project.where}: {skipped} sources other than text (PDF, picture, audio, video) skipped")
    unit = choose_unit(project, docs, source, result)
    attrs, case_of = _attributes(project, docs)
    users = project.users()
    coders: dict[str, str] = {}
    for guid in users:
        coders.setdefault(guid, f"coder_{len(coders) + 1}")
    pattern = option(source, "participant_pattern")
    survey_docs = option(source, "survey_documents")
    participant_var = option(source, "participant", "case")
    group_var, consent_var = option(source, "group"), option(source, "consent")
    yes = consent_values(source)
    rows: list[list[Any]] = []
    elements: list[str] = []
    for doc in docs:
        where = f"TextSource[{doc.guid or doc.name}]"
        a = attrs[doc.guid]
        if pattern:
            m = re.search(str(pattern), doc.name)
            if m is None:
                raise InputError(
                    project.where,
                    column=where,
                    column_word="element",
                    expected=f"a source name matching {source.key('participant_pattern')}",
                    found=doc.name,
                )
            participant = m.groupdict().get("participant") or (m.group(1) if m.groups() else m.group(0))
        elif participant_var == "case":
            participant = case_of.get(doc.guid, "")
        else:
            participant = a.get(fold(str(participant_var)), "")
        group = group_code(source, a.get(fold(str(group_var)), "")) if group_var else roster.get(participant, "")
        group = group or str(option(source, "group_value", "") or "")
        if doc.selections and not group and group_var:  # unmapped: the cohort's one group (no groups declared)
            key = source.key("group") if group_var or not participant else "participants.csv"
            raise InputError(
                project.where,
                column=where,
                column_word="element",
                expected=f"a group for this source (mapping key {key})",
                found="none",
            )
        quote = bool(consent_var) and fold(a.get(fold(str(consent_var)), "")) in yes
        kind = "survey" if survey_docs and re.search(str(survey_docs), doc.name) else "interview"
        index, length = boundaries(doc.text, unit)
        for s in sorted(doc.selections, key=lambda s: (s.start, s.end, s.guid)):
            swhere = f"{where}/PlainTextSelection[{s.guid}]"
            if s.end > length:
                raise InputError(
                    project.where,
                    column=swhere,
                    column_word="element",
                    expected=f"a selection inside its text ({length} {unit} units)",
                    found=f"{s.start}..{s.end}",
                )
            a0, b0 = index.get(s.start), index.get(s.end)
            if a0 is None or b0 is None:
                raise InputError(
                    project.where,
                    column=swhere,
                    column_word="element",
                    expected=f"offsets on character boundaries in {unit}",
                    found=f"{s.start}..{s.end}",
                )
            text = printable(doc.text[a0:b0]).strip() if quote else ""  # no text kept unless it may be quoted
            for code_guid, user in s.codings:
                if code_guid not in mapping:
                    raise InputError(
                        project.where,
                        column=f"{swhere}/Coding/CodeRef[{code_guid}]",
                        column_word="element",
                        expected="a CodeRef to a code of the codebook at the code level",
                        found="no such code" if not _known(project, code_guid) else "a theme or subtheme",
                    )
                coder = coders.setdefault(user, f"coder_{len(coders) + 1}") if user else ""
                elements.append(f"{swhere}/Coding[{code_guid}]")
                rows.append(
                    [
                        "",
                        kind,
                        doc.name,
                        participant,
                        group,
                        mapping[code_guid],
                        coder,
                        text,
                        "true" if quote else "false",
                        f"{a0}-{b0}",
                    ]
                )
    for n, row in enumerate(rows, start=1):
        row[0] = f"S{n:05d}"
    result.files["segments.csv"] = write_csv(IMPORTED_SEGMENT_COLUMNS, rows)
    result.origin("segments.csv", elements, {
        "participant_id": ("", source.key("participant")), "group": ("", source.key("group")),
        "code": ("CodeRef", source.key("format")), "quote_ok": ("", source.key("consent")),
        "text": ("PlainTextSelection", source.key("file")),
    }, kind="element")  # fmt: skip
    if not consent_var:
        result.note(f"{project.where}: no consent variable mapped ({source.key('consent')}); no passage may be quoted")
    return result


def _known(project: Project, guid: str) -> bool:
    def walk(nodes: list[TreeNode]) -> bool:
        return any(n.key == guid or walk(n.children) for n in nodes)

    return walk(project.code_tree())
