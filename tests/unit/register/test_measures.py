"""The measure catalogue: it covers every row the bundled cohorts and programme produce, gives disclosure
control the cells and relations worked out by hand for a small register, and is what the data contract lists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workforce_eval import register
from workforce_eval.register import cells as register_cells
from workforce_eval.register import measures
from workforce_eval.register.rows import Row
from workforce_eval.steps import cohort as steps
from workforce_eval.steps import programme as steps_programme

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "raw"
COHORTS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["cohorts"]
PARTS = ("describe", "themes", "models", "prepost")


def uncatalogued(frame: pd.DataFrame, catalogue: dict[tuple[str, str], measures.Measure]) -> set[tuple[str, str]]:
    """(analysis, measure) pairs of a register that the catalogue does not hold."""
    return set(zip(frame["analysis"], frame["measure"])) - set(catalogue)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """Every bundled cohort's statistics.csv and each shared programme's, built in-process by the workflow's steps."""
    results = tmp_path_factory.mktemp("results")
    out: dict[str, pd.DataFrame] = {}
    programmes: dict[str, list[Path]] = {}
    for cohort in COHORTS:
        clean_dir = results / cohort / "clean"
        files = ("cohort.json", "participants.parquet", "survey.parquet", "segments.parquet")
        steps.clean(DATA / cohort, cohort, *(clean_dir / name for name in files))
        parts = [results / cohort / "tables" / f"{name}.csv" for name in PARTS]
        for name, part in zip(PARTS, parts, strict=True):
            getattr(steps, name)(clean_dir, part)
        steps.build_register(parts, clean_dir / "cohort.json", results / cohort / "statistics.csv")
        out[cohort] = register.read(results / cohort / "statistics.csv")
        name = json.loads((clean_dir / "cohort.json").read_text(encoding="utf-8")).get("programme")
        if name:
            programmes.setdefault(str(name), []).append(results / cohort)
    for name, dirs in programmes.items():
        if len(dirs) >= 2:
            target = results / "programmes" / name / "statistics.csv"
            steps_programme.programme(
                [d / "statistics.csv" for d in dirs],
                [d / "clean" / "cohort.json" for d in dirs],
                [d / "clean" / "survey.parquet" for d in dirs],
                name,
                target,
                target.with_name("programme.json"),
            )
            out[f"programme {name}"] = pd.read_csv(target, dtype=str, keep_default_na=False)
    return out


def test_every_bundled_row_is_in_the_catalogue(bundled: dict[str, pd.DataFrame]) -> None:
    assert set(COHORTS) < set(bundled) and any(k.startswith("programme ") for k in bundled)
    for name, frame in bundled.items():
        assert len(frame) > 0, name
        assert uncatalogued(frame, measures.BY_KEY) == set(), name


def test_a_measure_missing_from_the_catalogue_is_caught(bundled: dict[str, pd.DataFrame]) -> None:
    for key in [("item", "pct_agree"), ("pre_post", "heterogeneity"), ("model", "threshold")]:
        fewer = {k: m for k, m in measures.BY_KEY.items() if k != key}
        found = set().union(*(uncatalogued(f, fewer) for f in bundled.values()))
        assert found == {key}


def test_catalogue_keys_are_unique_and_constants_name_catalogued_measures() -> None:
    assert len(measures.BY_KEY) == len(measures.CATALOGUE)
    names = {m.measure for m in measures.CATALOGUE} | {m.analysis for m in measures.CATALOGUE}
    constants = {v for k, v in vars(measures).items() if k.isupper() and isinstance(v, str) and k == v.upper()}
    assert constants <= names and {"pct_agree", "level_pct", "mean_change", "pct_participants"} <= constants
    assert frozenset({"level_pct"}) == measures.DETAIL_MEASURES


META = {
    "groups": [{"code": "A", "label": "A"}, {"code": "B", "label": "B"}],
    "combined_groups": [{"code": "AB", "label": "A or B", "groups": ["A", "B"]}],
    "items": [
        {"id": "q", "type": "likert", "levels": ["no", "unsure", "yes"]},
        {"id": "r", "type": "likert", "levels": ["good", "fair", "poor"], "reverse": True},
        {"id": "y", "type": "yesno", "levels": ["No", "Yes"]},
    ],
}


