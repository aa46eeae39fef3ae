"""The three synthetic Paired Learning cohorts: byte-stable regeneration and the properties they are built to have."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from workforce_eval.inputs import validate
from workforce_eval.synthetic.__main__ import main
from workforce_eval.synthetic.lothian import COHORT_IDS, write_lothian

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "raw"
FILES = ("cohort.yaml", "participants.csv", "instrument.yaml", "survey.csv", "codebook.yaml", "segments.csv")
AGREE5 = ["strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"]


def csv(cohort: str, name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / cohort / f"{name}.csv", dtype=str, keep_default_na=False)


def test_regeneration_is_byte_identical_and_the_cli_writes_the_same(tmp_path: Path) -> None:
    write_lothian(tmp_path / "a")
    assert main([*COHORT_IDS, "--out", str(tmp_path / "b")]) == 0
    for cohort in COHORT_IDS:
        for name in FILES:
            committed = (DATA / cohort / name).read_bytes()
            assert (tmp_path / "a" / cohort / name).read_bytes() == committed, (cohort, name)
            assert (tmp_path / "b" / cohort / name).read_bytes() == committed, (cohort, name)


def test_another_seed_gives_other_answers(tmp_path: Path) -> None:
    write_lothian(tmp_path, seed=7)
    assert (tmp_path / "lothian-pilot" / "survey.csv").read_bytes() != (
        DATA / "lothian-pilot" / "survey.csv"
    ).read_bytes()


def test_files_say_they_are_synthetic_and_share_one_programme() -> None:
    for cohort in COHORT_IDS:
        meta = yaml.safe_load((DATA / cohort / "cohort.yaml").read_text(encoding="utf-8"))
        assert meta["programme"] == "Paired Learning" and meta["design"] == "pre_post" and meta["synthetic"] is True
        assert meta["groups"] == {"doctors": "Doctors", "managers": "Managers"}
        first_line = (DATA / cohort / "cohort.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert "SYNTHETIC" in first_line


def test_pilot_has_six_doctors_and_six_managers_and_later_cohorts_are_larger() -> None:
    sizes = {}
    for cohort in COHORT_IDS:
        roster = csv(cohort, "participants")
        counts = roster["group"].value_counts().to_dict()
        assert counts["doctors"] == counts["managers"]
        assert all(sorted(members) == ["doctors", "managers"] for _, members in roster.groupby("pair_id")["group"])
        sizes[cohort] = len(roster)
    assert sizes["lothian-pilot"] == 12
    assert sizes["lothian-pilot"] < sizes["lothian-2"] < sizes["lothian-3"]


def test_each_cohort_has_unmatched_responses_and_validates() -> None:
    for cohort in COHORT_IDS:
        s = csv(cohort, "survey")
        named = s[s["participant_id"] != ""]
        pre = set(named.loc[named["timepoint"] == "pre", "participant_id"])
        post = set(named.loc[named["timepoint"] == "post", "participant_id"])
        assert pre - post and post - pre, cohort  # answered only before / only after
        assert not named.duplicated(["participant_id", "timepoint"]).any()
        cc = validate.load(DATA / cohort, cohort)  # the pipeline accepts the files
        assert set(cc.survey["timepoint"]) == {"pre", "post"}
    assert (csv("lothian-3", "survey")["participant_id"] == "").sum() == 1  # one anonymous response


def linked_changes(cohort: str, item: str) -> list[float]:
    s = csv(cohort, "survey")
    s = s[s["participant_id"] != ""]
    wide = s.pivot(index="participant_id", columns="timepoint", values=item).dropna()
    out = []
    for pre, post in zip(wide["pre"], wide["post"]):
        if item == "readiness":
            if pre and post:
                out.append(float(post) - float(pre))
        elif pre.strip().lower() in AGREE5 and post.strip().lower() in AGREE5:
            out.append(AGREE5.index(post.strip().lower()) - AGREE5.index(pre.strip().lower()))
    return out


def test_likert_changes_have_ties_and_zeros_and_readiness_changes_are_distinct() -> None:
    for cohort in COHORT_IDS:
        likert = linked_changes(cohort, "und_pressures")
        assert len(set(likert)) < len(likert)
        assert 0 in [
            c for item in ("prep_lead_role", "prep_decisions", "und_values") for c in linked_changes(cohort, item)
        ]
        readiness = linked_changes(cohort, "readiness")
        assert 0 not in readiness and len({abs(c) for c in readiness}) == len(readiness)


def test_interviews_are_post_programme_and_coded() -> None:
    for cohort in COHORT_IDS:
        seg = csv(cohort, "segments")
        interviews = seg[seg["source"] == "interview"]
        assert interviews["document_id"].nunique() >= 6
        assert set(interviews["group"]) == {"doctors", "managers"}
        assert (seg["quote_ok"] == "true").any() and (seg["quote_ok"] == "false").any()


@pytest.mark.parametrize("cohort", COHORT_IDS)
def test_post_only_items_are_blank_before(cohort: str) -> None:
    s = csv(cohort, "survey")
    before = s[s["timepoint"] == "pre"]
    assert (before["recommend"] == "").all() and (before["learned"] == "").all()
