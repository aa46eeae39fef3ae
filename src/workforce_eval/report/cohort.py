"""Presentation helpers for the cohort report notebook, and its papermill / nbconvert rendering.

Everything here only *reads* results: numbers come from the cohort's statistics register
(`statistics.csv`), labels from `clean/cohort.json`, quotes from `quotes.csv`. Nothing is
estimated here; numbers are only rounded and formatted for display.
"""

from __future__ import annotations

import contextlib
import copy
import html
import json
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.register.measures import PCT_AGREE, PCT_YES
from workforce_eval.register.notation import CONCEALED, MISSING, disclosure_threshold, display_count, fmt_int, is_missing
from workforce_eval.analyses.quotes import QUOTE_COLUMNS

#: Figures the report shows, by file stem under `figures/`.
FIGURES: tuple[str, ...] = ("composition", "likert", "themes", "coefficients", "prepost")

#: A group is "notably smaller" when it has fewer than this share of the largest group's respondents.
SMALLER_GROUP_RATIO = 0.75

#: Below this many respondents a group's percentages rest on small numbers.
SMALL_GROUP = 5

#: Response rates below this (percent) get a response-bias limitation.
LOW_RESPONSE_RATE = 60.0

#: Indent for subtheme rows in Table 1: em spaces survive HTML whitespace collapsing, and the
#: leading zero-width space keeps pandas' `to_html` from stripping them.
INDENT = "\u200b\u2003\u2003"

ALL_LABEL = "All respondents"

#: nbconvert's lab template, with figures given the alt text set on `IPython.display.Image`
#: (the stock template drops it and writes a generic placeholder).
_HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" \
alt="{{ (output | get_metadata('alt', 'image/png') or '') | escape_html }}">
</div>
{%- endblock data_png %}
{% block notebook_css %}
{{ super() }}
<style>
/* tables hold labels, item wording and quotes as much as numbers: read them left to right */
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th { text-align: left; vertical-align: top; }
</style>
{% endblock notebook_css %}
"""


class ReportError(RuntimeError):
    """The report notebook failed to execute or render."""


@dataclass(frozen=True)
class Results:
    """One cohort's results as the report reads them."""

    stats: pd.DataFrame
    meta: dict[str, Any]
    quotes: pd.DataFrame
    figures: Path


# --------------------------------------------------------------------------- loading


def load_results(results_dir: Path, cohort_id: str) -> Results:
    """Read a cohort's register, cohort.json and quotes.csv from `<results_dir>/<cohort_id>/`."""
    cohort_dir = Path(results_dir) / str(cohort_id)
    stats = register.read(cohort_dir / "statistics.csv")
    meta = json.loads((cohort_dir / "clean" / "cohort.json").read_text(encoding="utf-8"))
    quotes_path = cohort_dir / "quotes.csv"
    if quotes_path.exists():
        quotes = pd.read_csv(quotes_path, dtype=str, keep_default_na=False, encoding="utf-8")
    else:
        quotes = pd.DataFrame({c: pd.Series(dtype=str) for c in QUOTE_COLUMNS})
    return Results(stats=stats, meta=meta, quotes=quotes, figures=cohort_dir / "figures")


# --------------------------------------------------------------------------- formatting



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


# --------------------------------------------------------------------------- metadata helpers


def title(meta: dict[str, Any]) -> str:
    """The report title, `<programme> — cohort <cohort> evaluation report`."""
    return f"{meta.get('programme', '')} — cohort {meta.get('cohort', meta.get('cohort_id', ''))} evaluation report"


def group_labels(meta: dict[str, Any]) -> dict[str, str]:
    """Group code -> label, in cohort order."""
    return {str(g["code"]): str(g["label"]) for g in meta.get("groups", [])}


def _one(
    stats: pd.DataFrame, analysis: str, measure: str, *, item: str = "", group: str = "all", source: str | None = None
) -> pd.Series | None:
    """The single register row of a measure, or None when the register has none."""
    rows = register.select(stats, analysis, measure, item=item, group=group, source=source)
    if rows.empty:
        return None
    if len(rows) > 1:
        raise ValueError(
            f"statistics.csv has {len(rows)} rows for {analysis}/{measure} item={item!r} group={group!r} source={source!r}"
        )
    return rows.iloc[0]


def figure_path(res: Results, name: str) -> Path | None:
    """The PNG of a figure, or None when it was not produced."""
    path = res.figures / f"{name}.png"
    return path if path.exists() else None


# --------------------------------------------------------------------------- tables


