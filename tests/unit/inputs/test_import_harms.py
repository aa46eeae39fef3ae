"""The harms of issue 22, each a test written before its fix (every one failed on main's code).

- `import --force` deleted the whole of `--out` (another cohort, unrelated files, the export itself);
- a bare `.qde`'s `sources/` folder or file, and an export named under `sources:`, were read through a link;
- import errors printed identifiers;
- deep XML ended in a RecursionError, a malformed MS Forms sheet and a bad `--out` in tracebacks;
- control and bidi characters reached the quoted text; unconsented passages kept their text in the import;
- organisation file names followed the data's order.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workforce_eval.cli import main
from workforce_eval.errors import InputError
from workforce_eval.inputs import importers
from workforce_eval.inputs.importers.common import csv_rows
from workforce_eval.inputs.importers.draft import strip_guesses

BUNDLED = ROOT / "data" / "raw" / "plp-2021-exports"
PASSAGE = "We met every month and it helped a lot"


def qde_text(passage_text: str = PASSAGE + ".", consent: str = "Yes", code_name: str = "Trust", doc: str = "Int 1",
             inline: bool = False) -> str:  # fmt: skip
    """A small REFI-QDA project (QualCoder style): one case with group and consent, one coded passage."""
    end = len(passage_text) - 1
    body = f"<PlainTextContent>{passage_text}</PlainTextContent>" if inline else ""
    path = "" if inline else ' plainTextPath="internal://D1.txt"'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="QualCoder 3.6">
<Users><User guid="U1" name="coder"/></Users>
<CodeBook><Codes><Code guid="T1" name="Theme"><Code guid="S1" name="Sub">
<Code guid="C1" name="{code_name}"/></Code></Code></Codes></CodeBook>
<Variables><Variable guid="V1" name="Group" typeOfVariable="Text"/>
<Variable guid="V2" name="Consent" typeOfVariable="Text"/></Variables>
<Cases><Case guid="K1" name="P01">
<VariableValue><VariableRef targetGUID="V1"/><TextValue>A</TextValue></VariableValue>
<VariableValue><VariableRef targetGUID="V2"/><TextValue>{consent}</TextValue></VariableValue>
<SourceRef targetGUID="D1"/></Case></Cases>
<Sources><TextSource guid="D1" name="{doc}"{path}>{body}
<PlainTextSelection guid="P1" startPosition="0" endPosition="{end}">
<Coding guid="X1" creatingUser="U1"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>
"""


def bare_project(folder: Path, text: str = PASSAGE + ".") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "D1.txt").write_text(text, encoding="utf-8")
    (folder / "project.qde").write_text(qde_text(text), encoding="utf-8")
    return folder / "project.qde"


def confirmed_import(draft: Path) -> str:
    """The draft's guesses confirmed (marks deleted), imported as the pipeline does: segments.csv's text."""
    for path in draft.glob("*.yaml"):
        path.write_text(strip_guesses(path.read_text(encoding="utf-8")), encoding="utf-8")
    files, _record = importers.convert(draft, "draft")
    return files["segments.csv"]


# ------------------------------------------------------------------ --force


def test_force_replaces_only_what_the_draft_wrote(tmp_path: Path) -> None:
    out = tmp_path / "draft"
    export = BUNDLED / "plp-2021-qualtrics.csv"
    assert main(["import", "qualtrics", str(export), "--out", str(out), "--group-column", "group"]) == 0
    assert main(["import", "qualtrics", str(export), "--out", str(out), "--group-column", "group", "--force"]) == 0
    (out / "notes.txt").write_text("mine")  # content the draft did not write
    assert main(["import", "qualtrics", str(export), "--out", str(out), "--group-column", "group", "--force"]) == 1
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "instrument.yaml").is_file()


def test_force_refuses_a_folder_of_other_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "data" / "other-cohort"
    shutil.copytree(BUNDLED, other)
    before = sorted(p.name for p in other.iterdir())
    assert main(["import", "qualtrics", str(BUNDLED / "plp-2021-qualtrics.csv"), "--out", str(tmp_path / "data"),
                 "--force"]) == 1  # fmt: skip
    assert sorted(p.name for p in other.iterdir()) == before
    assert "Traceback" not in capsys.readouterr().err


