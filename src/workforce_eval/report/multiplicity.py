"""Adjusted p-values beside the tests and flags of the reports, and the sentence that says which family of tests
each adjustment covers and by which method (the families are declared in `analyses.families`)."""

from __future__ import annotations

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses.families import family
from workforce_eval.register.measures import P_ADJUSTED
from workforce_eval.register.notation import MISSING
from workforce_eval.report.format import fmt_p
from workforce_eval.stats.multiplicity import METHODS

#: What each method controls, for people.
CONTROLS = {
    "holm": "the chance of any false positive among them (family-wise error rate)",
    "fdr_bh": "the expected share of false positives among the tests called significant (false discovery rate)",
}


def method(stats: pd.DataFrame, analysis: str) -> str | None:
    """The adjustment the register's `p_adjusted` rows of an analysis used (`holm`, `fdr_bh`), or None."""
    rows = register.select(stats, analysis, P_ADJUSTED)
    if rows.empty:
        return None
    return str(rows["method"].iloc[0]).split(";", 1)[0]


def method_name(stats: pd.DataFrame, analysis: str) -> str:
    """The adjustment's name for people (`Holm`, `Benjamini-Hochberg`); `adjusted` when the register has none."""
    found = method(stats, analysis)
    return METHODS.get(found, "adjusted") if found else "adjusted"


def p_text(adjusted: pd.Series | None, tested: pd.Series | None) -> str:
    """The adjusted p of a test for a table cell: hidden (the dash) when the test is absent or hidden."""
    if adjusted is None or tested is None or bool(tested["suppressed"]):
        return MISSING
    return fmt_p(adjusted["estimate"])


def family_sentence(stats: pd.DataFrame, key: str) -> str:
    """Which tests form the family and how they were adjusted; empty when the register has no adjusted rows."""
    fam = family(key)
    found = method(stats, fam.analysis)
    if found is None:
        return ""
    return (
        f"Multiple tests: the p-values of {fam.description} form one family and are adjusted together by the "
        f"{METHODS.get(found, found)} method, which controls {CONTROLS.get(found, 'the error rate of the family')}; "
        "the adjusted p-values are shown beside the tests and flags they adjust."
    )