def small_register() -> pd.DataFrame:
    """A hand-made register: responses, composition, one likert item's distribution, one theme, one model row."""
    rows = [Row("response", "responses", n, n=n, group=g, source="survey") for g, n in (("all", 9), ("A", 4), ("B", 5))]
    rows += [Row("composition", "share", 0, n=n, denominator=9, group=g) for g, n in (("A", 4), ("B", 5), ("AB", 9))]
    for g in ("all", "A", "B"):
        rows += [
            Row("item", "level_pct", 0, item="q", group=g, level=lv, n=1, denominator=3)
            for lv in ("no", "unsure", "yes")
        ]
        rows.append(Row("item", "pct_agree", 0, item="q", group=g, n=2, denominator=3))
        rows.append(Row("theme", "participants", 1, item="t1", group=g, source="interview", n=1))
        rows.append(Row("theme", "pct_participants", 50, item="t1", group=g, source="interview", n=1, denominator=2))
    rows.append(Row("item", "median", 2, item="q", group="all", n=3))
    rows.append(Row("model", "coefficient", 0.5, item="m:x", n=9))
    return register.to_frame(rows)


def test_row_cells_follow_the_catalogue() -> None:
    items = {str(i["id"]): i for i in META["items"]}

    def cells(**kw: object) -> tuple[object, object]:
        base = {"item": "", "group": "all", "source": "", "level": ""}
        return register_cells.row_cells({**base, **kw}, items)

    # the rate counts responses from invited or anonymous people, not all responses (issue 10)
    assert cells(analysis="response", measure="response_rate") == (("counted",), ("invited",))
    assert cells(analysis="composition", measure="share", group="AB") == (("responses", "AB"), ("responses", "all"))
    assert cells(analysis="item", measure="level_pct", item="q", group="A", level="no") == (
        ("level", "q", "no", "A"),
        ("answered", "q", "A"),
    )
    assert cells(analysis="item", measure="pct_yes", item="y", group="B") == (
        ("level", "y", "Yes", "B"),
        ("answered", "y", "B"),
    )
    assert cells(analysis="item", measure="pct_yes", item="unknown") == (None, None)  # no levels: not modelled
    assert cells(analysis="item", measure="mean", item="q") == (None, ("answered", "q", "all"))
    assert cells(analysis="theme", measure="pct_participants", item="t", group="A", source="survey") == (
        ("units", "t", "A", "survey"),
        ("base", "A", "survey"),
    )
    assert cells(analysis="model", measure="coefficient") == (None, None)
    assert cells(analysis="breakdown", measure="pct_agree") == (None, None)
    row = {"analysis": "item", "measure": "median", "n": 3.0, "denominator": float("nan")}
    assert register_cells.row_values(row) == (None, 3.0)  # n of a median is the number who answered
    assert register_cells.row_values({"analysis": "theme", "measure": "segments", "n": 7.0, "denominator": 2.0}) == (
        None,
        None,
    )


def test_relations_of_a_small_register() -> None:
    items = {str(i["id"]): i for i in META["items"]}
    cells = {
        c for r in small_register().to_dict("records") for c in register_cells.row_cells(r, items) if c is not None
    }
    lv = lambda level, g: ("level", "q", level, g)  # noqa: E731
    assert register_cells.relations(cells, META) == [
        (("responses", "all"), (("responses", "A"), ("responses", "B"))),
        (("responses", "AB"), (("responses", "A"), ("responses", "B"))),
        (("answered", "q", "all"), (("answered", "q", "A"), ("answered", "q", "B"))),
        (("answered", "q", "all"), (lv("no", "all"), lv("unsure", "all"), lv("yes", "all"))),
        (("agree", "q", "all"), (lv("yes", "all"), lv("unsure", "all"))),
        (("answered", "q", "A"), (lv("no", "A"), lv("unsure", "A"), lv("yes", "A"))),
        (("agree", "q", "A"), (lv("yes", "A"), lv("unsure", "A"))),
        (("answered", "q", "B"), (lv("no", "B"), lv("unsure", "B"), lv("yes", "B"))),
        (("agree", "q", "B"), (lv("yes", "B"), lv("unsure", "B"))),
        (lv("no", "all"), (lv("no", "A"), lv("no", "B"))),
        (lv("unsure", "all"), (lv("unsure", "A"), lv("unsure", "B"))),
        (lv("yes", "all"), (lv("yes", "A"), lv("yes", "B"))),
        (("units", "t1", "all", "interview"), (("units", "t1", "A", "interview"), ("units", "t1", "B", "interview"))),
        (("base", "all", "interview"), (("base", "A", "interview"), ("base", "B", "interview"))),
    ]