def test_force_refuses_the_folder_holding_the_export(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    export = folder / "export.csv"
    shutil.copy(BUNDLED / "plp-2021-qualtrics.csv", export)
    assert main(["import", "qualtrics", str(export), "--out", str(folder), "--force"]) == 1
    assert export.is_file()


def test_force_refuses_the_current_and_home_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("keep")
    export = tmp_path / "export.csv"
    shutil.copy(BUNDLED / "plp-2021-qualtrics.csv", export)
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work))
    assert main(["import", "qualtrics", str(export), "--out", ".", "--force"]) == 1
    assert main(["import", "qualtrics", str(export), "--out", str(work), "--force"]) == 1
    assert (work / "keep.txt").read_text() == "keep"
    err = capsys.readouterr().err
    assert "Traceback" not in err and "current folder" in err


def test_out_a_file_or_a_symlink_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = BUNDLED / "plp-2021-qualtrics.csv"
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    link = tmp_path / "link"
    target = tmp_path / "target"
    target.mkdir()
    link.symlink_to(target)
    assert main(["import", "qualtrics", str(export), "--out", str(a_file)]) == 1
    assert main(["import", "qualtrics", str(export), "--out", str(link), "--force"]) == 1
    assert a_file.read_text() == "x" and not any(target.iterdir())
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("error:") == 2


# ------------------------------------------------------------------ links


def test_a_symlinked_sources_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "sources").mkdir(parents=True)
    (outside / "sources" / "D1.txt").write_text("CANARY text from another cohort.", encoding="utf-8")
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    (cohort / "project.qde").write_text(qde_text("CANARY text from another cohort."), encoding="utf-8")
    (cohort / "sources").symlink_to(outside / "sources")
    out = tmp_path / "draft"
    assert main(["import", "refi_qda", str(cohort / "project.qde"), "--out", str(out)]) == 1
    assert not out.exists()


def test_a_symlinked_source_file_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("CANARY text from another cohort.", encoding="utf-8")
    cohort = tmp_path / "cohort"
    (cohort / "sources").mkdir(parents=True)
    (cohort / "project.qde").write_text(qde_text("CANARY text from another cohort."), encoding="utf-8")
    (cohort / "sources" / "D1.txt").symlink_to(outside)
    assert main(["import", "refi_qda", str(cohort / "project.qde"), "--out", str(tmp_path / "d")]) == 1
    assert not (tmp_path / "d").exists()


