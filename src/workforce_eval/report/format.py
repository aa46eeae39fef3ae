"""How numbers are written for people, in every report: numbers, percentages, p values, intervals,
counts and hidden cells (one function for each, so every table shows them the same way)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from workforce_eval.register.notation import CONCEALED, MISSING, display_count, fmt_int, is_missing

#: Indent for subtheme rows in Table 1: em spaces survive HTML whitespace collapsing, and the
#: leading zero-width space keeps pandas' `to_html` from stripping them.
INDENT = "\u200b\u2003\u2003"


def fmt_num(x: float, decimals: int = 1) -> str:
    """A number with `decimals` decimals, halves rounded away from zero (as people expect)."""
    if is_missing(x):
        return MISSING
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def fmt_pct(x: float, decimals: int = 1) -> str:
    """A percentage (0..100) as text, e.g. `49.1 %`."""
    if is_missing(x):
        return MISSING
    return f"{fmt_num(x, decimals)} %"


#: Between an interval's bounds: words (`35.9 to 62.5`) or, in compact cells and findings, an en dash (`36.1–62.1`).
TO, DASH = " to ", "–"
#: Before an interval named as such.
CI_LABEL = "95 % CI "


def fmt_interval(low: float, high: float, decimals: int = 1, sep: str = DASH, label: str = "") -> str:
    """An interval as text, the one formatter every report uses: `label` then the bounds with `decimals`
    joined by `sep` (`36.1–62.1`, `0.38 to 1.09`, `95 % CI 35.9 to 62.5`); empty when there is none."""
    if is_missing(low) or is_missing(high):
        return ""
    return f"{label}{fmt_num(low, decimals)}{sep}{fmt_num(high, decimals)}"


def fmt_ci(low: float, high: float, decimals: int = 1) -> str:
    """A 95 % interval as text, e.g. `95 % CI 35.9 to 62.5`; empty when there is none."""
    return fmt_interval(low, high, decimals, TO, CI_LABEL)


def share_cell(row: pd.Series | None, meta: Mapping[str, Any]) -> str:
    """A share row as `88.5 % (23/26)`; `–` when absent; when suppressed the hidden-cell notation alone
    (`[c]`, as every table shows it)."""
    if row is None:
        return MISSING
    if bool(row["suppressed"]):
        return display_count(row, meta)
    return f"{fmt_pct(row['estimate'])} ({fmt_int(row['n'])}/{fmt_int(row['denominator'])})"


def ci_cell(row: pd.Series | None) -> str:
    """A row's interval as text; empty when absent or suppressed."""
    if row is None or bool(row["suppressed"]):
        return ""
    return fmt_ci(row["ci_low"], row["ci_high"])


#: A cell that reads as a number (a count, a percentage, an estimate with its interval, p, `[c]`) or as the
#: notation of an absent or hidden number: right-aligned in tabular figures (class `NUM_CLASS`).
_NUMBER = r"[<>≤≥]?\s?[-−+]?\d[\d,.]*(?:\s?%)?"
_NUMERIC_CELL = re.compile(
    rf"^(?:{_NUMBER}(?:\s*(?:to|of|–)\s*{_NUMBER})?(?:\s*\(.*\))?(?:\s*[;/].*)?"
    rf"|{re.escape(MISSING)}|{re.escape(CONCEALED)}|{re.escape(MISSING)}\s*\(.*\)|not computed)$"
)

#: The CSS class of numeric cells (report/render.py's style block right-aligns it in tabular figures).
NUM_CLASS = "num"

#: The note under a table that has a hidden cell (one notation everywhere: `[c]`).
HIDDEN_NOTE = (
    f"“{CONCEALED}”: hidden by disclosure control (a count below {{k}}, a number resting on one, or a number "
    f"from which one could be worked out); “{MISSING}”: no value."
)


def is_numeric_text(text: object) -> bool:
    """Whether a table cell reads as a number (or as the notation for an absent or hidden one)."""
    return bool(_NUMERIC_CELL.match(str(text).strip()))


def has_hidden(frame: pd.DataFrame) -> bool:
    """Whether any cell of a presentation table shows a hidden number (`[c]`; `<k`, the notation of older runs, too)."""
    hidden = re.compile(rf"(?:^|[\s(])<\d+(?![\d.])|{re.escape(CONCEALED)}")
    return any(bool(hidden.search(str(v))) for v in frame.to_numpy().ravel())


def hidden_note(frame: pd.DataFrame, threshold: int | None = None) -> str:
    """The escaped HTML note explaining the hidden-cell notation, or "" when the table hides nothing.

    The threshold is the cohort's (`threshold`), else read from the table's own `<k` cells (older runs').
    """
    if not has_hidden(frame):
        return ""
    if threshold is None:
        found = [re.search(r"(?:^|[\s(])<(\d+)(?![\d.])", str(v)) for v in frame.to_numpy().ravel()]
        ks = sorted({int(m.group(1)) for m in found if m})
        threshold = ks[0] if len(ks) == 1 else None
    if threshold is None:
        text = HIDDEN_NOTE.replace("a count below {k}", "a count below the disclosure threshold")
    else:
        text = HIDDEN_NOTE.format(k=int(threshold))
    return f"<p class='table-note'>{html_text(text)}</p>"


