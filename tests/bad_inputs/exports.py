"""The bad-export corpus: malformed raw exports (issue 11), each a copy of the bundled `plp-2021-exports`
cohort with one defect. Every one must stop the import with ONE InputError naming the export file and the
element (REFI-QDA) or row and column (CSV exports), and write nothing.

Materialise them for a look: `python -m tests.bad_inputs.exports /tmp/bad-exports`.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

BUNDLED = ROOT / "data" / "raw" / "plp-2021-exports"
QDPX = "plp-2021.qdpx"
QUALTRICS = "plp-2021-qualtrics.csv"
Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class ExportCase:
    """One malformed export: its defect, the file the message must name and a fragment it must contain."""

    name: str
    mutate: Mutation
    file: str
    says: str
    where: str = ""  # the element, row or column the message must name

    def build(self, folder: Path) -> Path:
        shutil.copytree(BUNDLED, folder)
        self.mutate(folder)
        return folder


def rezip(edit: Callable[[dict[str, bytes]], None]) -> Mutation:
    """Rewrite the members of the bundled .qdpx."""

    def mutate(folder: Path) -> None:
        path = folder / QDPX
        with zipfile.ZipFile(path) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
        edit(members)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, d in members.items():
                archive.writestr(n, d)
        path.write_bytes(buf.getvalue())

    return mutate


def qde(old: str | re.Pattern[str], new: str, count: int = 1) -> Mutation:
    """Edit project.qde inside the archive (a regex or a literal)."""

    def edit(members: dict[str, bytes]) -> None:
        text = members["project.qde"].decode("utf-8")
        pattern = old if isinstance(old, re.Pattern) else re.compile(re.escape(old))
        changed, n = pattern.subn(new, text, count=count)
        assert n, f"{old!r} not in project.qde"
        members["project.qde"] = changed.encode("utf-8")

    return rezip(edit)


def whole_qde(content: bytes) -> Mutation:
    def edit(members: dict[str, bytes]) -> None:
        members["project.qde"] = content

    return rezip(edit)


def text_file(name: str, old: str, new: str) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")

    return mutate


def raw(name: str, content: bytes) -> Mutation:
    return lambda folder: (folder / name).write_bytes(content)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>
"""


def _zip_bomb(members: dict[str, bytes]) -> None:
    members["Sources/padding.txt"] = b"\0" * (8 * 1024 * 1024)


def _selection_past_end(members: dict[str, bytes]) -> None:
    text = members["project.qde"].decode("utf-8")
    changed = re.sub(r'endPosition="\d+"', 'endPosition="999999"', text, count=1)
    members["project.qde"] = changed.encode("utf-8")


