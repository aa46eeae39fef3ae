"""REFI-QDA parser facts on small hand-written projects (issue 11): an ATLAS.ti-style archive and a codebook."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.conftest import ROOT
from workforce_eval.inputs.importers import refi_qda
from workforce_eval.inputs.importers.common import csv_rows
from workforce_eval.inputs.spec import Source

# Offsets hand-counted for ATLAS.ti (code points, CRLF as one): "Hello world\r\n" is 12 units, so
# "Second line" is 12..23 (13..24 as Python string indices), and "here" after the emoji (one code
# point) is 26..30.
TEXT = "Hello world\r\nSecond line \U0001f600 here\r\n"
QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Tiny" origin="ATLAS.ti 23.0 Windows">
  <Users><User guid="u1" name="Real Coder Name"/></Users>
  <CodeBook><Codes>
    <Code guid="t1" name="Theme one" isCodable="false">
      <Code guid="s1" name="Sub one" isCodable="false">
        <Code guid="c1" name="A code" isCodable="true"><Description>Defined here.</Description>
          <Code guid="d1" name="A detail" isCodable="true"/>
        </Code>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="src1" name="P7 interview" plainTextPath="src1.txt">
      <PlainTextSelection guid="sel1" startPosition="12" endPosition="23">
        <Coding guid="k1" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding>
        <Coding guid="k2" creatingUser="u1"><CodeRef targetGUID="d1"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="sel2" startPosition="26" endPosition="30">
        <Coding guid="k3" creatingUser="u1"><CodeRef targetGUID="d1"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="pdf1" name="scan" path="internal://pdf1.pdf"/>
  </Sources>
  <Sets>
    <Set guid="g1" name="group: A"><MemberSource targetGUID="src1"/></Set>
    <Set guid="g2" name="consent: yes"><MemberSource targetGUID="src1"/></Set>
  </Sets>
</Project>
"""


def atlas_archive(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.qdpx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("Tiny.qde", QDE)  # ATLAS.ti names the project file after the project
        archive.writestr("sources/src1.txt", TEXT.encode("utf-8"))  # lower-case folder, no intern://
    path.write_bytes(buf.getvalue())
    return path


def test_an_atlas_ti_style_archive(tmp_path: Path) -> None:
    source = Source("segments", "refi_qda", "tiny.qdpx", {"participant_pattern": r"(P\d+)", "group": "group",
                                                           "consent": "consent"})  # fmt: skip
    result = refi_qda.import_project(atlas_archive(tmp_path), source, None, {})
    rows = csv_rows(Path("segments.csv"), result.files["segments.csv"])
    assert rows[1:] == [
        ["S00001", "interview", "P7 interview", "P7", "A", "a_code", "coder_1", "Second line", "true", "13-24"],
        ["S00002", "interview", "P7 interview", "P7", "A", "a_code", "coder_1", "Second line", "true", "13-24"],
        ["S00003", "interview", "P7 interview", "P7", "A", "a_code", "coder_1", "here", "true", "27-31"],
    ]  # the detail code collapsed into its code-level ancestor; the coder's name is never copied; the passage key
    # is its span in the text
    assert "Real Coder Name" not in "".join(result.files.values())
    assert (
        "id: theme_one" in result.files["codebook.yaml"]
        and "definition: Defined here." in result.files["codebook.yaml"]
    )
    assert any("1 sources other than text" in n for n in result.notes)


def test_a_codebook_only_file(tmp_path: Path) -> None:
    qdc = tmp_path / "codes.qdc"
    qdc.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="t" name="T" isCodable="false">'
        '<Code guid="s" name="S" isCodable="false"><Code guid="c" name="C" isCodable="true"/></Code></Code>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    result = refi_qda.import_project(qdc, Source("segments", "refi_qda", "codes.qdc", {}), None, {})
    assert result.files["segments.csv"].splitlines()[1:] == []
    assert "- id: t\n" in result.files["codebook.yaml"]


def test_the_bundled_project_is_nvivo_style() -> None:
    path = ROOT / "data" / "raw" / "plp-2021-exports" / "plp-2021.qdpx"
    project = refi_qda.Project(path, path.read_bytes())
    docs, skipped = project.text_sources()
    assert project.origin.startswith("NVivo") and skipped == 0
    assert all("\r\n" in d.text for d in docs) and any("\U0001f4dd" in d.text for d in docs)
    assert refi_qda.fit(docs, "utf16") == 1.0 and refi_qda.fit(docs, "codepoints") < 0.8
