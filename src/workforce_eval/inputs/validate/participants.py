"""participants.csv: the roster of pseudonymous participants, their groups, pairs, invitations and
attributes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from workforce_eval.errors import InputError
from workforce_eval.inputs.readers import csv_row
from workforce_eval.inputs.spec import CohortMeta
from workforce_eval.inputs.validate.common import bool_column, check_misspelt, check_unique, isin, run_schema
from workforce_eval.names import CROSS_SECTIONAL


def participant_attributes(frame: pd.DataFrame) -> list[str]:
    """participants.csv columns beyond the contract's (site, role, pay band, imported case variables)."""
    return [str(c) for c in frame.columns if c not in ("participant_id", "group", "pair_id", "invited")]


def check_participants(path: Path, frame: pd.DataFrame, meta: CohortMeta) -> pd.DataFrame:
    """participants.csv: unique pseudonyms, known groups, true/false invitations, pairs of two."""
    groups = list(meta.groups)
    expectations = {
        "group": "a group code from cohort.yaml: " + ", ".join(groups),
        "participant_id": "a participant pseudonym",
    }
    schema = pa.DataFrameSchema(
        {
            "participant_id": pa.Column(str, nullable=False),
            "group": pa.Column(str, isin(groups, expectations["group"]), nullable=False),
            "pair_id": pa.Column(str, nullable=True, required=False),
            # A cross-sectional roster (e.g. interviewees with attributes) need not say who was invited.
            "invited": pa.Column(str, nullable=False, required=meta.design != CROSS_SECTIONAL),
        },
        strict=False,
    )
    check_misspelt(path, frame, list(schema.columns))
    run_schema(path, frame, schema, expectations)
    check_unique(path, frame, "participant_id", "participant_id")
    out = pd.DataFrame(
        {
            "participant_id": frame["participant_id"].astype("string"),
            "group": frame["group"].astype("string"),
            "pair_id": (frame["pair_id"] if "pair_id" in frame else pd.Series(pd.NA, index=frame.index)).astype(
                "string"
            ),
            "invited": bool_column(path, frame, "invited").astype(bool)
            if "invited" in frame
            else pd.Series(pd.NA, index=frame.index, dtype="boolean"),
        }
    )
    for extra in participant_attributes(frame):  # participant attributes (matrix coding), as text
        if "=" in extra:  # the register names a matrix cell `attribute=value`
            raise InputError(path, row=1, column=extra, expected="an attribute column name without '='", found=extra)
        out[extra] = frame[extra].astype("string")
    sizes = out.groupby("pair_id", dropna=True)["participant_id"].transform("size")
    big = sizes[sizes > 2]
    if len(big):
        pair = out.at[big.index[0], "pair_id"]
        rows = tuple(csv_row(i) for i in out.index[out["pair_id"] == pair])
        raise InputError(
            path,
            rows=rows,
            column="pair_id",
            expected="at most two partners per pair",
            found=f"{pair!r} {len(rows)} times",
        )
    return out


def empty_participants() -> pd.DataFrame:
    """A participants frame with no rows."""
    return pd.DataFrame(
        {
            "participant_id": pd.Series(dtype="string"),
            "group": pd.Series(dtype="string"),
            "pair_id": pd.Series(dtype="string"),
            "invited": pd.Series(dtype=bool),
        }
    )
