"""report.pdf: reports printed to PDF by headless Chromium, and the print stylesheet every report carries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import SKIP_REASON, chromium
from workforce_eval.report import pdf, render

PRINT_CSS = Path(pdf.__file__).with_name("print.css")


def test_every_report_inlines_the_print_stylesheet() -> None:
    css = PRINT_CSS.read_text(encoding="utf-8")
    assert "size: A4" in css and "display: table-header-group" in css
    assert css in render._HTML_TEMPLATE
    # self-contained: the stylesheet loads nothing (no url(), no @import, no external font)
    assert "url(" not in css and "@import" not in css


def test_missing_chromium_is_named_with_the_config_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    assert pdf.find_chromium() is None
    message = pdf.missing_chromium_message()
    assert "report_pdf" in message and "apt-get install chromium" in message
    with pytest.raises(pdf.PdfError, match="report_pdf"), pdf.browser():
        pass


def test_fixed_metadata_keeps_every_byte_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (
        b"%PDF-1.4\n1 0 obj <</Creator (x) /CreationDate (D:20261201171500+01'00') "
        b"/ModDate (D:20261201171500+01'00')>> endobj\ntrailer <</ID [<0A1B2C3D> <4E5F6071>]>>\n%%EOF"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # 1970-01-02 00:00:00 UTC
    fixed = pdf._fix_metadata(raw)
    assert len(fixed) == len(raw)
    assert b"/CreationDate (D:19700102000000+00'00')" in fixed
    assert b"/ModDate (D:19700102000000+00'00')" in fixed
    assert b"0A1B2C3D" not in fixed
    # the id depends on the content only: the same PDF made at another time gets the same id
    later = raw.replace(b"20261201171500", b"20270303090909").replace(b"0A1B2C3D", b"99999999")
    assert pdf._fix_metadata(later) == fixed


def test_find_reports_lists_every_kind_of_report(tmp_path: Path) -> None:
    made = [
        "plp-2021/report.html",
        "leeds-2022/report.html",
        "leeds-2022/organisations/report.html",
        "leeds-2022/organisations/reports/trust-a.html",
        "programmes/paired-learning/report.html",
    ]
    for rel in [*made, "plp-2021/figures/likert.png", "logs/plp-2021/report.log"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert pdf.find_reports(tmp_path) == sorted(tmp_path / rel for rel in made)


def test_a_printed_report_is_a4_tagged_with_bookmarks_repeated_headers_and_stable_bytes(tmp_path: Path) -> None:
    """Sections follow each other on a page (a forced break before each left pages half empty); a table longer
    than a page breaks between rows with its header row on every page; the PDF is tagged and has a bookmark per
    heading; the same HTML gives the same bytes."""
    exe = chromium()
    if exe is None:
        pytest.skip(SKIP_REASON)
    from pypdf import PdfReader

    css = PRINT_CSS.read_text(encoding="utf-8")
    rows = "".join(f"<tr><th scope='row'>Theme {i}</th><td>{i}</td></tr>" for i in range(1, 91))
    html = tmp_path / "report.html"
    html.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Cohort 7 evaluation report</title>"
        f"<style>{css}</style></head><body><h1>Cohort 7</h1><p>Summary.</p>"
        "<h2>Response</h2><p>Text.</p><h2>Themes</h2><table><caption>Table 1. Themes.</caption>"
        "<thead><tr><th scope='col'>Theme name</th><th scope='col'>Participants coded</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>",
        encoding="utf-8",
    )
    unit = tmp_path / "trust-a.html"
    unit.write_text(html.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "pdf"
    written = pdf.render_pdfs([(html, out / "report.pdf"), (unit, out / "trust-a.pdf")], exe)
    assert written == [out / "report.pdf", out / "trust-a.pdf"]
    reader = PdfReader(out / "report.pdf")
    pages = reader.pages
    assert len(pages) >= 2
    texts = [page.extract_text() for page in pages]
    # no forced break: both sections and the start of the table are on page 1
    assert "Response" in texts[0] and "Themes" in texts[0] and "Theme 1 1\n" in texts[0]
    for number, (page, text) in enumerate(zip(pages, texts), start=1):
        assert abs(float(page.mediabox.width) - 595.28) < 1.5 and abs(float(page.mediabox.height) - 841.89) < 1.5
        assert "Cohort 7 evaluation report" in text  # the running header
        assert f"Page {number} of {len(pages)}" in text
        assert "Theme name" in text and "Participants coded" in text  # the header row, repeated
    assert "Theme 90" in texts[-1]
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    titles: list[str] = []
    stack = list(reader.outline)
    while stack:
        entry = stack.pop(0)
        if isinstance(entry, list):
            stack = entry + stack
        else:
            titles.append(str(entry.title))
    assert titles == ["Cohort 7", "Response", "Themes"]
    # deterministic: the same HTML (from another file) gives the same bytes
    assert (out / "report.pdf").read_bytes() == (out / "trust-a.pdf").read_bytes()
