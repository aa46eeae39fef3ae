"""Seeded generators of the bundled synthetic example cohorts (invented data only).

`python -m workforce_eval.synthetic --out data/raw [cohort ...]` writes them all (or the named
ones) and self-checks each; from Python, `write_all(out, cohort_ids)`. The codebooks and
invented passages are package data (`synthetic/data/`, read by `texts`); the generators
(`plp`, `leeds`, `lothian`) hold only the quotas and seeded draws; `write_all` runs
`check.check_cohort`, the one self-check they all share, on every folder it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from workforce_eval.synthetic import exports, leeds, lothian, plp
from workforce_eval.synthetic.check import CalibrationError, check_cohort


def _lothian(spec: lothian.CohortSpec) -> Callable[[Path], None]:
    return lambda folder: lothian.write_cohort(spec, folder)


#: Every bundled cohort id -> the function writing its folder, in writing order.
GENERATORS: dict[str, Callable[[Path], None]] = {
    "plp-2021": plp.write_plp_2021,
    leeds.COHORT_ID: leeds.write_leeds,
    **{spec.cohort_id: _lothian(spec) for spec in lothian.COHORTS},
    exports.COHORT_ID: exports.write_plp_exports,
}
COHORT_IDS: tuple[str, ...] = tuple(GENERATORS)


class UnknownCohortError(ValueError):
    """A cohort id that no bundled generator writes."""


def write_all(out: Path, cohort_ids: Sequence[str] | None = None) -> list[Path]:
    """Write the named cohorts (all by default) under out/<cohort_id>/, self-checked; returns their folders."""
    ids = list(cohort_ids) if cohort_ids else list(COHORT_IDS)
    unknown = [c for c in ids if c not in GENERATORS]
    if unknown:
        raise UnknownCohortError(
            f"unknown cohort id {', '.join(repr(c) for c in unknown)}; the bundled cohorts are: {', '.join(COHORT_IDS)}"
        )
    folders = []
    for cohort_id in dict.fromkeys(ids):
        folder = Path(out) / cohort_id
        GENERATORS[cohort_id](folder)
        check_cohort(folder, cohort_id)
        folders.append(folder)
    return folders


__all__ = ["COHORT_IDS", "GENERATORS", "CalibrationError", "UnknownCohortError", "check_cohort", "write_all"]
