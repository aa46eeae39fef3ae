"""Every bundled report opened in a real browser: Debian's headless Chromium, driven by Playwright (issues 10, 21).

Reads the session's bundled build (`run_a`, tests/e2e/conftest.py): the five cohorts' reports, the programme's,
leeds-2022's organisation overview and unit reports. One browser serves the whole module; each report is
loaded once at 1280 px, measured, then measured again at 800 px (the layout is redone without a reload).
The PDFs are made from the same HTML with the package's function (`report.pdf.print_pdf`) in a temporary
folder: the default run makes none.

Accessibility (issue 21): axe-core, pinned in tools/axe/ and installed there with `npm ci` (tests/browser.py),
is injected from that local file into each report and run with the WCAG 2.0/2.1/2.2 A and AA and best-practice
rule sets; the structure a screen reader relies on is checked in the HTML (figures, captions, header scopes,
alt text, table equivalents, the accessibility statement); the PDFs are tagged, have bookmarks and no page
left half empty but before a figure too tall for it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from tests.browser import AXE_SKIP_REASON, SKIP_REASON, axe_script, axe_version, chromium
from workforce_eval import layout, names
from workforce_eval.report import accessible, pdf
from workforce_eval.steps.organisations import read_units

pytestmark = pytest.mark.e2e

COHORTS = ["plp-2021", "leeds-2022", "lothian-pilot", "lothian-2", "lothian-3"]
WIDTHS = (1280, 800)
#: A4 in PostScript points (210 x 297 mm); Chromium rounds the page box to whole device pixels (< 1.5 pt).
A4 = (595.28, 841.89)

#: Measured in the page: document width against the viewport, images, and the elements that scroll sideways
#: inside the page (a wide table may do so in its own container; the document itself may not).
MEASURE = """() => {
  const doc = document.documentElement;
  const inner = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX)) {
      inner.push({tag: el.tagName.toLowerCase(), cls: el.className, tables: el.querySelectorAll('table').length});
    }
  }
  return {
    scrollWidth: Math.max(doc.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
    broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt),
    images: document.images.length,
    inner: inner,
  };
}"""


@dataclass
class Loaded:
    """What one report showed in the browser."""

    html: Path
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    at: dict[int, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = chromium()
    if exe is None:
        pytest.skip(SKIP_REASON)
    with pdf.browser(exe) as b:
        yield b


@pytest.fixture(scope="module")
def results(run_a: Path) -> Path:
    return run_a / "results"


@pytest.fixture(scope="module")
def reports(results: Path) -> list[Path]:
    found = pdf.find_reports(results)
    units = read_units(results / "leeds-2022" / layout.ORGANISATIONS_DIR / "units.json")
    expected = [results / c / "report.html" for c in COHORTS]
    expected += [results / layout.PROGRAMMES_DIR / "paired-learning" / "report.html"]
    expected += [results / "leeds-2022" / layout.ORGANISATIONS_DIR / "report.html"]
    expected += [
        results / "leeds-2022" / layout.ORGANISATIONS_DIR / layout.UNIT_REPORTS_DIR / f"{u['slug']}.html" for u in units
    ]
    assert len(units) >= 2, units
    assert sorted(found) == sorted(expected)
    return found


@pytest.fixture(scope="module")
def loaded(browser: Any, reports: list[Path]) -> dict[Path, Loaded]:
    out: dict[Path, Loaded] = {}
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    current: list[Loaded] = []
    page.on("console", lambda m: current[-1].console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: current[-1].console_errors.append(f"page error: {e}"))
    page.on("request", lambda r: None if r.url.startswith("data:") else current[-1].requests.append(r.url))
    for html in reports:
        record = Loaded(html)
        current.append(record)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(html.resolve().as_uri(), wait_until="load")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            record.at[width] = page.evaluate(MEASURE)
        out[html] = record
    context.close()
    return out


def test_no_console_error_and_no_request_but_the_report(loaded: dict[Path, Loaded]) -> None:
    for html, rec in loaded.items():
        assert rec.console_errors == [], f"{html}: {rec.console_errors}"
        assert rec.requests == [html.resolve().as_uri()], f"{html} loaded more than itself: {rec.requests}"


def test_no_broken_image(loaded: dict[Path, Loaded]) -> None:
    for html, rec in loaded.items():
        for width in WIDTHS:
            assert rec.at[width]["broken"] == [], f"{html} at {width} px: broken images {rec.at[width]['broken']}"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(loaded: dict[Path, Loaded], width: int) -> None:
    """The document is never wider than the viewport; what is wider scrolls inside its own container, and only
    output areas holding a table may do that (listed in the message when any does)."""
    for html, rec in loaded.items():
        m = rec.at[width]
        assert m["innerWidth"] == width
        assert m["scrollWidth"] <= width, f"{html} is {m['scrollWidth']} px wide at a {width} px viewport"
        for el in m["inner"]:
            assert el["tables"] >= 1, f"{html} at {width} px: a {el['tag']}.{el['cls']} without a table scrolls"
        if m["inner"]:  # which wide tables scroll in their own container (shown with pytest -s)
            print(f"{html.relative_to(html.parents[2])} at {width} px: {len(m['inner'])} table(s) scroll inside")


def _embedded_pngs(html: Path) -> list[str]:
    """SHA-256 of every image embedded in a report (data: URIs)."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    out = []
    for img in soup.find_all("img"):
        src = str(img.get("src", ""))
        assert src.startswith("data:image/png;base64,"), f"{html}: an image that is not an embedded PNG"
        out.append(hashlib.sha256(base64.b64decode(re.sub(r"\s", "", src.split(",", 1)[1]))).hexdigest())
    return out


