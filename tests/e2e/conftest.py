"""Fixtures shared by the end-to-end modules: the session's one local build of the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

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
