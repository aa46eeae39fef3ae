"""The programme register and the pre/post figures, on the bundled Paired Learning cohorts (built in process)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from workforce_eval import atomic, register
from workforce_eval.analyses import describe, programme, themes
from workforce_eval.analyses import prepost as pp
from workforce_eval.figures import style as figure_style
from workforce_eval.figures.prepost import forest_figure, prepost_figure
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load
from workforce_eval.register import programme_file
from workforce_eval.steps import programme as steps_programme

ROOT = Path(__file__).resolve().parents[3]
COHORTS = ("lothian-pilot", "lothian-2", "lothian-3")


@pytest.fixture(scope="module")
def cohorts() -> list[programme.CohortResults]:
    out = []
    for cohort in COHORTS:
        cc = load(ROOT / "data" / "raw" / cohort, cohort)
        meta = clean.metadata(cc)
        stats = register.concat(
            [
                describe.describe(meta, cc.participants, cc.survey, cc.segments),
                themes.theme_frequencies(meta, cc.segments),
                pp.prepost(meta, cc.survey),
            ]
        )
        out.append(programme.CohortResults(cohort, meta, stats, cc.survey))
    return out


@pytest.fixture(scope="module")
def preg(cohorts: list[programme.CohortResults]) -> pd.DataFrame:
    return programme.programme_register(cohorts)


def one(reg: pd.DataFrame, cohort: str, analysis: str, measure: str, **kw: str) -> pd.Series:
    rows = register.select(programme.cohort_rows(reg, cohort), analysis, measure, **kw)
    assert len(rows) == 1, (cohort, analysis, measure, kw, len(rows))
    return rows.iloc[0]


def test_slug() -> None:
    assert programme.slug("Paired Learning") == "paired-learning"
    assert programme.slug("  NHS: Parallel / Learning 2021 ") == "nhs-parallel-learning-2021"
    assert programme.slug("***") == "programme"


def test_columns_and_every_cohort_row_kept(cohorts: list[programme.CohortResults], preg: pd.DataFrame) -> None:
    assert tuple(preg.columns) == (  # the contract's register columns, the extensions, then the cohort
        "analysis",
        "measure",
        "item",
        "group",
        "source",
        "estimate",
        "n",
        "denominator",
        "ci_low",
        "ci_high",
        "p_value",
        "method",
        "suppressed",
        "level",
        "subgroup",
        "rule",
        "inputs_sha256",
        "cohort",
    )
    for c in cohorts:
        mine = programme.cohort_rows(preg, c.cohort_id).drop(columns="cohort").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine.iloc[: len(c.stats)], c.stats)


def test_pooled_counts_are_sums(cohorts: list[programme.CohortResults], preg: pd.DataFrame) -> None:
    for analysis, measure in (("response", "invited"), ("pre_post", "linked"), ("pre_post", "pre_only")):
        total = sum(register.one(c.stats, analysis, measure, source="survey").estimate for c in cohorts)
        assert one(preg, "all", analysis, measure, group="all").estimate == total
    assert one(preg, "all", "response", "invited", group="all").estimate == 12 + 18 + 24
    rate = one(preg, "all", "response", "response_rate", group="all")
    assert rate.estimate == pytest.approx(100 * rate.n / rate.denominator) and rate.denominator == 54


@pytest.mark.parametrize("target", ["preparedness", "und_values", "readiness"])
def test_pooled_change_is_the_mean_over_all_linked_participants(
    cohorts: list[programme.CohortResults], preg: pd.DataFrame, target: str
) -> None:
    per = [register.one(c.stats, "pre_post", "mean_change", item=target) for c in cohorts]
    pooled = one(preg, "all", "pre_post", "mean_change", item=target, group="all")
    n = sum(r.n for r in per)
    assert pooled.n == n
    assert pooled.estimate == pytest.approx(sum(r.n * r.estimate for r in per) / n)
    assert pooled.ci_low < pooled.estimate < pooled.ci_high and 0 <= pooled.p_value <= 1


def test_later_cohorts_against_the_first(cohorts: list[programme.CohortResults], preg: pd.DataFrame) -> None:
    first = register.one(cohorts[0].stats, "pre_post", "mean_change", item="preparedness")
    for c in cohorts[1:]:
        own = register.one(c.stats, "pre_post", "mean_change", item="preparedness")
        row = one(preg, c.cohort_id, "pre_post", "change_vs_first", item="preparedness", group="all")
        assert row.level == "lothian-pilot"
        assert row.estimate == pytest.approx(own.estimate - first.estimate)
        assert row.n == own.n + first.n and row.ci_low < row.estimate < row.ci_high
    het = one(preg, "all", "pre_post", "heterogeneity", item="preparedness", group="all")
    assert het.denominator == 3 and 0 < het.p_value < 1


def test_themes_are_summed(cohorts: list[programme.CohortResults], preg: pd.DataFrame) -> None:
    node = "understanding_other"
    counts = [register.one(c.stats, "theme", "participants", item=node, source="all") for c in cohorts]
    bases = [register.one(c.stats, "theme", "pct_participants", item=node, source="all") for c in cohorts]
    assert one(preg, "all", "theme", "participants", item=node, group="all", source="all").estimate == sum(
        r.estimate for r in counts
    )
    pct = one(preg, "all", "theme", "pct_participants", item=node, group="all", source="all")
    assert pct.denominator == sum(r.denominator for r in bases)
    assert pct.estimate == pytest.approx(100 * pct.n / pct.denominator)


def test_write_and_read_round_trip(preg: pd.DataFrame, tmp_path: Path) -> None:
    programme_file.write(preg, tmp_path / "s.csv")
    back = programme_file.read(tmp_path / "s.csv")
    pd.testing.assert_frame_equal(back, preg.astype({"cohort": object}), check_dtype=False)
    programme_file.write(back, tmp_path / "t.csv")
    assert (tmp_path / "s.csv").read_bytes() == (tmp_path / "t.csv").read_bytes()
    header = (tmp_path / "s.csv").read_text().splitlines()[0].split(",")
    assert header[: len(register.COLUMNS)] == list(register.COLUMNS) and header[-1] == "cohort"


def test_forest_plot_draws_register_values(cohorts: list[programme.CohortResults], preg: pd.DataFrame) -> None:
    meta = programme.programme_json("Paired Learning", cohorts)
    fig = forest_figure(preg, meta)
    ax = fig.axes[0]
    squares = [line.get_xdata()[0] for line in ax.get_lines() if line.get_marker() == "s"]
    expected = [
        one(preg, c.cohort_id, "pre_post", "mean_change", item=t, group="all").estimate
        for t in meta["constructs"] + [i["id"] for i in meta["items"] if i["type"] == "likert"]
        for c in cohorts
    ]
    assert squares == pytest.approx(expected)
    diamonds = [p for p in ax.patches if isinstance(p, PolyCollection)] or ax.patches
    filled = [p for p in diamonds if tuple(p.get_facecolor())[:3] != (1.0, 1.0, 1.0)]
    centres = sorted({round(float(np.asarray(p.get_xy())[1][0]), 12) for p in filled})
    targets = meta["constructs"] + [i["id"] for i in meta["items"] if i["type"] == "likert"]
    pooled = sorted(
        round(float(one(preg, "all", "pre_post", "mean_change", item=t, group="all").estimate), 12) for t in targets
    )
    assert centres == pytest.approx(sorted(set(pooled)))
    # the random-effects pooled change: open diamonds
    open_ = [p for p in diamonds if tuple(p.get_facecolor())[:3] == (1.0, 1.0, 1.0)]
    random = sorted(
        round(float(one(preg, "all", "pre_post", "re_mean_change", item=t, group="all").estimate), 12) for t in targets
    )
    assert sorted(round(float(np.asarray(p.get_xy())[1][0]), 12) for p in open_) == pytest.approx(random)


def test_prepost_figure_draws_means_before_and_after(cohorts: list[programme.CohortResults]) -> None:
    c = cohorts[0]
    fig = prepost_figure(c.stats, c.meta)
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_linestyle() == "-" and len(line.get_xdata()) == 2]
    drawn = sorted((round(float(line.get_xdata()[0]), 9), round(float(line.get_xdata()[1]), 9)) for line in lines)
    expected = []
    for target in ["preparedness", "understanding"] + [i["id"] for i in c.meta["items"] if i["type"] == "likert"]:
        for group in ("all", "doctors", "managers"):
            a = register.one(c.stats, "pre_post", "mean_pre", item=target, group=group).estimate
            b = register.one(c.stats, "pre_post", "mean_post", item=target, group=group).estimate
            expected.append((round(float(a), 9), round(float(b), 9)))
    assert drawn == sorted(expected)
    colours = figure_style.group_colours(c.meta)
    assert {line.get_color() for line in lines} == {colours["all"], colours["doctors"], colours["managers"]}


def test_figures_say_no_data_for_other_designs(cohorts: list[programme.CohortResults]) -> None:
    c = cohorts[0]
    fig = prepost_figure(c.stats, {**c.meta, "design": "post_only"})
    assert any(t.get_text() == "No data" for t in fig.axes[0].texts)
    empty = forest_figure(register.to_frame([]).assign(cohort=pd.Series(dtype=str)), {"cohorts": []})
    assert any(t.get_text() == "No data" for t in empty.axes[0].texts)


def test_programme_json_lists_cohorts_in_order(cohorts: list[programme.CohortResults]) -> None:
    meta = programme.programme_json("Paired Learning", cohorts)
    assert [c["cohort"] for c in meta["cohorts"]] == ["Pilot", "Cohort 2", "Cohort 3"]
    assert meta["synthetic"] is True and meta["slug"] == "paired-learning"
    assert meta["constructs"] == ["preparedness", "understanding"]
    assert not math.isnan(len(meta["codebook"]))


def test_programme_outputs_are_byte_identical_when_rebuilt(
    cohorts: list[programme.CohortResults], tmp_path: Path
) -> None:
    from workforce_eval.figures.prepost import make_programme
    from workforce_eval.inputs import clean as clean_mod

    dirs = []
    for c in cohorts:
        d = tmp_path / "results" / c.cohort_id
        register.write(c.stats, d / "statistics.csv")
        atomic.write_json(d / "clean" / "cohort.json", c.meta, default=str)
        clean_mod.write_parquet(c.survey, d / "clean" / "survey.parquet")
        dirs.append(d)
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        steps_programme.programme(
            [d / "statistics.csv" for d in dirs],
            [d / "clean" / "cohort.json" for d in dirs],
            [d / "clean" / "survey.parquet" for d in dirs],
            "Paired Learning",
            out / "statistics.csv",
            out / "programme.json",
        )
        make_programme(out / "statistics.csv", out / "programme.json", out / "figures")
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert set(outputs[0]) == {
        "statistics.csv",
        "programme.json",
        "figures/forest.pdf",
        "figures/forest.png",
        "figures/forest.svg",
    }
    assert outputs[0] == outputs[1]


def test_programme_json_carries_declared_labels_and_dates_only_when_given(
    cohorts: list[programme.CohortResults],
) -> None:
    import dataclasses

    plain = programme.programme_json("Paired Learning", cohorts)
    assert "construct_labels" not in plain and all("dates" not in c for c in plain["cohorts"])
    first = dataclasses.replace(
        cohorts[0],
        meta={**cohorts[0].meta, "construct_labels": {"preparedness": "Readiness"}, "extra": {"dates": "2021"}},
    )
    second = dataclasses.replace(cohorts[1], meta={**cohorts[1].meta, "construct_labels": {"preparedness": "Other"}})
    meta = programme.programme_json("Paired Learning", [first, second, *cohorts[2:]])
    assert meta["construct_labels"] == {"preparedness": "Readiness"}  # the first cohort's where they differ
    assert [c.get("dates") for c in meta["cohorts"]] == ["2021", None, None]


def test_cohort_comparisons_are_adjusted_per_group_as_one_family(preg: pd.DataFrame) -> None:
    from statsmodels.stats.multitest import multipletests

    for group in ("all", "doctors"):
        tested = register.select(preg, "pre_post", ("change_vs_first", "heterogeneity", "q_heterogeneity"), group=group)
        tested = tested[tested["p_value"].notna()]
        adjusted = register.select(preg, "pre_post", "p_adjusted", group=group)
        assert len(adjusted) == len(tested) > 2
        assert list(zip(adjusted["cohort"], adjusted["item"])) == list(zip(tested["cohort"], tested["item"]))
        expected = multipletests(tested["p_value"].to_numpy(dtype=float), method="holm")[1]
        assert adjusted["estimate"].to_numpy(dtype=float) == pytest.approx(expected)
        assert set(adjusted["denominator"]) == {len(tested)}


def test_benjamini_hochberg_where_configured(cohorts: list[programme.CohortResults]) -> None:
    from statsmodels.stats.multitest import multipletests

    reg = programme.programme_register(cohorts, "fdr_bh")
    tested = register.select(reg, "pre_post", ("change_vs_first", "heterogeneity", "q_heterogeneity"), group="all")
    tested = tested[tested["p_value"].notna()]
    adjusted = register.select(reg, "pre_post", "p_adjusted", group="all")
    expected = multipletests(tested["p_value"].to_numpy(dtype=float), method="fdr_bh")[1]
    assert adjusted["estimate"].to_numpy(dtype=float) == pytest.approx(expected)
    assert adjusted["method"].str.startswith("fdr_bh; family later-cohorts").all()


def test_random_effects_rows_from_the_cohorts_mean_changes(
    cohorts: list[programme.CohortResults], preg: pd.DataFrame
) -> None:
    from workforce_eval.analyses.prepost import linked_differences
    from workforce_eval.stats.meta import random_effects
    from workforce_eval.stats.scales import with_constructs

    target = "readiness"
    diffs = [
        linked_differences(c.meta, with_constructs(c.survey, c.meta), target)["diff"].to_numpy(dtype=float)
        for c in cohorts
    ]
    expected = random_effects([d.mean() for d in diffs], [d.var(ddof=1) / len(d) for d in diffs])
    row = one(preg, "all", "pre_post", "re_mean_change", item=target, group="all")
    assert row["estimate"] == pytest.approx(expected.estimate)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((expected.ci_low, expected.ci_high))
    assert row["denominator"] == 3 and row["n"] == sum(len(d) for d in diffs)
    assert one(preg, "all", "pre_post", "tau2", item=target, group="all")["estimate"] == pytest.approx(expected.tau2)
    q = one(preg, "all", "pre_post", "q_heterogeneity", item=target, group="all")
    assert (q["estimate"], q["p_value"]) == pytest.approx((expected.q, expected.q_p_value))
    pi = one(preg, "all", "pre_post", "prediction_interval", item=target, group="all")
    assert (pi["ci_low"], pi["ci_high"]) == pytest.approx((expected.pi_low, expected.pi_high))
