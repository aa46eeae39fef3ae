"""Benchmark (not a test): validation, cleaning, descriptives and one model on large synthetic surveys.

For each size (default 10 000, 100 000 and 1 000 000 responses x 40 items) it writes a
synthetic cross-sectional cohort to a temporary folder, then runs each stage in a fresh
Python process and reports its wall time (the stage itself, not interpreter start-up and
imports) and the process's peak resident memory, beside a bare `pyarrow.csv.read_csv` of
the same survey.csv. Stages are the pipeline's own step functions:

  read      pyarrow.csv.read_csv(survey.csv)            (the yardstick)
  validate  workforce_eval.inputs.validate.load          (read, check, code every answer)
  clean     workforce_eval.steps.cohort.clean           (validate + write Parquet and cohort.json)
  describe  workforce_eval.steps.cohort.describe        (read Parquet, every descriptive row, write)
  model     workforce_eval.steps.cohort.models          (one OLS with SEs clustered by organisation)

Usage:
  python scripts/benchmark.py                      # 10k, 100k, 1M
  python scripts/benchmark.py --sizes 10000 100000 --keep /tmp/bench
  python scripts/benchmark.py --sizes 100000 1000000 --repeat 3     # medians of 3 runs per stage
Targets (2 cores): 1M responses in <= 60 s and <= 4 GB, at most 3x the bare read, growth close to linear.

Organisation reports (`--organisations 20 200`, 1 000 responses per organisation by default, so 200
organisations are the issue's 200 000-response national survey from `workforce_eval.synthetic.national`):
for each count, the survey is built through Snakemake three times: up to the organisation register
(`units.json`), then the organisation reports and the overview, then the rest (provenance). The second
run's wall time divided by the number of reports is the time per report through Snakemake. Figures are
written in PNG only (all the HTML reports need). The in-process floor is the same benchmark, caterpillar
plot and reports made in one Python process whose imports are done, by the same step functions as the
rules (the same report workers and kept kernels). Printed: both per report, their ratio, the peak memory
of each, the growth from the smallest to the largest count, and the load average at each measurement.
Targets (2 cores): 200 organisations in <= 10 minutes from a clean start, Snakemake <= 1.3x the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

N_ITEMS = 40
LIKERT_LEVELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CONSTRUCTS = {"pos": 8, "wellbeing": 8, "engagement": 8, "inclusion": 8}  # 32 likert items
YESNO = 5
NUMERIC = 3
GROUPS = {"clinical": "Clinical staff", "medical": "Medical and dental staff", "support": "Support staff"}
PAY_BANDS = ["Band 2-4", "Band 5", "Band 6", "Band 7", "Band 8a and above", "Medical and dental"]
N_ORGANISATIONS = 200
STAGES = ("read", "validate", "clean", "describe", "model")
#: Worker processes of a cohort's `figures` job (workflow/rules/common.smk FIGURE_WORKERS).
FIGURE_WORKERS = 2


def _items() -> list[dict[str, object]]:
    """The 40 items of the benchmark instrument."""
    items: list[dict[str, object]] = []
    for construct, k in CONSTRUCTS.items():
        for j in range(k):
            items.append(
                {
                    "id": f"{construct}_{j + 1}",
                    "text": f"{construct} statement {j + 1}",
                    "type": "likert",
                    "scale": "agree5",
                    "construct": construct,
                    **({"reverse": True} if j == k - 1 else {}),
                }
            )
    items += [
        {"id": f"yn_{j + 1}", "text": f"Yes/no question {j + 1}", "type": "yesno", "scale": "yesno"}
        for j in range(YESNO)
    ]
    items += [{"id": f"num_{j + 1}", "text": f"Number {j + 1}", "type": "numeric"} for j in range(NUMERIC)]
    assert len(items) == N_ITEMS
    return items


def generate(n: int, folder: Path, seed: int = 1) -> Path:
    """Write a synthetic cross-sectional cohort of n responses x 40 items into folder; returns survey.csv."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    items = _items()
    cohort = {
        "programme": "Benchmark",
        "cohort": str(n),
        "design": "cross_sectional",
        "synthetic": True,
        "groups": GROUPS,
        "breakdowns": ["employment", "pay_band"],
        "models": [
            {
                "id": "wellbeing",
                "formula": "wellbeing ~ pos + C(employment) + C(pay_band)",
                "family": "ols",
                "cluster": "organisation",
            }
        ],
    }
    instrument = {
        "scales": {
            "agree5": {"levels": LIKERT_LEVELS, "missing": ["Prefer not to say"]},
            "yesno": {"levels": ["No", "Yes"], "missing": ["Prefer not to say"]},
        },
        "items": items,
    }
    (folder / "cohort.yaml").write_text(yaml.safe_dump(cohort, sort_keys=False), encoding="utf-8")
    (folder / "instrument.yaml").write_text(yaml.safe_dump(instrument, sort_keys=False), encoding="utf-8")

    def labels(choices: list[str], codes: np.ndarray) -> pa.Array:
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(choices)).cast(pa.string())

    latent = {c: rng.normal(0, 1, n) for c in CONSTRUCTS}
    columns: dict[str, pa.Array] = {
        "response_id": pa.array([f"R{i:07d}" for i in range(1, n + 1)]),
        "group": labels(list(GROUPS), rng.integers(0, len(GROUPS), n)),
        "organisation": labels([f"Trust {k:03d}" for k in range(N_ORGANISATIONS)], rng.integers(0, N_ORGANISATIONS, n)),
        "employment": labels(["direct", "agency"], (rng.random(n) < 0.15).astype(int)),
        "pay_band": labels(PAY_BANDS, rng.integers(0, len(PAY_BANDS), n)),
    }
    with_missing = LIKERT_LEVELS + ["Prefer not to say", ""]
    for item in items:
        if item["type"] == "likert":
            score = latent[str(item["construct"])] + rng.normal(0, 0.8, n)
            code = np.searchsorted([-1.5, -0.6, 0.0, 0.9], score)
            code = np.where(rng.random(n) < 0.02, 5 + (rng.random(n) < 0.5), code)
            columns[str(item["id"])] = labels(with_missing, code)
        elif item["type"] == "yesno":
            columns[str(item["id"])] = labels(["No", "Yes", ""], np.where(rng.random(n) < 0.01, 2, rng.random(n) < 0.4))
        else:
            values = np.round(rng.gamma(2.0, 4.0, n), 1).astype(str)
            columns[str(item["id"])] = pa.array(values)
    path = folder / "survey.csv"
    # unquoted, as survey exports write labels without commas or quotes
    pacsv.write_csv(pa.table(columns), path, pacsv.WriteOptions(quoting_style="none"))
    return path


