"""Fixtures shared by the end-to-end modules: the session's one local build of the bundled data (`run_a`), and
its second clean build (`run_b`): through a real SLURM where a single-node cluster can be started (the SLURM
run is made anyway, so one build serves both the executor check and the byte-for-byte check), else local."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.test_workflow import make_project, snakemake, tree_hash


@pytest.fixture(scope="session")
def run_a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example built from clean with `snakemake --cores 2` and no other argument."""
    project = make_project(tmp_path_factory.mktemp("run_a"))
    before = tree_hash(project / "data")
    proc = snakemake(project)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert tree_hash(project / "data") == before, "the pipeline wrote inside data_dir"
    return project


START = ROOT / "scripts" / "slurm" / "start-single-node.sh"
#: start-single-node.sh's exit status when apt-get cannot install the packages (not root, no archive).
APT_REFUSED = 3


@pytest.fixture(scope="session")
def slurm_cluster() -> None:
    """A running single-node SLURM cluster (the script installs and starts it; it is idempotent)."""
    if shutil.which("apt-get") is None:
        pytest.skip("no apt-get on this machine: start-single-node.sh installs Debian's slurm-wlm and munge")
    proc = subprocess.run(["bash", str(START)], capture_output=True, text=True, timeout=900)
    if proc.returncode == APT_REFUSED:
        pytest.skip(f"apt-get refused to install slurm-wlm and munge: {proc.stderr.strip()[-500:]}")
    assert proc.returncode == 0, proc.stderr[-4000:]


@pytest.fixture(scope="session")
def slurm_run(slurm_cluster: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example built from clean through SLURM with the repository's SLURM profile."""
    project = make_project(tmp_path_factory.mktemp("run_slurm"))
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--workflow-profile",
            "workflow/profiles/slurm",
            "--jobs",
            "4",
            # poll SLURM every few seconds (the defaults, 10 s and 40 s, suit a busy cluster, not a test)
            "--slurm-init-seconds-before-status-checks",
            "3",
            "--seconds-between-status-checks",
            "3",
            "--latency-wait",
            "5",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=1200,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-6000:]
    assert "SLURM jobid" in proc.stderr, "the jobs were not submitted to SLURM"
    (project / "slurm-run.log").write_text(proc.stderr, encoding="utf-8")  # kept for reading a failure
    return project


@pytest.fixture(scope="session")
def run_b(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second clean build of everything in another directory, for the byte-for-byte comparison with `run_a`:
    the SLURM run where a cluster can be started (a build through another executor, in another folder, is
    the stronger check and saves a third build of the bundled data), else (or with `-m "not slurm"`) a local
    `snakemake --cores 2`."""
    if "not slurm" not in str(request.config.getoption("markexpr", "")):
        try:
            project: Path = request.getfixturevalue("slurm_run")
            return project
        except pytest.skip.Exception:
            pass
    project = make_project(tmp_path_factory.mktemp("run_b"))
    proc = snakemake(project)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return project


@dataclass(frozen=True)
class SideRun:
    """The session's one build of the side cohorts: the bad-input corpus (test_bad_inputs.py), the bundled exports
    cohort with the malformed exports (test_import.py) and the export shapes (test_import_shapes.py)."""

    project: Path
    #: the first run: every cohort, `--keep-going` (the bad ones fail, the others must complete)
    first: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def side_run(tmp_path_factory: pytest.TempPathFactory) -> SideRun:
    """One project holding every side cohort, built by one `snakemake --keep-going` run (a run's fixed cost, the
    programme, audit, manifest and publication steps, is paid once instead of once per module), then a second run
    of the good cohorts alone, which must succeed: the run-level provenance (manifest, RO-Crate) waits for every
    cohort of a run, so the first, failing run cannot make it."""
    from tests.e2e.test_bad_inputs import add_corpus
    from tests.e2e.test_import import add_exports
    from tests.e2e.test_import_shapes import add_shapes

    project = make_project(tmp_path_factory.mktemp("side"), with_data=False)
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    corpus = add_corpus(raw)
    good_exports, bad_exports = add_exports(raw)
    shapes = add_shapes(raw)
    before = tree_hash(raw)
    first = _snakemake_cohorts(project, [*corpus, *good_exports, *bad_exports, *shapes], "--keep-going")
    assert tree_hash(raw) == before, "the pipeline wrote inside data_dir"
    good = [*good_exports, *shapes, corpus[-1]]  # the corpus's good cohort is its last
    second = _snakemake_cohorts(project, good)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-5000:]
    return SideRun(project, first)


def _snakemake_cohorts(project: Path, cohorts: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """Snakemake over these cohorts (a longer timeout than `snakemake`'s: some fifty cohorts on 2 cores)."""
    names = ",".join(f"'{c}'" for c in cohorts)
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args, "--config", f"cohorts=[{names}]"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=3600,
    )
