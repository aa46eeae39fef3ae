"""The bad-input corpus (tests/bad_inputs/): every malformed cohort stops with a located message and writes nothing.

Each case is checked twice: directly through `clean.run` (fast, exact exception fields), and all of
them together in ONE `snakemake --keep-going` run beside a good cohort, which must still complete (the
session's run of the side cohorts, `side_run` in conftest.py, which also holds the bad exports and the export
shapes).
The good cohort is the bundled PLP example at the project threshold of 5, so the same run also
shows disclosure control end to end: its group of 3 is "[c]" in the report and the figure. For
speed the Snakemake run takes the cases marked `e2e` (28 of them, every kind the issue lists and
the four planted identifiers), two broken copies of the bundled cohort and a missing cohort folder.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.bad_inputs.corpus import CASES, Case, by_name
from tests.conftest import ROOT, write_tiny_cohort
from tests.e2e.conftest import SideRun
from tests.e2e.test_workflow import break_cell, visible_text
from workforce_eval import register
from workforce_eval.errors import InputError
from workforce_eval.figures import cohort as figures
from workforce_eval.figures import style as figure_style
from workforce_eval.inputs import clean
from workforce_eval.inputs.metadata import from_document

#: The cases of the one Snakemake run (all cases run through clean.run above).
E2E = [c for c in CASES if c.e2e]
GOOD = "plp-k5"
#: The good cohort's programme line (its own programme: see add_corpus).
PROGRAMME = "programme: Bad-input corpus check\n"
#: A cohort that passes cleaning and fails in a later rule (models: a reference level that does not occur).
LATE = "late-formula-error"
LATE_MODELS = "models:\n  - {id: m, formula: \"trust ~ C(group, Treatment('Z'))\", family: ols}\n"
NO_FOLDER = "no-such-cohort"
#: The bundled cohort with one cell broken: cohort id -> (file, row, column, new value).
PLP_BROKEN = {
    "plp-wrong-label": ("survey.csv", 3, "recommend", "Perhaps"),
    "plp-duplicate-id": ("survey.csv", 5, "response_id", "R001"),
}


def located(message: str, case: Case) -> bool:
    """The message names the case's file, row and column (or says none where there is none)."""
    if f"{case.file}" not in message:
        return False
    rows = re.search(r", rows? ([\d, ]+?)(?:, (?:column|key) |: expected)", message)
    if case.row is None:
        if rows is not None:
            return False
    elif rows is None or str(case.row) not in [r.strip() for r in rows.group(1).split(",")]:
        return False
    if case.column is None:
        return re.search(r", (?:column|key) '", message) is None
    return f"column {case.column!r}" in message or f"key {case.column!r}" in message


def test_corpus_is_large_and_varied() -> None:
    cases = by_name()
    assert len(cases) >= 25 and len(E2E) >= 25
    files = {c.file for c in CASES}
    assert {
        "cohort.yaml",
        "participants.csv",
        "instrument.yaml",
        "survey.csv",
        "codebook.yaml",
        "segments.csv",
    } <= files


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_case_stops_clean_with_its_location(name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    case = by_name()[name]
    folder = case.build(tmp_path / "data" / name)
    out = tmp_path / "results" / name
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InputError) as info:
        clean.run(
            folder,
            name,
            out / "clean" / "cohort.json",
            out / "clean" / "p.parquet",
            out / "clean" / "s.parquet",
            out / "clean" / "g.parquet",
        )
    err = info.value
    assert Path(err.file).name == case.file
    rows = err.rows or ((err.row,) if err.row is not None else ())
    assert (case.row in rows) if case.row is not None else not rows, err.message
    assert err.column == case.column, err.message
    assert case.says in err.message
    assert located(err.message, case), err.message
    assert not out.exists(), "something of a bad cohort was written"
    if case.planted:
        for text in (err.message, caplog.text):
            assert case.planted.casefold() not in text.casefold()


def test_located_can_fail() -> None:
    case = by_name()["unknown-group"]
    assert located("x/participants.csv, row 4, column 'group': expected", case)
    assert not located("x/participants.csv, row 5, column 'group': expected", case)
    assert not located("x/participants.csv, row 4, column 'pair_id': expected", case)
    assert not located("x/survey.csv, row 4, column 'group': expected", case)


# --------------------------------------------------------------------------- one Snakemake run for all