def _pngs(folder: Path) -> dict[str, str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.stem for p in sorted(folder.glob("*.png"))}


def _expected_figures(results: Path, cohort: str) -> set[str]:
    """The figures a cohort report must show, from its register and design: Likert and themes for every bundled
    cohort (each has item and theme rows), composition unless every group is withheld (lothian-2), the
    coefficient plot when models were fitted, the dumbbell chart for pre/post cohorts."""
    register = pd.read_csv(results / cohort / "statistics.csv", dtype=str, keep_default_na=False)
    meta = json.loads((results / cohort / "clean" / "cohort.json").read_text(encoding="utf-8"))
    analyses = set(register["analysis"])
    assert {"item", "theme"} <= analyses
    want = {"likert", "themes"}
    withheld = set(register.loc[register["measure"] == "group_withheld", "group"])
    if {str(g["code"]) for g in meta["groups"]} - withheld:  # no composition when every group is withheld
        want.add("composition")
    if "model" in analyses:
        want.add("coefficients")
    if meta["design"] == "pre_post" and "pre_post" in analyses:
        want.add("prepost")
    return want


def test_every_figure_is_present(loaded: dict[Path, Loaded], results: Path) -> None:
    """Each report embeds the figures made for it, each once and numbered, and nothing else; the browser counted
    the same images as the HTML holds."""
    org = results / "leeds-2022" / layout.ORGANISATIONS_DIR
    for html, rec in loaded.items():
        embedded = _embedded_pngs(html)
        assert rec.at[WIDTHS[0]]["images"] == len(embedded)
        assert len(set(embedded)) == len(embedded), f"{html}: a figure shown twice"
        text = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert "Figure not available" not in text, html
        numbered = re.findall(r"Figure (\d+)\. ", text)
        assert numbered == [str(i) for i in range(1, len(embedded) + 1)], f"{html}: figure numbers {numbered}"
        if html.parent == org / layout.UNIT_REPORTS_DIR:
            assert embedded == [], html
            continue
        if html == org / "report.html":
            made = _pngs(org / "figures")
            assert [made.get(h) for h in embedded] == [names.CATERPILLAR]
        elif html.parent.parent.name == layout.PROGRAMMES_DIR:
            made = _pngs(html.parent / "figures")
            assert [made.get(h) for h in embedded] == ["forest"]
        else:
            made = _pngs(html.parent / "figures")
            shown = {made.get(h) for h in embedded}
            assert None not in shown, f"{html} embeds an image that is not one of its figures"
            want = _expected_figures(results, html.parent.name)
            assert want <= shown, f"{html}: missing figures {sorted(want - shown)}"