def run_stage(stage: str, folder: Path, out: Path) -> dict[str, float]:
    """Run one stage in this process and return its wall time (s) and the process's peak RSS (MB)."""
    # imports first, so that the times are the stage's work (a rule pays them once per process)
    import pyarrow.csv  # noqa: F401
    import statsmodels.formula.api  # noqa: F401

    from workforce_eval.inputs import validate
    from workforce_eval.steps import cohort as steps

    cohort_id = folder.name
    clean_dir = out / "clean"
    cpu0 = _cpu()
    if stage == "read":
        import pyarrow.csv as pacsv

        start = time.perf_counter()
        table = pacsv.read_csv(folder / "survey.csv")
        assert table.num_rows > 0
    elif stage == "validate":
        from workforce_eval.inputs import validate

        start = time.perf_counter()
        cc = validate.load(folder, cohort_id)
        assert len(cc.survey) > 0
    elif stage == "clean":
        start = time.perf_counter()
        steps.clean(
            folder,
            cohort_id,
            clean_dir / "cohort.json",
            clean_dir / "participants.parquet",
            clean_dir / "survey.parquet",
            clean_dir / "segments.parquet",
        )
    elif stage == "describe":
        start = time.perf_counter()
        steps.describe(clean_dir, out / "tables" / "describe.csv")
    elif stage == "model":
        start = time.perf_counter()
        steps.models(clean_dir, out / "tables" / "models.csv")
    else:
        raise ValueError(stage)
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": _cpu() - cpu0, "peak_mb": peak_mb}


