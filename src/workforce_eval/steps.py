"""One function per workflow rule (paths in, files out), and the adapter the thin rule scripts call."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workforce_eval import hashing, register
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.provenance import lineage
from workforce_eval.provenance import manifest as run_manifest

log = logging.getLogger("workforce_eval")


def step_clean(cohort_dir: Path, cohort_id: str, out: dict[str, Path], disclosure_threshold: int | None = None) -> None:
    """Validate the cohort's inputs, scan them for identifiers and write the cleaned tables and cohort.json."""
    from workforce_eval.register.notation import DEFAULT_DISCLOSURE_THRESHOLD

    default = DEFAULT_DISCLOSURE_THRESHOLD if disclosure_threshold is None else int(disclosure_threshold)
    clean.run(cohort_dir, cohort_id, out["cohort_json"], out["participants"], out["survey"], out["segments"], default)


def step_describe(clean_dir: Path, out: Path) -> None:
    """Response, composition and item statistics as partial register."""
    from workforce_eval.analyses import describe

    meta, participants, survey, segments = clean.read_clean(clean_dir)
    rows = describe.describe(meta, participants, survey, segments)
    register.write(lineage.stamp_lineage(rows, "describe", hashing.meta_inputs_digest(meta)), out)


def step_themes(clean_dir: Path, out: Path) -> None:
    """Theme frequencies as partial register."""
    from workforce_eval.analyses import themes

    meta, _participants, _survey, segments = clean.read_clean(clean_dir)
    rows = themes.theme_frequencies(meta, segments)
    register.write(lineage.stamp_lineage(rows, "themes", hashing.meta_inputs_digest(meta)), out)


def step_models(clean_dir: Path, out: Path) -> None:
    """Regression models declared in cohort.yaml as partial register."""
    import json

    import pandas as pd
    import pyarrow.parquet as pq

    from workforce_eval.analyses import models

    meta = json.loads((clean_dir / "cohort.json").read_text(encoding="utf-8"))
    path = clean_dir / "survey.parquet"
    present = pq.read_schema(path).names
    wanted = models.survey_columns(meta)
    survey = pd.read_parquet(path, columns=[c for c in present if c in wanted])  # only what the models use
    register.write(models.model_rows(meta, survey), out)


def step_prepost(clean_dir: Path, out: Path) -> None:
    """Pre/post change, attrition, reliability per time point and group comparisons as partial register."""
    from workforce_eval.analyses import prepost

    meta, _participants, survey, _segments = clean.read_clean(clean_dir)
    register.write(prepost.prepost(meta, survey), out)


def step_register(parts: list[Path], out: Path, cohort_json: Path | None = None) -> None:
    """Concatenate the partial registers into statistics.csv: blank lineage filled (`provenance.fill_lineage`),
    then what disclosure control hides flagged (`disclosure.apply`)."""
    from workforce_eval.register import disclosure

    named = [(Path(p).stem, register.read(p)) for p in parts]
    frame = register.concat(lineage.fill_lineage(named))
    if cohort_json is not None:
        frame = disclosure.apply(frame, json.loads(Path(cohort_json).read_text(encoding="utf-8")))
    register.write(frame, out)


def step_quotes(clean_dir: Path, out: Path) -> None:
    """The consented, pseudonymised quote table."""
    from workforce_eval.analyses import quotes

    meta, _participants, _survey, segments = clean.read_clean(clean_dir)
    quotes.write(quotes.quote_table(meta, segments), str(out))


def step_figures(statistics: Path, cohort_json: Path, out_dir: Path) -> None:
    """All figures of a cohort, from its register."""
    from workforce_eval.figures import cohort as figures

    figures.make_all(statistics, cohort_json, out_dir)