def test_every_table_has_rows(reports: list[Path], results: Path) -> None:
    """Every table has a header and at least one body row with a non-empty cell; the organisation overview lists
    every reported unit."""
    for html in reports:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        tables = soup.find_all("table")
        assert tables, f"{html} has no table"
        for table in tables:
            cells = [td.get_text(strip=True) for td in table.find_all("td")]
            assert cells and any(cells), f"{html}: an empty table"
    units = read_units(results / "leeds-2022" / layout.ORGANISATIONS_DIR / "units.json")
    overview = (results / "leeds-2022" / layout.ORGANISATIONS_DIR / "report.html").read_text(encoding="utf-8")
    for unit in units:
        assert f"{layout.UNIT_REPORTS_DIR}/{unit['slug']}.html" in overview, unit


def test_pdf_is_a4_with_title_header_and_page_numbers(browser: Any, reports: list[Path], tmp_path: Path) -> None:
    from pypdf import PdfReader

    for i, html in enumerate(reports):
        out = tmp_path / f"{i}.pdf"
        pdf.print_pdf(browser, html, out)
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        title = soup.title.get_text() if soup.title else ""
        assert title, html
        reader = PdfReader(out)
        pages = reader.pages
        assert len(pages) >= 1
        # tagged (a structure tree, marked content) and with bookmarks (Chromium's outline from the headings)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], f"{html}: the PDF is not tagged"
        assert _outline_titles(reader.outline), f"{html}: the PDF has no bookmarks"
        # compared without spaces (a bookmark of a heading set on two lines loses the space) or the anchor mark
        headings = {re.sub(r"[\s¶]", "", h.get_text()) for h in soup.find_all(["h1", "h2"])}
        marks = {re.sub(r"\s", "", t) for t in _outline_titles(reader.outline)}
        assert headings <= marks, f"{html}: headings without a bookmark: {sorted(headings - marks)}"
        _no_half_empty_page(html, reader)
        cut = _headers_cut(soup, reader)
        assert not cut, f"{html}: table headers cut from the PDF (a table too wide for A4): {cut[:5]}"
        for page in pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5, f"{html}: page {width} x {height} pt"
        # NFKC: the PDF's text has typographic ligatures ("staﬀ")
        first = unicodedata.normalize("NFKC", pages[0].extract_text())
        assert " ".join(title.split()) in " ".join(first.split()), f"{html}: title {title!r} not on page 1"
        for k in (0, len(pages) - 1):
            assert f"Page {k + 1} of {len(pages)}" in pages[k].extract_text(), f"{html}: page {k + 1} unnumbered"
        assert reader.metadata is not None and reader.metadata.title == title


def _outline_titles(outline: Any) -> list[str]:
    """Every bookmark's title, nested ones included."""
    out: list[str] = []
    for entry in outline:
        if isinstance(entry, list):
            out += _outline_titles(entry)
        else:
            out.append(" ".join(str(entry.title).split()))
    return out


def _page_content(page: Any) -> tuple[float, float, list[float]]:
    """A page's lowest and highest text or image (points from the bottom; the running header and footer left out)
    and the tops of its images."""
    height = float(page.mediabox.height)
    ys: list[float] = []
    tops: list[float] = []

    def text(t: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if t.strip():
            ys.append(float(tm[5]) * float(cm[3]) + float(cm[5]))

    def operator(op: bytes, _args: Any, cm: Any, _tm: Any) -> None:
        if op == b"Do":  # an image: the current matrix places its unit square
            ys.extend([float(cm[5]), float(cm[5]) + float(cm[3])])
            tops.append(float(cm[5]) + float(cm[3]))

    page.extract_text(visitor_text=text, visitor_operand_before=operator)
    body = [y for y in ys if MARGIN_PT < y < height - MARGIN_PT]
    return (min(body) if body else height), (max(body) if body else 0.0), tops


#: Chromium's print header and footer lie within this many points of the page's top and bottom edges.
MARGIN_PT = 55.0


def _headers_cut(soup: BeautifulSoup, reader: Any) -> list[str]:
    """The column headers of the printed tables (not the figures' data tables, which are for the screen) that the
    PDF's text does not hold whole: a table wider than A4 is cut at the page's edge ("p (H")."""
    printed = re.sub(r"\s", "", unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages)))
    heads = {
        re.sub(r"\s", "", unicodedata.normalize("NFKC", th.get_text()))  # as the PDF's text: "I²" reads "I2"
        for th in soup.select('table th[scope="col"]')
        if not th.find_parent("details")
    }
    return sorted(h for h in heads if h and h not in printed)


