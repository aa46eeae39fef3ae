"""Step of the `analyses` rule: every analysis of a cohort, its register and its quote table in one process.

One job instead of seven (describe, themes, models, prepost, qualitative, register, quotes): each of those
did tenths of a second of work after a second of interpreter start-up and imports. The cleaned data are
read once. Every partial register is still written to `tables/<analysis>.csv` and every row stamped with the
rule that wrote it (`analyses`) and the digest of the cohort's inputs, so the register's lineage columns and
the provenance table say which rule and inputs made each output.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workforce_eval import layout
from workforce_eval.inputs import clean as clean_
from workforce_eval.steps import cohort
from workforce_eval.steps.qualitative import qualitative

log = logging.getLogger("workforce_eval")

#: The partial registers, in the order the register concatenates them.
PARTS: tuple[str, ...] = ("describe", "themes", "models", "prepost", "qualitative")
#: The rule every row of a batch is stamped with.
RULE = "analyses"


def analyses(
    clean_dir: Path,
    tables: Mapping[str, Path],
    case_table: Path,
    statistics: Path,
    quotes: Path,
    qualitative_config: dict[str, Any] | None = None,
    per_subtheme: int | None = None,
    rule: str = RULE,
    minimum_group_base: int | None = None,
    multiplicity: str = "holm",
) -> None:
    """The partial registers (`tables[name]` for each of PARTS), the restricted case x code table, the register
    (statistics.csv) and the quote table, from one read of the cleaned data."""
    missing = [name for name in PARTS if name not in tables]
    if missing:
        raise ValueError(f"no output path for the partial registers {missing}")
    data = clean_.read_clean(clean_dir)
    steps = [
        ("describe", lambda: cohort.describe(clean_dir, tables["describe"], rule, data)),
        ("themes", lambda: cohort.themes(clean_dir, tables["themes"], qualitative_config, rule, data)),
        # the models read only their own columns of survey.parquet, as the models step always has
        ("models", lambda: cohort.models(clean_dir, tables["models"], rule)),
        ("prepost", lambda: cohort.prepost(clean_dir, tables["prepost"], rule, data, multiplicity)),
        (
            "qualitative",
            lambda: qualitative(clean_dir, tables["qualitative"], case_table, qualitative_config, rule, data),
        ),
        (
            "register",
            lambda: cohort.build_register(
                [tables[n] for n in PARTS], layout.clean_files(clean_dir)[0], statistics, minimum_group_base
            ),
        ),
        (
            "quotes",
            lambda: cohort.quotes(
                clean_dir,
                quotes,
                cohort.quotes_.DEFAULT_QUOTES_PER_SUBTHEME if per_subtheme is None else int(per_subtheme),
                data,
            ),
        ),
    ]
    for name, step in steps:
        start = time.perf_counter()
        step()
        log.info("%s: %.2f s", name, time.perf_counter() - start)
