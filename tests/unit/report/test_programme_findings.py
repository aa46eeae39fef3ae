"""The programme report's key findings on a hand-made programme register."""

from __future__ import annotations

from pathlib import Path

from workforce_eval import register
from workforce_eval.register.rows import Row
from workforce_eval.report import programme as pr
from workforce_eval.report import sections
from workforce_eval.report.results import ProgrammeResults


def test_programme_findings_pooled_change_spread_and_heterogeneity() -> None:
    rows = [
        (Row("pre_post", "linked", 10, n=10), "c1"),
        (Row("pre_post", "linked", 15, n=15), "c2"),
        (Row("pre_post", "linked", 25, n=25), "all"),
        (Row("pre_post", "mean_change", 0.8, item="prep", n=10), "c1"),
        (Row("pre_post", "paired_t", 0.8, item="prep", n=10, ci_low=0.39, ci_high=1.21, p_value=0.0016), "c1"),
        (Row("pre_post", "paired_t", 0.24, item="prep", n=15, ci_low=-0.04, ci_high=0.52, p_value=0.088), "c2"),
        (Row("pre_post", "paired_t", 0.52, item="prep", n=25, ci_low=0.34, ci_high=0.70, p_value=5e-7), "all"),
        (Row("pre_post", "mean_change", 0.52, item="prep", n=25), "all"),
        (Row("pre_post", "heterogeneity", 4.2, item="prep", n=25, p_value=0.047), "all"),
    ]
    stats = register.to_frame([r for r, _ in rows]).assign(cohort=[c for _, c in rows])
    meta = {
        "cohorts": [{"cohort_id": "c1", "cohort": "Pilot"}, {"cohort_id": "c2", "cohort": "Cohort 2"}],
        "constructs": ["prep"],
        "items": [{"id": "x", "type": "likert", "construct": "prep", "levels": list("12345")}],
    }
    out = pr.key_findings(ProgrammeResults(stats, meta, Path(".")))
    assert (
        out[0]
        == "25 participants answered both before and after the programme across the 2 cohorts (Pilot 10, Cohort 2 15)."
    )
    assert out[1] == (
        "Pooled over all cohorts, the mean of Prep (scale score) changed by 0.52 points (n = 25; 95 % CI 0.34 to "
        "0.70; paired t p < 0.001); by cohort from 0.24 (Cohort 2) to 0.80 (Pilot)."
    )
    assert (
        out[2] == "Whether the cohorts' changes in Prep (scale score) differ: Kruskal-Wallis p = 0.047 "
        "(n = 25 linked participants)."
    )
    assert len(out) == 3


def _programme(**extra: object) -> ProgrammeResults:
    rows = [(Row("pre_post", "linked", 10, n=10), "c1"), (Row("pre_post", "linked", 10, n=10), "all")]
    stats = register.to_frame([r for r, _ in rows]).assign(cohort=[c for _, c in rows])
    meta: dict[str, object] = {
        "programme": "Paired <Learning>",
        "slug": "paired-learning",
        "synthetic": True,
        "disclosure_threshold": 3,
        "cohorts": [
            {"cohort_id": "c1", "cohort": "Pilot", "design": "pre_post", "dates": "2021"},
            {"cohort_id": "c2", "cohort": "Cohort 2", "design": "pre_post"},
        ],
        "items": [{"id": "x", "type": "likert", "construct": "prep", "scale": "agree5", "levels": list("abcde")}],
        **extra,
    }
    return ProgrammeResults(stats, meta, Path("."))


def test_programme_title_block_lists_cohorts_design_dates_and_synthetic_banner() -> None:
    html = pr.title_block(_programme())
    assert "<th scope='row'>Programme</th><td>Paired &lt;Learning&gt;</td>" in html  # escaped
    assert "<th scope='row'>Cohorts</th><td>2: Pilot, Cohort 2</td>" in html
    assert "<th scope='row'>Design</th><td>Before-and-after survey</td>" in html  # one design: singular
    assert "<th scope='row'>Dates</th><td>Pilot: 2021</td>" in html  # only the cohort that has dates
    assert "synthetic (invented for demonstration)" in html
    assert "synthetic" not in pr.title_block(_programme(synthetic=False, cohorts=[{"cohort_id": "c1"}]))


def test_programme_methods_have_scales_with_range_threshold_and_software() -> None:
    sections = dict(pr.methods(_programme()))
    assert list(sections) == [
        "Design",
        "Instruments and scales",
        "Who was counted",
        "Statistical methods",
        "Disclosure control",
        "Software",
    ]
    assert "Prep (scale score): the mean of its 1 items' codes (after reverse coding), range 1 to 5" in " ".join(
        sections["Instruments and scales"]
    )
    disclosure = sections["Disclosure control"][0]
    # the programme's own threshold, 3; one symbol for every hidden number
    assert "counts from 1 to 2" in disclosure and "“[c]”" in disclosure and "“<3”" not in disclosure
    assert "project default" not in disclosure and "highest of the cohorts' thresholds" in disclosure
    assert sections["Software"][0].startswith("Analysed with Python 3.")
    assert "<h3>Disclosure control</h3>" in pr.methods_html(_programme())


def test_programme_appendix_points_to_published_registers_only() -> None:
    text = pr.appendix_text(_programme())
    assert "programmes/paired-learning/statistics.csv in the published folder" in text
    assert "published register: c1/statistics.csv, c2/statistics.csv." in text
    assert "ro-crate-metadata.json at the root of the published folder" in text
    # nothing restricted: not the full registers under results/, not the run's provenance
    assert "results/" not in text and "provenance/" not in text
    links = sections.PROGRAMME.contents(_programme())
    assert links.index("#Methods") < links.index("#Limitations") < links.index("#Appendix")
