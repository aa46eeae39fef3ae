"""Reports to PDF with headless Chromium (Debian's `chromium` package), driven through Playwright.

Playwright talks to Chromium over the DevTools Protocol; no browser of its own is downloaded: it is pointed
at the system's Chromium (`executable_path`). Each report is printed with `Page.printToPDF`: A4, the print
stylesheet (`report/print.css`, inlined into every report), and Chromium's print header and footer, which
carry the report's title (the cohort, programme or organisation) and "page n of N" (Chromium does not draw
CSS `@page` margin boxes, so the running header cannot come from CSS).

The report is opened offline: every request other than the report file itself is refused, and page scripts
are disabled (a report has none, and its Content-Security-Policy forbids them). Chromium stamps each PDF with
its creation time and a random document id; `_fix_metadata` replaces both with fixed values of the same
length, so that the same HTML gives the same PDF bytes with the same Chromium build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workforce_eval import layout

if TYPE_CHECKING:
    from playwright.sync_api import Browser, PdfMargins

#: The config key that asks for the PDFs (config/config.yaml).
CONFIG_KEY = "report_pdf"
#: Environment variable naming another Chromium executable (default: `chromium` on the PATH).
CHROMIUM_ENV = "WORKFORCE_EVAL_CHROMIUM"
#: Command-line switches of headless Chromium: no sandbox (root in containers and CI), no GPU, no background
#: traffic, and no name resolution at all (a report needs no network).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
#: Page margins of the PDF; the top and bottom ones hold Chromium's header and footer.
MARGINS: PdfMargins = {"top": "20mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
#: Chromium's print header and footer: it fills in the elements of class title, pageNumber and totalPages.
HEADER_TEMPLATE = (
    '<div style="font-size:8pt;font-family:sans-serif;color:#444;width:100%;margin:0 15mm;'
    'border-bottom:0.5pt solid #999;padding-bottom:1mm"><span class="title"></span></div>'
)
FOOTER_TEMPLATE = (
    '<div style="font-size:8pt;font-family:sans-serif;color:#444;width:100%;margin:0 15mm;text-align:right">'
    'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)


class PdfError(RuntimeError):
    """Chromium is missing or could not print a report."""


def find_chromium() -> str | None:
    """The Chromium executable: $WORKFORCE_EVAL_CHROMIUM, else `chromium` (Debian) or `chromium-browser` on the PATH."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_chromium_message() -> str:
    """Why a run that asks for PDFs cannot start without Chromium, and what to do."""
    return (
        f"config key {CONFIG_KEY}: true asks for PDF reports, which are printed with headless Chromium, but no "
        f"`chromium` executable was found on the PATH (nor in ${CHROMIUM_ENV}). Install it from the system's "
        f"packages (Debian/Ubuntu: `apt-get install chromium`), or set {CONFIG_KEY}: false."
    )


@contextmanager
def browser(executable: str | None = None) -> Iterator[Browser]:
    """A headless Chromium (the system's, never a downloaded one) for as long as the block runs."""
    from playwright.sync_api import sync_playwright

    exe = executable or find_chromium()
    if exe is None:
        raise PdfError(missing_chromium_message())
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def print_pdf(chromium: Browser, html: Path, pdf: Path) -> None:
    """Print one report (an HTML file) to `pdf`: A4, print stylesheet, running header and page numbers."""
    html = Path(html).resolve()
    pdf = Path(pdf)
    own = html.as_uri()
    context = chromium.new_context(java_script_enabled=False, offline=True)
    try:
        page = context.new_page()
        # nothing but the report itself is loaded (figures are data: URIs, which make no request)
        page.route("**/*", lambda route: route.continue_() if route.request.url == own else route.abort())
        page.goto(own, wait_until="load")
        data = page.pdf(
            format="A4",
            margin=MARGINS,
            print_background=True,
            display_header_footer=True,
            header_template=HEADER_TEMPLATE,
            footer_template=FOOTER_TEMPLATE,
            outline=True,
            tagged=True,
        )
    except Exception as err:  # Playwright's errors carry Chromium's reason
        raise PdfError(f"Chromium could not print {html} to PDF: {err}") from err
    finally:
        context.close()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(_fix_metadata(data))


def render_pdfs(pairs: Iterable[tuple[Path, Path]], executable: str | None = None) -> list[Path]:
    """Print each (html, pdf) pair with one browser; the PDFs written, in order."""
    done = []
    with browser(executable) as chromium:
        for html, pdf in pairs:
            print_pdf(chromium, Path(html), Path(pdf))
            done.append(Path(pdf))
    return done


def render_folder(html_dir: Path, pdf_dir: Path, executable: str | None = None) -> list[Path]:
    """Every `*.html` report of a folder printed to `pdf_dir/<name>.pdf` with one browser (sorted by name)."""
    pages = sorted(Path(html_dir).glob("*.html"))
    Path(pdf_dir).mkdir(parents=True, exist_ok=True)
    return render_pdfs(((h, Path(pdf_dir) / (h.stem + ".pdf")) for h in pages), executable)


_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")
_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]")


def _fix_metadata(data: bytes) -> bytes:
    """The PDF with its time stamps set to SOURCE_DATE_EPOCH (default 0) and its document id derived from its content.

    Replacements keep every length, so the cross-reference table's byte offsets stay valid.
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode("ascii")

    def date(m: re.Match[bytes]) -> bytes:
        tail = m.group(3)  # the time zone, e.g. +01'00': UTC where it has that form
        return b"/" + m.group(1) + b" (D:" + stamp + (b"+00'00'" if len(tail) == 7 else tail) + b")"

    out = _DATE.sub(date, data)

    def ident(m: re.Match[bytes]) -> bytes:
        without = _ID.sub(b"", out)
        digest = hashlib.sha256(without).hexdigest().upper().encode("ascii")
        a = (digest * 4)[: len(m.group(1))]
        b = (digest * 4)[: len(m.group(2))]
        return b"/ID [<" + a + b"> <" + b + b">]"

    return _ID.sub(ident, out)


def render_pdf(html: Path, pdf: Path, executable: str | None = None) -> None:
    """Print one report to `pdf` (the rules of workflow/rules/report_pdf.smk)."""
    render_pdfs([(Path(html), Path(pdf))], executable)


def find_reports(results_dir: Path) -> list[Path]:
    """Every HTML report of a results folder, sorted: cohorts, organisation overviews and units, programmes."""
    res = Path(results_dir)
    org = layout.ORGANISATIONS_DIR
    patterns = ("*/report.html", f"*/{org}/report.html", f"*/{org}/{layout.UNIT_REPORTS_DIR}/*.html")
    found = {p for pattern in patterns for p in res.glob(pattern) if p.is_file()}
    found |= {p for p in layout.run(res).programmes_dir.glob("*/report.html") if p.is_file()}
    return sorted(found)
