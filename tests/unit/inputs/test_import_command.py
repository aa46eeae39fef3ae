"""`workforce-eval import <format> <file> --out <folder>` (issue 11): a draft cohort folder from one export."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workforce_eval.cli import main
from workforce_eval.errors import InputError
from workforce_eval.inputs import importers
from workforce_eval.inputs.importers.draft import strip_guesses
from workforce_eval.inputs.validate import load
from workforce_eval.synthetic import exports

BUNDLED = ROOT / "data" / "raw" / "plp-2021-exports"


def confirm(draft: Path) -> None:
    """Confirm every guess of a draft: delete the marks (what the evaluator does after checking each)."""
    for path in draft.glob("*.yaml"):
        path.write_text(strip_guesses(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_refi_qda_draft_marks_its_guesses_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft"
    export = BUNDLED / exports.PROJECT
    assert main(["import", "refi_qda", str(export), "--out", str(out), "--group-column", "Cases:Group"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".workforce-eval-draft.json", "cohort.yaml", exports.PROJECT]
    assert (out / exports.PROJECT).read_bytes() == export.read_bytes()  # the export itself, its hash kept
    cohort = (out / "cohort.yaml").read_text(encoding="utf-8")
    assert "group: Cases:Group\n" in cohort  # given, not guessed
    assert "consent: Cases:Quote consent  # GUESS: confirm" in cohort
    assert "design: cross_sectional  # GUESS: confirm" in cohort
    with pytest.raises(InputError) as err:  # the pipeline refuses an unconfirmed guess
        importers.convert(out, "draft")
    assert "unconfirmed guess" in str(err.value) and "cohort.yaml, row" in str(err.value)
    confirm(out)
    files, record = importers.convert(out, "draft")
    assert files["segments.csv"].count("\n") == 1 + 124  # header + plp-2021's 124 segments, both coders
    assert record["exports"][0]["sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    before = (out / "cohort.yaml").stat().st_mtime_ns
    assert main(["import", "refi_qda", str(export), "--out", str(out)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert (out / "cohort.yaml").stat().st_mtime_ns == before
    assert main(["import", "refi_qda", str(export), "--out", str(out), "--force"]) == 0


def test_a_draft_without_a_group_offers_candidates_and_runs(tmp_path: Path) -> None:
    out = tmp_path / "draft"
    assert main(["import", "refi_qda", str(BUNDLED / exports.PROJECT), "--out", str(out)]) == 0
    cohort = (out / "cohort.yaml").read_text(encoding="utf-8")
    assert '# group: "Cases:Group"  # GUESS: confirm (a candidate group column)' in cohort
    assert "\ngroups:" not in cohort
    confirm(out)
    files, _ = importers.convert(out, "draft")
    (tmp_path / "imported").mkdir()
    for name, text in files.items():
        (tmp_path / "imported" / name).write_text(text, encoding="utf-8")
    cc = load(tmp_path / "imported", "draft")
    assert set(cc.segments["group"]) == {"cohort"} and cc.meta.groups == {"cohort": "Whole cohort"}


def test_qualtrics_draft_validates_and_copies_no_identifier(tmp_path: Path) -> None:
    out = tmp_path / "survey-draft"
    export = BUNDLED / exports.QUALTRICS
    assert main(["import", "qualtrics", str(export), "--out", str(out), "--group-column", "group",
                 "--participant", "ExternalReference"]) == 0  # fmt: skip
    instrument = (out / "instrument.yaml").read_text(encoding="utf-8")
    assert "# GUESS: confirm" in instrument
    assert "text: How often did you and your partner usually meet?" in instrument  # header row 2
    assert "response_id: ResponseId" in (out / "cohort.yaml").read_text(encoding="utf-8")
    confirm(out)
    files, _ = importers.convert(out, "survey-draft")
    for name in [p.name for p in out.iterdir() if p.name != exports.QUALTRICS] + sorted(files):
        text = files[name] if name in files else (out / name).read_text(encoding="utf-8")
        for value in exports.planted(1).values():
            assert value not in text, (name, value)
    (tmp_path / "imported").mkdir()
    for name, text in files.items():
        (tmp_path / "imported" / name).write_text(text, encoding="utf-8")
    cohort = load(tmp_path / "imported", "survey-draft")
    assert len(cohort.survey) == 26  # plp-2021's 26 responses
    assert cohort.survey["response_id"].str.startswith("R_").all()  # the tool's own ids, not R0001


def test_a_bad_export_is_one_message_and_no_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    assert main(["import", "refi_qda", str(broken), "--out", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "broken.qdpx: expected a .qdpx project (a zip archive)" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_help_says_what_the_draft_needs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for needed in ("--group-column", "--group VALUE", "--participant", "--timepoint", "--dictionary", "GUESS",
                   "candidate group columns", "taguette", "redcap", "msforms", "qualcoder_csv"):  # fmt: skip
        assert needed in text, needed