def test_an_export_under_sources_is_not_read_through_a_link(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(BUNDLED, other)
    cohort = tmp_path / "cohort"
    shutil.copytree(BUNDLED, cohort)
    (cohort / "plp-2021-qualtrics.csv").unlink()
    (cohort / "plp-2021-qualtrics.csv").symlink_to(other / "plp-2021-qualtrics.csv")
    with pytest.raises(InputError) as err:
        importers.convert(cohort, "cohort")
    assert "plp-2021-qualtrics.csv" in str(err.value) and "link" in str(err.value)


# ------------------------------------------------------------------ redaction


def test_import_errors_do_not_print_identifiers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = tmp_path / "c"
    project = bare_project(cohort)
    email = "jo.bloggs@example.org"
    project.write_text(qde_text(doc=email).replace('targetGUID="C1"', 'targetGUID="C9"'), encoding="utf-8")
    assert main(["import", "refi_qda", str(project), "--out", str(tmp_path / "d")]) == 1
    assert email not in capsys.readouterr().err
    csv_path = tmp_path / "q.csv"
    text = (BUNDLED / "plp-2021-qualtrics.csv").read_text(encoding="utf-8")
    csv_path.write_text(text.replace(",group\n", f",group,{email}\n", 1), encoding="utf-8")
    cohort2 = tmp_path / "c2"
    shutil.copytree(BUNDLED, cohort2)
    shutil.copy(csv_path, cohort2 / "plp-2021-qualtrics.csv")
    with pytest.raises(InputError) as err:
        importers.convert(cohort2, "c2")
    assert email not in str(err.value)


# ------------------------------------------------------------------ parse errors


def test_deeply_nested_codes_are_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    depth = 50_000
    codes = "".join(f'<Code guid="c{i}" name="n{i}">' for i in range(depth)) + "</Code>" * depth
    xml = qde_text().replace('<Code guid="T1" name="Theme">', codes + '<Code guid="T1" name="Theme">')
    cohort = tmp_path / "c"
    project = bare_project(cohort)
    project.write_text(xml, encoding="utf-8")
    assert main(["import", "refi_qda", str(project), "--out", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RecursionError" not in err and "deep" in err


def test_a_malformed_msforms_sheet_is_one_message(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name", "Q"])
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(buf) as src:
        members = {n: src.read(n) for n in src.namelist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c r='A1' t='s'><v>0</v></c></row"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for n, d in members.items():
            dst.writestr(n, d)
    from workforce_eval.inputs.importers import msforms

    path = tmp_path / "forms.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(InputError) as err:
        msforms.read_rows(path)
    assert "forms.xlsx" in str(err.value)


# ------------------------------------------------------------------ text


def test_control_and_bidi_characters_are_removed_from_imported_text(tmp_path: Path) -> None:
    dirty = "We met \u202eevery month\u202c and \x1b[31mit helped\x1b[0m a lot\u200f\x07."
    out = tmp_path / "draft"
    project = bare_project(tmp_path / "c", dirty)
    project.write_text(qde_text(dirty), encoding="utf-8")
    assert main(["import", "refi_qda", str(project), "--out", str(out), "--force"]) == 0
    segments = confirmed_import(out)
    rows = csv_rows(out / "segments.csv", segments)
    text = rows[1][7]
    assert text.startswith("We met every month and it helped a lot"), text
    assert not any(ch in text for ch in "\u202e\u202c\x1b\u200f\x07")


def test_published_quotes_have_no_control_or_bidi_characters() -> None:
    from workforce_eval import names

    assert names.printable("a\u202eb\u2066c\u200ed\x1b[1me\x9b2Jf\tg\nh\x00") == "abcdef\tg\nh"


def test_unconsented_passages_keep_no_text_in_the_import(tmp_path: Path) -> None:
    project = bare_project(tmp_path / "c")
    project.write_text(qde_text(consent="No"), encoding="utf-8")
    out = tmp_path / "draft"
    assert main(["import", "refi_qda", str(project), "--out", str(out)]) == 0
    segments = confirmed_import(out)
    assert PASSAGE not in segments and ",false," in segments


# ------------------------------------------------------------------ organisation file names


def test_unit_file_names_do_not_follow_the_data_order() -> None:
    from workforce_eval import names

    values = ["trust a", "TRUST-A", "Trust A", "St. Mary's"]
    one = dict(zip(values, names.unit_slugs(values)))
    two = dict(zip(values[::-1], names.unit_slugs(values[::-1])))
    assert (
        one == two == {"TRUST-A": "trust-a", "Trust A": "trust-a-2", "trust a": "trust-a-3", "St. Mary's": "st-mary-s"}
    )


def test_organisations_whose_file_names_collide_are_refused(tmp_path: Path) -> None:
    from tests.unit.analyses.test_benchmarking import cohort
    from workforce_eval.inputs.validate import load

    folder = cohort(tmp_path)
    text = (folder / "survey.csv").read_text()
    lines = text.splitlines()
    header = lines[0].split(",")
    j = header.index("organisation")
    first = lines[1].split(",")
    names_seen = [ln.split(",")[j] for ln in lines[1:]]
    other = next(n for n in names_seen if n != first[j])
    k = next(i for i, ln in enumerate(lines[1:], start=1) if ln.split(",")[j] == other)
    cells = lines[k].split(",")
    cells[j] = first[j].upper().replace(" ", "-")
    lines[k] = ",".join(cells)
    (folder / "survey.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        load(folder, "c")
    assert err.value.column == "organisation" and err.value.rows == (2, k + 1)


def test_item_and_code_ids_are_made_by_one_slug_rule() -> None:
    # one rule (importers.common.slug_id) for codebook and instrument ids: accents transliterated (an item id
    # dropped them before: "Qualité" gave "qualit"), an item id starts with a letter, a code id may not
    from workforce_eval.inputs.importers.common import slug_id
    from workforce_eval.inputs.importers.draft import _item_id

    taken: set[str] = set()
    assert _item_id("Qualité du soutien", taken) == "qualite_du_soutien"
    assert _item_id("2nd question", taken) == "q2nd_question"
    assert _item_id("2nd question", taken) == "q2nd_question_2"
    assert _item_id("???", taken) == "item"
    assert slug_id("2nd wave", set()) == "2nd_wave" and slug_id("???", set()) == "code"