def _cpu() -> float:
    """User + system CPU seconds of this process so far (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def repeated(stage: str, folder: Path, out: Path, times: int) -> dict[str, float]:
    """`measure` run `times` times: the median wall and CPU time, the largest peak memory."""
    runs = [measure(stage, folder, out) for _ in range(max(1, times))]
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def measure(stage: str, folder: Path, out: Path) -> dict[str, float]:
    """Run a stage in a fresh interpreter and parse what it reports."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOURCE_DATE_EPOCH="0")
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--stage", stage, str(folder), str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"stage {stage} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


#: The organisation scenario's figure formats: the HTML reports embed PNG, so no other format is asked for.
ORG_FIGURE_FORMATS = ("png",)
#: Worker processes of the organisation-report step, as in the workflow (REPORT_WORKERS, the rule's threads).
REPORT_WORKERS = 2


def organisation_floor(data: Path, cohort_id: str, snakemake_results: Path, out: Path) -> dict[str, float]:
    """The in-process floor: benchmark, caterpillar plot and every report in this process (imports done first).

    The reports are made by the same step as the rule's (`steps.organisation_reports.render_reports`, the same
    number of workers, kept kernels) and the overview by the same function as its rule's: what Snakemake adds
    on top is its own start-up, planning, the job processes and their imports.
    """
    import shutil

    from workforce_eval.figures.benchmarking import make_caterpillar
    from workforce_eval.report import organisation  # noqa: F401
    from workforce_eval.report.render import render_organisation_report
    from workforce_eval.steps import organisations as steps
    from workforce_eval.steps.organisation_reports import render_reports

    # the cleaned cohort from the Snakemake run: the floor is of the organisation part only
    base = out / cohort_id
    if base.exists():
        shutil.rmtree(base)
    shutil.copytree(snakemake_results / cohort_id / "clean", base / "clean")
    folder = base / "organisations"
    notebook = ROOT / "notebooks" / "organisation_report.ipynb"
    start = time.perf_counter()
    steps.benchmark(base / "clean", folder / "statistics.csv", folder / "units.json")
    t_benchmark = time.perf_counter() - start
    make_caterpillar(folder / "statistics.csv", base / "clean" / "cohort.json", folder / "figures", ORG_FIGURE_FORMATS)
    t_figures = time.perf_counter() - start - t_benchmark
    t0 = time.perf_counter()
    slugs = render_reports(out, cohort_id, notebook, folder / "units.json", folder / "reports", REPORT_WORKERS)
    render_organisation_report(out, cohort_id, "", notebook, folder / "report.ipynb", folder / "report.html")
    t_reports = time.perf_counter() - t0
    same = sum(
        (folder / "reports" / f"{slug}.html").read_bytes()
        == (snakemake_results / cohort_id / "organisations" / "reports" / f"{slug}.html").read_bytes()
        for slug in slugs
    )
    return {
        "benchmark": t_benchmark,
        "figures": t_figures,
        "reports": t_reports,
        "n_reports": len(slugs) + 1,
        "identical": same,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def load() -> str:
    """The 1-minute load average now (the machine may be shared)."""
    return f"{os.getloadavg()[0]:.1f}"


def snakemake_run(root: Path, data: Path, results: Path, cohort_id: str, *targets: str) -> float:
    """Wall time of one Snakemake run (2 cores) of the cohort, to the given targets (default: everything)."""
    formats = ", ".join(f'"{f}"' for f in ORG_FIGURE_FORMATS)
    config = [f"data_dir={data}", f"results_dir={results}", f'cohorts=["{cohort_id}"]', f"figure_formats=[{formats}]"]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *targets, "--quiet", "all", "--config", *config],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"snakemake failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def organisations_scenario(counts: list[int], per_org: int, base: Path) -> int:
    """Time the organisation reports through Snakemake and in process, for each number of organisations."""
    from workforce_eval.synthetic.national import write_national_survey

    print(f"cores: {os.cpu_count()}; data under {base}", flush=True)
    rows = []
    for m in counts:
        cohort_id = f"national-{m}"
        data = base / "data"
        results = base / f"results-{m}"
        write_national_survey(data / cohort_id, responses=m * per_org, organisations=m)
        units = results / cohort_id / "organisations" / "units.json"
        overview = results / cohort_id / "organisations" / "report.html"
        load0 = load()
        t_first = snakemake_run(ROOT, data, results, cohort_id, str(units), str(results / cohort_id / "report.html"))
        load1 = load()
        t_reports = snakemake_run(ROOT, data, results, cohort_id, str(overview))
        load2 = load()
        t_rest = snakemake_run(ROOT, data, results, cohort_id)  # provenance: manifest and RO-Crate
        n_reports = len(json.loads(units.read_text(encoding="utf-8"))["units"]) + 1
        sm_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOURCE_DATE_EPOCH="0")
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--floor", str(data), cohort_id, str(results),
             str(base / f"floor-{m}")],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"floor failed:\n{proc.stderr[-3000:]}")
        floor = json.loads(proc.stdout.strip().splitlines()[-1])
        load3 = load()
        per_sm = t_reports / n_reports
        per_floor = (floor["reports"] + floor["figures"]) / floor["n_reports"]
        print(
            f"  {m} organisations ({m * per_org} responses): up to the register {t_first:.1f} s (load {load0}), "
            f"then {n_reports} reports in {t_reports:.1f} s through Snakemake (load {load1}), provenance "
            f"{t_rest:.1f} s; in process {floor['reports']:.1f} s (load {load2} -> {load3}; benchmark rows "
            f"{floor['benchmark']:.2f} s, caterpillar {floor['figures']:.2f} s); "
            f"{floor['identical']} of {n_reports - 1} unit reports byte-identical to Snakemake's",
            flush=True,
        )
        total = t_first + t_reports + t_rest
        rows.append((m, m * per_org, n_reports, total, per_sm, per_floor, sm_peak, floor["peak_mb"]))
    header = (
        "| organisations | responses | reports | Snakemake total s | per report s (Snakemake) "
        "| per report s (in-process floor) | ratio | peak MB (Snakemake jobs) | peak MB (floor) |"
    )
    print()
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for m, n, k, total, sm, fl, p1, p2 in rows:
        print(f"| {m} | {n:,} | {k} | {total:.1f} | {sm:.2f} | {fl:.2f} | {sm / fl:.2f} | {p1:.0f} | {p2:.0f} |")
    if len(rows) > 1:
        (m0, _, k0, tot0, sm0, fl0, *_), (m1, _, k1, tot1, sm1, fl1, *_) = rows[0], rows[-1]
        print(
            f"growth {m0} -> {m1} organisations: total time x{tot1 / tot0:.2f} for x{k1 / k0:.1f} reports; "
            f"per report x{sm1 / sm0:.2f} through Snakemake, x{fl1 / fl0:.2f} in process"
        )
    m, _, k, total, sm, fl, *_ = rows[-1]
    print(
        f"targets: {m} organisations from a clean start {total / 60:.1f} min (<= 10 min for 200), "
        f"Snakemake {sm / fl:.2f} x the in-process floor per report (<= 1.3)"
    )
    return 0


