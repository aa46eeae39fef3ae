"""The publication bundle of a built run (`results/published/`, issue 20): what it holds and what it must not.

- its RO-Crate lists exactly the bundle's files, with their SHA-256, and no file outside it;
- no restricted kind of file is in it (cleaned tables, partial registers, imported files, notebooks, logs,
  provenance);
- each published register is its full register masked: every suppressed row's numbers blank, `shown` as the
  reports print it, every other row unchanged;
- every report in it links only to files in the bundle, and every path it prints resolves inside the bundle;
- no file in it holds the text of a passage not consented for quotation, a participant id or a deny-list name.

Which hidden counts the published text and registers give back is the intruder test's (`test_intruder.py`,
which reads this same bundle). `bundle_problems` needs only a results folder and the raw data, so it can be run
on any built run; the unit cases at the top plant each kind of problem in a hand-made bundle.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from workforce_eval import layout, register
from workforce_eval.hashing import sha256_file
from workforce_eval.provenance import crate
from workforce_eval.register import programme_file, published
from workforce_eval.register.notation import display_count

#: A path printed in a report: folders and a file name with a known suffix (`plp-2021/statistics.csv`).
PATH_TEXT = re.compile(
    r"(?<![\w/.:-])((?:[\w.<>-]+/)+[\w.<>-]+\.(?:csv|json|html|pdf|png|svg|parquet|ipynb|txt|yaml))(?![\w/])"
)
#: Folder names whose files are never published.
RESTRICTED_PARTS = {"clean", "tables", "imported", "restricted", "logs", "provenance"}
#: Suffixes a bundle may hold (the crate is the one JSON file).
BUNDLE_SUFFIXES = {".html", ".pdf", ".png", ".svg", ".csv"}
#: Shortest unconsented passage looked for (shorter ones are common phrases: "Yes.").
MIN_PASSAGE = 20


def _text_of(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        soup = BeautifulSoup(raw, "html.parser")
        for tag in soup(["style", "script"]):
            tag.decompose()
        return re.sub(r"\s+", " ", soup.get_text(" "))
    return re.sub(r"\s+", " ", raw)


def _links(path: Path) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    out = []
    for tag in soup.find_all(True):
        for attr in ("href", "src"):
            value = tag.get(attr)
            if isinstance(value, str):
                out.append(value)
    return out


def _inside(bundle: Path, target: Path) -> bool:
    try:
        target.resolve().relative_to(bundle.resolve())
    except ValueError:
        return False
    return target.is_file()


def report_problems(bundle: Path) -> list[str]:
    """Links and printed paths of the bundle's reports that do not resolve to a file inside the bundle."""
    problems = []
    for report in sorted(bundle.rglob("*.html")):
        rel = report.relative_to(bundle).as_posix()
        for link in _links(report):
            if link.startswith(("data:", "#", "http://", "https://", "mailto:")) or not link:
                continue
            target = report.parent / link.split("#", 1)[0].split("?", 1)[0]
            if not _inside(bundle, target):
                problems.append(f"{rel}: link {link!r} is not a file of the bundle")
        for found in PATH_TEXT.findall(_text_of(report)):
            if not any(_inside(bundle, base / found) for base in (bundle, report.parent)):
                problems.append(f"{rel}: names {found!r}, which is not a file of the bundle")
    return problems


def _full_register(results: Path, rel: Path) -> pd.DataFrame:
    source = results / rel
    return programme_file.read(source) if rel.parts[0] == layout.PROGRAMMES_DIR else register.read(source)


def _threshold(results: Path, rel: Path) -> int:
    if rel.parts[0] == layout.PROGRAMMES_DIR:
        doc = json.loads(layout.programme(results, rel.parts[1]).programme_json.read_text(encoding="utf-8"))
    else:
        doc = json.loads(layout.cohort(results, rel.parts[0]).cohort_json.read_text(encoding="utf-8"))
    return int(doc.get("disclosure_threshold") or 5)