def step_report(results_dir: Path, cohort_id: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the report notebook with papermill and render it to HTML."""
    from workforce_eval.report import cohort as report

    report.render_report(results_dir, cohort_id, notebook, out_ipynb, out_html)


def step_provenance_cohort(
    cohort: str, data_dir: Path, results_dir: Path, inputs: list[str], lineage: dict[str, Any], out: Path
) -> None:
    """The cohort's provenance table: every input and output file with its hash and the rule that wrote it."""
    names = [Path(p).name for p in inputs]
    run_manifest.write_table(run_manifest.cohort_table(cohort, data_dir, results_dir, names, lineage), out)


def step_manifest(
    tables: dict[str, Path],
    config: dict[str, Any],
    config_files: list[str],
    code: list[str],
    root: Path,
    out: Path,
    programme_lineage: dict[str, Any] | None = None,
) -> None:
    """The run manifest from the cohorts' provenance tables, configuration, code, git state and software."""
    import time

    start = time.perf_counter()
    manifest = run_manifest.build_manifest(
        tables=tables, config=config, config_files=config_files, code=code, root=root,
        programme_lineage=programme_lineage or {},
    )
    run_manifest.write_manifest(manifest, out)
    log.info("manifest %s written in %.2f s", out, time.perf_counter() - start)


def step_ro_crate(manifest: Path, root: Path, results_dir: Path, out_metadata: Path, out_workflow: Path) -> None:
    """The run as a Workflow Run RO-Crate rooted at the results folder."""
    from workforce_eval.provenance import crate as runcrate

    runcrate.write_crate(manifest, root, results_dir, out_metadata, out_workflow)
def step_programme(cohort_results: list[Path], programme: str, out_register: Path, out_json: Path) -> None:
    """A programme's register (its cohorts' rows plus pooled rows) and programme.json."""
    from workforce_eval.analyses import programme as prog

    prog.run(cohort_results, programme, out_register, out_json)


def step_programme_figures(statistics: Path, programme_json: Path, out_dir: Path) -> None:
    """The programme's forest plot, from its register."""
    from workforce_eval.figures import prepost as figures_prepost

    figures_prepost.make_programme(statistics, programme_json, out_dir)


def step_programme_report(results_dir: Path, programme: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the programme report notebook with papermill and render it to HTML."""
    from workforce_eval.report import cohort as report

    report.render_programme_report(results_dir, programme, notebook, out_ipynb, out_html)


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
        "models": lambda s: step_models(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "register": lambda s: step_register(
            [Path(p) for p in s.input if p != getattr(s.input, "cohort_json", None)],
            Path(s.output[0]),
            Path(s.input.cohort_json) if hasattr(s.input, "cohort_json") else None,
        ),
        "prepost": lambda s: step_prepost(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "programme": lambda s: step_programme(
            [Path(p).parents[1] for p in s.input.cohort_json], s.params.name,
            Path(s.output.statistics), Path(s.output.programme_json),
        ),
        "programme_figures": lambda s: step_programme_figures(
            Path(s.input.statistics), Path(s.input.programme_json), Path(s.output.forest_png).parent
        ),
        "programme_report": lambda s: step_programme_report(
            Path(s.params.results_dir), s.wildcards.programme, Path(s.input.notebook),
            Path(s.output.ipynb), Path(s.output.html),
        ),
        "quotes": lambda s: step_quotes(Path(s.input.cohort_json).parent, Path(s.output[0])),
        "figures": lambda s: step_figures(
            Path(s.input.statistics), Path(s.input.cohort_json), Path(s.output.composition_png).parent
        ),
        "report": lambda s: step_report(
            Path(s.params.results_dir), s.wildcards.cohort, Path(s.input.notebook),
            Path(s.output.ipynb), Path(s.output.html),
        ),
        "provenance_cohort": lambda s: step_provenance_cohort(
            s.wildcards.cohort, Path(s.params.data_dir), Path(s.params.results_dir), list(s.input.inputs),
            dict(s.params.lineage), Path(s.output[0]),
        ),
        "manifest": lambda s: step_manifest(
            {Path(t).stem: Path(t) for t in s.input.tables}, dict(s.config), list(s.input.config),
            list(s.input.code), Path(s.params.root), Path(s.output[0]), dict(s.params.programme_lineage),
        ),
        "ro_crate": lambda s: step_ro_crate(
            Path(s.input.manifest), Path(s.params.root), Path(s.params.results_dir),
            Path(s.output.metadata), Path(s.output.code),
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
