"""Tests of the seeded synthetic PLP 2021 cohort, computed directly from the files."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workforce_eval.synthetic.__main__ import main
from workforce_eval.synthetic.plp import write_plp_2021

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "data" / "raw" / "plp-2021"
FILES = ("cohort.yaml", "participants.csv", "instrument.yaml", "survey.csv", "codebook.yaml", "segments.csv")


def _csv(folder: Path, name: str) -> pd.DataFrame:
    """Read a cohort CSV as text, blanks as missing, whitespace kept."""
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])


def _yaml(folder: Path, name: str) -> dict:
    """Read a cohort YAML file."""
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def _norm(s: pd.Series) -> pd.Series:
    """Answer labels compared ignoring case and surrounding whitespace."""
    return s.str.strip().str.lower()


def _complete_pairs(roster: pd.DataFrame, ids: pd.Series) -> int:
    """Pairs in the roster whose members all appear in ids."""
    paired = roster.dropna(subset=["pair_id"])
    present = paired["participant_id"].isin(set(ids.dropna()))
    return int(present.groupby(paired["pair_id"]).all().sum())


@pytest.fixture(scope="module")
def other_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cohort generated with a different seed."""
    out = tmp_path_factory.mktemp("seed7") / "plp-2021"
    write_plp_2021(out, seed=7)
    return out


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "plp-2021"
    write_plp_2021(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (out / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_cli_writes_cohort_folder(tmp_path: Path) -> None:
    assert main(["plp-2021", "--out", str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / "plp-2021" / name).read_bytes() == (COMMITTED / name).read_bytes()


def test_file_format() -> None:
    for name in FILES:
        raw = (COMMITTED / name).read_bytes()
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")
        if name.endswith(".yaml"):
            first = raw.decode("utf-8").splitlines()[0].lower()
            assert first.startswith("#") and "synthetic" in first


def test_different_seed_differs(other_seed: Path) -> None:
    for name in ("participants.csv", "survey.csv", "segments.csv"):
        assert (other_seed / name).read_bytes() != (COMMITTED / name).read_bytes(), name
    a, b = _csv(COMMITTED, "survey.csv"), _csv(other_seed, "survey.csv")
    assert a["gained"].fillna("").tolist() != b["gained"].fillna("").tolist()
    assert a["rel_trust"].fillna("").tolist() != b["rel_trust"].fillna("").tolist()


@pytest.mark.parametrize("which", ["committed", "other_seed"])
def test_published_counts(which: str, other_seed: Path) -> None:
    folder = COMMITTED if which == "committed" else other_seed
    cohort = _yaml(folder, "cohort.yaml")
    assert cohort["synthetic"] is True and cohort["design"] == "post_only"
    assert list(cohort["groups"]) == ["SLT", "BME", "both"]
    assert cohort["combined_groups"]["bme_any"]["groups"] == ["BME", "both"]

    roster = _csv(folder, "participants.csv")
    assert len(roster) == 54 and roster["participant_id"].is_unique
    assert (roster["invited"] == "true").sum() == 53
    assert set(roster["invited"]) == {"true", "false"}
    assert roster["pair_id"].nunique() == 27
    assert (
        roster.groupby("pair_id")["group"].apply(sorted).apply(lambda g: g in (["BME", "SLT"], ["BME", "both"])).all()
    )
    assert (roster["group"] == "both").sum() == 4
    gone = roster[roster["invited"] == "false"].iloc[0]
    assert gone["group"] == "SLT"
    partner = roster[(roster["pair_id"] == gone["pair_id"]) & (roster["participant_id"] != gone["participant_id"])]
    assert partner["group"].tolist() == ["BME"]

    survey = _csv(folder, "survey.csv")
    assert len(survey) == 26 and survey["response_id"].is_unique
    assert (survey["timepoint"] == "post").all()
    assert survey["participant_id"].notna().all() and survey["participant_id"].is_unique
    invited = roster.set_index("participant_id")
    assert (invited.loc[survey["participant_id"], "invited"] == "true").all()
    assert (invited.loc[survey["participant_id"], "group"].to_numpy() == survey["group"].to_numpy()).all()
    assert survey["group"].value_counts().to_dict() == {"BME": 14, "SLT": 9, "both": 3}
    assert _complete_pairs(roster, survey["participant_id"]) == 8
    assert (_norm(survey["recommend"]) == "yes").sum() == 23
    assert (_norm(survey["recommend"]) == "no").sum() == 3
    assert (_norm(survey["attended_checkins"]) == "yes").sum() == 17
    bme = survey["group"] == "BME"
    assert (_norm(survey.loc[bme, "promoted"]) == "yes").sum() >= 5
    assert (_norm(survey.loc[~bme, "promoted"].dropna()) == "n/a").all()

    segments = _csv(folder, "segments.csv")
    assert segments["segment_id"].is_unique
    interviews = segments[segments["source"] == "interview"]
    docs = interviews.drop_duplicates("document_id")
    assert len(docs) == 12 and docs["participant_id"].notna().all()
    assert docs["group"].value_counts().to_dict() == {"SLT": 6, "BME": 6}
    assert _complete_pairs(roster, docs["participant_id"]) == 5
    per_doc = interviews[interviews["coder"] == "coder_a"].groupby("document_id").size()
    assert per_doc.between(6, 12).all()

    codebook = _yaml(folder, "codebook.yaml")
    themes = codebook["themes"]
    subthemes = [s for t in themes for s in t["subthemes"]]
    codes = [c for s in subthemes for c in s["codes"]]
    assert len(themes) == 3 and len(subthemes) == 7
    assert all(2 <= len(s["codes"]) <= 3 for s in subthemes)
    ids = [x["id"] for x in themes + subthemes + codes]
    assert len(ids) == len(set(ids))
    assert set(segments["code"]) == {c["id"] for c in codes}


@pytest.mark.parametrize("which", ["committed", "other_seed"])
def test_contract_details(which: str, other_seed: Path) -> None:
    folder = COMMITTED if which == "committed" else other_seed
    instrument = _yaml(folder, "instrument.yaml")
    survey = _csv(folder, "survey.csv")
    items = instrument["items"]
    assert list(survey.columns[4:]) == [i["id"] for i in items]
    assert sum(bool(i.get("reverse")) for i in items) == 1
    likert = [i for i in items if i["type"] == "likert"]
    assert len(likert) == 6 and all(i.get("construct") for i in likert)
    n_missing = 0
    n_variants = 0
    for item in items:
        if item["type"] == "free_text":
            continue
        scale = instrument["scales"][item["scale"]]
        allowed = {x.lower() for x in scale["levels"] + scale.get("missing", [])}
        answers = survey[item["id"]].dropna()
        assert _norm(answers).isin(allowed).all(), item["id"]
        n_variants += int((~answers.isin(scale["levels"] + scale.get("missing", []))).sum())
        if item["type"] == "likert":
            n_missing += int(survey[item["id"]].isna().sum())
            n_missing += int(_norm(answers).isin({x.lower() for x in scale["missing"]}).sum())
    assert n_missing >= 2
    assert n_variants >= 3

    segments = _csv(folder, "segments.csv")
    assert set(segments["coder"]) == {"coder_a", "coder_b"}
    assert set(segments["quote_ok"]) == {"true", "false"}
    text = segments["text"].fillna("")
    assert not text.str.contains(r"@|\d{3,}|https?:", regex=True).any()
    assert not survey["gained"].fillna("").str.contains(r"@|\d{3,}", regex=True).any()
    # Every passage has one quote_ok value; about 60 % are quotable.
    passages = segments.drop_duplicates(["document_id", "text"])
    assert (segments.groupby(["document_id", "text"])["quote_ok"].nunique() == 1).all()
    share = (passages["quote_ok"] == "true").mean()
    assert 0.5 <= share <= 0.7
    # At least one interviewee consented to no quotation at all.
    interviews = segments[segments["source"] == "interview"]
    no_quotes = segments.groupby("participant_id")["quote_ok"].apply(lambda s: (s == "false").all())
    assert no_quotes[no_quotes].index.isin(interviews["participant_id"]).any()
    # Every theme has at least 3 quotable interview passages; every subtheme both groups.
    codebook = _yaml(folder, "codebook.yaml")
    where = {c["id"]: (s["id"], t["id"]) for t in codebook["themes"] for s in t["subthemes"] for c in s["codes"]}
    interviews = interviews.assign(
        subtheme=interviews["code"].map(lambda c: where[c][0]), theme=interviews["code"].map(lambda c: where[c][1])
    )
    quotable = interviews[interviews["quote_ok"] == "true"].drop_duplicates(["theme", "document_id", "text"])
    assert quotable["theme"].value_counts().reindex([t["id"] for t in codebook["themes"]]).ge(3).all()
    groups_by_sub = interviews.groupby("subtheme")["group"].apply(set)
    assert len(groups_by_sub) == 7 and all(g == {"SLT", "BME"} for g in groups_by_sub)
    # Survey segments code `gained` answers of the named response.
    coded = segments[segments["source"] == "survey"]
    assert 8 <= coded.drop_duplicates("document_id").shape[0] <= 12
    merged = coded.merge(survey, left_on="document_id", right_on="response_id", suffixes=("", "_survey"))
    assert len(merged) == len(coded)
    assert (merged["text"] == merged["gained"]).all()
    assert (merged["participant_id"] == merged["participant_id_survey"]).all()
    assert (merged["group"] == merged["group_survey"]).all()
    # coder_b recodes every passage of 4 interviews (issue 12), disagreeing on some of them.
    a = segments[segments["coder"] == "coder_a"]
    b = segments[segments["coder"] == "coder_b"]
    assert b["document_id"].nunique() == 4 and (b["source"] == "interview").all()
    for doc in b["document_id"].unique():
        assert set(b.loc[b["document_id"] == doc, "text"]) == set(a.loc[a["document_id"] == doc, "text"])
    a_pairs = set(map(tuple, a[["document_id", "text", "code"]].to_numpy().tolist()))
    b_pairs = set(map(tuple, b[["document_id", "text", "code"]].to_numpy().tolist()))
    differ = len(b_pairs - a_pairs) + len({p for p in a_pairs if p[0] in set(b["document_id"])} - b_pairs)
    assert 3 <= differ <= 20
    # Interview dates: one per interview, distinct, not in document order; blank for survey answers.
    dates = interviews.groupby("document_id")["date"].agg(["nunique", "first"])
    assert (dates["nunique"] == 1).all() and dates["first"].is_unique
    assert not dates["first"].is_monotonic_increasing
    assert segments.loc[segments["source"] == "survey", "date"].isna().all()
    # Participant attributes for matrix coding.
    roster = _csv(folder, "participants.csv")
    assert {"directorate", "pay_band"} <= set(roster.columns) and roster["directorate"].nunique() == 3


def test_ids_look_as_documented() -> None:
    roster = _csv(COMMITTED, "participants.csv")
    survey = _csv(COMMITTED, "survey.csv")
    segments = _csv(COMMITTED, "segments.csv")
    assert roster["participant_id"].str.fullmatch(r"PLP-\d{3}").all()
    assert roster["pair_id"].str.fullmatch(r"PR\d{2}").all()
    assert survey["response_id"].str.fullmatch(r"R\d{3}").all()
    interviews = segments[segments["source"] == "interview"]
    assert interviews["document_id"].str.fullmatch(r"INT\d{2}").all()
    assert bool(re.fullmatch(r"SEG\d{3}", segments["segment_id"].iloc[0]))