#: The bundled cohort of the cohort-build scenario (`--cohort`): the PLP-size cohort of the issue.
BUILD_COHORT = "plp-2021"


def cohort_floor(data: Path, cohort_id: str, out: Path, figure_workers: int) -> dict[str, float]:
    """The steps of a cohort's build (clean, analyses, figures, report) called in this one Python process,
    by the same step functions and arguments as the rules; imports timed apart. Wall seconds per part."""
    t0 = time.perf_counter()
    from workforce_eval import layout, names, register
    from workforce_eval.figures.cohort import applicable
    from workforce_eval.inputs import metadata
    from workforce_eval.report.render import render_report
    from workforce_eval.steps import analyses as analyses_step
    from workforce_eval.steps import cohort as cohort_step
    from workforce_eval.steps import figures as figures_step
    from workforce_eval.steps.analyses import PARTS

    t1 = time.perf_counter()
    here = layout.cohort(out, cohort_id)
    cohort_step.clean(data / cohort_id, cohort_id, here.cohort_json, here.participants, here.survey, here.segments, 5)
    t2 = time.perf_counter()
    analyses_step.analyses(
        here.clean_dir, {n: here.table(n) for n in PARTS}, here.case_code_table, here.statistics, here.quotes, {}, 2
    )
    t3 = time.perf_counter()
    cohort = metadata.load(here.cohort_json)
    figures = applicable(register.read(here.statistics), cohort) + list(names.QUALITATIVE_FIGURE_NAMES)
    figures_step.figures(here.statistics, here.cohort_json, here.figures_dir, figures, names.FIGURE_FORMATS,
                         figure_workers)  # fmt: skip
    t4 = time.perf_counter()
    inputs = {"statistics": here.statistics, "quotes": here.quotes, "cohort_json": here.cohort_json,
              "figures": [here.figure(f, "png") for f in figures]}  # fmt: skip
    render_report(out, cohort_id, ROOT / "notebooks" / "cohort_report.ipynb", here.report.ipynb, here.report.html,
                  inputs)  # fmt: skip
    t5 = time.perf_counter()
    return {"imports": t1 - t0, "clean": t2 - t1, "analyses": t3 - t2, "figures": t4 - t3, "report": t5 - t4,
            "total": t5 - t0}  # fmt: skip