EXPORT_CASES: tuple[ExportCase, ...] = (
    ExportCase("qdpx-broken-zip", lambda f: (f / QDPX).write_bytes((f / QDPX).read_bytes()[:900]), QDPX, "zip"),
    ExportCase("qdpx-not-a-zip", raw(QDPX, b"this is not an archive\n"), QDPX, "zip archive"),
    ExportCase("qdpx-zip-bomb", rezip(_zip_bomb), QDPX, "expanding at most", "padding.txt"),
    ExportCase("qdpx-no-project", rezip(lambda m: m.pop("project.qde")), QDPX, "one .qde project file"),
    ExportCase("qde-xml-bomb", whole_qde(BOMB), QDPX, "without a DTD", "project.qde"),
    ExportCase("qde-external-entity", whole_qde(XXE), QDPX, "without a DTD", "project.qde"),
    ExportCase("qde-malformed-xml", qde(re.compile(r"</Project>\s*$"), ""), QDPX, "well-formed XML", "project.qde"),
    ExportCase("qde-wrong-namespace", qde("urn:QDA-XML:project:1.0", "urn:example:other"), QDPX, "namespace"),
    ExportCase("qde-selection-past-end", rezip(_selection_past_end), QDPX, "inside its text", "PlainTextSelection["),
    ExportCase(
        "qde-selection-reversed",
        qde(re.compile(r'startPosition="\d+"'), 'startPosition="999998"'),
        QDPX,
        "startPosition < endPosition",
        "PlainTextSelection[",
    ),
    ExportCase(
        "qde-coderef-missing-code",
        qde(re.compile(r'(<CodeRef targetGUID=")[^"]+'), r"\1NO-SUCH-CODE"),
        QDPX,
        "no such code",
        "CodeRef[NO-SUCH-CODE]",
    ),
    ExportCase(
        "qde-coding-two-coderefs",
        qde(re.compile(r'(<CodeRef targetGUID="[^"]+" />)'), r"\1\1"),
        QDPX,
        "exactly one CodeRef",
        "/Coding",
    ),
    ExportCase(
        "qde-coded-theme",
        qde(re.compile(r'(<CodeRef targetGUID=")[^"]+'), r"\1" + "THEME-GUID"),
        QDPX,
        "no such code",
        "CodeRef[THEME-GUID]",
    ),
    ExportCase(
        "qde-code-not-in-codebook",
        qde('name="Trust and openness"', 'name="Something else entirely"'),
        QDPX,
        "code id or label of codebook.yaml",
        "Code[",  # by its GUID: a code's name is never shown (issue 22)
    ),
    ExportCase(
        "qde-text-path-escapes",
        qde(re.compile(r'plainTextPath="internal://[^"]+"'), 'plainTextPath="internal://../../etc/passwd"'),
        QDPX,
        "inside the project",
        "TextSource[",
    ),
    ExportCase(
        "qde-text-missing",
        qde(re.compile(r'plainTextPath="internal://[^"]+"'), 'plainTextPath="internal://nothing.txt"'),
        QDPX,
        "no file nothing.txt",
        "TextSource[",
    ),
    ExportCase(
        "qde-no-group-variable",
        text_file("cohort.yaml", "group: Group", "group: Ward"),
        QDPX,
        "sources.segments.group",
        "TextSource[",
    ),
    ExportCase(
        "qualtrics-unmapped-column",
        lambda f: _add_column(f, "Q99", "Any comments?", '{"ImportId":"QID99"}', "planted answer"),
        QUALTRICS,
        "an unmapped column",
        "row 1, column 'Q99'",
    ),
    ExportCase(
        "qualtrics-identifier-mapped",
        text_file("cohort.yaml", "participant: ExternalReference", "participant: RecipientEmail"),
        QUALTRICS,
        "never copied",
        "column 'RecipientEmail'",
    ),
    ExportCase(
        "qualtrics-mapped-column-missing",
        text_file("cohort.yaml", "recommend: QID10", "recommend: QID77"),
        QUALTRICS,
        "sources.survey.items.recommend",
        "row 1",
    ),
    ExportCase(
        "qualtrics-bad-bytes",
        lambda f: (f / QUALTRICS).write_bytes((f / QUALTRICS).read_bytes() + b"\xff\xfe,bad\r\n"),
        QUALTRICS,
        "UTF-8",
        "row 30",
    ),
    ExportCase("export-file-missing", lambda f: (f / QUALTRICS).unlink(), QUALTRICS, "no such file"),
    ExportCase(
        "sources-and-contract-file",
        lambda f: (f / "segments.csv").write_text("segment_id\n", encoding="utf-8"),
        "cohort.yaml",
        "not both",
        "key 'sources.segments'",
    ),
)


def _add_column(folder: Path, name: str, text: str, import_id: str, value: str) -> None:
    path = folder / QUALTRICS
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    extra = [name, text, '"' + import_id.replace('"', '""') + '"']
    lines = [line + "," + (extra[i] if i < 3 else value) if line else line for i, line in enumerate(lines)]
    path.write_text("\r\n".join(lines), encoding="utf-8", newline="")


def by_name() -> dict[str, ExportCase]:
    return {c.name: c for c in EXPORT_CASES}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-exports")
    for case in EXPORT_CASES:
        case.build(out / case.name)
        print(out / case.name)
