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
from bs4 import BeautifulSoup

from workforce_eval import register

from .conftest import ROOT

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
def run_a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example built from clean with `snakemake --cores 2` and no other argument."""
    project = make_project(tmp_path_factory.mktemp("run_a"))
    before = tree_hash(project / "data")
    proc = snakemake(project)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert tree_hash(project / "data") == before, "the pipeline wrote inside data_dir"
    return project


@pytest.fixture(scope="session")
def run_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second clean build, in another directory, for the byte-for-byte comparison."""
    project = make_project(tmp_path_factory.mktemp("run_b"))
    proc = snakemake(project)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return project


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
    """The first HTML table following the element whose text starts with `caption`."""
    marker = soup.find(string=re.compile(r"^\s*" + re.escape(caption)))
    assert marker is not None, f"no {caption!r} in the report"
    return parse_table(marker.find_next("table"))


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
    assert register.lookup(reg, "response", "invited").estimate == invited == 53
    rate = register.lookup(reg, "response", "response_rate")
    assert rate.estimate == pytest.approx(100 * 26 / 53) and (rate.n, rate.denominator) == (26, 53)
    assert rate.method == "wilson" and rate.ci_low < rate.estimate < rate.ci_high
    for group, count in s["group"].value_counts().items():
        assert register.lookup(reg, "response", "responses", group=group).estimate == count
        share = register.lookup(reg, "composition", "share", group=group)
        assert share.estimate == pytest.approx(100 * count / 26)
    assert register.lookup(reg, "composition", "share", group="bme_any").estimate == pytest.approx(100 * 17 / 26)
    assert register.lookup(reg, "item", "pct_yes", item="recommend").estimate == pytest.approx(100 * 23 / 26)
    assert register.lookup(reg, "response", "complete_pairs").estimate == 8
    assert register.lookup(reg, "response", "interviews", source="interview").estimate == 12
    assert register.lookup(reg, "response", "interviews", group="SLT").estimate == 6
    assert register.lookup(reg, "response", "interviews", group="BME").estimate == 6
    assert register.lookup(reg, "response", "interview_pairs").estimate == 5


def test_register_holds_every_contract_measure_the_data_allow(run_a: Path) -> None:
    reg = register.read(run_a / "results" / "plp-2021" / "statistics.csv")
    groups = {"SLT", "BME", "both"}
    present = set(zip(reg["analysis"], reg["measure"], strict=True))
    for measure in [
        ("response", "invited"), ("response", "responses"), ("response", "response_rate"),
        ("response", "complete_pairs"), ("response", "interviews"), ("composition", "share"),
        ("item", "pct_yes"), ("item", "pct_agree"), ("item", "median"),
        ("theme", "participants"), ("theme", "pct_participants"), ("theme", "segments"),
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
    assert "49.1 % (26/53)" in text
    comp = table_after(report_soup, "Respondents by group")
    shown = dict(zip(comp["Group"], comp["% of respondents"], strict=True))
    assert shown["Executive and senior leaders"] == "34.6"
    assert shown["Black and minority ethnic colleagues"] == "53.9"
    assert shown["Both groups (senior leader and BME)"] == "11.5"
    assert shown["BME colleagues, including those in both groups"] == "65.4"
    assert "88.5 % (23/26)" in text
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
    quote_captions = report_soup.find_all(string=re.compile(r"^\s*Table [234]\. Quotes"))
    assert len(quote_captions) == 3
    for caption in quote_captions:
        quotes = table_after(report_soup, caption.strip())
        assert len(quotes) >= 3
        assert all(re.fullmatch(r"(SLT|BME|both) (P\d+|survey respondent \d+)", a) for a in quotes["Attributed to"])


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
    a = tree_hash(run_a / "results" / "plp-2021")
    b = tree_hash(run_b / "results" / "plp-2021")
    assert set(a) == set(b)
    # the executed notebook is a log (papermill writes timings into it); everything else must match
    compared = {k for k in a if k != "report.ipynb"}
    for needed in ("statistics.csv", "report.html", "figures/likert.pdf", "figures/likert.png", "figures/themes.svg"):
        assert needed in compared
    differing = sorted(k for k in compared if a[k] != b[k])
    assert not differing, f"outputs differ between two clean runs: {differing}"


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
    [("bogus=1", "bogus"), ("cohorts=['Bad Id']", "Bad Id"), ("data_dir=[1]", "data_dir")],
)
def test_bad_configuration_fails_before_any_job(tmp_path: Path, override: str, expected: str) -> None:
    project = make_project(tmp_path / "p")
    proc = snakemake(project, "--config", override)
    assert proc.returncode != 0
    assert expected in proc.stdout + proc.stderr
    assert not (project / "results").exists()


# --- an interrupted run --------------------------------------------------------------------------------------


def test_killed_run_recovers_to_the_same_outputs(tmp_path: Path, run_a: Path) -> None:
    """Kill -9 the whole workflow while the report is being written; unlock, rerun, get run_a's bytes."""
    import os
    import signal
    import time

    project = make_project(tmp_path / "p")
    before = tree_hash(project / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2"],
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
    rerun = snakemake(project)  # the workflow profile sets rerun-incomplete
    assert rerun.returncode == 0, rerun.stderr[-4000:]
    assert "Traceback" not in rerun.stdout + rerun.stderr
    assert tree_hash(project / "data") == before
    a = tree_hash(run_a / "results" / "plp-2021")
    b = tree_hash(project / "results" / "plp-2021")
    assert set(a) == set(b)
    differing = sorted(k for k in a if k != "report.ipynb" and a[k] != b[k])
    assert not differing, f"outputs differ from an uninterrupted run: {differing}"
