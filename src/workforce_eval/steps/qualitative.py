"""Step of the `qualitative` rule: agreement, co-occurrence, matrix coding and saturation, and the case table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workforce_eval import atomic, register
from workforce_eval.analyses import agreement, cooccurrence, matrix, saturation
from workforce_eval.inputs import clean as clean_
from workforce_eval.steps.cohort import Clean, write_partial


def settings(config: dict[str, Any] | None) -> dict[str, Any]:
    """The `qualitative:` section of the config with its defaults (workflow/schemas/config.schema.yaml)."""
    defaults: dict[str, Any] = {
        "agreement_unit": "auto",
        "coders": "union",
        "final_coder": "",
        "min_alpha": agreement.DEFAULT_MIN_ALPHA,
        "saturation_base": 4,
        "saturation_run": 2,
        "saturation_threshold": 5,
        "span_coded_text_only": True,
    }
    return {**defaults, **(config or {})}


def qualitative(
    clean_dir: Path,
    out: Path,
    case_table: Path,
    config: dict[str, Any] | None = None,
    rule: str = "qualitative",
    data: Clean | None = None,
) -> None:
    """The qualitative partial register (tables/qualitative.csv, stamped with `rule`) and the restricted
    case x code table."""
    cfg = settings(config)
    meta, participants, _survey, segments = clean_.read_clean(clean_dir) if data is None else data
    selected = agreement.select_codings(segments, cfg["coders"], cfg["final_coder"] or None)
    stop = saturation.Rule(int(cfg["saturation_base"]), int(cfg["saturation_run"]), float(cfg["saturation_threshold"]))
    frame = register.concat(
        [
            agreement.agreement_rows(
                meta,
                segments,
                cfg["coders"],
                cfg["final_coder"] or None,
                float(cfg["min_alpha"]),
                cfg["agreement_unit"],
            ),
            agreement.span_rows(meta, segments, bool(cfg["span_coded_text_only"]), float(cfg["min_alpha"])),
            cooccurrence.cooccurrence_rows(meta, selected),
            matrix.matrix_rows(meta, participants, selected),
            saturation.saturation_rows(meta, selected, stop),
        ]
    )
    write_partial(frame, rule, meta, out)
    table = matrix.case_code_table(meta, selected)
    with atomic.replacing(case_table) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
