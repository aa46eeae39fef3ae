"""Full-page screenshots of every report of a results folder at 1280 px width (`make screenshots`).

    python scripts/screenshots.py [--results results] [--out screenshots] [--width 1280]

Each report (cohorts, programmes, organisation reports and overviews) is opened offline in headless Chromium
(the system's package, as for the PDFs) and saved as <out>/<path under results, / as __>.png, for people to
look at the reports' layout without opening each one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workforce_eval.report.pdf import PdfError, browser, find_reports

ROOT = Path(__file__).resolve().parents[1]


def shoot(results: Path, out: Path, width: int = 1280, height: int = 900) -> list[Path]:
    """Write one full-page PNG per report; the files written."""
    reports = find_reports(results)
    if not reports:
        raise SystemExit(f"no report.html under {results}: run the pipeline first (make run)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with browser() as chromium:
        context = chromium.new_context(viewport={"width": width, "height": height}, offline=True)
        page = context.new_page()
        for html in reports:
            target = out / (html.relative_to(results).with_suffix("").as_posix().replace("/", "__") + ".png")
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=ROOT / "results", help="a run's results folder")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder for the PNGs")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    args = parser.parse_args()
    try:
        written = shoot(args.results, args.out, args.width)
    except PdfError as err:
        sys.exit(str(err))
    for path in written:
        print(path)
    print(f"{len(written)} screenshots at {args.width} px in {args.out.resolve()}")


if __name__ == "__main__":
    main()