def register_problems(results: Path) -> list[str]:
    """Published registers that are not their full register masked."""
    bundle = layout.run(results).published_dir
    problems = []
    for path in sorted(bundle.rglob(layout.STATISTICS)):
        rel = path.relative_to(bundle)
        full, masked = _full_register(results, rel), published.read(path)
        k = _threshold(results, rel)
        if len(full) != len(masked) or list(masked.columns) != [*full.columns, published.SHOWN]:
            problems.append(f"{rel}: not the full register's rows and columns plus 'shown'")
            continue
        for i, row in full.iterrows():
            out = masked.loc[i]
            if row["suppressed"]:
                numbers = [out[c] for c in register.NUMERIC_COLUMNS if not math.isnan(float(out[c]))]
                if numbers or out[published.SHOWN] != display_count(row, {"disclosure_threshold": k}):
                    problems.append(f"{rel}, row {i + 2}: a suppressed row shows {numbers} / {out['shown']!r}")
            elif out[published.SHOWN] != "" or not all(
                (math.isnan(a) and math.isnan(b)) or a == b
                for a, b in ((float(row[c]), float(out[c])) for c in register.NUMERIC_COLUMNS)
            ):
                problems.append(f"{rel}, row {i + 2}: a published row differs from the full register")
    return problems


def _secrets(data: Path, cohorts: list[str]) -> tuple[list[str], list[str]]:
    """(unconsented passages, identifiers: participant ids and deny-list names) of the cohorts' raw inputs. A
    passage whose very words are consented elsewhere in the run (the synthetic cohorts draw on shared passage
    banks) may be quoted there, so it is not looked for."""
    refused: set[str] = set()
    consented: set[str] = set()
    names: list[str] = []
    for cohort in cohorts:
        folder = data / cohort
        segments = folder / "segments.csv"
        if segments.is_file():
            seg = pd.read_csv(segments, dtype=str, keep_default_na=False)
            ok = seg["quote_ok"].str.strip().str.lower().isin({"true", "yes", "1"})
            consented |= {re.sub(r"\s+", " ", t).strip() for t in seg.loc[ok, "text"]}
            refused |= {re.sub(r"\s+", " ", t).strip() for t in seg.loc[~ok, "text"]}
            names += [p for p in seg["participant_id"] if p.strip()]
        participants = folder / "participants.csv"
        if participants.is_file():
            names += list(pd.read_csv(participants, dtype=str, keep_default_na=False)["participant_id"])
        deny = folder / "deny_list.txt"
        if deny.is_file():
            lines = deny.read_text(encoding="utf-8").splitlines()
            names += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    passages = sorted(t for t in refused - consented if len(t) >= MIN_PASSAGE)
    return passages, sorted({n.strip() for n in names if n.strip()})


def content_problems(bundle: Path, data: Path, cohorts: list[str]) -> list[str]:
    """Bundle files that hold an unconsented passage, a participant id or a deny-list name."""
    passages, names = _secrets(data, cohorts)
    pattern = (
        re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.IGNORECASE)
        if names
        else None
    )
    problems = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and p.suffix in {".html", ".csv", ".svg", ".json"}):
        text = _text_of(path)
        rel = path.relative_to(bundle).as_posix()
        problems += [f"{rel}: holds an unconsented passage ({p[:12]}...)" for p in passages if p in text]
        if pattern is not None and pattern.search(text):
            problems.append(f"{rel}: names a participant id or a deny-list name")
    return problems


def crate_problems(bundle: Path) -> list[str]:
    """Files of the bundle its crate does not list (or lists wrongly), and files it lists outside the bundle."""
    metadata = bundle / layout.CRATE_METADATA
    if not metadata.is_file():
        return [f"{bundle} has no {layout.CRATE_METADATA}"]
    listed = crate.crate_files(json.loads(metadata.read_text(encoding="utf-8")))
    present = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {layout.CRATE_METADATA}
    problems = [f"{f}: in the bundle, not in its crate" for f in sorted(present - set(listed))]
    problems += [f"{f}: in the crate, not in the bundle" for f in sorted(set(listed) - present)]
    problems += [
        f"{f}: SHA-256 differs from the crate's"
        for f in sorted(present & set(listed))
        if sha256_file(bundle / f) != listed[f]
    ]
    for f in sorted(present):
        parts = set(Path(f).parts)
        if parts & RESTRICTED_PARTS or Path(f).suffix not in BUNDLE_SUFFIXES:
            problems.append(f"{f}: a restricted kind of file")
    return problems


