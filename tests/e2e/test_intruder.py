"""The intruder test (issue 14): nothing a run publishes gives a suppressed register cell back.

The intruder reads every published output of the bundled run (`run_a`), that is the publication bundle
`results/published/` and nothing else (docs/data-contract.md, "Published outputs"):

- the text of every report in it (`report.html` of each cohort, programme and organisation), with
  scripts and styles dropped, and the `<text>` elements of every SVG figure (none is fine: figures
  may draw their text as paths);
- the published registers: each register's masked `statistics.csv` (cohort, programme, organisation),
  whose rows with `suppressed` false are the full register's (the bundle test, `test_published.py`,
  checks that), and `quotes.csv` (free text, no counts). The full registers, `clean/`, `tables/`,
  `restricted/` and `logs/` are restricted and not read.

Numbers are mapped onto the register's disclosure cells (`register.measures`): a published register
row states its cells; in report and figure text a count printed with its base ("4 of 9", "4/9")
states the cells of a suppressed register row with that numerator and denominator. A lone small
number cannot be tied to a cell and is not counted (its row is checked through the CSV view).
Then, with the additive relations of `register.measures` (and, for a programme, each pooled count =
the sum of the cohorts' counts), `disclosure.recoverable` (linear algebra, as secondary suppression
uses) lists the cells the shown ones fix exactly: none may be a suppressed cell, nor a complement
(e.g. invited minus responded) from 1 to k-1.

The unit cases at the top need no run: a hand-made register and a fake published text for which
the checker must find the leak, so the test can fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from workforce_eval import layout, register
from workforce_eval.analyses import programme as programme_
from workforce_eval.register import cells as register_cells
from workforce_eval.register import disclosure, programme_file
from workforce_eval.register.cells import Cell, Relation
from workforce_eval.register.notation import disclosure_threshold
from workforce_eval.register.rows import Row

#: A count printed with its base: "4 of 9", "4 out of 9", "4/9".
PAIR = re.compile(r"(?<![\d.,])(\d+)\s*(?:of|out of|/)\s*(\d+)(?![\d.,]*\d)")
#: Pre/post counts a programme's pooled rows sum over its cohorts (`analyses.programme.programme_register`).
SUMMED = {
    ("response", "invited"),
    ("response", "responses"),
    ("pre_post", "responses_pre"),
    ("pre_post", "responses_post"),
    ("pre_post", "linked"),
    ("pre_post", "pre_only"),
    ("pre_post", "post_only"),
}


@dataclass
class View:
    """What an intruder can know of one register: its cells, which are published, and the relations."""

    name: str
    values: dict[Cell, float | None] = field(default_factory=dict)
    shown: set[Cell] = field(default_factory=set)
    hidden: set[Cell] = field(default_factory=set)  # cells only suppressed rows state
    sensitive: set[Cell] = field(default_factory=set)  # hidden small counts and small complements
    rels: list[Relation] = field(default_factory=list)
    pairs: dict[tuple[int, int], set[Cell]] = field(default_factory=dict)  # (num, den) of a hidden row -> cells
    shown_pairs: set[tuple[int, int]] = field(default_factory=set)  # (num, den) of published rows


def _int(value: object) -> int | None:
    if isinstance(value, int | float) and not pd.isna(value) and float(value).is_integer():
        return int(value)
    return None


def register_view(name: str, reg: pd.DataFrame, meta: Mapping[str, Any], k: int, prefix: tuple[str, ...] = ()) -> View:
    """The intruder's view of a register (`prefix` keeps the cells of several cohorts apart)."""
    items = {str(i["id"]): i for i in meta.get("items", [])}
    view = View(name)
    values = disclosure.cell_values(reg, items)
    complements = register_cells.complements(values)
    values.update(complements)
    for row in reg.to_dict("records"):
        cells = [c for c in register_cells.row_cells(row, items) if c is not None]
        (view.hidden if row["suppressed"] else view.shown).update(prefix + c for c in cells)
        num, den = (_int(v) for v in register_cells.row_values(row))
        numc, denc = register_cells.row_cells(row, items)
        if num is None or den is None or numc is None or denc is None:
            continue
        if row["suppressed"]:
            view.pairs.setdefault((num, den), set()).update({prefix + numc, prefix + denc})
        else:
            view.shown_pairs.add((num, den))
    view.hidden -= view.shown
    view.values = {prefix + c: v for c, v in values.items()}
    # what disclosure control protects: hidden counts from 1 to k-1 (a count hidden only to protect another,
    # or to keep a distribution whole, is no secret itself; were a small one to follow from it, the
    # relations would give that one back too) and small complements
    view.sensitive = {c for c in view.hidden if disclosure.primary(view.values.get(c), k)} | {
        prefix + c
        for c, v in complements.items()
        if disclosure.primary(v, k) and c[0] not in register_cells.PARTICIPATION_FLOWS
    }
    view.rels = [(prefix + t, tuple(prefix + p for p in parts)) for t, parts in register_cells.relations(values, meta)]
    return view


