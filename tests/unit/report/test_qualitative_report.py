"""The qualitative report section and figures, on a hand-written register (every number shown is a row's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from workforce_eval.figures import qualitative as figures
from workforce_eval.inputs.metadata import from_document
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.report import qualitative as qual
from workforce_eval.report.results import Results

META: dict[str, Any] = {
    "cohort_id": "tiny",
    "groups": [{"code": "A", "label": "Group A"}, {"code": "B", "label": "Group B"}],
    "codebook": [
        {
            "id": "t1",
            "label": "Theme one",
            "subthemes": [
                {
                    "id": "s1",
                    "label": "Sub one",
                    "codes": [{"id": "c1", "label": "Code one"}, {"id": "c2", "label": "Code two"}],
                },
                {"id": "s2", "label": "Sub two", "codes": [{"id": "c3", "label": "Code three"}]},
            ],
        }
    ],
    "disclosure_threshold": 3,
}


def _agreement(item: str, units: int, pct: float, kappa: float, alpha: float, low: int) -> list[Row]:
    key: dict[str, Any] = {"item": item, "group": "all", "source": "all"}
    return [
        Row("agreement", "units", units, n=units, **key),
        Row("agreement", "percent_agreement", pct, n=units, **key),
        Row(
            "agreement",
            "cohen_kappa",
            kappa,
            n=units,
            ci_low=max(-1.0, kappa - 0.2),
            ci_high=min(1.0, kappa + 0.2),
            **key,
        ),
        Row("agreement", "krippendorff_alpha", alpha, n=units, ci_low=alpha - 0.25, ci_high=alpha + 0.1, **key),
        Row("agreement", "low_agreement", low, n=units, method="krippendorff_alpha < 0.667", **key),
    ]


def _cooc(a: str, b: str, participants: int, passages: int, same_doc: int, hidden: bool = False) -> list[Row]:
    key: dict[str, Any] = {"item": a, "level": b, "group": "all", "source": "all", "suppressed": hidden}
    return [
        Row("cooccurrence", "participants", participants, n=participants, **key),
        Row("cooccurrence", "passages", passages, n=passages, **key),
        Row("cooccurrence", "document_participants", same_doc, n=same_doc, **key),
    ]


@pytest.fixture
def res(tmp_path: Path) -> Results:
    rule = "Guest, Namey and Chen 2020: base 1, run 2, threshold 0%"
    sat: dict[str, Any] = {"group": "all", "source": "interview", "n": 4}
    rows = [
        Row("agreement", "coders", 2, item="", group="all", source="all", method="frequencies: union"),
        Row("agreement", "double_coded", 2, n=2, item="", group="all", source="all"),
        *_agreement("", 6, 50.0, 0.0, 2 / 35, 1),
        *_agreement("c1", 2, 100.0, 1.0, 1.0, 0),
        *_agreement("c3", 2, 0.0, -1.0, -0.5, 1),
        *_cooc("c1", "c3", 4, 5, 4),
        *_cooc("c2", "c3", 2, 2, 3, hidden=True),
        *_cooc("c1", "c2", 0, 0, 1),
        *[
            Row("saturation", "new_codes", v, level=str(i), method="order: date", **sat)
            for i, v in enumerate([2, 1, 0, 0], 1)
        ],
        *[
            Row("saturation", "cumulative_codes", v, level=str(i), method="order: date", **sat)
            for i, v in enumerate([2, 3, 3, 3], 1)
        ],
        Row("saturation", "new_information", 50.0, level="1", method=f"order: date; {rule}", **sat),
        Row("saturation", "new_information", 0.0, level="2", method=f"order: date; {rule}", **sat),
        Row("saturation", "saturation_point", 2, method=f"order: date; {rule}", **sat),
        Row("saturation", "saturation_reached", 1, method=f"order: date; {rule}", **sat),
    ]
    return Results(stats=to_frame(rows), meta=META, figures=tmp_path, quotes=pd.DataFrame())


def test_coders_and_agreement_table(res: Results) -> None:
    assert qual.has_agreement(res)
    assert qual.coder_sentence(res).startswith("2 coders; 2 documents were coded by two or more.")
    assert "any coder applied it" in qual.coder_sentence(res)
    table = qual.agreement_table(res)
    assert table["Code"].str.strip("\u200b\u2003").tolist() == ["All codes (document x code)", "Code one", "Code three"]
    assert table["Agreement"].tolist() == ["50.0 %", "100.0 %", "0.0 %"]
    assert table["Cohen's kappa"].tolist() == ["0.00 (-0.20 to 0.20)", "1.00 (0.80 to 1.00)", "-1.00 (-1.00 to -0.80)"]
    assert table["Warning"].tolist() == ["too low to trust the counts", "", "too low to trust the counts"]
    warning = qual.low_agreement_warning(res)
    assert (
        warning is not None
        and "counts of these codes" in warning
        and "Code three" in warning
        and "Code one" not in warning
    )


def test_every_measure_has_one_plain_sentence() -> None:
    for key in ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "cooccurrence", "matrix"):
        sentence = qual.EXPLANATIONS[key]
        assert sentence.endswith(".") and sentence.count(". ") == 0, key


def test_strongest_pairs_leave_out_hidden_and_zero_counts(res: Results) -> None:
    table = qual.cooccurrence_table(res)
    # (c2, c3) is suppressed; (c1, c3) with 4 comes before (c1, c2) with 1 (same document).
    assert table.values.tolist() == [["Code one", "Code three", "4", "4", "5"], ["Code one", "Code two", "1", "0", "0"]]


def test_saturation_paragraph(res: Results) -> None:
    text = qual.saturation_paragraph(res)
    assert text is not None
    assert "by interview date" in text and "4 interviews gave 3 distinct codes" in text
    assert "Saturation was reached after 2 interviews: the next run added 0.0 % new codes." in text


def test_heatmap_shows_counts_and_hides_small_ones(res: Results) -> None:
    fig = figures.cooccurrence_figure(res.stats, from_document(META))
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    # Same-document counts: (c1, c3) = 4 drawn both sides of the diagonal, (c1, c2) = 1; the hidden
    # (c2, c3) count of 3 is suppressed and shows as [c] (not below the threshold), never as 3.
    assert texts.count("4") == 2 and texts.count("1") == 2
    assert texts.count("[c]") == 2
    assert "3" not in texts


def test_saturation_figure_marks_the_point(res: Results) -> None:
    fig = figures.saturation_figure(res.stats, from_document(META))
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == [2, 1, 0, 0]
    assert any(t.get_text().strip() == "saturation" for t in ax.texts)


def _with(res: Results, rows: list[Row], drop: tuple[str, ...] = ()) -> Results:
    """`res` with the agreement rows of the items `drop` replaced by `rows`."""
    keep = res.stats[~(res.stats["analysis"].eq("agreement") & res.stats["item"].isin(drop))]
    return Results(stats=pd.concat([keep, to_frame(rows)], ignore_index=True), meta=META, figures=res.figures,
                   quotes=res.quotes)  # fmt: skip


def test_values_near_the_threshold_get_the_digits_to_compare(res: Results) -> None:
    """Issue 21: "0.67" was flagged below 0.667. Alpha 0.6664 is flagged and reads 0.666; 0.6672 is not and
    reads 0.67 (two decimals already on the right side); "-0.00" reads 0.00."""
    near = _agreement("c1", 8, 90.0, 0.65, 0.6664, 1)
    above = _agreement("c3", 8, 90.0, -1e-17, 0.6672, 0)
    table = qual.agreement_table(_with(res, near + above, ("c1", "c3"))).set_index("Code")
    alpha = table["Krippendorff's alpha"].tolist()
    assert alpha[1].startswith("0.666 (") and table["Warning"].iloc[1] == "too low to trust the counts"
    assert alpha[2].startswith("0.67 (") and table["Warning"].iloc[2] == ""
    assert table["Cohen's kappa"].iloc[2] == "0.00 (-0.20 to 0.20)"  # not "-0.00"
    assert qual.coefficient(pd.Series({"estimate": -0.004, "ci_low": None, "ci_high": None, "suppressed": False})) == (
        "0.00"
    )


def test_degenerate_coefficients_are_explained_not_printed(res: Results) -> None:
    """Issue 21: "0.00 (0.00 to 0.00)" where a coder never varied, "1.00 (1.00 to 1.00)" at perfect agreement.
    Code two never varies (no kappa or alpha exists); on code three one coder never varies (kappa 0, SE 0)."""
    key: dict[str, Any] = {"group": "all", "source": "all"}
    never = [
        Row("agreement", "units", 2, n=2, item="c2", **key),
        Row("agreement", "percent_agreement", 100.0, n=2, item="c2", **key),
        Row("agreement", "constant_coders", 2, item="c2", **key),
        Row("agreement", "low_agreement", 0, n=2, item="c2", method="krippendorff_alpha < 0.667", **key),
    ]
    one = [
        Row("agreement", "units", 8, n=8, item="c3", **key),
        Row("agreement", "percent_agreement", 75.0, n=8, item="c3", **key),
        Row("agreement", "constant_coders", 1, item="c3", **key),
        Row("agreement", "cohen_kappa", 0.0, n=8, item="c3", **key),
        Row("agreement", "krippendorff_alpha", -0.0714, n=8, ci_low=-0.36, ci_high=0.0, item="c3", **key),
        Row("agreement", "low_agreement", 1, n=8, item="c3", method="krippendorff_alpha < 0.667", **key),
    ]
    perfect = [
        Row("agreement", "units", 8, n=8, item="c1", **key),
        Row("agreement", "percent_agreement", 100.0, n=8, item="c1", **key),
        Row("agreement", "constant_coders", 0, item="c1", **key),
        Row("agreement", "cohen_kappa", 1.0, n=8, item="c1", **key),
        Row("agreement", "krippendorff_alpha", 1.0, n=8, ci_low=1.0, ci_high=1.0, item="c1", **key),
        Row("agreement", "low_agreement", 0, n=8, item="c1", method="krippendorff_alpha < 0.667", **key),
    ]
    changed = _with(res, never + one + perfect, ("c1", "c2", "c3"))
    table = qual.agreement_table(changed)
    rows = {str(r[0]).strip("\u200b\u2003"): r for r in table.itertuples(index=False)}
    assert rows["Code two"][3:6] == (qual.NOT_DEFINED,) * 3
    assert rows["Code three"][3] == qual.ZERO_BY_CONSTRUCTION
    assert rows["Code three"][5] == "-0.07 (-0.36 to 0.00)"
    assert rows["Code one"][3:6] == ("1.00", "–", "1.00")  # no interval of no width
    text = " ".join(qual.agreement_explanations(changed))
    assert "no chance-corrected coefficient exists" in text and "Cohen's kappa is 0 whatever" in text
    assert "none is shown" in text
    assert not any("0.00 (0.00 to 0.00)" in str(c) or "-0.00" in str(c) for c in table.to_numpy().ravel())


def test_single_label_unit_is_stated(res: Results) -> None:
    key: dict[str, Any] = {"item": "", "group": "all", "source": "all"}
    unit = "document, code as category (detected: one code per coder and document)"
    rows = [Row("agreement", "units", 10, n=10, method=unit, **key), *_agreement("", 10, 70.0, 0.55, 0.56, 1)[1:]]
    changed = _with(res, rows, ("",))
    assert qual.agreement_table(changed)["Code"].iloc[0] == "All codes (document, code as category)"
    sentence = qual.unit_sentence(changed)
    assert "exactly one code (detected)" in sentence and "over documents" in sentence
    assert qual.unit_sentence(res) == "Documents coded by two or more coders, one code in one document at a time."


def test_per_code_unit_sentence_under_a_document_unit(res: Results) -> None:
    key: dict[str, Any] = {"item": "", "group": "all", "source": "all"}
    unit = "document, code as category (agreement_unit: document)"
    rows = [Row("agreement", "units", 10, n=10, method=unit, **key), *_agreement("", 10, 70.0, 0.55, 0.56, 1)[1:]]
    changed = _with(res, rows, ("",))
    assert qual.agreement_explanations(changed)[0].startswith("In the rows per code, a unit is one code")
    assert "agreement_unit: document" in qual.unit_sentence(changed)
    assert qual.agreement_explanations(res)[0] == qual.EXPLANATIONS["units"]
