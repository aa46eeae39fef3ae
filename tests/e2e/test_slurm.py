"""The bundled workflow through a real SLURM: a single-node cluster started on this machine by
`scripts/slurm/start-single-node.sh` (Debian's slurm-wlm and munge), the workflow run with the SLURM
profile (`workflow/profiles/slurm`, snakemake-executor-plugin-slurm), its outputs compared byte for byte
with the session's local run (`run_a`). The fixtures `slurm_cluster` and `slurm_run` are in conftest.py:
the SLURM run is also the second clean build of `test_two_clean_runs_are_byte_identical` (`run_b`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slurm]


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