def add_corpus(data: Path) -> list[str]:
    """Every bad cohort of the Snakemake run, and the good PLP cohort at threshold 5, written under `data`; the
    cohort ids to run (a missing cohort folder among them). The good cohort is put in a programme of its own, so
    that no programme pools it with another copy of the PLP data in the same run."""
    for case in E2E:
        case.build(data / case.name)
    for name, (file, row, column, value) in PLP_BROKEN.items():
        shutil.copytree(ROOT / "data" / "raw" / "plp-2021", data / name)
        break_cell(data / name / file, row, column, value)
    late = write_tiny_cohort(data / LATE)
    (late / "cohort.yaml").write_text((late / "cohort.yaml").read_text(encoding="utf-8") + LATE_MODELS)
    good = data / GOOD
    shutil.copytree(ROOT / "data" / "raw" / "plp-2021", good)
    yaml_text = (good / "cohort.yaml").read_text(encoding="utf-8")
    assert "disclosure_threshold: 3\n" in yaml_text and "programme: Parallel Learning Partnerships\n" in yaml_text
    yaml_text = yaml_text.replace("disclosure_threshold: 3\n", "disclosure_threshold: 5\n")
    (good / "cohort.yaml").write_text(yaml_text.replace("programme: Parallel Learning Partnerships\n", PROGRAMME))
    return [c.name for c in E2E] + list(PLP_BROKEN) + [NO_FOLDER, LATE, GOOD]


