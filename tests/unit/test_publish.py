"""The publish step (`steps.publish`): the bundle holds masked registers and copies, its crate lists exactly its
files, a rerun gives the same bytes, and it deletes only what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workforce_eval import atomic, layout, register
from workforce_eval.hashing import sha256_file
from workforce_eval.provenance import crate
from workforce_eval.register import Row, published
from workforce_eval.register.measures import RESPONSE, RESPONSES
from workforce_eval.steps import notes, publish

MANIFEST = {"pipeline": {"name": "workforce-eval", "version": "0"}, "git": {}, "cohorts": {"c1": {}}}


def _run(tmp_path: Path) -> tuple[Path, list[str]]:
    results = tmp_path / "results"
    here = layout.cohort(results, "c1")
    here.clean_dir.mkdir(parents=True)
    atomic.write_json(here.cohort_json, {"cohort_id": "c1", "disclosure_threshold": 5, "groups": [], "items": []})
    register.write(
        register.to_frame(
            [
                Row(RESPONSE, RESPONSES, 12, n=12, source="survey"),
                Row(RESPONSE, RESPONSES, 3, group="A", n=3, source="survey", suppressed=True),
                Row(RESPONSE, RESPONSES, 9, group="B", n=9, source="survey", suppressed=True),
            ]
        ),
        here.statistics,
    )
    here.quotes.write_text(
        "theme,subtheme,code,segment_id,source,group,attribution,text,priority,selected\n"
        "t,s,c,SEG-P007,interview,A,A P1,'=a quoted formula,1,s\n",
        encoding="utf-8",
    )
    here.report.html.write_text("<html><body>report</body></html>", encoding="utf-8")
    here.figures_dir.mkdir()
    (here.figures_dir / "likert.png").write_bytes(b"\x89PNG fake")
    (here.figures_dir / ".snakemake_timestamp").write_text("", encoding="utf-8")  # a directory output's mark
    (here.figures_dir / "likert.ipynb").write_text("{}", encoding="utf-8")  # as beside the organisation reports
    (here.table("describe")).parent.mkdir()
    here.table("describe").write_text("restricted", encoding="utf-8")
    manifest = layout.run(results).manifest
    atomic.write_json(manifest, MANIFEST)
    inputs = [str(here.report.html), str(here.figures_dir), str(here.statistics), str(here.quotes)]
    return results, inputs


def test_bundle_masks_copies_and_lists_exactly_its_files(tmp_path: Path) -> None:
    results, inputs = _run(tmp_path)
    run = layout.run(results)
    publish.publish(results, inputs, run.manifest, run.published_crate_metadata)
    bundle = run.published_dir
    files = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    assert files == [
        "c1/figures/likert.png",
        "c1/quotes.csv",
        "c1/report.html",
        "c1/statistics.csv",
        "ro-crate-metadata.json",
    ]
    masked = published.read(bundle / "c1" / "statistics.csv")
    assert list(masked["shown"]) == ["", "[c]", "[c]"]
    assert masked["estimate"].isna().tolist() == [False, True, True]
    text = (bundle / "c1" / "statistics.csv").read_text(encoding="utf-8")
    assert ",9," not in text and ",3," not in text
    quotes = (bundle / "c1" / "quotes.csv").read_text(encoding="utf-8")
    assert "SEG-P007" not in quotes and "segment_id" not in quotes
    assert quotes.splitlines()[1] == "t,s,c,interview,A,A P1,'=a quoted formula,1,s"
    listed = crate.crate_files(json.loads(run.published_crate_metadata.read_text(encoding="utf-8")))
    assert sorted(listed) == files[:-1]
    assert all(listed[f] == sha256_file(bundle / f) for f in listed)
    crate_text = run.published_crate_metadata.read_text(encoding="utf-8")
    assert "tables/" not in crate_text and "clean/" not in crate_text and "provenance/" not in crate_text


def test_rerun_is_byte_identical_and_removes_only_what_it_wrote(tmp_path: Path) -> None:
    results, inputs = _run(tmp_path)
    run = layout.run(results)
    publish.publish(results, inputs, run.manifest, run.published_crate_metadata)
    bundle = run.published_dir
    before = {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    publish.publish(results, inputs, run.manifest, run.published_crate_metadata)
    assert {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == before
    # someone else's file in the bundle, and a file of ours they changed: both kept
    (bundle / "c1" / "notes.txt").write_text("mine", encoding="utf-8")
    (bundle / "c1" / "report.html").write_text("edited by hand", encoding="utf-8")
    # the figure and the report are no longer published: only the untouched figure goes
    publish.publish(results, inputs[2:], run.manifest, run.published_crate_metadata)
    assert not (bundle / "c1" / "figures" / "likert.png").exists()
    assert (bundle / "c1" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (bundle / "c1" / "report.html").read_text(encoding="utf-8") == "edited by hand"


@pytest.mark.parametrize("restricted", ["tables/describe.csv", "clean/cohort.json"])
def test_restricted_files_are_refused(tmp_path: Path, restricted: str) -> None:
    results, inputs = _run(tmp_path)
    run = layout.run(results)
    with pytest.raises(ValueError, match=r"restricted|not a kind"):
        publish.publish(
            results, [*inputs, str(results / "c1" / restricted)], run.manifest, run.published_crate_metadata
        )
    assert not run.published_crate_metadata.exists()


def test_restricted_note_names_the_published_copy(tmp_path: Path) -> None:
    results, _ = _run(tmp_path)
    note = layout.cohort(results, "c1").restricted_note
    notes.restricted_note(note, results)
    text = note.read_text(encoding="utf-8")
    assert text.startswith("RESTRICTED")
    assert "../published/c1/statistics.csv" in text
    slug_note = layout.programme(results, "p").restricted_note
    slug_note.parent.mkdir(parents=True)
    notes.restricted_note(slug_note, results)
    assert "../../published/programmes/p/" in slug_note.read_text(encoding="utf-8")


def test_the_rules_find_the_results_folder_from_their_outputs() -> None:
    run = layout.run(Path("/r/out"))
    assert layout.RunLayout.of_published_crate_metadata(run.published_crate_metadata).results_dir == run.results_dir
    for note in (run.cohort("c1").restricted_note, run.programme("p").restricted_note):
        assert layout.RunLayout.of_restricted_note(note).results_dir == run.results_dir
    with pytest.raises(ValueError):
        layout.RunLayout.of_published_crate_metadata(run.crate_metadata)
