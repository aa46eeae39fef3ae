"""Steps of a cohort's rules up to its register: clean, the partial registers, the register and quotes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from workforce_eval import layout, register
from workforce_eval.analyses import agreement as agreement_
from workforce_eval.analyses import consistency as consistency_
from workforce_eval.analyses import describe as describe_
from workforce_eval.analyses import equality as equality_
from workforce_eval.analyses import groups as groups_
from workforce_eval.analyses import models as models_
from workforce_eval.analyses import prepost as prepost_
from workforce_eval.analyses import quotes as quotes_
from workforce_eval.analyses import themes as themes_
from workforce_eval.hashing import meta_inputs_digest
from workforce_eval.inputs import clean as clean_
from workforce_eval.inputs import limits, metadata
from workforce_eval.provenance.lineage import stamp_lineage
from workforce_eval.register import disclosure
from workforce_eval.register.notation import DEFAULT_DISCLOSURE_THRESHOLD


def clean(
    cohort_dir: Path,
    cohort_id: str,
    cohort_json: Path,
    participants: Path,
    survey: Path,
    segments: Path,
    disclosure_threshold: int | None = None,
    imported_dir: Path | None = None,
    input_limits: dict[str, int] | None = None,
) -> None:
    """Validate the cohort's inputs (the imported ones when given), scan them for identifiers and write the
    cleaned tables and cohort.json.

    `input_limits` is the config's `input_limits:` (inputs/limits.py; the defaults where absent).
    """
    default = DEFAULT_DISCLOSURE_THRESHOLD if disclosure_threshold is None else int(disclosure_threshold)
    with limits.using(limits.Limits.from_config(input_limits)):
        clean_.run(cohort_dir, cohort_id, cohort_json, participants, survey, segments, default, imported_dir)


def import_sources(cohort_dir: Path, cohort_id: str, out: Path) -> None:
    """The import rule: the exports declared under `sources:` converted into contract files under `out`."""
    from workforce_eval.inputs import importers  # the importers are the import rule's only

    importers.run(cohort_dir, cohort_id, out)


def write_partial(rows: pd.DataFrame, rule: str, meta: dict, out: Path) -> None:
    """Write a partial register, every row stamped with its lineage: the rule and the cohort's inputs digest.

    The one way lineage is recorded: every partial-register step ends here.
    """
    register.write(stamp_lineage(rows, rule, meta_inputs_digest(meta)), out)


#: cohort.json and the three cleaned tables, as `inputs.clean.read_clean` returns them.
Clean = tuple[dict[str, Any], pd.DataFrame, pd.DataFrame, pd.DataFrame]


def _clean(clean_dir: Path, data: Clean | None) -> Clean:
    """The cleaned data: `data` when a batch has read it already (pandas copy-on-write: no step sees another's
    changes), else read from `clean_dir`."""
    return clean_.read_clean(clean_dir) if data is None else data


def describe(clean_dir: Path, out: Path, rule: str = "describe", data: Clean | None = None) -> None:
    """Response, composition and item statistics as a partial register, stamped with `rule`."""
    meta, participants, survey, segments = _clean(clean_dir, data)
    rows = describe_.describe(meta, participants, survey, segments)
    if meta.get("indicators"):  # equality indicators ride with the descriptives (no register change without them)
        rows = register.concat([rows, equality_.equality(meta, survey)])
    write_partial(rows, rule, meta, out)


def themes(
    clean_dir: Path, out: Path, qualitative: dict | None = None, rule: str = "themes", data: Clean | None = None
) -> None:
    """Theme frequencies as a partial register; `qualitative` (the config section) says how several coders count."""
    meta, _participants, _survey, segments = _clean(clean_dir, data)
    cfg = qualitative or {}
    segments = agreement_.select_codings(segments, cfg.get("coders", "union"), cfg.get("final_coder") or None)
    write_partial(themes_.theme_frequencies(meta, segments), rule, meta, out)


def models(clean_dir: Path, out: Path, rule: str = "models", data: Clean | None = None) -> None:
    """The regression models declared in cohort.yaml as a partial register (alone, only the survey columns they
    use are read)."""
    if data is None:
        cohort_json, _participants_path, path, _segments_path = layout.clean_files(clean_dir)
        meta = metadata.load(cohort_json).to_document()
        wanted = models_.survey_columns(meta)
        survey = pd.read_parquet(path, columns=[c for c in pq.read_schema(path).names if c in wanted])
    else:
        meta, _participants, full, _segments = data
        wanted = models_.survey_columns(meta)
        survey = full[[c for c in full.columns if c in wanted]]
    write_partial(models_.model_rows(meta, survey), rule, meta, out)


def prepost(
    clean_dir: Path, out: Path, rule: str = "prepost", data: Clean | None = None, multiplicity: str = "holm"
) -> None:
    """Pre/post change, attrition, reliability per time point and group comparisons (their p-values adjusted by
    `multiplicity`, `stats.multiplicity`) as a partial register."""
    meta, _participants, survey, _segments = _clean(clean_dir, data)
    write_partial(prepost_.prepost(meta, survey, multiplicity), rule, meta, out)


def build_register(parts: list[Path], cohort_json: Path, out: Path, minimum_group_base: int | None = None) -> None:
    """statistics.csv: the partial registers in order, then what disclosure control hides flagged, then the groups
    below the minimum group base (cohort.yaml's, else `minimum_group_base`, else 2k) taken out (`analyses.groups`)."""
    frame = register.concat(register.read(p) for p in parts)
    unstamped = frame["rule"].fillna("").eq("") | frame["inputs_sha256"].fillna("").eq("")
    if unstamped.any():
        raise ValueError(f"{int(unstamped.sum())} register rows carry no lineage (every step ends in write_partial)")
    meta = metadata.load(cohort_json).to_document()
    minimum = groups_.minimum_group_base(meta, minimum_group_base)
    frame = groups_.withhold_attributes(frame, minimum)  # before disclosure: nothing published rests on them
    protected = consistency_.align(disclosure.apply(frame, meta), meta)  # a table and a chart: one decision
    register.write(groups_.withhold(protected, meta, minimum), out)


def quotes(
    clean_dir: Path,
    out: Path,
    per_subtheme: int = quotes_.DEFAULT_QUOTES_PER_SUBTHEME,
    data: Clean | None = None,
) -> None:
    """The consented, pseudonymised quote table, with the passages the report shows marked (`selected`);
    cohort.yaml's `quotes_per_subtheme` (in cohort.json) overrides `per_subtheme` (the configuration's)."""
    meta, _participants, _survey, segments = _clean(clean_dir, data)
    per_subtheme = int(meta.get("quotes_per_subtheme", per_subtheme))
    quotes_.write(quotes_.select(quotes_.quote_table(meta, segments), meta, per_subtheme), str(out))
