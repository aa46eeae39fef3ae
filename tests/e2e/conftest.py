"""Fixtures shared by the end-to-end modules: the session's one local build of the bundled data (`run_a`), and
its second clean build (`run_b`): through a real SLURM where a single-node cluster can be started (the SLURM
run is made anyway, so one build serves both the executor check and the byte-for-byte check), else local."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
