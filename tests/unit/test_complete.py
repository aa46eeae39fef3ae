"""Nothing partial after a late failure: incomplete cohort folders are found and removed, complete ones kept."""

from __future__ import annotations

from pathlib import Path

from workforce_eval.steps.complete import incomplete, remove_incomplete, targets_by_cohort


def test_incomplete_cohorts_are_removed_whole(tmp_path: Path) -> None:
    results = tmp_path / "results"
    for cohort, files in {"done": ["statistics.csv", "report.html"], "half": ["statistics.csv"]}.items():
        for name in files:
            (results / cohort / name).parent.mkdir(parents=True, exist_ok=True)
            (results / cohort / name).write_text("x")
    (results / "logs" / "half").mkdir(parents=True)
    targets = [str(results / c / n) for c in ("done", "half", "absent") for n in ("statistics.csv", "report.html")]
    targets.append(str(results / "provenance" / "manifest.json"))
    by_cohort = targets_by_cohort(results, ["done", "half", "absent"], targets)
    assert by_cohort["done"] == [str((results / "done" / n).resolve()) for n in ("statistics.csv", "report.html")]
    assert incomplete(results, by_cohort) == ["half"]
    assert remove_incomplete(results, by_cohort) == ["half"]
    assert not (results / "half").exists() and (results / "done" / "report.html").is_file()
    assert (results / "logs" / "half").is_dir()  # logs stay