@pytest.fixture(scope="module")
def corpus_run(side_run: SideRun) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The session's one --keep-going run of the side cohorts (conftest.py): every bad cohort, a missing cohort
    folder and the good PLP cohort at threshold 5, beside the bad exports and the export shapes."""
    return side_run.project, side_run.first


def _messages(output: str) -> dict[str, str]:
    """Cohort id -> its one 'Input error' line."""
    out: dict[str, str] = {}
    for line in output.splitlines():
        # jobs run in parallel and share the terminal: another process's output may precede ours on a line
        match = re.search(r"Input error in cohort '([^']+)': .*", line)
        if match:
            out.setdefault(match.group(1), match.group(0))
    return out


@pytest.mark.e2e
def test_corpus_run_fails_overall_and_prints_no_traceback(
    corpus_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, proc = corpus_run
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout + proc.stderr
    for log in (project / "results" / "logs").rglob("*.log"):
        assert "Traceback" not in log.read_text(encoding="utf-8"), log


@pytest.mark.e2e
@pytest.mark.parametrize("name", [c.name for c in E2E])
def test_corpus_cohort_is_stopped_and_located(
    name: str, corpus_run: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    project, proc = corpus_run
    case = by_name()[name]
    message = _messages(proc.stdout + proc.stderr).get(name)
    assert message is not None, f"no message for {name}"
    assert located(message, case) and case.says in message, message
    log = (project / "results" / "logs" / name / "clean.log").read_text(encoding="utf-8")
    assert message in log
    results = project / "results" / name
    assert not results.exists() or not [p for p in results.rglob("*") if p.is_file()]


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(PLP_BROKEN))
def test_broken_copy_of_the_bundled_cohort_is_stopped(
    name: str, corpus_run: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    project, proc = corpus_run
    file, row, column, value = PLP_BROKEN[name]
    message = _messages(proc.stdout + proc.stderr)[name]
    assert file in message and f"column '{column}'" in message and value in message
    assert re.search(rf"rows? (\d+, )*{row}\b", message), message
    assert message in (project / "results" / "logs" / name / "clean.log").read_text(encoding="utf-8")
    results = project / "results" / name
    assert not results.exists() or not [p for p in results.rglob("*") if p.is_file()]


@pytest.mark.e2e
def test_planted_identifiers_are_in_no_output_or_log(corpus_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, proc = corpus_run
    planted = [c.planted.casefold() for c in E2E if c.planted]
    assert len(planted) >= 4
    texts = [proc.stdout, proc.stderr]
    code = project / "results" / "provenance" / "code"  # the run's copy of the project's code, which names
    # reserved example numbers itself (inputs/privacy.py): not data; made once the good cohorts' run is complete
    for folder in (project / "results", project / ".snakemake"):  # outputs, logs, Snakemake's own records
        texts += [
            p.read_bytes().decode("utf-8", "replace")
            for p in folder.rglob("*")
            if p.is_file() and not p.is_relative_to(code)
        ]
    for text in texts:
        folded = text.casefold()
        assert not [p for p in planted if p in folded]


@pytest.mark.e2e
def test_missing_cohort_folder_is_named(corpus_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _project, proc = corpus_run
    message = _messages(proc.stdout + proc.stderr)[NO_FOLDER]
    assert f"data/raw/{NO_FOLDER}: expected a cohort folder" in message


@pytest.mark.e2e
def test_good_cohort_completes_with_group_of_three_suppressed_at_5(
    corpus_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _proc = corpus_run
    base = project / "results" / GOOD
    assert (base / "report.html").is_file()
    reg = register.read(base / "statistics.csv")
    both = register.one(reg, "response", "responses", group="both")
    assert both.estimate == 3 and bool(both.suppressed)  # unrounded in the register, flagged
    assert bool(register.one(reg, "composition", "share", group="both").suppressed)
    # secondary: SLT (the next-smallest group) and the combined BME + both, else both = 26 - 9 - 14 or 17 - 14
    assert bool(register.one(reg, "composition", "share", group="SLT").suppressed)
    assert bool(register.one(reg, "composition", "share", group="bme_any").suppressed)
    assert not bool(register.one(reg, "composition", "share", group="BME").suppressed)
    assert not bool(register.one(reg, "response", "responses").suppressed)

    soup = BeautifulSoup((base / "report.html").read_text("utf-8"), "html.parser")
    text = visible_text(soup)
    assert "[c]" in text and "threshold of 5" in text and "<5" not in text
    marker = soup.find(string=re.compile(r"^\s*Respondents by group"))  # the table's caption
    comp = marker.find_parent("table") or marker.find_next("table")
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in comp.find_all("tr")[1:]]
    cells = {r[0]: r[1] for r in rows}  # the group is a row header (<th scope="row">)
    assert cells["Both groups (senior leader and BME)"] == "[c]"  # one symbol for every hidden count
    assert cells["Executive and senior leaders"] == "[c]"  # 9 is not below 5: hidden so that 3 stays hidden
    assert cells["Black and minority ethnic colleagues"] == "14"
    for number in ("11.5", "34.6", "65.4"):
        assert number not in comp.get_text(" ")

    import json

    meta = json.loads((base / "clean" / "cohort.json").read_text(encoding="utf-8"))
    assert meta["disclosure_threshold"] == 5 and meta["disclosure_threshold_source"] == "cohort.yaml"
    figure_style.configure_matplotlib()
    ax = figures.composition_figure(reg, from_document(meta)).axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert labels.count("[c]") == 3 and "<5" not in labels  # both, SLT and the combined group
    assert "53.8% (n=14)" in labels or "53.9% (n=14)" in labels


@pytest.mark.e2e
def test_formula_with_code_created_no_file(corpus_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """`formula-runs-code` would `touch marker` wherever a rule ran if patsy evaluated the formula."""
    project, _proc = corpus_run
    assert "touch marker" in by_name()["formula-runs-code"].build(project / "probe").joinpath("cohort.yaml").read_text()
    shutil.rmtree(project / "probe")
    assert list(project.rglob("marker")) == []


@pytest.mark.e2e
def test_hostile_files_did_not_stop_the_dag(corpus_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """The 50 000-deep cohort.yaml and the FIFO are read while the DAG is built: only their own cohorts fail."""
    project, proc = corpus_run
    messages = _messages(proc.stdout + proc.stderr)
    assert "yaml-deep-nesting" in messages and "fifo-cohort-yaml" in messages
    assert (project / "results" / GOOD / "report.html").is_file()
    assert "RecursionError" not in proc.stdout + proc.stderr


@pytest.mark.e2e
def test_a_late_failure_leaves_nothing_of_its_cohort(corpus_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """The analyses job fails in its models step, after clean and the describe and themes steps wrote their files:
    the cohort folder is removed whole."""
    project, proc = corpus_run
    message = _messages(proc.stdout + proc.stderr)[LATE]
    assert "cohort.yaml, key 'models.0.formula'" in message and "PatsyError" in message, message
    assert message in (project / "results" / "logs" / LATE / "analyses.log").read_text(encoding="utf-8")
    assert not (project / "results" / LATE).exists()
    assert f"Removed the incomplete results of cohort '{LATE}'" in proc.stderr
    assert (project / "results" / GOOD / "report.html").is_file()  # a complete cohort is kept
