"""The import rule in a Snakemake run (issue 11): the bundled exports cohort `plp-2021-exports`.

The whole workflow for that cohort, in the session's one run of the side cohorts (`side_run` in conftest.py,
beside the bad-input corpus and the export shapes): import -> clean -> ... -> report, provenance and
RO-Crate. Its register must hold plp-2021's committed snapshot rows (themes, items, response), the
provenance must record the original exports with their SHA-256, `verify` must pass, and no planted
identifier of the Qualtrics export may appear in any file under results/ (logs included).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.bad_inputs.exports import by_name
from tests.conftest import ROOT
from tests.e2e.conftest import SideRun
from tests.e2e.test_workflow import verify_cli
from workforce_eval import register
from workforce_eval.synthetic import exports

pytestmark = pytest.mark.e2e
COHORT = "plp-2021-exports"


#: Malformed exports run beside the good cohort (the rest of the corpus runs through the import directly).
BAD = ("qdpx-broken-zip", "qde-xml-bomb", "qde-selection-past-end", "qde-coderef-missing-code",
       "qualtrics-unmapped-column")  # fmt: skip


def add_exports(raw: Path) -> tuple[list[str], list[str]]:
    """The bundled exports cohort and the malformed exports, written under `raw`: (good, bad) cohort ids."""
    shutil.copytree(ROOT / "data" / "raw" / COHORT, raw / COHORT)
    for name in BAD:
        by_name()[name].build(raw / name)
    return [COHORT], list(BAD)


@pytest.fixture(scope="module")
def run_exports(side_run: SideRun) -> Path:
    """The session's one run of the side cohorts (conftest.py): the bad exports fail, the good cohort not."""
    assert side_run.first.returncode != 0  # the bad cohorts fail ...
    assert (side_run.project / "results" / COHORT / "report.html").is_file()  # ... the good one not
    return side_run.project


@pytest.mark.parametrize("name", BAD)
def test_a_bad_export_stops_its_cohort_with_one_message(run_exports: Path, name: str) -> None:
    case = by_name()[name]
    log = (run_exports / "results" / "logs" / name / "import.log").read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if "Input error" in line]
    assert len(lines) == 1 and case.file in lines[0] and case.says in lines[0] and case.where in lines[0], log
    assert "Traceback" not in log
    assert not (run_exports / "results" / name).exists()


@pytest.mark.parametrize("family", ["theme", "item", "response"])
def test_the_run_from_exports_gives_the_contract_files_rows(run_exports: Path, family: str) -> None:
    got = register.read(run_exports / "results" / COHORT / "statistics.csv")
    want = register.read(ROOT / "tests" / "snapshots" / "plp-2021" / "statistics.csv")
    cols = [c for c in got.columns if c not in ("rule", "inputs_sha256")]
    pd.testing.assert_frame_equal(
        got[got["analysis"] == family][cols].reset_index(drop=True),
        want[want["analysis"] == family][cols].reset_index(drop=True),
    )


def test_provenance_names_the_original_exports_and_verify_passes(run_exports: Path) -> None:
    with (run_exports / "results" / "provenance" / f"{COHORT}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    inputs = {r["path"]: r["sha256"] for r in rows if r["role"] == "input"}
    data = run_exports / "data" / "raw" / COHORT
    for name in (exports.PROJECT, exports.QUALTRICS):
        assert inputs[name] == hashlib.sha256((data / name).read_bytes()).hexdigest()
    outputs = [r["path"] for r in rows if r["role"] == "output"]
    assert any(p.startswith(f"{COHORT}/imported/") for p in outputs)
    proc = verify_cli(run_exports)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_planted_identifier_anywhere_under_results(run_exports: Path) -> None:
    planted = [v for n in range(1, 27) for v in exports.planted(n).values()]
    for path in (run_exports / "results").rglob("*"):
        if not path.is_file():
            continue
        text = (
            pd.read_parquet(path).astype(str).to_csv()
            if path.suffix == ".parquet"
            else path.read_bytes().decode("utf-8", "replace")
        )
        for value in planted:
            assert value not in text, (path, value)