def _pairs_of(row: pd.Series, meta: dict[str, Any]) -> str:
    """`of 27 pairs`; `of <k pairs` when the row is suppressed and the number of pairs is itself small."""
    if is_missing(row["denominator"]):
        return ""
    pairs = float(row["denominator"])
    if bool(row["suppressed"]) and 0 < pairs < disclosure_threshold(meta):
        return f"of <{disclosure_threshold(meta)} pairs"
    return f"of {fmt_int(pairs)} pairs"


def response_summary(res: Results) -> pd.DataFrame:
    """Invited, responses, response rate (with CI), complete pairs and interviews, where the register has them."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    rows: list[tuple[str, str, str]] = []
    r = _one(stats, "response", "invited")
    if r is not None:
        rows.append(("Invited to the survey", display_count(r, meta), ""))
    r = _one(stats, "response", "responses")
    if r is not None:
        rows.append(("Survey responses", display_count(r, meta), ""))
    r = _one(stats, "response", "response_rate")
    if r is not None:
        rows.append(("Response rate", share_cell(r, meta), ci_cell(r)))
    r = _one(stats, "response", "complete_pairs")
    if r is not None:
        of = _pairs_of(r, meta)
        rows.append(("Pairs in which every partner responded", display_count(r, meta), of))
    r = _one(stats, "response", "interviews")
    if r is not None:
        parts = []
        for code, label in labels.items():
            g = _one(stats, "response", "interviews", group=code)
            if g is not None:
                parts.append(f"{label} {display_count(g, meta)}")
        rows.append(("Interviews", display_count(r, meta), "; ".join(parts)))
    r = _one(stats, "response", "interview_pairs")
    if r is not None:
        of = _pairs_of(r, meta)
        rows.append(("Pairs in which every partner was interviewed", display_count(r, meta), of))
    return pd.DataFrame(rows, columns=["Measure", "Value", "Detail"])


def composition_table(res: Results) -> pd.DataFrame:
    """Respondents per group with shares adding to 100.0 (largest remainder), then combined groups (own rounding)."""
    from workforce_eval.stats.rounding import largest_remainder

    stats, meta = res.stats, res.meta
    columns = ["Group", "Respondents", "% of respondents", "95 % CI"]
    found = [(label, _one(stats, "composition", "share", group=code)) for code, label in group_labels(meta).items()]
    groups = [(label, row) for label, row in found if row is not None]
    rounded = largest_remainder([float(row["estimate"]) for _, row in groups], 1)
    out: list[list[str]] = []
    for (label, row), pct in zip(groups, rounded, strict=True):
        shown = f"{MISSING}" if bool(row["suppressed"]) else f"{pct:.1f}"
        out.append([label, display_count(row, meta), shown, ci_cell(row)])
    for combined in meta.get("combined_groups", []):
        row = _one(stats, "composition", "share", group=str(combined["code"]))
        if row is None:
            continue
        shown = MISSING if bool(row["suppressed"]) else fmt_num(row["estimate"])
        out.append([str(combined["label"]), display_count(row, meta), shown, ci_cell(row)])
    return pd.DataFrame(out, columns=columns)


def _survey_items(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The yes/no and Likert items of the instrument, in instrument order."""
    return [i for i in meta.get("items", []) if i.get("type") in ("yesno", "likert")]


def _item_columns(meta: dict[str, Any]) -> dict[str, str]:
    """Column code -> header for item tables: all respondents first, then groups in cohort order."""
    return {"all": ALL_LABEL, **group_labels(meta)}


def median_label(item: dict[str, Any], median: float) -> str:
    """The answer level at a median code (1 = first level); a half-way median names both levels."""
    if is_missing(median):
        return MISSING
    levels = list(item.get("levels") or [])
    if item.get("reverse"):
        levels = levels[::-1]
    lo, hi = math.floor(median), math.ceil(median)
    if not levels or lo < 1 or hi > len(levels):
        return fmt_num(median)
    if lo == hi:
        return levels[lo - 1]
    return f"between {levels[lo - 1]} and {levels[hi - 1]}"


def _item_measure(item: dict[str, Any]) -> tuple[str, str]:
    """(register measure, row label) of an item's headline percentage."""
    if item["type"] == "yesno":
        top = (item.get("levels") or ["", "Yes"])[-1]
        return PCT_YES, f"% {top}"
    if item.get("reverse"):
        return PCT_AGREE, "% in top two levels (reverse-coded item)"
    return PCT_AGREE, "% agree"


