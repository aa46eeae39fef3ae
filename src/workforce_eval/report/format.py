"""How numbers are written for people, in every report: numbers, percentages, p values, intervals,
counts and hidden cells (one function for each, so every table shows them the same way)."""

from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from workforce_eval.register.notation import MISSING, display_count, fmt_int, is_missing

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


def fmt_ci(low: float, high: float, decimals: int = 1) -> str:
    """A 95 % interval as text, e.g. `95 % CI 35.9 to 62.5`; empty when there is none."""
    if is_missing(low) or is_missing(high):
        return ""
    return f"95 % CI {fmt_num(low, decimals)} to {fmt_num(high, decimals)}"


def share_cell(row: pd.Series | None, meta: dict[str, Any]) -> str:
    """A share row as `88.5 % (23/26)`; `–` when absent or suppressed."""
    if row is None:
        return MISSING
    if bool(row["suppressed"]):
        return f"{MISSING} ({display_count(row, meta)})"
    return f"{fmt_pct(row['estimate'])} ({fmt_int(row['n'])}/{fmt_int(row['denominator'])})"


def ci_cell(row: pd.Series | None) -> str:
    """A row's interval as text; empty when absent or suppressed."""
    if row is None or bool(row["suppressed"]):
        return ""
    return fmt_ci(row["ci_low"], row["ci_high"])


def table_html(frame: pd.DataFrame) -> str:
    """A presentation table as escaped HTML without the index."""
    return frame.to_html(index=False, escape=True)


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


def ci_text(low: float, high: float, decimals: int = 3) -> str:
    """`a to b`, or empty when there is no interval."""
    if is_missing(low) or is_missing(high):
        return ""
    return f"{fmt_num(low, decimals)} to {fmt_num(high, decimals)}"


def count_text(row: pd.Series | None, meta: dict[str, Any]) -> str:
    """A register row's count as shown to people (`display_count`): `<k` when suppressed, the dash when absent."""
    return display_count(None if row is None else {str(k): v for k, v in row.items()}, meta)


def fmt_est_ci(row: pd.Series | None, decimals: int = 2) -> str:
    """`0.73 (0.38 to 1.09)`; without an interval just the number; the dash when absent or suppressed."""
    if row is None or bool(row["suppressed"]) or is_missing(row["estimate"]):
        return MISSING
    est = fmt_num(row["estimate"], decimals)
    if is_missing(row["ci_low"]) or is_missing(row["ci_high"]):
        return est
    return f"{est} ({fmt_num(row['ci_low'], decimals)} to {fmt_num(row['ci_high'], decimals)})"
