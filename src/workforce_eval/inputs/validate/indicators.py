"""indicators.csv (optional): the counts behind the equality indicators cohort.yaml declares under `indicators:`.

One row per indicator and group: `indicator` (an id declared in cohort.yaml without `item:`), `group` (a value of
the indicator's `by`, e.g. an ethnicity category), `numerator` (people with the outcome, e.g. appointed) and
`denominator` (people who could have it, e.g. shortlisted), whole numbers with 0 <= numerator <= denominator and
denominator > 0. Each (indicator, group) once; every declared file indicator has a row for its compared and its
reference group. Survey indicators (`item:`) are checked against the instrument and the survey columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from workforce_eval.errors import InputError
from workforce_eval.inputs.readers import csv_row
from workforce_eval.inputs.spec import CohortMeta, Instrument
from workforce_eval.inputs.validate.common import check_misspelt, fail_at_first, isin, run_schema

COLUMNS = ("indicator", "group", "numerator", "denominator")
WHOLE = r"^[0-9]{1,12}$"


def empty_indicators() -> pd.DataFrame:
    """The cleaned table of a cohort without indicators.csv."""
    return pd.DataFrame(
        {
            "indicator": pd.Series([], dtype="string"),
            "group": pd.Series([], dtype="string"),
            "numerator": pd.Series([], dtype="int64"),
            "denominator": pd.Series([], dtype="int64"),
        }
    )


def check_indicators(path: Path, frame: pd.DataFrame, meta: CohortMeta) -> pd.DataFrame:
    """indicators.csv against cohort.yaml's file indicators; the counts as integers."""
    declared = [i.id for i in meta.indicators if not i.from_survey]
    expectations = {
        "indicator": "an indicator id declared in cohort.yaml (without item:): " + (", ".join(declared) or "none"),
        "numerator": "a whole number of people (0 or more)",
        "denominator": "a whole number of people (1 or more)",
        "group": "a group name",
    }
    schema = pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, isin(declared, expectations["indicator"]), nullable=False),
            "group": pa.Column(str, nullable=False),
            "numerator": pa.Column(str, pa.Check.str_matches(WHOLE), nullable=False),
            "denominator": pa.Column(str, pa.Check.str_matches(WHOLE), nullable=False),
        },
        strict=True,
    )
    check_misspelt(path, frame, list(COLUMNS))
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if unknown:
        raise InputError(path, row=1, column=str(unknown[0]), expected="only the columns " + ", ".join(COLUMNS),
                         found=str(unknown[0]))  # fmt: skip
    run_schema(path, frame, schema, expectations)
    out = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype("string"),
            "group": frame["group"].astype("string"),
            "numerator": frame["numerator"].astype("int64"),
            "denominator": frame["denominator"].astype("int64"),
        }
    )
    fail_at_first(path, out["denominator"] <= 0, frame["denominator"], "denominator", expectations["denominator"])
    fail_at_first(
        path,
        out["numerator"] > out["denominator"],
        frame["numerator"],
        "numerator",
        "a count no larger than the row's denominator",
    )
    keys = out["indicator"] + "\x00" + out["group"]
    dup = keys.duplicated(keep=False)
    if dup.any():
        idx = keys.index[keys == keys[dup].iloc[0]]
        raise InputError(
            path,
            rows=tuple(csv_row(i) for i in idx[:2]),
            column="group",
            expected="one row per indicator and group",
            found="the same indicator and group twice",
        )
    for ind in meta.indicators:
        if ind.from_survey:
            continue
        groups = set(out.loc[out["indicator"] == ind.id, "group"])
        for needed in (ind.compared, ind.reference):
            if needed not in groups:
                raise InputError(path, column="group",
                                 expected=f"a row for group {needed!r} of indicator {ind.id!r} (cohort.yaml)",
                                 found="no such row")  # fmt: skip
    return out


def check_declared(cohort_yaml: Path, meta: CohortMeta, instrument: Instrument | None, survey: pd.DataFrame | None,
                   has_file: bool) -> None:  # fmt: skip
    """cohort.yaml's indicators against the other files: survey indicators name a yes/no or likert item and a
    survey column; file indicators need indicators.csv."""
    items = {i.id: i for i in instrument.items} if instrument else {}
    for position, ind in enumerate(meta.indicators):
        if not ind.from_survey:
            if not has_file:
                raise InputError(cohort_yaml, column=f"indicators.{position}",
                                 expected="indicators.csv with its counts (or item: for a survey indicator)",
                                 found="no indicators.csv", column_word="key")  # fmt: skip
            continue
        item = items.get(str(ind.item))
        if item is None or item.type not in ("yesno", "likert"):
            raise InputError(cohort_yaml, column=f"indicators.{position}.item", column_word="key",
                             expected="a yes/no or likert item of instrument.yaml", found=ind.item)  # fmt: skip
        if survey is None or ind.by not in survey.columns or ind.by in items:
            raise InputError(cohort_yaml, column=f"indicators.{position}.by", column_word="key",
                             expected="a survey.csv column that is not an item", found=ind.by)  # fmt: skip
