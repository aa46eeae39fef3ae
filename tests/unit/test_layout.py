"""The results layout (workforce_eval.layout), the figures job's shares and the lineage of a folder's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from workforce_eval import layout
from workforce_eval.provenance.manifest import made_by
from workforce_eval.steps.figures import shares


def test_cohort_paths_are_the_documented_layout() -> None:
    here = layout.cohort("results", "plp-2021")
    assert here.cohort_json == Path("results/plp-2021/clean/cohort.json")
    assert here.table("describe") == Path("results/plp-2021/tables/describe.csv")
    assert here.case_code_table == Path("results/plp-2021/restricted/case_code.csv")
    assert here.figure("likert-2", "png") == Path("results/plp-2021/figures/likert-2.png")
    assert here.report.html == Path("results/plp-2021/report.html")
    assert here.log("analyses") == Path("results/logs/plp-2021/analyses.log")
    assert here.provenance_table == Path("results/provenance/plp-2021.csv")
    org = here.organisations
    assert org.units_json == Path("results/plp-2021/organisations/units.json")
    assert org.unit_report("trust-a").html == Path("results/plp-2021/organisations/reports/trust-a.html")
    assert org.unit_reports_pdf_dir == Path("results/plp-2021/organisations/reports_pdf")


def test_workflow_wildcards_pass_through() -> None:
    """The workflow builds its path patterns with the wildcard in place of the id."""
    assert str(layout.cohort("res", "{cohort}").statistics) == "res/{cohort}/statistics.csv"
    assert (
        str(layout.programme("res", "{programme}").figure("forest", "pdf"))
        == "res/programmes/{programme}/figures/forest.pdf"
    )
    assert str(layout.programme("res", "x").log("programme")) == "res/logs/programmes/x/programme.log"


def test_run_level_paths() -> None:
    run = layout.run("out")
    assert run.manifest == Path("out/provenance/manifest.json")
    assert run.crate_metadata == Path("out/ro-crate-metadata.json")
    assert run.code_dir == Path("out/provenance/code")
    assert layout.RESERVED_NAMES == ("logs", "provenance", "programmes", "published", "restricted")
    assert run.published(layout.cohort("out", "plp-2021").statistics) == Path("out/published/plp-2021/statistics.csv")
    assert run.published_crate_metadata == Path("out/published/ro-crate-metadata.json")
    assert run.disclosure_audit == Path("out/restricted/disclosure-audit.csv")


def test_figures_are_shared_by_cost_in_their_own_order() -> None:
    figures = ["composition", "likert", "likert-2", "themes", "cooccurrence", "saturation"]
    assert shares(figures, 2) == [["composition", "likert", "cooccurrence"], ["likert-2", "themes", "saturation"]]
    assert shares(figures, 1) == [figures]
    assert shares(["themes"], 4) == [["themes"]]


def test_a_file_in_a_directory_output_gets_the_folders_lineage() -> None:
    folder = {"rule": "figures", "inputs": ["r/c/statistics.csv"]}
    own = {"rule": "analyses", "inputs": ["r/c/clean/cohort.json"]}
    lineage = {"r/c/figures": folder, "r/c/statistics.csv": own}
    assert made_by(lineage, Path("r"), "c/figures/likert.png") == folder
    assert made_by(lineage, Path("r"), "c/statistics.csv") == own
    assert made_by(lineage, Path("r"), "c/notes.txt") == {}


def test_a_declared_input_names_its_layout_and_a_wrong_one_is_refused() -> None:
    here = layout.CohortLayout.of_cohort_json("/r/out/plp-2021/clean/cohort.json")
    assert (here.results_dir, here.cohort) == (Path("/r/out"), "plp-2021")
    assert layout.CohortLayout.of_provenance_table("out/provenance/c1.csv") == layout.cohort("out", "c1")
    assert layout.ProgrammeLayout.of_programme_json("out/programmes/p/programme.json") == layout.programme("out", "p")
    assert layout.RunLayout.of_crate_metadata("out/ro-crate-metadata.json") == layout.run("out")
    with pytest.raises(ValueError, match=r"not a cohort's clean/cohort\.json"):
        layout.CohortLayout.of_cohort_json("out/plp-2021/cohort.json")
    with pytest.raises(ValueError, match="not a programme's"):
        layout.ProgrammeLayout.of_programme_json("out/p/programme.json")