def items_table(res: Results) -> pd.DataFrame:
    """Per yes/no item % yes and per Likert item % agree and median level, one column per group (all first)."""
    stats, meta = res.stats, res.meta
    cols = _item_columns(meta)
    out: list[list[str]] = []
    for item in _survey_items(meta):
        measure, label = _item_measure(item)
        cells = [share_cell(_one(stats, "item", measure, item=item["id"], group=g), meta) for g in cols]
        out.append([str(item.get("text") or item["id"]), label, *cells])
        if item["type"] == "likert":
            meds = []
            for g in cols:
                row = _one(stats, "item", "median", item=item["id"], group=g)
                meds.append(MISSING if row is None or bool(row["suppressed"]) else median_label(item, row["estimate"]))
            out.append(["", "Median answer", *meds])
    return pd.DataFrame(out, columns=["Item", "Measure", *cols.values()])


def items_ci_table(res: Results) -> pd.DataFrame:
    """The 95 % intervals of the percentages in `items_table`, same layout."""
    stats, meta = res.stats, res.meta
    cols = _item_columns(meta)
    out: list[list[str]] = []
    for item in _survey_items(meta):
        measure, label = _item_measure(item)
        cells = [ci_cell(_one(stats, "item", measure, item=item["id"], group=g)) for g in cols]
        out.append([str(item.get("text") or item["id"]), label, *cells])
    return pd.DataFrame(out, columns=["Item", "Measure", *cols.values()])


def themes_table(res: Results, source: str = "all") -> pd.DataFrame:
    """Table 1: participants with coded data per theme and (indented) subtheme, per group and all."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    columns = ["Theme / subtheme", *labels.values(), "All"]

    def cells(node_id: str) -> list[str]:
        out = []
        for g in [*labels, "all"]:
            row = _one(stats, "theme", "participants", item=node_id, group=g, source=source)
            out.append(MISSING if row is None else display_count(row, meta))
        return out

    rows: list[list[str]] = []
    for theme in meta.get("codebook", []):
        rows.append([str(theme["label"]), *cells(str(theme["id"]))])
        for sub in theme.get("subthemes", []):
            rows.append([INDENT + str(sub["label"]), *cells(str(sub["id"]))])
    return pd.DataFrame(rows, columns=columns)


def quote_tables(res: Results) -> dict[str, pd.DataFrame]:
    """One quote table per theme (codebook order): Subtheme, Quote, Attributed to; never any ids."""
    columns = ["Subtheme", "Quote", "Attributed to"]
    codebook = res.meta.get("codebook", [])
    theme_of: dict[str, str] = {}
    sub_of: dict[str, tuple[str, int]] = {}
    for theme in codebook:
        for key in (str(theme["id"]), str(theme["label"])):
            theme_of[key] = str(theme["id"])
        for rank, sub in enumerate(theme.get("subthemes", [])):
            for key in (str(sub["id"]), str(sub["label"])):
                sub_of[key] = (str(sub["label"]), rank)
    quotes = res.quotes
    unknown = sorted(set(quotes["theme"]) - set(theme_of)) if not quotes.empty else []
    if unknown:
        raise ValueError(f"quotes.csv names themes that are not in the codebook: {', '.join(unknown)}")
    tables: dict[str, pd.DataFrame] = {}
    for theme in codebook:
        tid = str(theme["id"])
        part = quotes[quotes["theme"].map(theme_of) == tid] if not quotes.empty else quotes
        records = []
        for position, (_, q) in enumerate(part.iterrows()):
            subs = [sub_of.get(x, (x, len(sub_of))) for x in str(q["subtheme"]).split(";")]
            label, rank = "; ".join(lbl for lbl, _ in subs), min(r for _, r in subs)
            records.append((rank, position, label, f"“{str(q['text']).strip()}”", str(q["attribution"])))
        records.sort(key=lambda r: (r[0], r[1]))
        tables[str(theme["label"])] = pd.DataFrame([r[2:] for r in records], columns=columns)
    return tables


# --------------------------------------------------------------------------- text


def _labelled(pairs: list[tuple[str, str]]) -> str:
    """`A (n = 9) and B (n = 3)` from (label, count) pairs."""
    parts = [f"{label} (n = {count})" for label, count in pairs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def limitations(res: Results) -> list[str]:
    """Limitations sentences generated from the register (response, group sizes, interviews, synthetic data)."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    out: list[str] = []

    rate = _one(stats, "response", "response_rate")
    if rate is not None and not bool(rate["suppressed"]) and float(rate["estimate"]) < LOW_RESPONSE_RATE:
        out.append(
            f"The response rate was {fmt_pct(rate['estimate'])} ({fmt_int(rate['n'])} of "
            f"{fmt_int(rate['denominator'])} invited participants). People who chose to answer may differ "
            "from those who did not, so the survey results may not represent the whole cohort."
        )

    counts = {}
    for code in labels:
        row = _one(stats, "response", "responses", group=code)
        if row is not None and not bool(row["suppressed"]):  # a hidden count must not show through the wording
            counts[code] = row
    if counts:
        largest = max(counts, key=lambda c: float(counts[c]["estimate"]))
        top = float(counts[largest]["estimate"])
        smaller = [c for c in counts if c != largest and float(counts[c]["estimate"]) < SMALLER_GROUP_RATIO * top]
        if smaller:
            out.append(
                "Fewer respondents came from "
                + _labelled([(labels[c], display_count(counts[c], meta)) for c in smaller])
                + f" than from {_labelled([(labels[largest], display_count(counts[largest], meta))])}, "
                "so figures for all respondents lean towards the views of the larger group."
            )
        none = [c for c in counts if float(counts[c]["estimate"]) == 0]
        if none:
            out.append(f"No survey responses came from {_and([labels[c] for c in none])}.")
        small = [c for c in counts if 0 < float(counts[c]["estimate"]) < SMALL_GROUP]
        if small:
            pairs = _labelled([(labels[c], display_count(counts[c], meta)) for c in small])
            out.append(
                f"Fewer than {SMALL_GROUP} people responded in {pairs}: percentages for "
                f"{'this group' if len(small) == 1 else 'these groups'} rest on very small numbers "
                "and their confidence intervals are wide."
            )

    interviews = _one(stats, "response", "interviews")
    if interviews is not None:
        if float(interviews["estimate"]) == 0:
            out.append("No interviews were recorded for this cohort, so the themes rest on survey free text only.")
        else:
            missing = []
            for code in labels:
                row = _one(stats, "response", "interviews", group=code)
                if row is not None and not bool(row["suppressed"]) and float(row["estimate"]) == 0:
                    missing.append(labels[code])
            if missing:
                out.append(
                    f"No interviews were held with {_and(missing)}, so the interview themes do not "
                    f"include {'this group' if len(missing) == 1 else 'these groups'} directly."
                )

    if bool(stats["suppressed"].any()):
        k = disclosure_threshold(meta)
        out.append(
            f"To protect people in small groups, counts below {k} (and numbers resting on them) are shown "
            f"as “<{k}” and numbers that would reveal them as “{CONCEALED}”; those results cannot be read "
            "from this report."
        )

    if meta.get("synthetic"):
        out.append(
            "The data are synthetic: they were invented by the pipeline's generator and do not come from "
            "real participants. The numbers and quotes illustrate the method only and say nothing about "
            "the programme."
        )
    return out


