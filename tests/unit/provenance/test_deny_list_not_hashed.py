"""The deny list is recorded as used, never hashed or sized, in every published provenance file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from workforce_eval.provenance import manifest as run_manifest
from workforce_eval.provenance import verify


def test_deny_list_is_recorded_without_its_hash_or_size(tmp_path: Path) -> None:
    data, results = tmp_path / "data", tmp_path / "results"
    (data / "c1").mkdir(parents=True)
    (data / "c1" / "cohort.yaml").write_text("programme: x\n")
    deny = b"Aisha Khan\n"
    (data / "c1" / "deny_list.txt").write_bytes(deny)
    (results / "c1").mkdir(parents=True)
    (results / "c1" / "t.csv").write_text("a\n")
    table = run_manifest.cohort_table("c1", data, results, ["cohort.yaml", "deny_list.txt"], {})
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
    run_manifest.write_manifest(manifest, results / "provenance" / "manifest.json")
    rec = manifest["cohorts"]["c1"]
    assert rec["inputs"]["deny_list.txt"] == {"sha256": "", "bytes": 0}  # recorded as used
    digest = hashlib.sha256(deny).hexdigest()
    for path in results.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert digest not in text and "Aisha" not in text, path
    assert str(len(deny)) not in json.dumps(rec["inputs"]["deny_list.txt"])
    assert verify.verify(results, root=tmp_path).ok  # verify accepts the unhashed entry
    (data / "c1" / "deny_list.txt").unlink()
    kinds = {(f.kind, Path(f.path).name) for f in verify.verify(results, root=tmp_path).findings}
    assert ("stale", "deny_list.txt") in kinds