#: How far below the top of a page a figure may start and still count as opening it: its section's heading and a
#: lead-in paragraph of a few lines above it (plp-2021's saturation figure, 12 cm tall, moves to the next page
#: with the heading and the sentence that introduce it).
LEAD_PT = 150.0


def _no_half_empty_page(html: Path, reader: Any) -> None:
    """No page but the last ends in its upper half, unless the next page opens with a figure, perhaps under its
    section's heading and lead-in (figures are kept whole with their captions: one that does not fit in the space
    left starts the next page, and a heading stays with what follows it)."""
    pages = reader.pages
    for number in range(len(pages) - 1):
        height = float(pages[number].mediabox.height)
        low, _, _ = _page_content(pages[number])
        if low <= height / 2:
            continue
        _, top, images = _page_content(pages[number + 1])
        assert any(t >= top - LEAD_PT for t in images), (
            f"{html}: page {number + 1} of {len(pages)} ends {100 * (height - low) / height:.0f} % down the page "
            "and the next page does not open with a figure"
        )


# --------------------------------------------------------------------------- accessibility (issue 21)

#: Runs axe-core on the page and returns each violation's rule id, impact and the targets of its nodes.
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {version: axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' '))}))};
}"""


@pytest.fixture(scope="module")
def axe() -> Path:
    script = axe_script()
    if script is None:
        pytest.skip(AXE_SKIP_REASON)
    return script


def test_axe_core_finds_no_violation_in_any_report(browser: Any, reports: list[Path], axe: Path) -> None:
    """axe-core (the pinned release, from the local file) with the WCAG 2.2 AA and best-practice rule sets: zero
    violations on every bundled report, at 1280 and 800 px."""
    assert axe_version() == accessible.AXE_CORE_VERSION
    # the reports' Content-Security-Policy forbids every script: this context injects axe-core regardless
    context = browser.new_context(bypass_csp=True, viewport={"width": WIDTHS[0], "height": 900}, offline=True)
    page = context.new_page()
    found: list[str] = []
    try:
        for html in reports:
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.add_script_tag(path=str(axe))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                result = page.evaluate(AXE_RUN, list(accessible.AXE_TAGS))
                assert result["version"] == axe_version()
                found += [
                    f"{html.relative_to(html.parents[2])} at {width} px: {v['id']} ({v['impact']}) on "
                    + ", ".join(v["targets"][:5])
                    + (f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else "")
                    for v in result["violations"]
                ]
    finally:
        context.close()
    assert found == [], "axe-core violations:\n" + "\n".join(found)


def test_every_figure_and_table_is_marked_up_for_screen_readers(reports: list[Path]) -> None:
    """Every image in a `<figure>` with a numbered `<figcaption>`, alt text that is not the caption and a table
    equivalent (a `<details>` table or a note naming the table); every table with a `<caption>` and every header
    cell with a scope; one h1; an accessibility statement naming the axe-core release."""
    for html in reports:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            figure = img.find_parent("figure")
            assert figure is not None, f"{html}: an image outside a <figure>"
            caption = figure.find("figcaption")
            assert caption is not None and re.match(r"Figure \d+\. ", caption.get_text()), html
            alt = " ".join(str(img.get("alt", "")).split())
            assert len(alt) > 40 and re.search(r"\d", alt), f"{html}: alt text without numbers: {alt!r}"
            assert alt not in caption.get_text(), f"{html}: the alt text repeats the caption"
            assert figure.find(class_="figure-data") is not None, f"{html}: a figure without a table equivalent"
        for table in soup.find_all("table"):
            assert table.find("caption") is not None and table.caption.get_text(strip=True), f"{html}: {table}"[:300]
            for th in table.find_all("th"):
                assert th.get("scope") in ("col", "row"), f"{html}: a header cell without scope: {th}"
        assert len(soup.find_all("h1")) == 1, html
        statement = soup.find(id="Accessibility")
        assert statement is not None, f"{html}: no accessibility statement"
        text = soup.get_text(" ")
        assert f"axe-core {axe_version()}" in text and "Known limits" in text, html
