"""Provenance helpers: hashes an auditor can recompute, lineage columns, notebook normalisation, git state, verify."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from workforce_eval import cli, hashing, register
from workforce_eval.provenance import environment, lineage, verify
from workforce_eval.provenance import manifest as run_manifest


def test_inputs_digest_is_what_sha256sum_gives(tmp_path: Path) -> None:
    files = {"survey.csv": b"response_id\nr1\n", "cohort.yaml": b"cohort: '1'\n", "a b.csv": b""}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    hashes = hashing.file_hashes(tmp_path, files)
    assert hashes["a b.csv"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # SHA-256 of nothing
    # the auditor's recipe from the docs: sha256sum over the files sorted by name, then sha256sum of that listing
    if shutil.which("sha256sum"):
        listing = subprocess.run(["sha256sum", *sorted(files)], cwd=tmp_path, capture_output=True, check=True).stdout
        assert hashing.inputs_digest(hashes) == hashlib.sha256(listing).hexdigest()
    text = "".join(f"{hashes[n]}  {n}\n" for n in ("a b.csv", "cohort.yaml", "survey.csv"))
    assert hashing.inputs_digest(hashes) == hashlib.sha256(text.encode()).hexdigest()
    changed = dict(hashes, **{"survey.csv": hashing.sha256_bytes(b"response_id\nr2\n")})
    assert hashing.inputs_digest(changed) != hashing.inputs_digest(hashes)


def test_register_lineage_columns_follow_the_contract_columns() -> None:
    assert register.COLUMNS[: len(register.CONTRACT_COLUMNS)] == register.CONTRACT_COLUMNS
    assert register.COLUMNS[len(register.CONTRACT_COLUMNS) :] == ("level", "subgroup", "rule", "inputs_sha256")
    rows = register.to_frame([register.Row("response", "invited", 5.0), register.Row("response", "responses", 3.0)])
    stamped = lineage.stamp_lineage(rows, "describe", "ab" * 32)
    assert list(stamped["rule"]) == ["describe", "describe"]
    assert set(stamped["inputs_sha256"]) == {"ab" * 32}


def test_register_round_trip_keeps_lineage(tmp_path: Path) -> None:
    rows = lineage.stamp_lineage(register.to_frame([register.Row("response", "invited", 53)]), "describe", "f" * 64)
    register.write(rows, tmp_path / "s.csv")
    header = (tmp_path / "s.csv").read_text().splitlines()[0]
    assert header.endswith(",level,subgroup,rule,inputs_sha256")
    back = register.read(tmp_path / "s.csv")
    assert back.loc[0, "rule"] == "describe" and back.loc[0, "inputs_sha256"] == "f" * 64


def test_every_partial_register_is_stamped_and_the_register_refuses_unstamped_rows(tmp_path: Path) -> None:
    from workforce_eval.steps import cohort as steps

    meta = {"input_sha256": {"cohort.yaml": "a" * 64, "survey.csv": "b" * 64}}
    digest = hashing.inputs_digest(meta["input_sha256"])
    rows = register.to_frame([register.Row("pre_post", "mean_change", 0.5)])
    steps.write_partial(rows, "prepost", meta, tmp_path / "prepost.csv")
    back = register.read(tmp_path / "prepost.csv")
    assert (back.loc[0, "rule"], back.loc[0, "inputs_sha256"]) == ("prepost", digest)
    (tmp_path / "cohort.json").write_text(json.dumps({"groups": [], "disclosure_threshold": 5}), "utf-8")
    register.write(rows, tmp_path / "bare.csv")  # a partial register written without its lineage
    with pytest.raises(ValueError, match="1 register rows carry no lineage"):
        steps.build_register(
            [tmp_path / "prepost.csv", tmp_path / "bare.csv"], tmp_path / "cohort.json", tmp_path / "s.csv"
        )
    assert not (tmp_path / "s.csv").exists()


def _notebook(start: str, output: str, injected_id: str = "a1b2c3") -> bytes:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": injected_id,
                "source": ["cohort_id = 'x'"],
                "metadata": {"tags": ["injected-parameters"]},
                "outputs": [],
            },
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": "c1",
                "source": ["print(1)"],
                "metadata": {
                    "papermill": {"start_time": start, "duration": 0.5},
                    "execution": {"iopub.status.busy": start},
                },
                "outputs": [{"name": "stdout", "output_type": "stream", "text": [output]}],
            },
        ],
        "metadata": {
            "papermill": {"start_time": start, "end_time": start, "duration": 1.2},
            "kernelspec": {"name": "python3"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb).encode()


def test_normalised_notebooks_differ_only_when_content_differs() -> None:
    a = _notebook("2026-01-01T10:00:00", "1\n")
    b = _notebook("2026-03-04T11:12:13", "1\n", injected_id="f9e8d7")
    c = _notebook("2026-01-01T10:00:00", "2\n")
    assert a != b
    assert hashing.normalise_notebook(a) == hashing.normalise_notebook(b)
    assert hashing.normalise_notebook(a) != hashing.normalise_notebook(c)
    kept = json.loads(hashing.normalise_notebook(a))
    assert kept["metadata"] == {"kernelspec": {"name": "python3"}}
    assert kept["cells"][1]["outputs"][0]["text"] == ["1\n"]


def test_git_state_of_a_plain_folder_and_of_a_checkout(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert environment.git_state(plain) == {
        "commit": None,
        "dirty": None,
        "commit_date": None,
        "note": "not a git checkout",
    }
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    (repo / "a.txt").write_text("a\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "a.txt"], cwd=repo, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "one"], cwd=repo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    clean = environment.git_state(repo)
    assert clean["commit"] == head and clean["dirty"] is False and clean["commit_date"]
    (repo / "a.txt").write_text("b\n")
    assert environment.git_state(repo)["dirty"] is True


def test_software_lists_this_python_and_installed_packages() -> None:
    import platform
    from importlib.metadata import version

    env = environment.software()
    assert env["python"] == platform.python_version()
    assert env["packages"]["pandas"] == version("pandas")
    assert list(env["packages"]) == sorted(env["packages"])


def test_verify_without_a_manifest_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "--results", str(tmp_path / "results")]) == 2
    assert "manifest.json" in capsys.readouterr().err


def test_cohort_table_and_manifest_on_a_hand_made_run(tmp_path: Path) -> None:
    data = tmp_path / "data"
    results = tmp_path / "results"
    (data / "c1").mkdir(parents=True)
    (data / "c1" / "cohort.yaml").write_text("programme: x\n")
    (results / "c1" / "tables").mkdir(parents=True)
    (results / "c1" / "tables" / "t.csv").write_text("a\n1\n")
    lineage = {
        str(results / "c1" / "tables" / "t.csv"): {"rule": "make_t", "inputs": [str(data / "c1" / "cohort.yaml")]}
    }
    table = run_manifest.cohort_table("c1", data, results, ["cohort.yaml"], lineage)
    assert list(table["role"]) == ["input", "output"]
    assert list(table["path"]) == ["cohort.yaml", "c1/tables/t.csv"]
    assert table.loc[1, "sha256"] == hashlib.sha256(b"a\n1\n").hexdigest()
    assert table.loc[1, "rule"] == "make_t" and table.loc[1, "bytes"] == 4
    run_manifest.write_table(table, results / "provenance" / "c1.csv")
    (tmp_path / "config.yaml").write_text("cohorts: [c1]\n")
    manifest = run_manifest.build_manifest(
        tables={"c1": results / "provenance" / "c1.csv"},
        config={"cohorts": ["c1"], "data_dir": str(data), "results_dir": str(results)},
        config_files=["config.yaml"],
        code=[],
        root=tmp_path,
        git={"commit": None, "dirty": None},
        env={"python": "3.11"},
    )
    rec = manifest["cohorts"]["c1"]
    assert rec["inputs"]["cohort.yaml"]["sha256"] == hashlib.sha256(b"programme: x\n").hexdigest()
    assert rec["outputs"]["c1/tables/t.csv"]["rule"] == "make_t"
    assert rec["inputs_sha256"] == hashing.inputs_digest({"cohort.yaml": rec["inputs"]["cohort.yaml"]["sha256"]})
    run_manifest.write_manifest(manifest, results / "provenance" / "manifest.json")
    result = verify.verify(results, root=tmp_path)
    assert result.ok, verify.verification_text(result)
    (results / "c1" / "tables" / "extra.csv").write_text("x\n")
    (data / "c1" / "survey.csv").write_text("response_id\n")
    kinds = {(f.kind, Path(f.path).name) for f in verify.verify(results, root=tmp_path).findings}
    assert kinds == {("unrecorded", "extra.csv"), ("stale", "survey.csv")}
    # the privacy guard's files are inputs too: a deny list added after the run makes the outputs stale
    (data / "c1" / "deny_list.txt").write_text("Jane Doe\n")
    found = {(f.kind, Path(f.path).name, f.detail) for f in verify.verify(results, root=tmp_path).findings}
    assert ("stale", "deny_list.txt", "input file appeared since the run") in found
    assert pd.read_csv(results / "provenance" / "c1.csv").shape == (2, 6)


def test_package_code_edited_after_the_outputs_makes_them_stale(tmp_path: Path) -> None:
    import os

    results = tmp_path / "results"
    (results / "c1").mkdir(parents=True)
    out = results / "c1" / "statistics.csv"
    out.write_text("a\n")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "workflow").mkdir()
    for f in ("src/pkg/describe.py", "src/pkg/report.py", "workflow/Snakefile"):
        (tmp_path / f).write_text("x = 1\n")
    made = out.stat().st_mtime
    os.utime(tmp_path / "src/pkg/describe.py", (made - 100, made - 100))  # older than the outputs: fine
    os.utime(tmp_path / "src/pkg/report.py", (made + 100, made + 100))  # edited after the run
    os.utime(tmp_path / "workflow/Snakefile", (made + 100, made + 100))  # Snakemake reruns on these itself
    cohorts = {"c1": {"outputs": {"c1/statistics.csv": {}}}}
    code = ["src/pkg/describe.py", "src/pkg/report.py", "workflow/Snakefile"]
    newer = run_manifest.package_code_newer_than_outputs(code, tmp_path, cohorts, {"results_dir": "results"})
    assert newer == ["src/pkg/report.py"]