def table_html(
    frame: pd.DataFrame, *, threshold: int | None = None, caption: str = "", row_headers: bool = True
) -> str:
    """A presentation table as escaped HTML without the index; numeric cells carry class `NUM_CLASS`.

    `caption` (plain text; a leading "Table n." is set in bold) becomes the table's `<caption>`. Header cells
    say what they head: the column headers `scope="col"`; with `row_headers`, the first column's non-empty
    cells are row headers (`<th scope="row">`), since the first column names what each row is about.
    A note under the table explains the hidden-cell notation whenever some cell uses it (with the cohort's
    `threshold` where given, else the one its `<k` cells show).
    """
    head = "".join(
        f'<th scope="col" class="{NUM_CLASS}">{html_text(c)}</th>'
        if len(frame) and all(is_numeric_text(v) or str(v) == "" for v in frame[c]) and i > 0
        else f'<th scope="col">{html_text(c)}</th>'
        for i, c in enumerate(frame.columns)
    )
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for i, v in enumerate(row):
            numeric = f' class="{NUM_CLASS}"' if is_numeric_text(v) else ""
            if i == 0 and row_headers and str(v).strip():
                cells.append(f'<th scope="row"{numeric}>{html_text(v)}</th>')
            else:
                cells.append(f"<td{numeric}>{html_text(v)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    note = hidden_note(frame, threshold)
    return (
        f'<table class="dataframe">{caption_html(caption)}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


#: A caption's leading table number ("Table 1.", "Table 1a.", "Table A1."), set in bold.
_TABLE_NUMBER = re.compile(r"^(Table [A-Z]?\d+[a-z]?\.)\s*")


def caption_html(caption: str) -> str:
    """A table's `<caption>` (escaped; its leading "Table n." in bold), or "" without a caption."""
    if not caption.strip():
        return ""
    found = _TABLE_NUMBER.match(caption)
    if found:
        rest = caption[found.end() :]
        return f"<caption><strong>{html_text(found.group(1))}</strong> {html_text(rest)}</caption>"
    return f"<caption>{html_text(caption)}</caption>"


def share_ci_cell(row: pd.Series | None, meta: Mapping[str, Any]) -> str:
    """A share with its interval in one cell, `49.1 % (36.1–62.1)`; hidden or absent as `share_cell` shows it."""
    if row is None or bool(row["suppressed"]):
        return share_cell(row, meta) if row is None else display_count(row, meta)
    ci = fmt_interval(row["ci_low"], row["ci_high"])
    return f"{fmt_pct(row['estimate'])} ({ci})" if ci else fmt_pct(row["estimate"])


def md_escape(text: str) -> str:
    """Text safe to put inside Markdown (backslash-escapes Markdown's special characters)."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]<>()#+-.!|":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def html_text(text: object) -> str:
    """Any text from the cohort or the register as HTML character data or an attribute value (the one escaping place).

    Every label, name, formula and free text a report shows goes through this function (or `code`,
    `md_text`, `table_html`, which use it or pandas' equivalent escaping), so cohort folders cannot
    add markup to a published report.
    """
    return html.escape(str(text), quote=True)


def md_text(text: object) -> str:
    """Text safe to put inside Markdown the notebooks display: HTML-escaped, then Markdown's specials escaped.

    Entities (`&lt;`) survive Markdown rendering as the literal characters; backslash escapes stop
    emphasis, links, headings and code spans.
    """
    return md_escape(html.escape(str(text), quote=False))


def code(text: object) -> str:
    """Text shown as code (a formula, a column name) inside Markdown or HTML: `<code>` with the text escaped.

    A Markdown code span cannot be escaped (a backtick in the text ends it), so names are never
    interpolated between backticks.
    """
    return f"<code>{md_text(text)}</code>"


def fmt_p(p: float) -> str:
    """A p-value for display: `<0.001` below 0.001, else three decimals; the dash when missing."""
    if is_missing(p):
        return MISSING
    return "<0.001" if float(p) < 0.001 else fmt_num(p, 3)


def count_text(row: pd.Series | None, meta: Mapping[str, Any]) -> str:
    """A register row's count as shown to people (`display_count`): `[c]` when suppressed, the dash when absent."""
    return display_count(None if row is None else {str(k): v for k, v in row.items()}, meta)


def fmt_est_ci(row: pd.Series | None, decimals: int = 2) -> str:
    """`0.73 (0.38 to 1.09)`; without an interval just the number; the dash when absent or suppressed."""
    if row is None or bool(row["suppressed"]) or is_missing(row["estimate"]):
        return MISSING
    return est_interval(row["estimate"], row["ci_low"], row["ci_high"], decimals)


def est_interval(estimate: float, low: float, high: float, decimals: int = 2) -> str:
    """`0.73 (0.38 to 1.09)`; without an interval just the number."""
    ci = fmt_interval(low, high, decimals, TO)
    est = fmt_num(estimate, decimals)
    return f"{est} ({ci})" if ci else est
