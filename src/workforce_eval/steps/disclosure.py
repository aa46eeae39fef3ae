"""Step of the `disclosure_audit` rule: the disclosure audit of everything a run publishes.

Reads every published register of the run (each cohort's, each programme's; their `suppressed` flags say what
is published, as the masked registers show it) with the structure a reader knows (cohort.json,
programme.json), runs `register.audit` over all of them together and writes every hidden count with its
feasible range to `results/restricted/disclosure-audit.csv` (restricted: it holds the hidden values) and a
summary beside it (`disclosure-audit.json`: no value) that the manifest records. A count outside its
protection interval fails the step (`errors.InputError` naming the published file and the row key, never the
value); the audit file is then not written.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workforce_eval import atomic, register
from workforce_eval.errors import InputError
from workforce_eval.register import audit, programme_file
from workforce_eval.register.notation import disclosure_threshold

log = logging.getLogger(__name__)

#: The summary written beside the audit file (no hidden value in it).
SUMMARY_SUFFIX = ".json"


def tables(
    results_dir: Path, statistics: Sequence[Path], cohort_json: Sequence[Path], programmes: Sequence[Path]
) -> list[audit.Table]:
    """The audit's tables: the i-th register with the i-th cohort.json; each programme register with the
    programme.json beside it."""
    out: list[audit.Table] = []
    for stats, meta_file in zip(statistics, cohort_json, strict=True):
        meta = json.loads(Path(meta_file).read_text(encoding="utf-8"))
        name = _relative(stats, results_dir)
        out.append(audit.Table(name, str(meta["cohort_id"]), register.read(stats), meta, disclosure_threshold(meta)))
    for stats in programmes:
        meta = json.loads((Path(stats).parent / "programme.json").read_text(encoding="utf-8"))
        cohorts = tuple(str(c["cohort_id"]) for c in meta.get("cohorts", []))
        out.append(
            audit.Table(
                _relative(stats, results_dir),
                f"programme:{meta['slug']}",
                programme_file.read(stats),
                meta,
                int(meta["disclosure_threshold"]),
                cohorts,
            )
        )
    return out


def _relative(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return Path(path).name


def summary(results: Sequence[audit.Result], k: dict[str, int]) -> dict[str, Any]:
    """What the manifest records of the audit (counts only, no hidden value; no time taken, which the log has:
    the file is an output, byte-identical between runs)."""
    return {
        "hidden_counts": len(results),
        "audited": sum(r.audited for r in results),
        "failures": len(audit.failures(results)),
        "pinned_by_markers": sum(r.status == "marker" for r in results),
        "rule": audit.RULE,
        "threshold": k,
    }


def disclosure_audit(
    results_dir: Path,
    statistics: Sequence[Path],
    cohort_json: Sequence[Path],
    programmes: Sequence[Path],
    out: Path,
    enforce: bool = True,
) -> None:
    """Audit the run; write the audit file and its summary, or (`enforce`) fail naming the first failing table and
    row; without `enforce` a failure is logged as a warning (by file and count, never the value)."""
    start = time.perf_counter()
    run_tables = tables(results_dir, statistics, cohort_json, programmes)
    problem = audit.build(run_tables)
    results = audit.classify(problem, audit.solve(problem))
    failed = audit.failures(results)
    for r in failed if not enforce else []:
        log.warning("disclosure audit: in %s the hidden count %s is pinned", r.table, r.key)
    if failed and enforce:
        first = failed[0]
        raise InputError(
            file=first.table,
            expected=f"no hidden count outside its protection interval ({audit.RULE})",
            found=f"{len(failed)} hidden count(s) the published counts pin, this one among them",
            column=first.key,
            column_word="hidden count",
        )
    seconds = time.perf_counter() - start
    atomic.write_text(out, audit.frame(results).to_csv(index=False))
    k = {t.scope: t.k for t in run_tables}
    atomic.write_json(Path(out).with_suffix(SUMMARY_SUFFIX), summary(results, k))
    log.info("disclosure audit: %d hidden counts, %d failures, %.1f s", len(results), len(failed), seconds)
