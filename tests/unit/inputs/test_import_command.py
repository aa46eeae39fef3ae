"""`workforce-eval import <format> <file> --out <folder>` (issue 11): a draft cohort folder from one export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workforce_eval.cli import main
from workforce_eval.inputs.validate import load
from workforce_eval.synthetic import exports

BUNDLED = ROOT / "data" / "raw" / "plp-2021-exports"


def test_refi_qda_draft_marks_its_guesses_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft"
    assert main(["import", "refi_qda", str(BUNDLED / exports.PROJECT), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["codebook.yaml", "cohort.yaml", "mapping.yaml", "segments.csv"]
    mapping = (out / "mapping.yaml").read_text(encoding="utf-8")
    assert "group: Cases:Group  # GUESS: confirm" in mapping
    assert "consent: Cases:Quote consent  # GUESS: confirm" in mapping
    segments = (out / "segments.csv").read_text(encoding="utf-8")
    assert segments.count("\n") == 1 + 124  # header + plp-2021's 124 segments, both coders (its segments.csv)
    before = (out / "segments.csv").stat().st_mtime_ns
    assert main(["import", "refi_qda", str(BUNDLED / exports.PROJECT), "--out", str(out)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert (out / "segments.csv").stat().st_mtime_ns == before
    assert main(["import", "refi_qda", str(BUNDLED / exports.PROJECT), "--out", str(out), "--force"]) == 0


def test_qualtrics_draft_validates_and_copies_no_identifier(tmp_path: Path) -> None:
    out = tmp_path / "survey-draft"
    assert main(["import", "qualtrics", str(BUNDLED / exports.QUALTRICS), "--out", str(out)]) == 0
    instrument = (out / "instrument.yaml").read_text(encoding="utf-8")
    assert "# GUESS: confirm" in instrument
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        for value in exports.planted(1).values():
            assert value not in text, (path, value)
    shutil.copy(BUNDLED / "participants.csv", out / "participants.csv")
    cohort = load(out, "survey-draft")  # the draft is a valid cohort once it has its roster
    assert len(cohort.survey) == 26  # plp-2021's 26 responses


def test_a_bad_export_is_one_message_and_no_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    assert main(["import", "refi_qda", str(broken), "--out", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "broken.qdpx: expected a .qdpx project (a zip archive)" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()
