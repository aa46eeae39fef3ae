"""Tests of the report helpers and of rendering the cohort report notebook.

The fixture is a 3-group cohort shaped like the PLP 2021 cohort: 53 invited, 26 responses
(9 SLT / 14 BME / 3 both), 8 complete pairs, 12 interviews (6 / 6 / 0).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.inputs import metadata
from workforce_eval.register.notation import display_count
from workforce_eval.register.rows import Row
from workforce_eval.report import format as fmt
from workforce_eval.report import render
from workforce_eval.report import results as report_results
from workforce_eval.report import tables as report_tables
from workforce_eval.report import text as report_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "report"
REPO = Path(__file__).resolve().parents[3]
NOTEBOOK = REPO / "notebooks" / "cohort_report.ipynb"
COHORT_ID = "007"
GROUPS = ("SLT", "BME", "both")


# --------------------------------------------------------------------------- fixture


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson 95 % interval in percent (fixture values only)."""
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def share(analysis: str, measure: str, k: int, n: int, **kw: object) -> Row:
    """A percentage row with its Wilson interval."""
    low, high = wilson(k, n)
    return Row(analysis, measure, 100 * k / n, n=k, denominator=n, ci_low=low, ci_high=high, method="wilson", **kw)


def count(analysis: str, measure: str, value: int, **kw: object) -> Row:
    """A count row."""
    return Row(analysis, measure, value, n=value, method="count", **kw)


def fixture_rows() -> list[Row]:
    """The register of the fixture cohort."""
    rows = [
        count("response", "invited", 53, source="survey"),
        count("response", "responses", 26, source="survey"),
        *[count("response", "responses", v, group=g, source="survey") for g, v in zip(GROUPS, (9, 14, 3))],
        share("response", "response_rate", 26, 53, source="survey"),
        Row("response", "complete_pairs", 8, source="survey", n=8, denominator=27, method="count"),
        count("response", "interviews", 12, source="interview"),
        *[count("response", "interviews", v, group=g, source="interview") for g, v in zip(GROUPS, (6, 6, 0))],
        Row("response", "interview_pairs", 5, source="interview", n=5, denominator=27, method="count"),
        *[share("composition", "share", k, 26, group=g, source="survey") for g, k in zip(GROUPS, (9, 14, 3))],
        share("composition", "share", 17, 26, group="bme_any", source="survey"),
    ]
    for g, (k, n) in zip(("all", *GROUPS), ((23, 26), (8, 9), (12, 14), (3, 3))):
        rows.append(share("item", "pct_yes", k, n, item="recommend", group=g, source="survey"))
    for g, (k, n) in zip(("all", *GROUPS), ((20, 25), (7, 9), (11, 13), (2, 3))):
        rows.append(share("item", "pct_agree", k, n, item="rel_trust", group=g, source="survey"))
    for g, (m, n) in zip(("all", *GROUPS), ((4.0, 25), (4.0, 9), (4.5, 13), (4.0, 3))):
        rows.append(Row("item", "median", m, item="rel_trust", group=g, source="survey", n=n, method="median"))
    meta = json.loads((FIXTURES / "cohort.json").read_text(encoding="utf-8"))
    nodes = []
    for theme in meta["codebook"]:
        nodes.append(theme["id"])
        nodes.extend(s["id"] for s in theme["subthemes"])
    for i, node in enumerate(nodes):
        bonus = 2 if node in {t["id"] for t in meta["codebook"]} else 0  # a theme covers its subthemes
        per_group = {"SLT": 3 + i % 3 + bonus, "BME": 4 + i % 4 + bonus, "both": i % 2}
        per_group["all"] = sum(per_group.values())
        for source in ("interview", "all"):
            for g in ("all", *GROUPS):
                rows.append(count("theme", "participants", per_group[g], item=node, group=g, source=source))
    return rows


