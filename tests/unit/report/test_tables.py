"""Table formatting (report.format's table builder, hidden-cell note) and model-term labels on hand-made rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import register
from workforce_eval.register.rows import Row
from workforce_eval.report import format as fmt
from workforce_eval.report import models
from workforce_eval.report.results import Results


def test_numeric_cells_are_marked_and_text_cells_are_not() -> None:
    frame = pd.DataFrame(
        {
            "Item": ["I trusted my partner.", "Band 5 staff"],
            "All": ["49.1 % (36.1–62.1); 26/53", "<3"],
            "Change": ["-0.25 (-0.50 to 0.01)", "[c]"],
        }
    )
    html = fmt.table_html(frame, threshold=3)
    # the first column names each row: a row header (issue 21)
    assert '<th scope="row">I trusted my partner.</th>' in html and '<th scope="row">Band 5 staff</th>' in html
    assert '<td class="num">49.1 % (36.1–62.1); 26/53</td>' in html
    assert '<td class="num">&lt;3</td>' in html and '<td class="num">[c]</td>' in html
    assert '<th scope="col" class="num">All</th>' in html and '<th scope="col">Item</th>' in html
    # one note under a table with a hidden cell, naming the cohort's own threshold
    assert html.endswith("</table><p class='table-note'>" + fmt.html_text(fmt.HIDDEN_NOTE.format(k=3)) + "</p>")
    assert "“[c]”: hidden by disclosure control (a count below 3," in html
    shown = frame.iloc[:1]
    assert fmt.table_html(shown, threshold=3).endswith("</table>")  # nothing hidden: no note


def test_text_is_escaped_in_the_table_builder() -> None:
    html = fmt.table_html(pd.DataFrame({"<b>x</b>": ["<script>1</script>"]}))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_share_with_interval_in_one_cell() -> None:
    row = register.to_frame(
        [Row("item", "pct_yes", 100 * 26 / 53, n=26, denominator=53, ci_low=36.13, ci_high=62.12)]
    ).iloc[0]
    assert fmt.share_ci_cell(row, {"disclosure_threshold": 5}) == "49.1 % (36.1–62.1)"
    hidden = register.to_frame([Row("item", "pct_yes", 40.0, n=2, denominator=5, suppressed=True)]).iloc[0]
    assert fmt.share_ci_cell(hidden, {"disclosure_threshold": 5}) == "[c]"


def test_model_terms_named_with_their_reference_level() -> None:
    stats = register.to_frame(
        [
            Row("breakdown", "responses", 10, subgroup="pay_band=Band 2-4"),
            Row("breakdown", "responses", 10, subgroup="pay_band=Band 5"),
            Row("breakdown", "responses", 10, subgroup="pay_band=Band 6"),
        ]
    )
    meta = {"items": [{"id": "x", "text": "I feel valued.", "construct": "pos"}]}
    res = Results(stats=stats, meta=meta, quotes=pd.DataFrame(), figures=Path("."))
    terms = ["C(pay_band)[T.Band 5]", "C(pay_band)[T.Band 6]", "C(sex)[T.m]", "pos", "x"]
    assert models.term_name(terms[0], terms, res) == "Pay band: Band 5 (vs Band 2-4)"
    assert models.term_name(terms[2], terms, res) == "Sex: m (vs the first category)"  # no breakdown rows
    assert models.term_name("pos", terms, res) == "Pos (scale score)"
    assert models.term_name("x", terms, res) == "I feel valued."
    # declared labels (instrument.yaml constructs: / columns:, carried in cohort.json) win over the humanised ids
    labelled = {**meta, "construct_labels": {"pos": "Positive outlook"}, "column_labels": {"pay_band": "AfC band"}}
    res = Results(stats=stats, meta=labelled, quotes=pd.DataFrame(), figures=Path("."))
    assert models.term_name(terms[0], terms, res) == "AfC band: Band 5 (vs Band 2-4)"
    assert models.term_name("pos", terms, res) == "Positive outlook (scale score)"
    assert models.column_name(res, "pay_band") == "AfC band" and models.column_name(res, "sex") == "Sex"


def test_hidden_note_reads_the_threshold_from_the_cells_and_ignores_small_p_values() -> None:
    assert fmt.hidden_note(pd.DataFrame({"p": ["<0.001", "0.030"]})) == ""  # a p value is not a hidden count
    note = fmt.hidden_note(pd.DataFrame({"n": ["<3", "12"]}))
    assert "a count below 3" in note
    assert "a count below the disclosure threshold," in fmt.hidden_note(pd.DataFrame({"n": ["[c]", "12"]}))


def test_themes_matrix_has_denominators_and_no_empty_rows_or_columns() -> None:
    from workforce_eval.report.format import INDENT
    from workforce_eval.report.tables import themes_matrix

    def count(node: str, group: str, k: int) -> Row:
        return Row("theme", "participants", k, item=node, group=group, source="all", n=k, method="count")

    def pct(node: str, group: str, k: int, n: int) -> Row:
        return Row("theme", "pct_participants", 100 * k / n, item=node, group=group, source="all", n=k, denominator=n)

    rows = [
        count("t1", "A", 3), count("t1", "B", 0), count("t1", "all", 3),
        count("s1", "A", 3), count("s1", "B", 0), count("s1", "all", 3),
        count("s2", "A", 0), count("s2", "B", 0), count("s2", "all", 0),
        pct("t1", "A", 3, 4), pct("t1", "all", 3, 6), pct("s1", "A", 3, 4), pct("s1", "all", 3, 6),
        Row("theme", "segments", 7, item="t1", group="all", source="all", n=7),
        Row("theme", "segments", 4, item="s1", group="all", source="all", n=4),
        Row("theme", "coded_segments", 11, item="all", group="all", source="all", n=11),
    ]  # fmt: skip
    meta = {
        "groups": [{"code": "A", "label": "Doctors"}, {"code": "B", "label": "Managers"}],
        "codebook": [
            {"id": "t1", "label": "Theme", "subthemes": [{"id": "s1", "label": "S1"}, {"id": "s2", "label": "S2"}]}
        ],
    }
    res = Results(stats=register.to_frame(rows), meta=meta, quotes=pd.DataFrame(), figures=Path("."))
    table = themes_matrix(res)
    # Managers have no coded data (no column); nobody coded S2 (no row)
    assert list(table.columns) == ["Theme / subtheme", "Doctors", "All participants", "Coded segments"]
    assert table.values.tolist() == [
        ["Theme", "3 of 4 (75.0 %)", "3 of 6 (50.0 %)", "7 of 11"],
        [INDENT + "S1", "3 of 4 (75.0 %)", "3 of 6 (50.0 %)", "4 of 11"],
    ]
    # without the base row (a register from before coded_segments) the count stands alone
    old = Results(stats=register.to_frame(rows[:-1]), meta=meta, quotes=pd.DataFrame(), figures=Path("."))
    assert themes_matrix(old)["Coded segments"].tolist() == ["7", "4"]
    assert themes_matrix(res, source="interview").empty  # no interview rows at all
