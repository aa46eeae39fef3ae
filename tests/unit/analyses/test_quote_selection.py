"""Quote selection (analyses.quotes.select) on hand-made quote tables, and the segments.csv `priority` column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workforce_eval.analyses import quotes
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load

META = {
    "codebook": [
        {"id": "t1", "label": "T1", "subthemes": [{"id": "s1", "label": "S1"}, {"id": "s2", "label": "S2"}]},
        {"id": "t2", "label": "T2", "subthemes": [{"id": "s3", "label": "S3"}]},
    ]
}


def table(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    """(theme, subtheme, segment_id, group, attribution, text) rows as a quote table, in the given order."""
    return pd.DataFrame(
        [
            {
                "theme": t,
                "subtheme": s,
                "code": "c",
                "segment_id": g,
                "source": "interview",
                "group": grp,
                "attribution": who,
                "text": text,
            }
            for t, s, g, grp, who, text in rows
        ]
    )


def chosen(out: pd.DataFrame) -> dict[str, list[str]]:
    picked = out[out["selected"] != ""]
    return {sid: list(part["segment_id"]) for sid, part in picked.groupby("selected", sort=True)}


def test_at_most_k_per_subtheme_spread_over_speakers_and_groups() -> None:
    # s1 has four passages: A P1 twice, A P2, B P1. Picks (k = 2): first row (all tie, table order), then
    # the best-spread one: another speaker AND another group (B P1) beats another speaker of the same group.
    t = table(
        [
            ("t1", "s1", "g1", "A", "A P1", "one"),
            ("t1", "s1", "g2", "A", "A P1", "two"),
            ("t1", "s1", "g3", "A", "A P2", "three"),
            ("t1", "s1", "g4", "B", "B P1", "four"),
        ]
    )
    out = quotes.select(t, META, 2)
    assert chosen(out) == {"s1": ["g1", "g4"]}
    assert len(out) == 4  # every consented passage stays in the table
    assert list(out.columns) == [*quotes.QUOTE_COLUMNS, "priority", "selected"]
    assert chosen(quotes.select(t, META, 1)) == {"s1": ["g1"]}
    assert chosen(quotes.select(t, META, 0)) == {}


def test_no_passage_twice_across_subthemes_and_themes() -> None:
    # The same passage (speaker and text) coded under s1, s2 (one row, "s1;s2") and in theme t2.
    t = table(
        [
            ("t1", "s1;s2", "g1", "A", "A P1", "shared"),
            ("t1", "s2", "g2", "B", "B P1", "other"),
            ("t2", "s3", "g3", "A", "A P1", "shared"),
            ("t2", "s3", "g4", "A", "A P2", "third"),
        ]
    )
    out = quotes.select(t, META, 2)
    assert chosen(out) == {"s1": ["g1"], "s2": ["g2"], "s3": ["g4"]}
    shown = out[out["selected"] != ""]
    assert not shown.duplicated(["attribution", "text"]).any()


def test_priority_wins_then_order_is_deterministic() -> None:
    t = table(
        [
            ("t1", "s1", "g1", "A", "A P1", "one"),
            ("t1", "s1", "g2", "B", "B P1", "two"),
            ("t1", "s1", "g3", "A", "A P2", "three"),
        ]
    )
    t["priority"] = ["", "", "5"]
    out = quotes.select(t, META, 2)
    # g3 first (priority), then g2 (another group) rather than g1 (same group as g3)
    assert chosen(out) == {"s1": ["g2", "g3"]}
    t["priority"] = ["1", "", "5"]
    assert chosen(quotes.select(t, META, 2)) == {"s1": ["g1", "g3"]}  # any given priority beats none
    assert quotes.select(t, META, 2).equals(quotes.select(t.copy(), META, 2))


def _segments(folder: Path, text: str) -> None:
    (folder / "segments.csv").write_text(text, encoding="utf-8")


def test_priority_column_is_validated_and_reaches_the_quote_table(tiny_cohort: Path) -> None:
    head = "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,priority\n"
    _segments(tiny_cohort, head + "g1,interview,i1,p1,A,c1,a,We met.,true,3\ng2,interview,i2,p2,B,c2,a,Hi.,true,\n")
    cc = load(tiny_cohort, "tiny")
    seg = cc.segments.set_index("segment_id")
    assert seg.loc["g1", "priority"] == 3 and pd.isna(seg.loc["g2", "priority"])
    table = quotes.quote_table(clean.metadata(cc), cc.segments).set_index("segment_id")
    assert table.loc["g1", "priority"] == "3" and table.loc["g2", "priority"] == ""
    for bad in ("high", "1.5"):
        _segments(tiny_cohort, head + f"g1,interview,i1,p1,A,c1,a,We met.,true,{bad}\n")
        with pytest.raises(InputError) as info:
            load(tiny_cohort, "tiny")
        assert (info.value.row, info.value.column, info.value.found) == (2, "priority", bad)
        assert info.value.expected == "a whole number, or blank"


def test_highlight_column_counts_as_priority_and_is_validated(tiny_cohort: Path) -> None:
    head = "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,highlight\n"
    body = "g1,interview,i1,p1,A,c1,a,We met.,true,TRUE\ng2,interview,i2,p2,B,c1,a,Hi.,true,false\n"
    _segments(tiny_cohort, head + body + "g3,interview,i3,p3,A,c1,a,Yes.,true,\n")
    cc = load(tiny_cohort, "tiny")
    seg = cc.segments.set_index("segment_id")
    # highlighted: priority 1; false and blank: no priority
    assert seg.loc["g1", "priority"] == 1
    assert pd.isna(seg.loc["g2", "priority"]) and pd.isna(seg.loc["g3", "priority"])
    meta = clean.metadata(cc)
    chosen = quotes.select(quotes.quote_table(meta, cc.segments), meta, per_subtheme=1)
    assert chosen.loc[chosen["selected"] != "", "segment_id"].tolist() == ["g1"]  # the highlighted passage wins
    # with both columns, a given priority is kept and highlight fills only the blanks
    both = "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,priority,highlight\n"
    rows = "g1,interview,i1,p1,A,c1,a,We met.,true,7,true\ng2,interview,i2,p2,B,c1,a,Hi.,true,,true\n"
    _segments(tiny_cohort, both + rows)
    seg = load(tiny_cohort, "tiny").segments.set_index("segment_id")
    assert (seg.loc["g1", "priority"], seg.loc["g2", "priority"]) == (7, 1)
    _segments(tiny_cohort, head + "g1,interview,i1,p1,A,c1,a,We met.,true,yes\n")
    with pytest.raises(InputError) as info:
        load(tiny_cohort, "tiny")
    assert (info.value.row, info.value.column, info.value.found) == (2, "highlight", "yes")
    assert info.value.expected == "true or false"


def test_cohort_yaml_quotes_per_subtheme_overrides_the_configuration(tiny_cohort: Path, tmp_path: Path) -> None:
    from workforce_eval.steps import cohort as steps

    head = "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok\n"
    # three consented passages of three speakers under one subtheme (c1 -> s1)
    rows = (
        "g1,interview,i1,p1,A,c1,a,One.,true\ng2,interview,i2,p2,B,c1,a,Two.,true\n"
        "g3,interview,i3,p3,A,c1,a,Three.,true\n"
    )
    _segments(tiny_cohort, head + rows)
    yaml = tiny_cohort / "cohort.yaml"

    def shown(per_subtheme: int) -> int:
        clean_dir = tmp_path / "clean"
        files = ("cohort.json", "participants.parquet", "survey.parquet", "segments.parquet")
        steps.clean(tiny_cohort, "tiny", *(clean_dir / name for name in files))
        steps.quotes(clean_dir, tmp_path / "quotes.csv", per_subtheme)
        table = pd.read_csv(tmp_path / "quotes.csv", dtype=str, keep_default_na=False)
        return int((table["selected"] != "").sum())

    assert shown(2) == 2  # the configuration's number
    yaml.write_text(yaml.read_text(encoding="utf-8") + "quotes_per_subtheme: 3\n", encoding="utf-8")
    assert shown(2) == 3  # cohort.yaml wins
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("quotes_per_subtheme: 3", "quotes_per_subtheme: -1"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(tiny_cohort, "tiny")
    assert Path(info.value.file).name == "cohort.yaml" and info.value.column == "quotes_per_subtheme"
