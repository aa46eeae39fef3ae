"""One function per workflow rule (paths in, files out), and the adapter the thin rule scripts call."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import clean, register
from .errors import InputError

log = logging.getLogger("workforce_eval")


def step_clean(cohort_dir: Path, cohort_id: str, out: dict[str, Path]) -> None:
    """Validate the cohort's inputs and write the cleaned tables and cohort.json."""
    clean.run(cohort_dir, cohort_id, out["cohort_json"], out["participants"], out["survey"], out["segments"])


def step_describe(clean_dir: Path, out: Path) -> None:
    """Response, composition and item statistics as partial register."""
    from . import describe

    meta, participants, survey, segments = clean.read_clean(clean_dir)
    register.write(describe.describe(meta, participants, survey, segments), out)


def step_themes(clean_dir: Path, out: Path) -> None:
    """Theme frequencies as partial register."""
    from . import themes

    meta, _participants, _survey, segments = clean.read_clean(clean_dir)
    register.write(themes.theme_frequencies(meta, segments), out)


def step_models(clean_dir: Path, out: Path) -> None:
    """Regression models declared in cohort.yaml as partial register."""
    import json

    import pandas as pd
    import pyarrow.parquet as pq

    from . import models

    meta = json.loads((clean_dir / "cohort.json").read_text(encoding="utf-8"))
    path = clean_dir / "survey.parquet"
    present = pq.read_schema(path).names
    wanted = models.survey_columns(meta)
    survey = pd.read_parquet(path, columns=[c for c in present if c in wanted])  # only what the models use
    register.write(models.model_rows(meta, survey), out)


def step_register(parts: list[Path], out: Path) -> None:
    """Concatenate the partial registers into statistics.csv."""
    register.write(register.concat(register.read(p) for p in parts), out)


def step_quotes(clean_dir: Path, out: Path) -> None:
    """The consented, pseudonymised quote table."""
    from . import quotes

    meta, _participants, _survey, segments = clean.read_clean(clean_dir)
    quotes.write(quotes.quote_table(meta, segments), str(out))


def step_figures(statistics: Path, cohort_json: Path, out_dir: Path) -> None:
    """All figures of a cohort, from its register."""
    from . import figures

    figures.make_all(statistics, cohort_json, out_dir)


def step_report(results_dir: Path, cohort_id: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the report notebook with papermill and render it to HTML."""
    from . import report

    report.render_report(results_dir, cohort_id, notebook, out_ipynb, out_html)


def _adapters() -> dict[str, Callable[[Any], None]]:
    """Rule name -> how to call its step from a Snakemake `snakemake` object."""
    return {
        "clean": lambda s: step_clean(
            Path(s.params.cohort_dir),
            s.wildcards.cohort,
            {k: Path(v) for k, v in s.output.items()},
        ),
        "describe": lambda s: step_describe(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "themes": lambda s: step_themes(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "models": lambda s: step_models(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "register": lambda s: step_register([Path(p) for p in s.input], Path(s.output[0])),
        "quotes": lambda s: step_quotes(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "figures": lambda s: step_figures(
            Path(s.input.statistics), Path(s.input.cohort_json), Path(s.output.composition_png).parent
        ),
        "report": lambda s: step_report(
            Path(s.params.results_dir), s.wildcards.cohort, Path(s.input.notebook),
            Path(s.output.ipynb), Path(s.output.html),
        ),
    }


def run_rule(name: str, smk: Any) -> None:
    """Run one rule's step; bad input becomes one readable message (log and console) and exit status 1."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        _adapters()[name](smk)
    except InputError as err:
        cohort = getattr(smk.wildcards, "cohort", "?")
        message = f"Input error in cohort {cohort!r}: {err}"
        print(message, file=sys.stderr, flush=True)
        if sys.__stderr__ is not None and sys.stderr is not sys.__stderr__:
            print(message, file=sys.__stderr__, flush=True)
        raise SystemExit(1) from None
