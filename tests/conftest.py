"""Shared fixtures: a tiny hand-made cohort whose statistics are easy to compute by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TINY_FILES: dict[str, str] = {
    "cohort.yaml": """\
programme: Tiny Programme
cohort: "T1"
design: post_only
synthetic: true
groups:
  A: Group A
  B: Group B
""",
    "participants.csv": """\
participant_id,group,pair_id,invited
p1,A,x1,true
p2,B,x1,true
p3,A,x2,true
p4,B,x2,true
p5,A,,false
""",
    "instrument.yaml": """\
scales:
  agree5:
    levels: [Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree]
    missing: [Prefer not to say]
  yesno:
    levels: [No, "Yes"]
items:
  - id: recommend
    text: Would you recommend it?
    type: yesno
    scale: yesno
  - id: trust
    text: I trusted my partner.
    type: likert
    scale: agree5
  - id: hard
    text: Meeting was hard.
    type: likert
    scale: agree5
    reverse: true
  - id: hours
    text: Hours spent
    type: numeric
""",
    "survey.csv": """\
response_id,participant_id,group,timepoint,recommend,trust,hard,hours
r1,p1,A,post,Yes,Strongly agree,Disagree,2
r2,p2,B,post, yes ,agree,Strongly agree,4
r3,p3,A,post,No,Disagree,Prefer not to say,
""",
    "codebook.yaml": """\
themes:
  - id: t1
    label: Theme one
    subthemes:
      - id: s1
        label: Sub one
        codes:
          - {id: c1, label: Code one}
          - {id: c2, label: Code two}
      - id: s2
        label: Sub two
        codes:
          - {id: c3, label: Code three}
""",
    "segments.csv": """\
segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok
g1,interview,i1,p1,A,c1,a,We met every month.,true
g2,interview,i1,p1,A,c3,a,We met every month.,true
g3,interview,i2,p2,B,c2,a,It changed how I see things.,false
g4,interview,i3,p3,A,c2,a,I learnt a lot.,true
g5,survey,r2,p2,B,c1,a,More honest conversations.,true
g6,survey,r1,,A,c3,a,A new view.,false
""",
}


def write_tiny_cohort(folder: Path) -> Path:
    """Write the tiny cohort into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TINY_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_cohort(tmp_path: Path) -> Path:
    """A fresh copy of the tiny cohort in a temporary folder."""
    return write_tiny_cohort(tmp_path / "data" / "tiny")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/snapshots/ from the e2e run instead of comparing with it (see tests/README.md)",
    )