def test_reverse_coded_item_agrees_with_its_first_two_levels() -> None:
    levels = tuple(("level", "r", lv, "all") for lv in ("good", "fair", "poor"))
    cells = {("answered", "r", "all"), ("agree", "r", "all"), *levels}
    assert register_cells.relations(cells, META) == [
        (("answered", "r", "all"), levels),
        (("agree", "r", "all"), (("level", "r", "good", "all"), ("level", "r", "fair", "all"))),
    ]


def _generated(section: str, doc: str = "data-contract.md") -> str:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    found = re.search(rf"<!-- {section}:begin[^>]*-->\n(.*?)<!-- {section}:end -->", text, re.S)
    assert found is not None, f"docs/{doc} has no {section}:begin / {section}:end section"
    return found.group(1)


def test_data_contract_lists_exactly_the_catalogue_and_the_relations_the_code_builds() -> None:
    assert _generated("measures") == measures.markdown_table()
    assert _generated("relations") == register_cells.markdown_table()


def test_architecture_lists_every_analysis_of_the_catalogue_with_its_measures() -> None:
    assert _generated("analyses", "architecture.md") == measures.analyses_table()
    table = measures.analyses_table()
    assert table.count("\n") == len({m.analysis for m in measures.CATALOGUE}) + 2
    assert "| agreement | coders, double_coded, units, percent_agreement," in table
    assert "| between_groups | rank_biserial, odds_ratio, p_adjusted |" in table


def test_markdown_table_has_a_line_per_measure() -> None:
    table = measures.markdown_table()
    assert "| item | pct_agree | share | percent | agree(item, group) | answered(item, group) |" in table
    assert "| response | invited | count | count | invited |  |" in table
    assert table.count("\n") == len(measures.CATALOGUE) + 2


def test_relations_table_is_drawn_from_the_code_for_the_example_cohort() -> None:
    table = register_cells.markdown_table()
    # each family's example is what the code builds, so a change to the code shows in the table
    assert "| responses | responses(all) | responses(g1) + responses(g2) | all responses = sum of the groups |" in table
    assert "| agree = top two | agree(i, all) | level(i, l5, all) + level(i, l4, all) |" in table
    assert "| collapsed = its levels | collapsed(i, disagree, all) | level(i, l1, all) + level(i, l2, all) |" in table
    assert "| base(all, p) | matrix_base(a=v1, all, p) + matrix_base(a=v2, all, p) |" in table
    assert "| nonresponse | invited − counted + anonymous |" in table
    examples = register_cells.examples()
    assert sorted(examples) == sorted(f.name for f in register_cells.RELATION_FAMILIES)  # every family is built
    cells = {c for total, parts in examples.values() for c in (total, *parts)}
    for total, parts in examples.values():  # and `relations` keeps each once all its cells exist
        assert (total, tuple(parts)) in register_cells.relations(cells, register_cells.EXAMPLE_META)


def test_catalogue_loads_without_pandas() -> None:
    import subprocess
    import sys

    path = ROOT / "src" / "workforce_eval" / "register" / "measures.py"
    code = (
        "import sys, importlib.util\n"
        "sys.modules['pandas'] = None\n"  # importing pandas now raises ImportError
        f"spec = importlib.util.spec_from_file_location('m', {str(path)!r})\n"
        "m = importlib.util.module_from_spec(spec); sys.modules['m'] = m; spec.loader.exec_module(m)\n"
        "print(len(m.CATALOGUE))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout) == len(measures.CATALOGUE)
