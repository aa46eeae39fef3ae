"""Agreement over documents for single-label coding (issue 21, part 4): the code as each document's category.

Reference values are computed by hand below (Cohen 1960; Fleiss 1971; Krippendorff 2011, "Computing
Krippendorff's alpha-reliability"); irr's `kappa2` on the same two columns gives the same kappa (it is the
same formula, po and pe from the contingency table), and `krippendorff.alpha` the same alpha.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workforce_eval.analyses import agreement
from workforce_eval.errors import InputError

META = {
    "codebook": [
        {"id": "t", "subthemes": [{"id": "s", "codes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}]},
    ]
}
# One code per coder and document (e.g. a diagnosis): ten documents, coders x and y.
X = ["a", "a", "a", "b", "b", "b", "c", "c", "a", "b"]
Y = ["a", "a", "b", "b", "b", "c", "c", "c", "a", "a"]


def segments(x: list[str], y: list[str]) -> pd.DataFrame:
    rows = [
        ("interview", f"d{i}", coder, code) for coder, codes in (("x", x), ("y", y)) for i, code in enumerate(codes)
    ]
    return pd.DataFrame(rows, columns=["source", "document_id", "coder", "code"])


def _get(frame: pd.DataFrame, measure: str, item: str = "") -> pd.Series:
    sel = (frame["measure"] == measure) & (frame["item"] == item)
    assert sel.sum() == 1, (measure, item)
    return frame.loc[sel].iloc[0]


def test_single_label_coding_is_detected_and_agreement_is_over_documents() -> None:
    rows = agreement.agreement_rows(META, segments(X, Y))
    units = _get(rows, "units")
    assert units["estimate"] == 10
    assert units["method"] == "document, code as category (detected: one code per coder and document)"
    # x vs y: documents 3, 6 and 10 differ -> 7 of 10 agree.
    assert _get(rows, "percent_agreement")["estimate"] == pytest.approx(70.0)
    # Contingency table (rows x: a, b, c; columns y): [[3, 1, 0], [1, 2, 1], [0, 0, 2]];
    # po = 7/10, marginals x 4/4/2, y 4/3/3 -> pe = (16 + 12 + 6) / 100 = 0.34 -> kappa = 0.36 / 0.66 = 6/11.
    assert _get(rows, "cohen_kappa")["estimate"] == pytest.approx(6 / 11)
    # Fleiss (two raters): P_bar = 0.7; pooled shares 8/20, 7/20, 5/20 -> Pe = 0.345 -> (0.355 / 0.655) = 71/131.
    assert _get(rows, "fleiss_kappa")["estimate"] == pytest.approx(71 / 131)
    # Krippendorff nominal: 20 values (a 8, b 7, c 5), 3 disagreeing units -> 6 off-diagonal coincidences;
    # alpha = 1 - (n - 1) * 6 / (n^2 - sum n_c^2) = 1 - 19 * 6 / (400 - 138) = 148/262.
    assert _get(rows, "krippendorff_alpha")["estimate"] == pytest.approx(148 / 262)
    # Pooled presence would say 80 % (24 of 30 document x code units): the difference the issue describes.
    presence = agreement.agreement_rows(META, segments(X, Y), unit="document_code")
    assert _get(presence, "percent_agreement")["estimate"] == pytest.approx(80.0)
    assert _get(presence, "units")["method"] == "document x code"
    # per-code rows stay presence in either mode
    assert _get(rows, "units", "a")["method"] == "document x code"
    assert _get(rows, "percent_agreement", "a")["estimate"] == _get(presence, "percent_agreement", "a")["estimate"]


def test_configured_document_unit_and_multi_label_coding() -> None:
    rows = agreement.agreement_rows(META, segments(X, Y), unit="document")
    assert _get(rows, "units")["method"] == "document, code as category (agreement_unit: document)"
    multi = pd.concat([segments(X, Y), segments(["b"], ["b"])], ignore_index=True)  # d0: two codes from each
    auto = agreement.agreement_rows(META, multi)
    assert _get(auto, "units")["method"] == "document x code"  # not single-label: presence, as before
    with pytest.raises(InputError) as err:
        agreement.agreement_rows(META, multi, unit="document")
    assert "segments.csv" in str(err.value) and "one code per coder" in str(err.value)


def test_a_coder_who_never_varies_is_recorded() -> None:
    """Coder x never applies code c; y does twice: Cohen's kappa of c is 0 by construction, and the register
    says which coders never varied so that the report can say why."""
    rows = agreement.agreement_rows(META, segments(["a"] * 10, ["a"] * 8 + ["c"] * 2), unit="document_code")
    assert _get(rows, "constant_coders", "c")["estimate"] == 1
    assert _get(rows, "cohen_kappa", "c")["estimate"] == 0.0
    assert pd.isna(_get(rows, "cohen_kappa", "c")["ci_low"])  # no "0.00 (0.00 to 0.00)"
    assert _get(rows, "constant_coders", "b")["estimate"] == 2  # nobody used b: it never varies
    assert not (rows["measure"].eq("krippendorff_alpha") & rows["item"].eq("b")).any()