def cohort_scenario(repeat: int, base: Path) -> int:
    """A PLP-size cohort built from clean: Snakemake on 2 cores, a no-op rerun, and the same steps in one
    process (medians of `repeat` runs each, the load average printed beside each)."""
    data = ROOT / "data" / "raw"
    cohorts = f'cohorts=["{BUILD_COHORT}"]'
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOURCE_DATE_EPOCH="0")
    print(f"cores: {os.cpu_count()}; cohort {BUILD_COHORT}; results under {base}; load now {load()}", flush=True)
    builds, noops, floors = [], [], []
    for i in range(repeat):
        results = base / f"results-{i}"
        cmd = [sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all", "--config", cohorts,
               f"results_dir={results}"]  # fmt: skip
        before = load()
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"snakemake failed:\n{proc.stderr[-3000:]}")
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        rerun = [c for c in cmd if c not in ("--quiet", "all")]  # Snakemake says "Nothing to be done" unless quiet
        proc = subprocess.run(rerun, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        noops.append(time.perf_counter() - start)
        if proc.returncode != 0 or "Nothing to be done" not in proc.stdout + proc.stderr:
            raise RuntimeError(f"the rerun was not a no-op:\n{(proc.stdout + proc.stderr)[-3000:]}")
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--cohort-floor", str(data), BUILD_COHORT,
             str(base / f"floor-{i}")],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"floor failed:\n{proc.stderr[-3000:]}")
        floors.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(
            f"  run {i + 1}: Snakemake {builds[-1]:.1f} s (load {before}), no-op rerun {noops[-1]:.2f} s, "
            f"one process {floors[-1]['total']:.1f} s ("
            + ", ".join(f"{k} {v:.2f}" for k, v in floors[-1].items() if k != "total")
            + f") (load {load()})",
            flush=True,
        )
    build, noop = statistics.median(builds), statistics.median(noops)
    floor = {k: statistics.median(f[k] for f in floors) for k in floors[0]}
    print(
        f"median of {repeat}: full build {build:.1f} s (<= 8), no-op rerun {noop:.2f} s (<= 1.5), one process "
        f"{floor['total']:.1f} s ("
        + ", ".join(f"{k} {v:.2f}" for k, v in floor.items() if k != "total")
        + f"); Snakemake / one process {build / floor['total']:.2f} (<= 1.3); load average now {load()}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Generate each size, time every stage, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="folder for the generated data and results (default: a temp dir)")
    parser.add_argument("--organisations", type=int, nargs="+", help="organisation-report scenario: org counts")
    parser.add_argument("--responses-per-org", type=int, default=1000, help="with --organisations (default 1000)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each stage (fresh processes); the median is shown (default 1)"
    )
    parser.add_argument("--stage", nargs=3, metavar=("STAGE", "COHORT_DIR", "OUT_DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument(
        "--cohort",
        action="store_true",
        help=f"cohort-build scenario: {BUILD_COHORT} from clean through Snakemake (2 cores), a no-op rerun, and "
        "the same steps in one process; medians of --repeat runs (use --repeat 3)",
    )
    parser.add_argument("--cohort-floor", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cohort_floor:
        data, cohort_id, out = args.cohort_floor
        print(json.dumps(cohort_floor(Path(data), cohort_id, Path(out), FIGURE_WORKERS)))
        return 0
    if args.cohort:
        return cohort_scenario(args.repeat, args.keep or Path(tempfile.mkdtemp(prefix="workforce-bench-")))
    if args.stage:
        stage, folder, out = args.stage
        print(json.dumps(run_stage(stage, Path(folder), Path(out))))
        return 0
    if args.floor:
        data, cohort_id, sm_results, out = args.floor
        print(json.dumps(organisation_floor(Path(data), cohort_id, Path(sm_results), Path(out))))
        return 0
    if args.organisations:
        base = args.keep or Path(tempfile.mkdtemp(prefix="workforce-bench-"))
        return organisations_scenario(args.organisations, args.responses_per_org, base)

    base = args.keep or Path(tempfile.mkdtemp(prefix="workforce-bench-"))
    print(f"cores: {os.cpu_count()}; data under {base}", flush=True)
    header = (
        "| responses | survey.csv MB | bare read s | validate s | clean s | describe s | model s "
        "| pipeline s | pipeline / read | pipeline / read (CPU) | per 1k rows s | peak MB (stage) |"
    )
    rows = []
    for n in args.sizes:
        folder = base / f"bench-{n}"
        out = base / f"results-{n}"
        t0 = time.perf_counter()
        path = generate(n, folder)
        print(
            f"generated {n} responses in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)",
            flush=True,
        )
        result = {stage: repeated(stage, folder, out, args.repeat) for stage in STAGES}
        for stage in STAGES:
            r = result[stage]
            print(
                f"  {stage:9s} wall {r['wall']:7.2f} s  cpu {r['cpu']:7.2f} s  peak {r['peak_mb']:6.0f} MB", flush=True
            )
        pipeline = sum(result[s]["wall"] for s in ("clean", "describe", "model"))
        pipeline_cpu = sum(result[s]["cpu"] for s in ("clean", "describe", "model"))
        peak_stage = max(STAGES[1:], key=lambda s: result[s]["peak_mb"])
        rows.append(
            f"| {n:,} | {path.stat().st_size / 1e6:.0f} | {result['read']['wall']:.2f} "
            f"| {result['validate']['wall']:.2f} | {result['clean']['wall']:.2f} | {result['describe']['wall']:.2f} "
            f"| {result['model']['wall']:.2f} | {pipeline:.2f} | {pipeline / result['read']['wall']:.1f} "
            f"| {pipeline_cpu / result['read']['cpu']:.1f} "
            f"| {1000 * pipeline / n:.4f} | {result[peak_stage]['peak_mb']:.0f} ({peak_stage}) |"
        )
    print()
    print("pipeline = clean (validation and cleaning) + describe + model; validate is part of clean, shown apart")
    if args.repeat > 1:
        print(f"each stage run {args.repeat} times in fresh processes: medians of wall and CPU time, largest peak")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
