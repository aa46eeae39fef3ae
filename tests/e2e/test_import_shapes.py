"""From a realistic export to a report, as a new user goes (issue 22): one Snakemake run for every shape.

Each export of tests/fixtures/exports/ (README there: which public export each mimics) goes through
`workforce-eval import` with only the options its shape needs, its guesses are confirmed (only the
`# GUESS` marks deleted, nothing else edited), and one run of the whole workflow builds every cohort (the
session's run of the side cohorts, `side_run` in conftest.py, beside the bad-input corpus; its second pass over
the good cohorts must succeed).
Each cohort must end in report.html, and its provenance must record the export's own SHA-256.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import SideRun
from workforce_eval import layout
from workforce_eval.cli import main
from workforce_eval.inputs.importers.draft import strip_guesses

pytestmark = pytest.mark.e2e
FIXTURES = ROOT / "tests" / "fixtures" / "exports"

#: cohort id -> (format, export under tests/fixtures/exports, the command's options)
SHAPES: dict[str, tuple[str, str, list[str]]] = {
    "qualtrics-current": ("qualtrics", "qualtrics/current.csv", ["--group-column", "Role"]),
    "qualtrics-no-import-ids": ("qualtrics", "qualtrics/no-import-ids.csv", ["--group", "Ward leaders"]),
    "qualtrics-legacy": ("qualtrics", "qualtrics/legacy.csv", []),
    "redcap-raw": (
        "redcap",
        "redcap/raw.csv",
        ["--dictionary", str(FIXTURES / "redcap" / "dictionary.csv"), "--group-column", "staff_group"],
    ),
    "msforms": ("msforms", "msforms/forms.xlsx", ["--group-column", "Which ward area do you work in?"]),
    "nvivo12-cases": ("refi_qda", "refi_qda/nvivo12-cases.qdpx", ["--group-column", "Staff group"]),
    "nvivo12-no-cases": ("refi_qda", "refi_qda/nvivo12-no-cases.qdpx", []),
    "qualcoder-qdpx": ("refi_qda", "refi_qda/qualcoder.qdpx", []),
    "qualcoder-bare-qde": ("refi_qda", "refi_qda/qualcoder-bare/project.qde", ["--group-column", "Staff group"]),
    "qualcoder-csv": ("qualcoder_csv", "qualcoder_csv/coding.csv", ["--group-column", "Staff group"]),
    "taguette": ("taguette", "taguette/highlights.csv", ["--group", "Ward leaders"]),
}


def add_shapes(raw: Path) -> list[str]:
    """Each export imported under `raw` with only the options its shape needs, its guesses confirmed."""
    for cohort, (fmt, export, options) in SHAPES.items():
        assert main(["import", fmt, str(FIXTURES / export), "--out", str(raw / cohort), *options]) == 0, cohort
        for path in (raw / cohort).glob("*.yaml"):  # confirm the guesses: delete the marks, nothing else
            path.write_text(strip_guesses(path.read_text(encoding="utf-8")), encoding="utf-8")
    return list(SHAPES)


@pytest.fixture(scope="module")
def run_shapes(side_run: SideRun) -> Path:
    """The session's one run of the side cohorts (conftest.py), which the shapes' cohorts are part of."""
    return side_run.project


@pytest.mark.parametrize("cohort", SHAPES)
def test_an_export_gives_a_report_and_provenance_keeps_its_hash(run_shapes: Path, cohort: str) -> None:
    assert (run_shapes / "results" / cohort / "report.html").is_file()
    with (run_shapes / "results" / "provenance" / f"{cohort}.csv").open(encoding="utf-8") as handle:
        inputs = {r["path"]: r["sha256"] for r in csv.DictReader(handle) if r["role"] == "input"}
    export = FIXTURES / SHAPES[cohort][1]
    assert inputs[export.name] == hashlib.sha256(export.read_bytes()).hexdigest()


def test_the_tool_record_ids_are_kept(run_shapes: Path) -> None:
    import pandas as pd

    _json, _participants, survey_file, _segments = layout.clean_files(
        layout.cohort(run_shapes / "results", "qualtrics-legacy").clean_dir
    )
    survey = pd.read_parquet(survey_file)
    assert survey["response_id"].str.startswith("R_L").all()  # the legacy ResponseID, not R0001


def test_the_fixtures_are_what_build_py_writes(tmp_path: Path) -> None:
    from tests.fixtures.exports import build

    for name, make in build.FIXTURES.items():
        assert make() == (FIXTURES / name).read_bytes(), name
    build.bare_qde(tmp_path)
    bare = FIXTURES / "refi_qda" / "qualcoder-bare"
    assert (tmp_path / "project.qde").read_bytes() == (bare / "project.qde").read_bytes()
