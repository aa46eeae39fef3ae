"""Steps of the organisation reports (`reports_by:` in cohort.yaml): the benchmark register and its units."""

from __future__ import annotations

from pathlib import Path

from workforce_eval import atomic, names, register
from workforce_eval.analyses import benchmarking, groups
from workforce_eval.inputs import clean as clean_
from workforce_eval.register.notation import disclosure_threshold
from workforce_eval.steps.cohort import write_partial
from workforce_eval.steps.units import read_units

__all__ = ["RULE", "benchmark", "read_units"]

#: The rule that writes the organisation register (workflow/rules/organisations.smk), stamped on its rows.
RULE = "organisation_benchmark"


def benchmark(
    clean_dir: Path,
    out_statistics: Path,
    out_units: Path,
    minimum_group_base: int | None = None,
    multiplicity: str = "holm",
) -> None:
    """The organisation register (benchmark rows) and `units.json`: the reported units and their file names.

    Units with fewer responses than the minimum group base (cohort.yaml's, else `minimum_group_base`, else 2k;
    `analyses.groups`) get no rows and are not listed, nor are any that would give them back
    (`benchmarking.reported`).
    """
    meta, _participants, survey, _segments = clean_.read_clean(clean_dir)
    k = disclosure_threshold(meta)
    rows = benchmarking.benchmark(meta, survey, k, groups.minimum_group_base(meta, minimum_group_base), multiplicity)
    write_partial(rows, RULE, meta, out_statistics)
    values = benchmarking.reported_units(register.read(out_statistics))
    units = [{"value": v, "slug": s} for v, s in zip(values, names.unit_slugs(values))]
    doc = {"cohort_id": meta["cohort_id"], "reports_by": meta.get("reports_by"), "units": units}
    atomic.write_json(out_units, doc)