def tiny_png(path: Path, label: str) -> None:
    """A small deterministic PNG."""
    fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    ax.text(0.5, 0.5, label, ha="center", va="center")
    ax.set_axis_off()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def build_results(root: Path, cohort_id: str = COHORT_ID, *, synthetic: bool = True) -> Path:
    """Write a fixture results folder `<root>/<cohort_id>/` and return `root`."""
    cohort = root / cohort_id
    (cohort / "clean").mkdir(parents=True)
    (cohort / "figures").mkdir()
    register.write(register.to_frame(fixture_rows()), cohort / "statistics.csv")
    meta = json.loads((FIXTURES / "cohort.json").read_text(encoding="utf-8"))
    meta["cohort_id"] = cohort_id
    meta["synthetic"] = synthetic
    (cohort / "clean" / "cohort.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
    shutil.copyfile(FIXTURES / "quotes.csv", cohort / "quotes.csv")
    for name in ("composition", "likert", "themes", "coefficients", "prepost"):  # the five a cohort gets
        tiny_png(cohort / "figures" / f"{name}.png", name)
    return root


@pytest.fixture()
def res(tmp_path: Path) -> report_results.Results:
    return report_results.load_results(build_results(tmp_path / "results"), COHORT_ID)


# --------------------------------------------------------------------------- formatting


def test_formatting() -> None:
    assert fmt.fmt_pct(26 / 53 * 100) == "49.1 %"
    assert fmt.fmt_pct(0.25, decimals=1) == "0.3 %"  # halves round up, not to even
    assert fmt.fmt_pct(float("nan")) == fmt.MISSING
    assert fmt.fmt_ci(35.94, 62.46) == "95 % CI 35.9 to 62.5"
    assert fmt.fmt_ci(float("nan"), 1.0) == ""
    assert fmt.fmt_interval(36.14, 62.05) == "36.1–62.1"
    assert fmt.fmt_interval(0.384, 1.0949, 2, fmt.TO) == "0.38 to 1.09"
    assert fmt.fmt_interval(1.0, float("nan"), 2, fmt.TO) == ""
    assert fmt.est_interval(0.7349, 0.384, 1.0949) == "0.73 (0.38 to 1.09)"
    assert fmt.est_interval(0.7349, float("nan"), float("nan")) == "0.73"
    assert fmt.md_escape("cohort 2.0 *pilot* <b>") == "cohort 2\\.0 \\*pilot\\* \\<b\\>"


def test_display_count_hides_suppressed_rows() -> None:
    row = pd.Series({"n": 3.0, "estimate": 3.0, "suppressed": False})
    assert display_count(row, {}) == "3"
    hidden = pd.Series({"n": 3.0, "estimate": 3.0, "suppressed": True})
    for meta in ({}, {"disclosure_threshold": None}, {"disclosure_threshold": 10}):
        assert display_count(hidden, meta) == "[c]"  # whatever the threshold: "<k" would bound the count


def test_load_results(res: report_results.Results) -> None:
    assert res.meta["cohort_id"] == COHORT_ID
    assert len(res.quotes) == 5
    assert res.figures.name == "figures"
    assert register.one(res.stats, "response", "invited")["estimate"] == 53


# --------------------------------------------------------------------------- tables


def test_response_summary(res: report_results.Results) -> None:
    table = report_tables.response_summary(res).set_index("Measure")
    assert table.loc["Invited to the survey", "Value"] == "53"
    assert table.loc["Survey responses", "Value"] == "26"
    low, high = wilson(26, 53)
    # estimate and interval in one cell, the count beside it
    assert table.loc["Response rate", "Value"] == f"49.1 % ({low:.1f}–{high:.1f})"
    assert table.loc["Response rate", "Detail"] == "26 of 53 invited"
    assert table.loc["Pairs in which every partner responded", "Value"] == "8"
    assert table.loc["Pairs in which every partner responded", "Detail"] == "of 27 pairs"
    assert table.loc["Interviews", "Value"] == "12"
    assert "Both groups 0" in table.loc["Interviews", "Detail"]
    assert table.loc["Pairs in which every partner was interviewed", "Value"] == "5"


def test_response_summary_skips_rows_the_register_lacks(res: report_results.Results) -> None:
    keep = res.stats["measure"].isin(["invited", "responses", "response_rate"])
    small = report_results.Results(stats=res.stats[keep], meta=res.meta, figures=res.figures, quotes=res.quotes)
    assert list(report_tables.response_summary(small)["Measure"]) == [
        "Invited to the survey",
        "Survey responses",
        "Response rate",
    ]


def test_composition_adds_to_100_with_combined_group_apart(res: report_results.Results) -> None:
    table = report_tables.composition_table(res)
    groups = table.iloc[:3]
    assert list(groups["Group"]) == ["Executive and senior leaders", "BME colleagues", "Both groups"]
    assert list(groups["Respondents"]) == ["9", "14", "3"]
    column = "% of respondents (95 % CI)"
    shares = [v.split(" %")[0] for v in groups[column]]
    assert shares == ["34.6", "53.9", "11.5"]
    assert round(sum(float(v) for v in shares), 1) == 100.0
    low, high = wilson(9, 26)
    assert groups[column].iloc[0] == f"34.6 % ({low:.1f}–{high:.1f})"
    combined = table.iloc[3]
    assert combined["Group"] == "BME colleagues, including those in both groups"
    assert combined["Respondents"] == "17" and combined[column].startswith("65.4 % (")
    assert len(table) == 4


def test_items_table(res: report_results.Results) -> None:
    table = report_tables.items_table(res)
    assert list(table.columns) == [
        "Item",
        "Measure",
        "All respondents",
        "Executive and senior leaders",
        "BME colleagues",
        "Both groups",
    ]
    yes = table.iloc[0]
    assert yes["Item"] == "Would you recommend taking part to a colleague?"
    assert yes["Measure"] == "% Yes"
    low, high = wilson(23, 26)
    assert yes["All respondents"] == f"88.5 % ({low:.1f}–{high:.1f}); 23/26"
    assert yes["Both groups"].endswith("; 3/3")
    agree, median = table.iloc[1], table.iloc[2]
    low, high = wilson(20, 25)
    assert agree["Measure"] == "% agree" and agree["All respondents"] == f"80.0 % ({low:.1f}–{high:.1f}); 20/25"
    assert median["Measure"] == "Median answer"
    assert median["All respondents"] == "Agree"
    assert median["BME colleagues"] == "between Agree and Strongly agree"
    assert len(table) == 3  # the free-text item has no row
    ci = report_tables.items_ci_table(res)
    low, high = wilson(23, 26)
    assert ci.iloc[0]["All respondents"] == f"95 % CI {low:.1f} to {high:.1f}"


def test_themes_table(res: report_results.Results) -> None:
    table = report_tables.themes_table(res)
    assert list(table.columns) == [
        "Theme / subtheme",
        "Executive and senior leaders",
        "BME colleagues",
        "Both groups",
        "All",
    ]
    first = [
        "Partnership experiences",
        fmt.INDENT + "Building and maintaining relationships",
        fmt.INDENT + "Partnership activities",
        "Impacts",
    ]
    assert list(table["Theme / subtheme"])[:4] == first
    assert len(table) == 3 + 7
    # node 0 (partnership_experiences): SLT 5, BME 6, both 0, all 11; node 1: 4, 5, 1, 10
    assert list(table.iloc[0, 1:]) == ["5", "6", "0", "11"]
    assert list(table.iloc[1, 1:]) == ["4", "5", "1", "10"]


def test_quote_tables_only_quotes_and_no_ids(res: report_results.Results) -> None:
    tables = report_tables.quote_tables(res)
    assert list(tables) == ["Partnership experiences", "Impacts", "Programme insights"]
    pe = tables["Partnership experiences"]
    assert list(pe.columns) == ["Subtheme", "Quote", "Attributed to"]
    # codebook order of subthemes, quotes.csv order within a subtheme
    assert list(pe["Subtheme"]) == [
        "Building and maintaining relationships",
        "Building and maintaining relationships",
        "Partnership activities",
    ]
    # group label and pseudonym, never the group code ("BME P3")
    assert list(pe["Attributed to"]) == [
        "BME colleagues, P3",
        "Executive and senior leaders, survey partner",
        "Executive and senior leaders, P4",
    ]
    assert tables["Programme insights"].empty
    shown = pd.concat(tables.values())
    stripped = {q.strip("“”") for q in shown["Quote"]}
    assert stripped == set(res.quotes["text"])
    text = shown.to_csv(index=False)
    for seg in res.quotes["segment_id"]:
        assert seg not in text
    assert "segment" not in text.lower()


def test_quote_with_unknown_theme_is_an_error(res: report_results.Results) -> None:
    bad = res.quotes.copy()
    bad.loc[0, "theme"] = "nonsense"
    with pytest.raises(ValueError, match="nonsense"):
        report_tables.quote_tables(
            report_results.Results(stats=res.stats, meta=res.meta, figures=res.figures, quotes=bad)
        )


# --------------------------------------------------------------------------- text


def test_limitations(res: report_results.Results) -> None:
    text = report_text.limitations(res)
    joined = " ".join(text)
    assert "49.1 %" in joined and "26 of 53" in joined
    smaller = next(s for s in text if s.startswith("Fewer respondents"))
    assert "Executive and senior leaders (n = 9)" in smaller
    assert "Both groups (n = 3)" in smaller
    assert "BME colleagues (n = 14)" in smaller
    assert any("Very few people responded in" in s and "Both groups (n = 3)" in s for s in text)
    assert any(s.startswith("No interviews were held with Both groups") for s in text)
    assert "synthetic" in text[-1]


def test_limitations_real_data_with_good_response(res: report_results.Results) -> None:
    stats = res.stats.copy()
    is_rate = stats["measure"] == "response_rate"
    stats.loc[is_rate, "estimate"] = 75.0
    meta = {**res.meta, "synthetic": False}
    shown = report_results.Results(stats=stats, meta=meta, figures=res.figures, quotes=res.quotes)
    text = report_text.limitations(shown)
    assert not any("response rate" in s for s in text)
    assert not any("synthetic" in s for s in text)


def test_synthetic_banner() -> None:
    banner = report_text.synthetic_banner(True)
    assert banner is not None and "SYNTHETIC DATA" in banner and "not real participants" in banner
    assert report_text.synthetic_banner(False) is None


def test_notebook_is_saved_clean() -> None:
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    first = nb.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    assert 'cohort_id = "plp-2021"' in first.source and 'results_dir = "results"' in first.source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


# --------------------------------------------------------------------------- rendering


class _VisibleText(HTMLParser):
    """Collects the text a reader sees in the page (outside title, script and style)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html_text: str) -> str:
    parser = _VisibleText()
    parser.feed(html_text)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render the fixture twice, from two copies of the results into two output folders."""
    base = tmp_path_factory.mktemp("render")
    first = build_results(base / "results_a")
    second = base / "results_b"
    shutil.copytree(first, second)
    out: dict[str, Path] = {}
    for key, results in (("a", first), ("b", second)):
        out[key + "_ipynb"] = base / f"out_{key}" / "report.ipynb"
        out[key] = base / f"out_{key}" / "report.html"
        render.render_report(results, COHORT_ID, NOTEBOOK, out[key + "_ipynb"], out[key])
    return out


def test_render_report_html(rendered: dict[str, Path]) -> None:
    html_text = rendered["a"].read_text(encoding="utf-8")
    text = visible_text(html_text)
    assert "SYNTHETIC" in text
    assert text.index("SYNTHETIC") < text.index("Parallel Learning Partnerships — 2021 cohort evaluation report")
    for number in ("49.1", "34.6", "53.9", "11.5", "65.4", "88.5 % (71.0–96.0); 23/26"):
        assert number in text
    for heading in (
        "Response and composition",
        "Survey items",
        "Themes",
        "Table 1.",
        "Limitations",
        "About this report",
    ):
        assert heading in text
    assert "Table 2. Quotes: Partnership experiences" in text
    assert "Table 4. Quotes: Programme insights" in text
    assert '<th scope="row">' + fmt.INDENT + "Building and maintaining relationships</th>" in html_text
    # quote text is escaped, ids never shown
    assert "the &lt;formal&gt; script &amp; talked" in html_text
    assert "SEG-0" not in html_text
    # no prompts, no code
    for prompt in ("In [", "In&nbsp;[", "Out[", "Out&nbsp;["):
        assert prompt not in text
    assert 'class="jp-InputPrompt' not in html_text and 'class="jp-OutputPrompt' not in html_text
    assert 'class="jp-InputArea' not in html_text and 'class="highlight' not in html_text
    for code in ("import ", "report.", "display(", "def show_figure", "results_dir"):
        assert code not in text
    assert len(re.findall(r'src="data:image/png;base64,', html_text)) == 3
    # alt text from the register (report.accessible), not the caption
    assert 'alt="Survey respondents by group."' not in html_text
    assert 'alt="Bar chart of the 26 survey responses by group: ' in html_text
    assert "Traceback" not in text and "Warning" not in text


def test_render_report_is_byte_identical(rendered: dict[str, Path]) -> None:
    assert rendered["a"].read_bytes() == rendered["b"].read_bytes()
    html_text = rendered["a"].read_text(encoding="utf-8")
    assert str(rendered["a"].parents[1]) not in html_text  # no paths of the run leak into the report


def test_executed_notebook_has_no_errors_or_warnings(rendered: dict[str, Path]) -> None:
    nb = nbformat.read(str(rendered["a_ipynb"]), as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output["text"]


def test_cohort_id_stays_a_string(rendered: dict[str, Path]) -> None:
    nb = nbformat.read(str(rendered["a_ipynb"]), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'cohort_id = "007"' in injected.source
    assert "cohort id 007" in visible_text(rendered["a"].read_text(encoding="utf-8"))


def test_render_report_failure_names_the_cell_error(tmp_path: Path) -> None:
    broken = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('cohort_id = "x"\nresults_dir = "results"', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell('raise ValueError("no register for " + cohort_id)'),
        ]
    )
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, str(path))
    results = build_results(tmp_path / "results")
    with pytest.raises(render.ReportError, match=r"ValueError: no register for 007"):
        render.render_report(results, COHORT_ID, path, tmp_path / "out" / "r.ipynb", tmp_path / "out" / "r.html")
    assert not (tmp_path / "out" / "r.html").exists()


def test_response_summary_says_when_responses_exceed_the_invited(res: report_results.Results) -> None:
    # 60 responses from invited or anonymous people against 53 invited: no rate row in the register,
    # the report says why instead of dropping the line; 4 anonymous responses are shown beside it
    extra = [
        count("response", "counted_responses", 60, source="survey"),
        count("response", "anonymous_responses", 4, source="survey"),
        count("response", "uninvited_responses", 0, source="survey"),
    ]
    stats = pd.concat([res.stats[res.stats["measure"] != "response_rate"], register.to_frame(extra)])
    stats["suppressed"] = stats["suppressed"].fillna(False).astype(bool)
    shown = report_results.Results(stats=stats, meta=res.meta, figures=res.figures, quotes=res.quotes)
    table = report_tables.response_summary(shown).set_index("Measure")
    assert table.loc["Response rate", "Value"] == "not computed"
    assert "60 responses from invited or anonymous people exceed the 53 invited" in table.loc["Response rate", "Detail"]
    assert table.loc["Anonymous responses (counted in the rate: only invited people had the link)", "Value"] == "4"
    assert not any("not invited" in m for m in table.index)  # zero: no line


def test_title_does_not_repeat_the_word_cohort() -> None:
    assert report_text.title(metadata.from_document({"programme": "Paired Learning", "cohort": "Cohort 2"})) == (
        "Paired Learning — Cohort 2 evaluation report"
    )
    assert report_text.title(metadata.from_document({"programme": "Paired Learning", "cohort": "Pilot"})) == (
        "Paired Learning — Pilot cohort evaluation report"
    )
