"""The price of disclosure control: hidden counts and suppressed rows per published register of a run.

    python scripts/disclosure_price.py RESULTS_DIR [RESULTS_DIR ...]

For each run (e.g. one built before a change and one after) and each cohort and programme register: the rows
flagged `suppressed`, the hidden counts (cells no published row states) split into primary (1 to k-1) and
secondary (0 or >= k), and what the audit (`register.audit`) finds: hidden counts from 1 to k-1 pinned, and
those pinned by the "<k" markers alone. Prints a Markdown table (docs/performance.md, "The price of disclosure").
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from workforce_eval import layout  # noqa: E402
from workforce_eval.register import audit  # noqa: E402
from workforce_eval.steps import disclosure  # noqa: E402


def price(results: Path) -> list[str]:
    run = layout.run(results)
    cohorts = sorted(p.parent.parent.name for p in results.glob(f"*/{layout.CLEAN_DIR}/{layout.COHORT_JSON}"))
    statistics = [run.cohort(c).statistics for c in cohorts]
    metas = [run.cohort(c).cohort_json for c in cohorts]
    programmes = sorted(results.glob(f"{layout.PROGRAMMES_DIR}/*/{layout.STATISTICS}"))
    tables = disclosure.tables(results, statistics, metas, programmes)
    start = time.perf_counter()
    problem = audit.build(tables)
    results_ = audit.classify(problem, audit.solve(problem))
    seconds = time.perf_counter() - start
    lines = []
    for table in tables:
        mine = [r for r in results_ if r.table == table.name and r.scope == table.scope]
        rows = table.register
        if table.parts:
            rows = rows[rows["cohort"].astype(str) == "all"]
        primary = sum(1 for r in mine if r.true is not None and 0 < r.true < table.k)
        suppressed = int(rows["suppressed"].astype(bool).sum())
        lines.append(
            f"| {results.name} | {table.name} | {table.k} | {suppressed} of {len(rows)} "
            f"| {primary} | {len(mine) - primary} | {sum(1 for r in mine if r.status == 'fail')} "
            f"| {sum(1 for r in mine if r.status == 'marker')} |"
        )
    lines.append(f"| {results.name} | audit of the whole run | | | | | | {seconds:.1f} s |")
    return lines


def main(argv: list[str]) -> None:
    print("| run | register | k | rows suppressed | hidden primary | hidden secondary | pinned | by markers |")
    print("|---|---|---|---|---|---|---|---|")
    for folder in argv:
        for line in price(Path(folder)):
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