#: Phrases of the form "n of m" that are not a count and its base: a chart's "part 2 of 2" (the Likert charts).
NOT_COUNTS = re.compile(r"\bpart \d+ of \d+", re.IGNORECASE)


def text_pairs(texts: Iterable[str]) -> set[tuple[int, int]]:
    """Every (count, base) printed together in the texts."""
    return {(int(a), int(b)) for text in texts for a, b in PAIR.findall(NOT_COUNTS.sub(" ", text))}


def leaks(view: View, texts: Iterable[str]) -> tuple[set[Cell], set[Cell]]:
    """(sensitive cells the texts print outright, sensitive cells the relations give back from what is shown)."""
    known = set(view.shown)
    printed: set[Cell] = set()
    for pair in text_pairs(texts) - view.shown_pairs:  # a pair a published row also has is that row's
        printed |= view.pairs.get(pair, set())
    known |= printed
    recovered = set(disclosure.recoverable(known, view.rels)) & view.sensitive
    return printed & view.sensitive, recovered


# -- unit cases: the checker finds a leak where there is one ------------------------------------
GROUPS_AB = {"groups": [{"code": "A", "label": "A"}, {"code": "B", "label": "B"}], "items": []}


def responses(a: int, b: int, hidden: set[str]) -> pd.DataFrame:
    rows = [Row("response", "responses", a + b, n=a + b, group="all", source="survey", method="count")]
    rows += [
        Row("response", "responses", v, n=v, group=g, source="survey", method="count") for g, v in (("A", a), ("B", b))
    ]
    frame = register.to_frame(rows)
    frame["suppressed"] = frame["group"].isin(hidden)
    return frame


def test_checker_recovers_a_cell_hidden_without_its_complement() -> None:
    """17 responses, 15 in A shown, B's 2 hidden alone: 17 - 15 = 2 (the issue's subtraction)."""
    view = register_view("fake", responses(15, 2, {"B"}), GROUPS_AB, 5)
    printed, recovered = leaks(view, ["<p>17 responses: 15 from A.</p>"])
    assert recovered == {("responses", "B")} and not printed


def test_checker_finds_a_hidden_share_printed_as_count_of_base() -> None:
    """The programme report's old leak: a cohort's "4 of 9" printed where its register hides it."""
    rows = [
        Row("item", "pct_yes", 44.4, item="ok", group="all", n=4, denominator=9, source="survey"),
        Row("item", "pct_yes", 60.0, item="ok2", group="all", n=12, denominator=20, source="survey"),
    ]
    reg = register.to_frame(rows)
    reg["suppressed"] = reg["item"] == "ok"
    meta = {
        "groups": [],
        "items": [
            {"id": "ok", "type": "yesno", "levels": ["No", "Yes"]},
            {"id": "ok2", "type": "yesno", "levels": ["No", "Yes"]},
        ],
    }
    view = register_view("fake", reg, meta, 5)
    printed, _ = leaks(view, ["Cohort X: 4 of 9 said yes; 12 of 20 in the other."])
    assert ("level", "ok", "Yes", "all") in printed
    assert leaks(view, ["Cohort X: <5 of [c] said yes; 12 of 20 in the other."]) == (set(), set())


def test_checker_passes_a_register_protected_by_disclosure_control() -> None:
    protected = disclosure.apply(responses(15, 2, set()), GROUPS_AB, 5)
    assert leaks(register_view("fake", protected, GROUPS_AB, 5), []) == (set(), set())


# -- the bundled run ---------------------------------------------------------------------------
def published_texts(folder: Path) -> list[str]:
    """The visible text of every published report below `folder` and the <text> of every SVG figure there."""
    texts = []
    for path in sorted(folder.rglob("*.html")):
        if {"restricted", "clean", "tables", "logs"} & set(path.relative_to(folder).parts):
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["style", "script"]):
            tag.decompose()
        texts.append(re.sub(r"\s+", " ", soup.get_text(" ")))
    for path in sorted(folder.rglob("*.svg")):
        root = ElementTree.parse(path).getroot()
        texts += [re.sub(r"\s+", " ", " ".join(e.itertext())) for e in root.iter() if str(e.tag).endswith("text")]
    return texts


