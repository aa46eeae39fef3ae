"""One function per workflow rule (paths in, files out), and the adapter the thin rule scripts call."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import clean, register
from .errors import InputError

log = logging.getLogger("workforce_eval")


def step_clean(cohort_dir: Path, cohort_id: str, out: dict[str, Path], disclosure_threshold: int | None = None) -> None:
    """Validate the cohort's inputs, scan them for identifiers and write the cleaned tables and cohort.json."""
    from .display import DEFAULT_DISCLOSURE_THRESHOLD

    default = DEFAULT_DISCLOSURE_THRESHOLD if disclosure_threshold is None else int(disclosure_threshold)
    clean.run(cohort_dir, cohort_id, out["cohort_json"], out["participants"], out["survey"], out["segments"], default)


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


def step_register(parts: list[Path], out: Path, cohort_json: Path | None = None) -> None:
    """Concatenate the partial registers into statistics.csv, flagging what disclosure control hides."""
    from . import disclosure

    frame = register.concat(register.read(p) for p in parts)
    if cohort_json is not None:
        frame = disclosure.apply(frame, json.loads(Path(cohort_json).read_text(encoding="utf-8")))
    register.write(frame, out)


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
            getattr(s.params, "disclosure_threshold", None),
        ),
        "describe": lambda s: step_describe(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "themes": lambda s: step_themes(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "register": lambda s: step_register(
            [Path(p) for p in s.input if p != getattr(s.input, "cohort_json", None)],
            Path(s.output[0]),
            Path(s.input.cohort_json) if hasattr(s.input, "cohort_json") else None,
        ),
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
        # one write per stream, newline included: with unbuffered streams a separate newline could let
        # Snakemake's own output land in the middle of the line
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        if sys.__stderr__ is not None and sys.stderr is not sys.__stderr__:
            sys.__stderr__.write(message + "\n")
            sys.__stderr__.flush()
        raise SystemExit(1) from None
