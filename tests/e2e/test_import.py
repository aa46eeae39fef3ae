"""The import rule in a Snakemake run (issue 11): the bundled exports cohort `plp-2021-exports` run alone.

One run of the whole workflow for that one cohort: import -> clean -> ... -> report, provenance and
RO-Crate. Its register must hold plp-2021's committed snapshot rows (themes, items, response), the
provenance must record the original exports with their SHA-256, `verify` must pass, and no planted
identifier of the Qualtrics export may appear in any file under results/ (logs included).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.e2e.test_workflow import make_project, snakemake, verify_cli
from workforce_eval import register
from workforce_eval.synthetic import exports

pytestmark = pytest.mark.e2e
COHORT = "plp-2021-exports"


@pytest.fixture(scope="module")
def run_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("import") / "project")
    proc = snakemake(project, "--config", f"cohorts=['{COHORT}']")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return project


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