def bundle_problems(results: Path, data: Path, cohorts: list[str]) -> list[str]:
    bundle = layout.run(results).published_dir
    return (
        crate_problems(bundle)
        + register_problems(results)
        + report_problems(bundle)
        + content_problems(bundle, data, cohorts)
    )


# -- unit cases: each kind of problem, planted, is found ----------------------------------------
def _bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "published"
    (bundle / "c1" / "figures").mkdir(parents=True)
    (bundle / "c1" / "figures" / "f.png").write_bytes(b"png")
    (bundle / "c1" / "statistics.csv").write_text("a\n", encoding="utf-8")
    return bundle


def test_report_links_and_paths_outside_the_bundle_are_found(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    good = '<p>Every number is a row of c1/statistics.csv.</p><img src="figures/f.png"><a href="#top">up</a>'
    (bundle / "c1" / "report.html").write_text(f"<html><body>{good}</body></html>", encoding="utf-8")
    assert report_problems(bundle) == []
    bad = '<p>See results/c1/statistics.csv and c1/tables/describe.csv.</p><a href="../../c1/clean/cohort.json">x</a>'
    (bundle / "c1" / "report.html").write_text(f"<html><body>{good}{bad}</body></html>", encoding="utf-8")
    found = report_problems(bundle)
    assert len(found) == 3
    assert any("results/c1/statistics.csv" in p for p in found) and any("cohort.json" in p for p in found)


def test_unconsented_passages_and_ids_are_found(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    data = tmp_path / "raw"
    (data / "c1").mkdir(parents=True)
    (data / "c1" / "segments.csv").write_text(
        "segment_id,participant_id,text,quote_ok\n"
        "s1,PX-07,I would never say this to my manager openly,false\n"
        "s2,PX-08,The sessions helped me speak up at work,true\n",
        encoding="utf-8",
    )
    (bundle / "c1" / "quotes.csv").write_text('text\n"The sessions helped me speak up at work"\n', encoding="utf-8")
    assert content_problems(bundle, data, ["c1"]) == []
    (bundle / "c1" / "report.html").write_text(
        "<p>I would never say this to my\n manager openly</p><p>Doctors PX-07</p>", encoding="utf-8"
    )
    found = content_problems(bundle, data, ["c1"])
    assert len(found) == 2


def test_crate_must_list_exactly_the_bundle(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    files = ["c1/figures/f.png", "c1/statistics.csv"]
    doc = crate.build_publication_crate({}, bundle, files, {})
    (bundle / layout.CRATE_METADATA).write_text(json.dumps(doc), encoding="utf-8")
    assert crate_problems(bundle) == []
    (bundle / "c1" / "tables").mkdir()
    (bundle / "c1" / "tables" / "describe.csv").write_text("x", encoding="utf-8")
    (bundle / "c1" / "figures" / "f.png").write_bytes(b"changed")
    found = crate_problems(bundle)
    assert any("not in its crate" in p for p in found)
    assert any("SHA-256 differs" in p for p in found)
    assert any("restricted kind" in p for p in found)


# -- the bundled run ---------------------------------------------------------------------------
@pytest.mark.e2e
def test_the_bundled_run_publishes_nothing_restricted(run_a: Path) -> None:
    results = run_a / "results"
    bundle = layout.run(results).published_dir
    cohorts = sorted(p.name for p in results.iterdir() if (p / layout.STATISTICS).is_file())
    assert {"plp-2021", "leeds-2022", "lothian-pilot"} <= set(cohorts)
    assert (bundle / "programmes" / "paired-learning" / "statistics.csv").is_file()
    assert (bundle / "leeds-2022" / "organisations" / "statistics.csv").is_file()
    masked = published.read(bundle / "plp-2021" / "statistics.csv")
    assert masked["suppressed"].any(), "nothing is suppressed: the test would prove nothing"
    assert bundle_problems(results, run_a / "data" / "raw", cohorts) == []
    for cohort in cohorts:
        note = layout.cohort(results, cohort).restricted_note.read_text(encoding="utf-8")
        assert f"../published/{cohort}/statistics.csv" in note