def _and(items: list[str]) -> str:
    """`a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def limitations_html(res: Results) -> str:
    """The limitations as an escaped HTML bullet list."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in limitations(res))
    return f"<ul>{items}</ul>"


def synthetic_banner(meta: dict[str, Any]) -> str | None:
    """A clearly visible HTML banner for synthetic data, or None for real data."""
    if not meta.get("synthetic"):
        return None
    return (
        '<div role="alert" style="border: 3px solid #b00020; background: #fde8ea; color: #5f0010; '
        'padding: 0.8em 1em; margin: 0 0 1em 0; font-size: 1.15em;">'
        "<strong>SYNTHETIC DATA</strong> — this report was generated from invented data, "
        "not real participants. The numbers and quotes illustrate the method only."
        "</div>"
    )


def disclosure_note(meta: dict[str, Any]) -> str:
    """One or two sentences on disclosure control and the threshold in force for this cohort."""
    k = disclosure_threshold(meta)
    counts = "a count of 1" if k == 2 else f"counts from 1 to {k - 1}"
    text = (
        f"Disclosure control: {counts}, and the percentages, intervals and medians that rest on them, "
        f"are shown as “<{k}”; a number hidden only so that such a count cannot be worked out from it "
        f"(for example from a total and the other groups) is shown as “{CONCEALED}”. A zero is never "
        "hidden for being small."
    )
    default = meta.get("disclosure_threshold_default")
    if meta.get("disclosure_threshold_source") == "cohort.yaml":
        reason = str((meta.get("extra") or {}).get("disclosure_threshold_reason") or "").strip().rstrip(".")
        text += f" The threshold of {k} is set for this cohort in cohort.yaml"
        if default is not None and int(default) != k:
            text += f" (the project default is {int(default)})"
        text += f", {reason}." if reason else "."
    else:
        text += f" The threshold of {k} is the project default."
    return text