def cohort_views(results: Path) -> list[View]:
    views = []
    for path in sorted(results.glob("*/statistics.csv")):  # each cohort's view is read with its own outputs
        meta = json.loads((path.parent / "clean" / "cohort.json").read_text(encoding="utf-8"))
        views.append(register_view(path.parent.name, register.read(path), meta, disclosure_threshold(meta)))
    return views


def programme_view(results: Path, path: Path) -> View:
    """A programme register: each cohort's cells apart (prefixed with its id), the pooled ones under `all`,
    linked by pooled count = sum of the cohorts' counts."""
    reg = programme_file.read(path)
    info = json.loads((path.parent / "programme.json").read_text(encoding="utf-8"))
    k = int(info["disclosure_threshold"])
    view = View(f"programme {path.parent.name}")
    for cohort, part in reg.groupby("cohort", sort=False):
        clean = results / str(cohort) / "clean" / "cohort.json"
        meta = (
            json.loads(clean.read_text(encoding="utf-8"))
            if clean.is_file()
            else {"groups": info["groups"], "items": info["items"]}
        )
        own_k = disclosure_threshold(meta) if clean.is_file() else k
        sub = register_view(
            str(cohort), part.drop(columns=["cohort"]).reset_index(drop=True), meta, own_k, (str(cohort),)
        )
        view.values |= sub.values
        view.shown |= sub.shown
        view.hidden |= sub.hidden
        view.sensitive |= sub.sensitive
        view.rels += sub.rels
        for pair, cells in sub.pairs.items():
            view.pairs.setdefault(pair, set()).update(cells)
        view.shown_pairs |= sub.shown_pairs
    view.hidden -= view.shown
    view.sensitive -= view.shown
    pooled = reg[reg["cohort"] == programme_.POOLED]
    cohorts = [c for c in dict.fromkeys(reg["cohort"]) if c != programme_.POOLED]
    for row in pooled.to_dict("records"):
        if (row["analysis"], row["measure"]) not in SUMMED:
            continue
        cell, _ = register_cells.row_cells(row, {})
        if cell is None:
            continue
        parts = tuple((c, *cell) for c in cohorts if (c, *cell) in view.values)
        if parts:
            view.rels.append(((programme_.POOLED, *cell), parts))
    return view


def all_views(results: Path) -> list[View]:
    views = cohort_views(results)
    views += [programme_view(results, p) for p in sorted((results / "programmes").glob("*/statistics.csv"))]
    return views


def check_run(results: Path) -> dict[str, tuple[set[Cell], set[Cell]]]:
    """Per register, the leaks found (empty when nothing suppressed can be recovered).

    A cohort's register is read with its published outputs (`published/<cohort>/`); a programme's (which holds
    every cohort's rows too) with the programme's published outputs and those of all its cohorts."""
    found = {}
    bundle = layout.run(results).published_dir
    for view in all_views(results):
        if view.name.startswith("programme "):
            texts = published_texts(bundle / "programmes" / view.name.removeprefix("programme "))
            texts += [
                t
                for c in {str(c[0]) for c in view.values}
                if (bundle / c).is_dir()
                for t in published_texts(bundle / c)
            ]
        else:
            texts = published_texts(bundle / view.name)
        printed, recovered = leaks(view, texts)
        if printed or recovered:
            found[view.name] = (printed, recovered)
    return found


@pytest.mark.e2e
def test_no_suppressed_cell_is_recoverable_from_the_published_outputs(run_a: Path) -> None:
    results = run_a / "results"
    views = all_views(results)
    assert {v.name for v in views} >= {"leeds-2022", "lothian-2", "lothian-3", "lothian-pilot", "plp-2021"}
    assert any(v.name.startswith("programme") for v in views)
    assert sum(len(v.hidden) for v in views) > 0, "nothing is suppressed: the test would prove nothing"
    assert published_texts(layout.run(results).published_dir), "no published report: the test would prove nothing"
    assert check_run(results) == {}


@pytest.mark.e2e
def test_the_disclosure_audit_of_the_run_passes(run_a: Path) -> None:
    """Issue 20: the run's LP audit (rule disclosure_audit) bounds every hidden count over all published registers
    together; no count from 1 to k-1 is pinned (status `fail` never written: the rule would have failed)."""
    audit_file = layout.run(run_a / "results").disclosure_audit
    table = pd.read_csv(audit_file)
    assert len(table) > 0
    assert set(table["status"]) <= {"pass", "marker"}
    summary = json.loads(audit_file.with_suffix(".json").read_text(encoding="utf-8"))
    assert summary["failures"] == 0
    assert summary["audited"] == int(table["audited"].sum())
