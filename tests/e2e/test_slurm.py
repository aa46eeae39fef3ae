"""The bundled workflow through a real SLURM: a single-node cluster started on this machine by
`scripts/slurm/start-single-node.sh` (Debian's slurm-wlm and munge), the workflow run with the SLURM
profile (`workflow/profiles/slurm`, snakemake-executor-plugin-slurm), its outputs compared byte for byte
with the session's local run (`run_a`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e import snapshot
from tests.e2e.test_workflow import make_project

pytestmark = [pytest.mark.e2e, pytest.mark.slurm]

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


def test_the_slurm_run_submits_job_groups_not_one_job_per_rule(slurm_run: Path) -> None:
    """The profile's groups: after its cleaning job, each cohort's analyses, figures and report (the rules
    `analyses`, `figures`, `report`) are one SLURM job; the organisation reports and the programme one job
    each. About 30 of the run's rule jobs go to the cluster (provenance is local); without groups each was one
    submission, with them 12 (5 cleaning jobs, 5 cohort jobs, the organisations' and the programme's)."""
    log = (slurm_run / "slurm-run.log").read_text(encoding="utf-8")
    for group in ("cohort", "organisations", "programme"):
        assert f"Group job {group} " in log, group
    submitted = log.count("has been submitted with SLURM jobid")
    assert 5 < submitted <= 20, submitted


def test_the_slurm_run_gives_the_same_outputs_as_the_local_run(slurm_run: Path, run_a: Path) -> None:
    patterns = snapshot.unstable_patterns()
    local = snapshot.hashed(run_a / "results", patterns)
    cluster = snapshot.hashed(slurm_run / "results", patterns)
    assert local, "the local run has no stable outputs"
    missing = sorted(set(local) - set(cluster))
    new = sorted(set(cluster) - set(local))
    changed = sorted(p for p in set(local) & set(cluster) if local[p] != cluster[p])
    assert not (missing or new or changed), f"missing {missing[:10]}, new {new[:10]}, changed {changed[:10]}"
    local_registers = snapshot.registers(run_a / "results")
    assert snapshot.registers(slurm_run / "results") == local_registers
    for rel in local_registers:
        assert (slurm_run / "results" / rel).read_bytes() == (run_a / "results" / rel).read_bytes(), rel
    # the organisation reports were made through SLURM too
    assert (slurm_run / "results" / "leeds-2022" / "organisations" / "reports" / "trust-a.html").is_file()