def about_text(res: Results, cohort_id: str) -> str:
    """The 'About this report' paragraph (Markdown)."""
    return (
        f"This report was generated by the `workforce_eval` pipeline for cohort id `{cohort_id}` "
        "from the cohort's statistics register (`statistics.csv`), its cleaned metadata "
        "(`clean/cohort.json`) and its quote table (`quotes.csv`). Every number shown is read from "
        "`statistics.csv`, where it is stored unrounded with its count, denominator, interval and "
        "method, so each can be traced back to one register row. Percentages are rounded to one "
        "decimal for display; the group shares in the composition table use largest-remainder "
        "rounding so that they add up to 100.0. Intervals are 95 % confidence intervals. Quotes are "
        "passages whose speakers consented to quotation, attributed by pseudonym and group only. "
        + md_escape(disclosure_note(res.meta))
    )


# --------------------------------------------------------------------------- rendering


def clean_for_export(nb: Any) -> Any:
    """A copy of an executed notebook without timing metadata, prompts or empty code cells."""
    out = copy.deepcopy(nb)
    for key in ("papermill", "widgets"):
        out.metadata.pop(key, None)
    cells = []
    for cell in out.cells:
        for key in ("papermill", "execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
            if not cell.get("outputs"):
                continue
        cells.append(cell)
    out.cells = cells
    return out


@contextlib.contextmanager
def _package_on_kernel_path() -> Iterator[None]:
    """Let the notebook's kernel import this very package (not another install of it) while it runs."""
    src = str(Path(__file__).resolve().parents[2])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, before) if p)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


@contextlib.contextmanager
def _kernel_stderr_to_log() -> Iterator[None]:
    """Send what the kernel process writes to its stderr (e.g. ipykernel's shutdown chatter) to this step's log.

    The rule script points `sys.stderr` at the rule's log, but a child process inherits file descriptor 2;
    point descriptor 2 at the same file while the kernel runs, then restore it.
    """
    try:
        target = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        target = 2
    if target == 2:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(target, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def render_notebook(
    notebook: Path, parameters: dict[str, str], what: str, page_title: str, out_ipynb: Path, out_html: Path
) -> None:
    """Execute a parameterised notebook with papermill and export deterministic, code-free HTML titled `page_title`."""
    import jinja2
    import nbformat
    import papermill
    from nbconvert import HTMLExporter
    from papermill.exceptions import PapermillExecutionError

    out_ipynb = Path(out_ipynb)
    out_html = Path(out_html)
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    # results_dir relative to the notebook's working folder, so the executed notebook does not depend on where
    # the project lives (two clean runs in different folders give the same notebook but for papermill's timings)
    params = dict(parameters)
    if "results_dir" in params:
        rel = os.path.relpath(Path(params["results_dir"]).resolve(), out_ipynb.parent.resolve())
        params["results_dir"] = Path(rel).as_posix()
    try:
        with _package_on_kernel_path(), _kernel_stderr_to_log():
            papermill.execute_notebook(
                str(notebook),
                str(out_ipynb),
                parameters=params,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(out_ipynb.parent.resolve()),
            )
    except PapermillExecutionError as err:
        raise ReportError(
            f"report notebook {notebook} failed for {what} in cell {err.exec_count}: "
            f"{err.ename}: {err.evalue} (executed notebook with the traceback: {out_ipynb})"
        ) from err

    nb = clean_for_export(nbformat.read(str(out_ipynb), as_version=4))
    nb.metadata["title"] = page_title
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[jinja2.DictLoader({"cohort_report.html.j2": _HTML_TEMPLATE})],
        template_file="cohort_report.html.j2",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page_title}})
    out_html.write_bytes(body.encode("utf-8"))


def render_report(results_dir: Path, cohort_id: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the report notebook for a cohort with papermill and export deterministic, code-free HTML."""
    params = {"cohort_id": str(cohort_id), "results_dir": str(Path(results_dir).resolve())}
    meta = json.loads((Path(results_dir) / str(cohort_id) / "clean" / "cohort.json").read_text(encoding="utf-8"))
    render_notebook(notebook, params, f"cohort {cohort_id!r}", title(meta), out_ipynb, out_html)


def render_programme_report(results_dir: Path, programme: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the programme report notebook for `<results_dir>/programmes/<programme>/` and export HTML."""
    params = {"programme": str(programme), "results_dir": str(Path(results_dir).resolve())}
    folder = Path(results_dir) / "programmes" / str(programme)
    meta = json.loads((folder / "programme.json").read_text(encoding="utf-8"))
    page_title = f"{meta.get('programme', programme)} — programme report"
    render_notebook(notebook, params, f"programme {programme!r}", page_title, out_ipynb, out_html)
