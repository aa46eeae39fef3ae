"""The whole Snakemake workflow, run in temporary directories on the bundled data and on broken copies of it."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from workforce_eval import hashing, register
from workforce_eval.analyses import groups as groups_

pytestmark = pytest.mark.e2e

COPIED = ("workflow", "config", "notebooks", "src")


def make_project(dest: Path, with_data: bool = True) -> Path:
    """A copy of the repository's workflow, config, notebook and package (and bundled data) in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    if with_data:
        shutil.copytree(ROOT / "data", dest / "data")
    return dest


def snakemake(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Snakemake in `project` with the test's Python; capture everything it prints."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
    )


def tree_hash(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below a folder, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def report_soup(run_a: Path) -> BeautifulSoup:
    return BeautifulSoup((run_a / "results" / "plp-2021" / "report.html").read_text("utf-8"), "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    soup = BeautifulSoup(str(soup), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def parse_table(table: object) -> pd.DataFrame:
    """An HTML table as text cells, header row as columns."""
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    return pd.DataFrame(rows[1:], columns=rows[0])


def table_after(soup: BeautifulSoup, caption: str) -> pd.DataFrame:
    """The table whose `<caption>` starts with `caption` (its text read whole: "Table 2." is in bold), else the first
    table after the text."""
    for cap in soup.find_all("caption"):
        if cap.get_text(" ", strip=True).startswith(caption):
            return parse_table(cap.find_parent("table"))
    marker = soup.find(string=re.compile(r"^\s*" + re.escape(caption)))
    assert marker is not None, f"no {caption!r} in the report"
    return parse_table(marker.find_parent("table") or marker.find_next("table"))


def table_with_columns(soup: BeautifulSoup, *columns: str) -> pd.DataFrame:
    """The first HTML table whose header row has these columns."""
    for table in soup.find_all("table"):
        frame = parse_table(table)
        if all(c in frame.columns for c in columns):
            return frame
    raise AssertionError(f"no table with columns {columns}")


# --- hand-computed facts of the bundled data, read straight from the raw files ---------------------------


@pytest.fixture(scope="session")
def raw() -> dict[str, pd.DataFrame]:
    folder = ROOT / "data" / "raw" / "plp-2021"
    return {
        name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("participants", "survey", "segments")
    }


def test_hand_computed_facts_match_the_published_figures(raw: dict[str, pd.DataFrame]) -> None:
    p, s, g = raw["participants"], raw["survey"], raw["segments"]
    invited = (p["invited"].str.lower() == "true").sum()
    assert invited == 53 and len(s) == 26
    assert round(100 * 26 / 53, 1) == 49.1
    assert s["group"].value_counts().to_dict() == {"BME": 14, "SLT": 9, "both": 3}
    assert (s["recommend"].str.strip().str.lower() == "yes").sum() == 23
    assert g.loc[g["source"] == "interview", "document_id"].nunique() == 12


def test_register_reproduces_the_published_figures(run_a: Path, raw: dict[str, pd.DataFrame]) -> None:
    reg = register.read(run_a / "results" / "plp-2021" / "statistics.csv")
    p, s = raw["participants"], raw["survey"]
    invited = int((p["invited"].str.lower() == "true").sum())
    assert register.one(reg, "response", "invited").estimate == invited == 53
    rate = register.one(reg, "response", "response_rate")
    assert rate.estimate == pytest.approx(100 * 26 / 53) and (rate.n, rate.denominator) == (26, 53)
    assert rate.method == "wilson" and rate.ci_low < rate.estimate < rate.ci_high
    for group, count in s["group"].value_counts().items():
        assert register.one(reg, "response", "responses", group=group).estimate == count
        share = register.one(reg, "composition", "share", group=group)
        assert share.estimate == pytest.approx(100 * count / 26)
    assert register.one(reg, "composition", "share", group="bme_any").estimate == pytest.approx(100 * 17 / 26)
    assert register.one(reg, "item", "pct_yes", item="recommend").estimate == pytest.approx(100 * 23 / 26)
    assert register.one(reg, "response", "complete_pairs").estimate == 8
    assert register.one(reg, "response", "interviews", source="interview").estimate == 12
    assert register.one(reg, "response", "interviews", group="SLT").estimate == 6
    assert register.one(reg, "response", "interviews", group="BME").estimate == 6
    assert register.one(reg, "response", "interview_pairs").estimate == 5


def test_register_holds_every_contract_measure_the_data_allow(run_a: Path) -> None:
    reg = register.read(run_a / "results" / "plp-2021" / "statistics.csv")
    groups = {"SLT", "BME", "both"}
    present = set(zip(reg["analysis"], reg["measure"], strict=True))
    for measure in [
        ("response", "invited"),
        ("response", "responses"),
        ("response", "response_rate"),
        ("response", "complete_pairs"),
        ("response", "interviews"),
        ("composition", "share"),
        ("item", "pct_yes"),
        ("item", "pct_agree"),
        ("item", "median"),
        ("theme", "participants"),
        ("theme", "pct_participants"),
        ("theme", "segments"),
    ]:
        assert measure in present, f"{measure} missing from statistics.csv"
    assert set(register.select(reg, "response", "responses")["group"]) == groups | {"all"}
    assert set(register.select(reg, "composition", "share")["group"]) >= groups
    likert = ["rel_trust", "learn_world", "speak_up", "inclusion_understanding", "org_culture", "match_poor"]
    for item in likert:
        assert set(register.select(reg, "item", "pct_agree", item=item)["group"]) == groups | {"all"}
        assert set(register.select(reg, "item", "median", item=item)["group"]) == groups | {"all"}
    theme_rows = register.select(reg, "theme", "participants")
    assert set(theme_rows["source"]) == {"interview", "survey", "all"}
    # 3 themes + 7 subthemes + codes, every one with a row for every group and source
    nodes = theme_rows["item"].unique()
    assert len(nodes) >= 10
    assert len(theme_rows) == len(nodes) * 4 * 3
    # percentages are on 0..100 and intervals contain their estimate
    shares = reg[reg["method"] == "wilson"]
    assert ((shares["estimate"] >= 0) & (shares["estimate"] <= 100)).all()
    assert ((shares["ci_low"] <= shares["estimate"]) & (shares["estimate"] <= shares["ci_high"])).all()


def test_report_shows_the_published_figures(report_soup: BeautifulSoup) -> None:
    text = visible_text(report_soup)
    assert "SYNTHETIC DATA" in text
    # estimate and Wilson interval in one cell (R: prop.test(26, 53, correct = FALSE)$conf.int 0.361 0.621)
    assert "49.1 % (36.1–62.1)" in text
    comp = table_after(report_soup, "Respondents by group")
    shown = {g: v.split(" %")[0] for g, v in zip(comp["Group"], comp["% of respondents (95 % CI)"], strict=True)}
    assert shown["Executive and senior leaders"] == "34.6"
    assert shown["Black and minority ethnic colleagues"] == "53.9"
    assert shown["Both groups (senior leader and BME)"] == "11.5"
    assert shown["BME colleagues, including those in both groups"] == "65.4"
    assert "88.5 % (71.0–96.0); 23/26" in text  # prop.test(23, 26, correct = FALSE): 0.710 0.960
    summary = table_with_columns(report_soup, "Measure", "Value")
    values = dict(zip(summary["Measure"], summary["Value"], strict=True))
    assert values["Pairs in which every partner responded"] == "8"
    assert values["Interviews"] == "12"


def test_report_has_table_1_and_three_quote_tables(report_soup: BeautifulSoup) -> None:
    table1 = table_after(report_soup, "Table 1")
    first = table1.columns[0]
    themes = [t for t in table1[first] if not t.startswith("\u200b")]
    subthemes = [t for t in table1[first] if t.startswith("\u200b")]
    assert themes == ["Partnership experiences", "Impacts", "Programme insights"]
    assert len(subthemes) == 7
    quote_captions = [
        c.get_text(" ", strip=True)
        for c in report_soup.find_all("caption")
        if re.match(r"Table [234]\. Quotes", c.get_text(" ", strip=True))
    ]
    assert len(quote_captions) == 3
    labels = (
        r"(Executive and senior leaders|Black and minority ethnic colleagues|Both groups \(senior leader and BME\))"
    )
    shown = []
    for caption in quote_captions:
        quotes = table_after(report_soup, caption.strip())
        assert len(quotes) >= 3
        assert all(re.fullmatch(labels + r", (P\d+|survey respondent \d+)", a) for a in quotes["Attributed to"])
        assert quotes["Subtheme"].value_counts().max() <= 2  # quotes_per_subtheme: 2 (config/config.yaml)
        shown += list(quotes["Quote"])
    assert len(shown) == len(set(shown))  # no passage twice
    appendix = table_after(report_soup, "Table A1")
    assert len(appendix) > len(shown) and set(shown) <= set(appendix["Quote"])


def test_no_direct_identifier_reaches_the_report_or_quotes(run_a: Path, raw: dict[str, pd.DataFrame]) -> None:
    html = (run_a / "results" / "plp-2021" / "report.html").read_text("utf-8")
    quotes = pd.read_csv(run_a / "results" / "plp-2021" / "quotes.csv", dtype=str)
    for pid in raw["participants"]["participant_id"]:
        assert pid not in html
        assert not quotes.apply(lambda col, pid=pid: col.str.contains(pid, regex=False)).any().any()
    refused = set(raw["segments"].loc[raw["segments"]["quote_ok"] == "false", "text"])
    refused -= set(raw["segments"].loc[raw["segments"]["quote_ok"] == "true", "text"])
    assert refused and not refused & set(quotes["text"])
    segments = pd.read_parquet(run_a / "results" / "plp-2021" / "clean" / "segments.parquet")
    assert segments.loc[~segments["quote_ok"], "text"].isna().all()


def test_second_run_does_nothing(run_a: Path) -> None:
    proc = snakemake(run_a, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_two_clean_runs_are_byte_identical(run_a: Path, run_b: Path) -> None:
    """Every output of two clean runs in different folders matches byte for byte (logs aside).

    The executed notebook is the one exception: papermill writes timings into its metadata, so it is
    compared after `provenance.normalise_notebook` drops exactly that metadata.
    """
    a = {k: v for k, v in tree_hash(run_a / "results").items() if not k.startswith("logs/")}
    b = {k: v for k, v in tree_hash(run_b / "results").items() if not k.startswith("logs/")}
    assert set(a) == set(b)
    notebooks = {k for k in a if k.endswith(".ipynb")}
    assert "plp-2021/report.ipynb" in notebooks
    compared = set(a) - notebooks
    needed = {
        "plp-2021/statistics.csv",
        "plp-2021/quotes.csv",
        "plp-2021/report.html",
        "provenance/manifest.json",
        "provenance/plp-2021.csv",
        "ro-crate-metadata.json",
        "plp-2021/RESTRICTED.txt",
        "published/plp-2021/statistics.csv",
        "published/plp-2021/report.html",
        "published/programmes/paired-learning/statistics.csv",
        "published/leeds-2022/organisations/statistics.csv",
        "published/ro-crate-metadata.json",
    }
    needed |= {
        "lothian-pilot/tables/prepost.csv",
        "lothian-pilot/figures/prepost.png",
        "programmes/paired-learning/statistics.csv",
        "programmes/paired-learning/report.html",
        "leeds-2022/tables/models.csv",
        "leeds-2022/figures/coefficients.svg",
        "leeds-2022/report.html",
    }
    needed |= {
        f"plp-2021/figures/{f}.{ext}" for f in ("composition", "likert", "themes") for ext in ("pdf", "png", "svg")
    }
    assert needed <= compared, sorted(needed - compared)
    differing = sorted(k for k in compared if a[k] != b[k])
    assert not differing, f"outputs differ between two clean runs: {differing}"
    for notebook in sorted(notebooks):
        nb_a = (run_a / "results" / notebook).read_bytes()
        nb_b = (run_b / "results" / notebook).read_bytes()
        assert hashing.normalise_notebook(nb_a) == hashing.normalise_notebook(nb_b), notebook
    # the figures carry no creation date and the SVGs a fixed hash salt
    svg = (run_a / "results" / "plp-2021" / "figures" / "likert.svg").read_text("utf-8")
    assert "<dc:date>" not in svg
    pdf = (run_a / "results" / "plp-2021" / "figures" / "likert.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"DejaVuSans" in pdf
    assert b"tIME" not in (run_a / "results" / "plp-2021" / "figures" / "likert.png").read_bytes()


def test_snakemake_lint_is_clean() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0
    assert "Congratulations" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


# --- bad input through the workflow ------------------------------------------------------------------------


def break_cell(path: Path, row: int, column: str, value: str) -> None:
    """Overwrite one cell of a CSV (row 1 = header)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


# Broken copies of the bundled cohort, and one bad cohort beside good ones, run in tests/test_bad_inputs.py
# (one --keep-going run for the whole bad-input corpus).


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("bogus=1", "bogus"),
        ("cohorts=['Bad Id']", "Bad Id"),
        ("data_dir=[1]", "data_dir"),
        ("cohorts=['provenance']", "provenance"),
    ],
)
def test_bad_configuration_fails_before_any_job(tmp_path: Path, override: str, expected: str) -> None:
    project = make_project(tmp_path / "p")
    proc = snakemake(project, "--config", override)
    assert proc.returncode != 0
    assert expected in proc.stdout + proc.stderr
    assert not (project / "results").exists()


# --- the bundled Leeds-like study: declared models and breakdowns through the workflow ---------------------


def test_leeds_models_declared_in_cohort_yaml_reach_statistics_csv(run_a: Path) -> None:
    cohort = yaml.safe_load((ROOT / "data" / "raw" / "leeds-2022" / "cohort.yaml").read_text())
    reg = register.read(run_a / "results" / "leeds-2022" / "statistics.csv")
    coef = register.select(reg, "model", "coefficient")
    for model in cohort["models"]:
        rows = coef[coef["item"].str.startswith(model["id"] + ":")]
        assert len(rows) >= 3, model["id"]
        assert rows[["estimate", "ci_low", "ci_high", "p_value", "n"]].notna().all().all()
        assert (rows["group"] == "all").all()
    assert "wellbeing:pos" in set(coef["item"]) and "wellbeing:C(employment)[T.direct]" in set(coef["item"])
    assert set(register.select(reg, "breakdown", "responses")["subgroup"]) >= {
        "organisation=Trust A",
        "organisation=Trust B",
        "employment=agency",
        "employment=direct",
    }
    assert (reg.loc[~reg["analysis"].isin(["breakdown", "matrix", "equality"]), "subgroup"] == "").all()


def test_leeds_report_has_model_tables_and_a_coefficient_plot(run_a: Path) -> None:
    soup = BeautifulSoup((run_a / "results" / "leeds-2022" / "report.html").read_text("utf-8"), "html.parser")
    text = visible_text(soup)
    assert "SYNTHETIC DATA" in text and "Models" in text and "Breakdowns" in text
    table = table_with_columns(soup, "Term", "Estimate (95 % CI)", "p", "n")
    terms = list(table["Term"])  # labels, not ids: a construct by its scale label, a category with its reference
    assert "Pos (scale score)" in terms and "Employment: direct (vs agency)" in terms
    # the logit model shows odds ratios beside its log-odds, from the register's model / odds_ratio rows
    reg = register.read(run_a / "results" / "leeds-2022" / "statistics.csv")
    odds = register.one(reg, "model", "odds_ratio", item="leaving:wellbeing")
    logit = table_with_columns(soup, "Term", "Log-odds (95 % CI)", "Odds ratio (95 % CI)", "p", "n")
    from workforce_eval.report.format import fmt_num

    assert any(cell.startswith(f"{fmt_num(odds.estimate, 2)} (") for cell in logit["Odds ratio (95 % CI)"])
    # the alt text states the figure's numbers (issue 21 part 7), from the register
    assert soup.find("img", alt=re.compile(r"^Coefficients with 95 % intervals, model wellbeing \(n=")) is not None
    assert (run_a / "results" / "leeds-2022" / "figures" / "coefficients.pdf").is_file()


# --- provenance: register lineage, manifest, verify, RO-Crate, Snakemake report --------------------------


def test_every_register_row_names_its_rule_and_the_hash_of_its_inputs(run_a: Path) -> None:
    reg = register.read(run_a / "results" / "plp-2021" / "statistics.csv")
    # one job (rule `analyses`) writes every partial register of a cohort; each row still names it
    assert set(reg["rule"]) == {"analyses"}
    for part in ("describe", "themes", "qualitative", "models", "prepost"):
        table = run_a / "results" / "plp-2021" / "tables" / f"{part}.csv"
        assert set(register.read(table)["rule"]) <= {"analyses"}, part
    # the digest is the sha256sum of the sha256sum listing of the cohort's input files, computed here by hand
    folder = run_a / "data" / "raw" / "plp-2021"
    listing = "".join(
        f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
        for n in sorted(p.name for p in folder.iterdir())
    )
    assert set(reg["inputs_sha256"]) == {hashlib.sha256(listing.encode()).hexdigest()}


def test_manifest_records_every_file_with_its_hash_and_rule(run_a: Path) -> None:
    import json
    import platform
    from importlib.metadata import version

    results = run_a / "results"
    text = (results / "provenance" / "manifest.json").read_text("utf-8")
    manifest = json.loads(text)
    rec = manifest["cohorts"]["plp-2021"]
    outputs = {str(p.relative_to(results)) for p in (results / "plp-2021").rglob("*") if p.is_file()}
    assert set(rec["outputs"]) == outputs
    for rel in outputs - {"plp-2021/report.ipynb"}:
        assert rec["outputs"][rel]["sha256"] == hashlib.sha256((results / rel).read_bytes()).hexdigest(), rel
    rules = {rel: v["rule"] for rel, v in rec["outputs"].items()}
    assert rules["plp-2021/statistics.csv"] == rules["plp-2021/tables/describe.csv"] == "analyses"
    assert rules["plp-2021/quotes.csv"] == rules["plp-2021/restricted/case_code.csv"] == "analyses"
    # the figures job's output is the figures folder: each figure file gets its entry (qualitative ones too)
    assert rules["plp-2021/figures/likert.svg"] == rules["plp-2021/figures/saturation.png"] == "figures"
    assert rec["outputs"]["plp-2021/figures/likert.svg"]["inputs"] == [
        "results/plp-2021/statistics.csv",
        "results/plp-2021/clean/cohort.json",
    ]
    assert rules["plp-2021/report.html"] == rules["plp-2021/report.ipynb"] == "report"
    assert rules["plp-2021/clean/cohort.json"] == "clean"
    assert "results/plp-2021/clean/survey.parquet" in rec["outputs"]["plp-2021/statistics.csv"]["inputs"]
    folder = run_a / "data" / "raw" / "plp-2021"
    assert {n: v["sha256"] for n, v in rec["inputs"].items()} == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
    }
    configured = yaml.safe_load((run_a / "config" / "config.yaml").read_text("utf-8"))
    # the resolved configuration: config.yaml with the schema's defaults filled in
    assert manifest["config"] == {
        **configured,
        "report_notebook": "notebooks/cohort_report.ipynb",
        "programme_notebook": "notebooks/programme_report.ipynb",
        "qualitative": {
            "agreement_unit": "auto",
            "coders": "union",
            "final_coder": "",
            "min_alpha": 0.667,
            "saturation_base": 4,
            "saturation_run": 2,
            "saturation_threshold": 5,
            "span_coded_text_only": True,
        },
    }
    assert manifest["config"]["cohorts"][0] == "plp-2021"
    assert set(manifest["config_files"]) == {"config/config.yaml"}
    assert {"workflow/Snakefile", "src/workforce_eval/provenance/manifest.py", "notebooks/cohort_report.ipynb"} <= set(
        manifest["code"]
    )
    assert manifest["git"]["commit"] is None and manifest["git"]["note"] == "not a git checkout"
    assert manifest["software"]["python"] == platform.python_version()
    assert manifest["software"]["packages"]["snakemake"] == version("snakemake")
    # no wall-clock time in anything hashed: the run happened today, the manifest must not say so
    import datetime

    assert datetime.date.today().isoformat() not in text
    assert "Z" not in re.findall(r"\d{2}:\d{2}:\d{2}", text)


@pytest.fixture
def run_copy(run_a: Path, tmp_path: Path) -> Path:
    """A private copy of the first run (inputs, config, code and results), free to tamper with."""
    dest = tmp_path / "copy"
    shutil.copytree(run_a, dest, ignore=shutil.ignore_patterns(".snakemake", "__pycache__"))
    return dest


def verify_cli(project: Path) -> subprocess.CompletedProcess[str]:
    """`python -m workforce_eval verify` run in a project folder with that project's package."""
    env = {**__import__("os").environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [sys.executable, "-m", "workforce_eval", "verify", "--results", "results"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_verify_passes_on_a_fresh_run(run_a: Path) -> None:
    proc = verify_cli(run_a)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("OK;")


TAMPERINGS = {
    "input": ("data/raw/plp-2021/survey.csv", "STALE", "data/raw/plp-2021/survey.csv"),
    "output": ("results/plp-2021/statistics.csv", "ALTERED", "results/plp-2021/statistics.csv"),
    "config": ("config/config.yaml", "STALE", "config/config.yaml"),
    "figure": ("results/plp-2021/figures/likert.svg", "ALTERED", "results/plp-2021/figures/likert.svg"),
    "programme": (
        "results/programmes/paired-learning/figures/forest.svg",
        "ALTERED",
        "results/programmes/paired-learning/figures/forest.svg",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERINGS))
def test_verify_names_each_tampered_file(run_copy: Path, case: str) -> None:
    path, kind, named = TAMPERINGS[case]
    target = run_copy / path
    text = target.read_text("utf-8")
    if case == "output":
        text = text.replace("response,invited,,all,survey,53,53", "response,invited,,all,survey,54,54", 1)
    elif case in ("figure", "programme"):
        text = text.replace("</svg>", "<!-- edited --></svg>")
    elif case == "config":
        text = text.replace("results_dir: results", "results_dir: results-2")
    else:
        text = text + text.splitlines()[-1].replace(text.splitlines()[-1].split(",")[0], "R999", 1) + "\n"
    assert text != target.read_text("utf-8")
    target.write_text(text, "utf-8")
    proc = verify_cli(run_copy)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    problems = [line for line in proc.stdout.splitlines() if not line.startswith(("OK", "FAILED"))]
    assert problems == [f"{kind:10s} {named}: " + problems[0].split(": ", 1)[1]], proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("FAILED: 1 problem(s)")


def test_verify_reports_missing_and_unrecorded_outputs(run_copy: Path) -> None:
    (run_copy / "results" / "plp-2021" / "figures" / "themes.png").unlink()
    (run_copy / "results" / "plp-2021" / "notes.txt").write_text("added later\n")
    proc = verify_cli(run_copy)
    assert proc.returncode == 1
    assert "MISSING    results/plp-2021/figures/themes.png" in proc.stdout
    assert "UNRECORDED results/plp-2021/notes.txt" in proc.stdout


def _prime_context_cache(cache: Path) -> None:
    """A requests-cache database that answers the RO-Crate 1.1 context URL with the copy `rocrate` ships.

    roc-validator run `--offline` serves HTTP only from its cache. Without the context it cannot expand
    the JSON-LD at all: checks ro-crate-1.1_3.1 and 3.2 fail and the SHACL checks silently do not run.
    `rocrate` ships the RO-Crate 1.3 context; the crate pins (inline) the few terms whose IRIs changed
    after 1.1 (`runcrate.CONTEXT_PINS`), so it expands the same under either context.
    """
    import io

    import requests
    import rocrate
    import urllib3
    from requests_cache import CachedSession

    body = (Path(rocrate.__file__).parent / "data" / "ro-crate.jsonld").read_bytes()
    url = "https://w3id.org/ro/crate/1.1/context"
    session = CachedSession(cache_name=str(cache), backend="sqlite", expire_after=-1)
    response = requests.Response()
    response.status_code, response.url, response.reason, response._content = 200, url, "OK", body
    response.headers["Content-Type"] = "application/ld+json"
    response.request = requests.Request("GET", url).prepare()
    response.raw = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        headers={"Content-Type": "application/ld+json"},
        status=200,
        preload_content=False,
        request_url=url,
    )
    session.cache.save_response(response)
    session.close()


def validate_crate(crate_root: Path, cache: Path, out: Path) -> dict:
    """roc-validator at the workflow-run-crate profile, offline, REQUIRED checks; its JSON report."""
    import json

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from rocrate_validator.cli import cli; sys.exit(cli())",
            "-y",
            "--disable-color",
            "validate",
            "--offline",
            "--cache-path",
            str(cache),
            "-p",
            "workflow-run-crate",
            "-l",
            "required",
            "-f",
            "json",
            "-o",
            str(out),
            str(crate_root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.is_file(), proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(out.read_text("utf-8"))


def test_ro_crate_validates_at_the_workflow_run_crate_profile(run_a: Path, tmp_path: Path) -> None:
    import json

    cache = tmp_path / "http-cache"
    _prime_context_cache(cache)
    report = validate_crate(run_a / "results", cache, tmp_path / "report.json")
    stats = report["statistics"]
    failed = [(i["check"]["identifier"], i["message"][:200]) for i in report["issues"]]
    assert report["passed"] and not failed, failed
    assert "workflow-run-crate-0.5" in stats["profiles"] and "ro-crate-1.1" in stats["profiles"]
    # every REQUIRED check ran (none skipped for want of the context) and passed
    assert stats["total_skipped_checks"] == 0 and stats["total_checks"] >= 50
    assert stats["total_passed_checks"] == stats["total_checks"]
    crate = json.loads((run_a / "results" / "ro-crate-metadata.json").read_text("utf-8"))
    ids = {e["@id"]: e for e in crate["@graph"]}
    assert ids["./"]["mainEntity"] == {"@id": "provenance/code/workflow/Snakefile"}
    assert (
        ids["plp-2021/statistics.csv"]["sha256"]
        == hashlib.sha256((run_a / "results" / "plp-2021" / "statistics.csv").read_bytes()).hexdigest()
    )
    assert ids["#input:plp-2021/survey.csv"]["@type"] == "File"
    assert json.loads(ids["#pv-config-cohorts"]["value"])[0] == "plp-2021"
    assert (run_a / "results" / "provenance" / "code" / "workflow" / "Snakefile").is_file()
    # and the validator does fail a crate that breaks a REQUIRED rule: a Workflow Run Crate without its workflow
    broken = tmp_path / "broken"
    shutil.copytree(run_a / "results", broken, ignore=shutil.ignore_patterns("plp-2021"))
    del crate["@graph"][[e["@id"] for e in crate["@graph"]].index("./")]["mainEntity"]
    (broken / "ro-crate-metadata.json").write_text(json.dumps(crate), "utf-8")
    failed = {i["check"]["identifier"] for i in validate_crate(broken, cache, tmp_path / "broken.json")["issues"]}
    assert "workflow-ro-crate-1.0_0.1" in failed or any(f.startswith("workflow-") for f in failed), failed


def test_snakemake_report_lists_every_figure_and_table_with_a_caption(run_a: Path, tmp_path: Path) -> None:
    import json
    import zipfile

    proc = snakemake(run_a, "--report", str(tmp_path / "report.zip"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    with zipfile.ZipFile(tmp_path / "report.zip") as zf:
        page = zf.read("report/report.html").decode("utf-8")
    start = page.index("var results = ", page.index('<script id="results">')) + len("var results = ")
    results, _ = json.JSONDecoder().raw_decode(page, start)
    by_name = {Path(k).as_posix(): v for k, v in results.items()}
    for name in ("composition", "likert", "themes"):
        item = by_name[f"results/plp-2021/figures/{name}.png"]
        assert item["labels"]["cohort"] == "plp-2021" and item["labels"]["figure"] == name
    for table in ("statistics.csv", "quotes.csv"):
        assert by_name[f"results/plp-2021/{table}"]["labels"]["cohort"] == "plp-2021"
    assert by_name["results/provenance/plp-2021.csv"]["labels"] == {"cohort": "plp-2021", "table": "provenance"}
    assert by_name["results/provenance/manifest.json"]["labels"]["cohort"] == "all cohorts"
    assert "results/ro-crate-metadata.json" in by_name
    uncaptioned = [k for k, v in by_name.items() if len(re.sub(r"<[^>]+>", "", v["caption"]).strip()) < 40]
    assert not uncaptioned, uncaptioned
    assert "plp-2021" in by_name["results/plp-2021/figures/likert.png"]["caption"]
    # only the figures that apply are listed (plp-2021: post only, no models); further Likert pages are captioned
    assert "results/plp-2021/figures/coefficients.png" not in by_name
    assert "results/plp-2021/figures/prepost.png" not in by_name
    assert "likert-2" in by_name["results/plp-2021/figures/likert-2.png"]["caption"]
    # grouped by cohort: one category per cohort (figures, tables, report, provenance), one for the whole run
    start = page.index("var categories = ", page.index('<script id="categories">')) + len("var categories = ")
    categories, _ = json.JSONDecoder().raw_decode(page, start)
    configured = yaml.safe_load((run_a / "config" / "config.yaml").read_text("utf-8"))["cohorts"]
    assert set(categories) == {f"Cohort {c}" for c in configured} | {"Programmes", "Whole run"}
    cohort = {Path(f).as_posix() for files in categories["Cohort plp-2021"].values() for f in files}
    assert {"Figures", "Statistics register", "Quotes", "Evaluation reports", "Provenance"} == set(
        categories["Cohort plp-2021"]
    )
    assert {f"results/plp-2021/figures/{n}.png" for n in ("composition", "likert", "themes")} <= cohort
    assert "results/provenance/plp-2021.csv" in cohort


# --- pre/post cohorts and the programme report ------------------------------------------------------------

LOTHIAN = ("lothian-pilot", "lothian-2", "lothian-3")
PROGRAMME_DIR = Path("results") / "programmes" / "paired-learning"


def test_three_prepost_reports_and_one_programme_report_are_built(run_a: Path) -> None:
    import json

    # the cohort labels of data/raw/lothian-*/cohort.yaml, written out
    labels = {"lothian-pilot": "Pilot", "lothian-2": "Cohort 2", "lothian-3": "Cohort 3"}
    # no "cohort Cohort 2"
    titles = {"lothian-pilot": "Pilot cohort", "lothian-2": "Cohort 2", "lothian-3": "Cohort 3"}
    for cohort in LOTHIAN:
        soup = BeautifulSoup((run_a / "results" / cohort / "report.html").read_text("utf-8"), "html.parser")
        assert soup.title.get_text() == f"Paired Learning — {titles[cohort]} evaluation report"
        assert (run_a / "results" / cohort / "figures" / "prepost.png").read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in (run_a / "results" / "programmes").iterdir()] == ["paired-learning"]
    meta = json.loads((run_a / PROGRAMME_DIR / "programme.json").read_text("utf-8"))
    assert (meta["programme"], meta["slug"], meta["synthetic"]) == ("Paired Learning", "paired-learning", True)
    assert [(c["cohort_id"], c["cohort"], c["design"]) for c in meta["cohorts"]] == [
        (c, labels[c], "pre_post") for c in LOTHIAN
    ]
    soup = BeautifulSoup((run_a / PROGRAMME_DIR / "report.html").read_text("utf-8"), "html.parser")
    assert soup.title.get_text() == "Paired Learning — programme report"
    assert (run_a / PROGRAMME_DIR / "figures" / "forest.pdf").read_bytes().startswith(b"%PDF")


def test_prepost_registers_hold_mean_change_for_every_item_and_construct_by_group(run_a: Path) -> None:
    import yaml

    for cohort in LOTHIAN:
        reg = register.read(run_a / "results" / cohort / "statistics.csv")
        items = yaml.safe_load((ROOT / "data" / "raw" / cohort / "instrument.yaml").read_text("utf-8"))["items"]
        targets = [i["id"] for i in items if i["type"] in ("likert", "numeric")]
        targets += list(dict.fromkeys(i["construct"] for i in items if i.get("construct")))
        groups = ["all", *groups_.shown_groups(["doctors", "managers"], reg)]  # lothian-2 withholds both
        for target in targets:
            for group in groups:
                row = register.one(reg, "pre_post", "mean_change", item=target, group=group)
                assert row.n >= 2 and row.source == "survey", (cohort, target, group)
                assert row.ci_low <= row.estimate <= row.ci_high and 0 < row.p_value <= 1
                assert row.method.startswith("paired t interval; wilcoxon")
        assert len(register.select(reg, "pre_post", "mean_change")) == len(groups) * len(targets)


def test_cohort_report_shows_change_from_the_register(run_a: Path, report_soup: BeautifulSoup) -> None:
    from workforce_eval.report.format import fmt_num

    soup = BeautifulSoup((run_a / "results" / "lothian-pilot" / "report.html").read_text("utf-8"), "html.parser")
    text = visible_text(soup)
    assert "Change from pre to post" in text and "answered both times and are linked" in text
    reg = register.read(run_a / "results" / "lothian-pilot" / "statistics.csv")
    table = table_with_columns(soup, "Scale or item", "Linked n", "Mean change (95 % CI)", "p (paired t)")
    shown = dict(zip(table["Scale or item"], table["Mean change (95 % CI)"], strict=True))
    row = register.one(reg, "pre_post", "paired_t", item="preparedness")
    expected = f"{fmt_num(row.estimate, 2)} ({fmt_num(row.ci_low, 2)} to {fmt_num(row.ci_high, 2)})"
    assert shown["Preparedness (scale score)"] == expected
    # every change row shows the p of the method that gave its interval: paired t beside the mean change,
    # Wilcoxon beside the Hodges-Lehmann shift
    p_t = dict(zip(table["Scale or item"], table["p (paired t)"], strict=True))
    p_w = dict(zip(table["Scale or item"], table["p (Wilcoxon)"], strict=True))
    shift = dict(zip(table["Scale or item"], table["Median shift (95 % CI)"], strict=True))
    from workforce_eval.report.format import fmt_p

    assert p_t["Preparedness (scale score)"] == fmt_p(row.p_value)
    hl = register.one(reg, "pre_post", "hl_shift", item="preparedness")
    assert p_w["Preparedness (scale score)"] == fmt_p(hl.p_value)
    assert shift["Preparedness (scale score)"].startswith(fmt_num(hl.estimate, 2))
    assert any(label.endswith("(reversed)") for label in table["Scale or item"])
    assert soup.find("img", alt=re.compile("^Mean answer codes of linked participants before and after")) is not None
    assert "Change from pre to post" not in visible_text(report_soup)  # the post-only PLP cohort has no such section


def test_programme_report_shows_change_per_cohort_with_intervals_and_a_forest_plot(run_a: Path) -> None:
    from workforce_eval.register import programme_file
    from workforce_eval.report.format import fmt_num, fmt_p

    preg = programme_file.read(run_a / PROGRAMME_DIR / "statistics.csv")
    assert set(preg["cohort"]) == set(LOTHIAN) | {"all"}
    soup = BeautifulSoup((run_a / PROGRAMME_DIR / "report.html").read_text("utf-8"), "html.parser")
    text = visible_text(soup)
    assert "SYNTHETIC DATA" in text and "Paired Learning — programme report" in text
    forest = soup.find("img", alt=re.compile("^Mean change from before to after in each of 3 cohorts and pooled"))
    assert forest is not None and forest["src"].startswith("data:image/png;base64,")
    table = table_with_columns(soup, "Scale or item", "Cohort", "Mean change (95 % CI)", "p (paired t)", "n linked")
    start = table.index[table["Scale or item"] == "Preparedness (scale score)"][0]
    block = table.loc[start : start + 3].set_index("Cohort")  # one row per cohort, then pooled
    assert list(block.index) == ["Pilot", "Cohort 2", "Cohort 3", "All cohorts"]
    for cohort, column in zip((*LOTHIAN, "all"), ("Pilot", "Cohort 2", "Cohort 3", "All cohorts"), strict=True):
        rows = preg[
            (preg["cohort"] == cohort)
            & (preg["measure"] == "paired_t")
            & (preg["item"] == "preparedness")
            & (preg["group"] == "all")
        ]
        row = rows.iloc[0]
        ci = f"{fmt_num(row.estimate, 2)} ({fmt_num(row.ci_low, 2)} to {fmt_num(row.ci_high, 2)})"
        # estimate, p and n in separate cells; the paired t p beside the t interval
        assert block.loc[column, "Mean change (95 % CI)"] == ci
        assert block.loc[column, "n linked"] == str(int(row.n))
        assert block.loc[column, "p (paired t)"] == fmt_p(row.p_value)


# --- report structure (issue 10): every bundled report -------------------------------------------------------

BUNDLED = ("plp-2021", "leeds-2022", *LOTHIAN)


def test_every_cohort_report_has_the_structure_of_a_report(run_a: Path) -> None:
    from workforce_eval.report.format import NUM_CLASS

    for cohort in BUNDLED:
        soup = BeautifulSoup((run_a / "results" / cohort / "report.html").read_text("utf-8"), "html.parser")
        text = visible_text(soup)
        headings = [h.get_text(" ", strip=True).rstrip("¶ ").strip() for h in soup.find_all("h2")]
        for section in ("Key findings", "Methods", "Limitations", "Appendix", "Provenance"):
            assert section in headings, (cohort, section, headings)
        # the contents links every section and every link lands on a heading
        links = [a["href"] for a in soup.select("nav a")]
        ids = {h.get("id") for h in soup.find_all(["h2"])}
        assert links and all(link.lstrip("#") in ids for link in links), (cohort, links)
        # five to eight key findings, each with a number and an interval or count
        findings = soup.find(id="Key-findings").find_next("ul").find_all("li")
        assert 5 <= len(findings) <= 12, (cohort, len(findings))  # report.findings.MAX_FINDINGS
        counted = r"\d+ of (the )?\d+|n = \d+|\d+ responses|\(-?\d[\d.]* to -?\d[\d.]*\)"  # a count or an interval
        assert all(re.search(counted, li.get_text()) for li in findings), cohort
        assert "Design" in text and "Disclosure control" in text and "Software" in text
        assert "no comparison group" in text or "cross-sectional" in text
        assert "Figure not available" not in text and "cohort Cohort" not in text
        # numbers right-aligned: numeric cells marked; a table with a hidden cell has the note under it
        assert soup.find("td", class_=NUM_CLASS) is not None
        for table in soup.find_all("table"):
            cells = [td.get_text(strip=True) for td in table.find_all("td")]
            if any(re.fullmatch(r"<\d+|\[c\]", c) for c in cells):
                note = table.find_next_sibling()
                assert note is not None and "hidden" in note.get_text(), (cohort, cells[:6])
        if cohort in LOTHIAN:
            assert "post-programme responses only" in text.lower()
    plp = visible_text(
        BeautifulSoup((run_a / "results" / "plp-2021" / "report.html").read_text("utf-8"), "html.parser")
    )
    assert "fewer than 5" not in plp.lower()  # PLP's threshold is 3
    programme = BeautifulSoup((run_a / PROGRAMME_DIR / "report.html").read_text("utf-8"), "html.parser")
    links = [a["href"].lstrip("#") for a in programme.select("nav a")]
    assert links and set(links) <= {h.get("id") for h in programme.find_all("h2")}
    assert "is wide" not in visible_text(programme)
    headings = [h.get_text(" ", strip=True).rstrip("¶ ").strip() for h in programme.find_all("h2")]
    assert headings[-4:] == ["Methods", "Limitations", "Appendix", "Accessibility"]
    block = visible_text(programme.select_one("table.title-block"))
    assert "Cohorts 3: Pilot, Cohort 2, Cohort 3" in block and "synthetic" in block
    assert "programmes/paired-learning/statistics.csv" in visible_text(programme)


# --- an interrupted run --------------------------------------------------------------------------------------


def test_killed_run_recovers_to_the_same_outputs(tmp_path: Path, run_a: Path) -> None:
    """Kill -9 the workflow while plp-2021's report is being written; unlock, rerun, get run_a's bytes.

    Only plp-2021's report and what it rests on are built (the target), which is what the kill interrupts."""
    target = "results/plp-2021/report.html"
    import os
    import signal
    import time

    project = make_project(tmp_path / "p")
    before = tree_hash(project / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2", target],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    partial = project / "results" / "plp-2021" / "report.ipynb"  # papermill writes it as it goes
    deadline = time.monotonic() + 600
    while not partial.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, "the workflow ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)  # snakemake and its running job, with no chance to clean up
    proc.wait()
    assert not (project / "results" / "plp-2021" / "report.html").exists()

    assert snakemake(project, "--unlock").returncode == 0  # a kill -9 leaves the lock behind
    rerun = snakemake(project, target)  # the workflow profile sets rerun-incomplete
    assert rerun.returncode == 0, rerun.stderr[-4000:]
    assert "Traceback" not in rerun.stdout + rerun.stderr
    assert tree_hash(project / "data") == before
    a = tree_hash(run_a / "results" / "plp-2021")
    b = tree_hash(project / "results" / "plp-2021")
    assert "report.html" in b and "statistics.csv" in b and set(b) <= set(a), sorted(set(b) - set(a))
    differing = sorted(k for k in b if k != "report.ipynb" and a[k] != b[k])
    assert not differing, f"outputs differ from an uninterrupted run: {differing}"


# --- snapshots: the registers and the hashes of every other byte-stable output (tests/snapshots/) ---------


def test_registers_match_the_snapshots(run_a: Path, request: pytest.FixtureRequest) -> None:
    """Each statistics.csv of the run equals tests/snapshots/<same path>; a diff names rows and columns."""
    from tests.e2e import snapshot

    results = run_a / "results"
    if request.config.getoption("--update-snapshots"):
        snapshot.update(results)
    found, expected = snapshot.registers(results), snapshot.snapshot_registers()
    assert found == expected, f"registers: run has {found}, snapshots have {expected}"
    assert {"plp-2021/statistics.csv", "programmes/paired-learning/statistics.csv"} <= set(found)
    diffs = {rel: snapshot.register_diff(snapshot.SNAPSHOTS / rel, results / rel) for rel in found}
    diffs = {rel: d for rel, d in diffs.items() if d}
    report = "\n\n".join(f"{rel}:\n{d}" for rel, d in diffs.items())
    assert not diffs, f"registers differ from tests/snapshots/ (scripts/update_snapshots.py rewrites them):\n{report}"


def test_other_outputs_match_the_snapshot_hashes(run_a: Path, request: pytest.FixtureRequest) -> None:
    """Every other output not named in tests/snapshots/unstable.txt has the sha256 in tests/snapshots/SHA256SUMS."""
    from tests.e2e import snapshot

    results = run_a / "results"
    patterns = snapshot.unstable_patterns()
    if request.config.getoption("--update-snapshots"):
        snapshot.update(results)
    # each unstable pattern matches something, so the list cannot rot into excuses for files that are gone
    files = snapshot.results_files(results)
    unused = [p for p in patterns if not any(snapshot.is_unstable(f, {p: ""}) for f in files)]
    assert not unused, f"unstable.txt patterns matching no output: {unused}"
    expected = snapshot.parse_sums(snapshot.SUMS.read_text("utf-8"))
    found = snapshot.hashed(results, patterns)
    assert "plp-2021/report.html" in found and "plp-2021/clean/survey.parquet" in found
    problems = [f"missing  {rel}" for rel in sorted(set(expected) - set(found))]
    problems += [f"new      {rel}" for rel in sorted(set(found) - set(expected))]
    problems += [f"changed  {rel}" for rel in sorted(set(found) & set(expected)) if found[rel] != expected[rel]]
    assert not problems, "outputs differ from tests/snapshots/SHA256SUMS:\n" + "\n".join(problems)
