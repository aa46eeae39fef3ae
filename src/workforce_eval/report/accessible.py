"""What makes a report readable without seeing its figures: text alternatives, table equivalents, the
`<figure>` markup and the accessibility statement.

- **Alt text from the register.** Each figure's alt text says in numbers what the figure shows (the largest and
  smallest values, how many items or pairs, the counts), built here from the same register rows the figure is
  drawn from. Only rows the figure shows are read: a row hidden by disclosure control (`suppressed`) is never
  described by its number, only counted as hidden. The alt text is never the caption (the caption says what the
  figure is; the alt text what it shows).
- **A table equivalent for every figure.** Either a table inside a collapsible `<details>` under the figure (the
  full co-occurrence matrix, the saturation curve, the full Likert distributions, the caterpillar plot's values)
  or a note naming the report's table that holds the same numbers.
- **`figure_html`**: the PNG embedded as a data: URI in `<figure>` with its numbered `<figcaption>`.
- **`statement_html`**: the accessibility statement each report ends with (what was tested, known limits).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses.groups import shown_groups
from workforce_eval.inputs.metadata import Cohort, Item
from workforce_eval.names import likert_pages
from workforce_eval.register import measures as m
from workforce_eval.register.labels import construct_label, term_label
from workforce_eval.register.notation import disclosure_threshold, display_count, fmt_int, reversed_text
from workforce_eval.report.format import fmt_num, fmt_pct, html_text, table_html
from workforce_eval.stats.rounding import largest_remainder

#: The axe-core release the browser tests run (tools/axe/package-lock.json pins it; a test keeps them equal).
AXE_CORE_VERSION = "4.14.1"
#: The axe-core rule sets (tags) the browser tests run on every report.
AXE_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


def shown(row: pd.Series | None) -> bool:
    """A row a figure draws by its number: present, not hidden by disclosure control, with a finite estimate."""
    if row is None or bool(row["suppressed"]):
        return False
    try:
        return math.isfinite(float(row["estimate"]))
    except (TypeError, ValueError):
        return False


def quoted(text: str) -> str:
    """A label inside alt text, in typographic quotes."""
    return f"“{text}”"


def _hidden_clause(hidden: int, what: str, k: int) -> str:
    """`; 2 items hidden by disclosure control (counts below 5)`, or "" when nothing is hidden."""
    if not hidden:
        return ""
    noun = what if hidden == 1 else what + "s"
    return f"; {hidden} {noun} hidden by disclosure control (counts below {k}) and not described"


def _responses(stats: pd.DataFrame) -> str | None:
    row = register.one(stats, m.RESPONSE, m.RESPONSES, source="survey")
    return fmt_int(row["n"] if not pd.isna(row["n"]) else row["estimate"]) if shown(row) else None  # type: ignore[index]


# --------------------------------------------------------------------------- alt text, cohort figures


def composition_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """The groups' shares of survey responses, as the composition chart labels its bars: the groups' shares
    rounded by largest remainder so that they add up to 100.0 (as the chart and the table round them), the
    combined groups' on their own."""
    meta = cohort.document
    labels = cohort.group_labels(combined=True)
    parts = []
    groups = shown_groups(cohort.group_codes, stats)
    codes = groups + shown_groups([g.code for g in cohort.combined_groups], stats)
    rows = {c: register.one(stats, m.COMPOSITION, m.SHARE, group=c, source="survey") for c in codes}
    finite = [c for c in groups if rows[c] is not None and math.isfinite(float(rows[c]["estimate"]))]  # type: ignore[index]
    rounded = dict(zip(finite, largest_remainder([float(rows[c]["estimate"]) for c in finite])))  # type: ignore[index]
    for code in codes:
        row = rows[code]
        if row is None:
            continue
        pct = rounded.get(code, float(row["estimate"]))
        text = f"{fmt_pct(pct)} (n={display_count(row, meta)})" if shown(row) else display_count(row, meta)
        combined = " (combined group)" if code not in cohort.group_codes else ""
        parts.append(f"{labels.get(code, code)}{combined} {text}")
    total = _responses(stats)
    lead = (
        f"Bar chart of the {total} survey responses by group: " if total else "Bar chart of survey responses by group: "
    )
    return lead + "; ".join(parts) + "."


def _top_box(item: Item, row: pd.Series) -> float:
    """How favourable an item's headline share is: the share, or 100 minus it where low is favourable."""
    pct = float(row["estimate"])
    return pct if item.favourable_high else 100.0 - pct


def _item_share(item: Item, row: pd.Series) -> str:
    """`"Item text" at 64.3 % agree` (where fewer is favourable, said so)."""
    what = item.top_box_label.removeprefix("% ")
    text = f"{quoted(reversed_text(item.label, item.reverse))} at {fmt_pct(row['estimate'])} {what}"
    return text if item.favourable_high else text + " (fewer is favourable)"


def likert_alt(stats: pd.DataFrame, cohort: Cohort, chart: int = 1) -> str:
    """Of N respondents, the most and least favourable items among those shown (all respondents) on Likert chart
    `chart` (1 = `likert`; one chart per response scale, `names.likert_pages`), the groups whose bars it draws
    under each item, and how many of its items are hidden."""
    pages = likert_pages([i.levels for i in cohort.likert_items], len(cohort.groups) + 1)
    page = pages[chart - 1] if 0 < chart <= len(pages) else None
    items = [it for it in cohort.likert_items if page is None or tuple(str(v) for v in it.levels) == page.levels]
    k = disclosure_threshold(cohort.document)
    rows = [(it, register.one(stats, m.ITEM, m.PCT_AGREE, item=it.id)) for it in items]
    seen = [(it, r) for it, r in rows if shown(r)]
    total = _responses(stats)
    lead = f"Of {total} respondents, " if total else ""
    scale = f"answer scale {items[0].levels[0]} to {items[0].levels[-1]}" if items and items[0].levels else "one scale"
    text = f"Diverging bars of the answers to {len(items)} item{'s' if len(items) != 1 else ''} on the {scale}"
    if page is not None and page.parts > 1:
        text += f" (this chart is part {page.part} of {page.parts}: the figures below are over all {len(items)})"
    text += ". "
    if seen:
        best = max(seen, key=lambda p: _top_box(p[0], p[1]))  # type: ignore[arg-type]
        worst = min(seen, key=lambda p: _top_box(p[0], p[1]))  # type: ignore[arg-type]
        text += f"{lead}the most favourable answers went to {_item_share(best[0], best[1])}"  # type: ignore[arg-type]
        if worst[0] is not best[0]:
            text += f", the least favourable to {_item_share(worst[0], worst[1])}"  # type: ignore[arg-type]
    else:
        text += "No item's share is shown"
    text += _hidden_clause(len(items) - len(seen), "item", k) + "."
    groups = shown_groups(cohort.group_codes, stats)
    if groups:
        labels = cohort.group_labels()
        text += " Under each item, a bar for all respondents, then " + ", ".join(labels.get(g, g) for g in groups)
        text += "."
    return text


def themes_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """The subthemes most and least often coded (all participants), as the themes chart draws them."""
    meta = cohort.document
    k = disclosure_threshold(meta)
    subs = cohort.codebook.subthemes
    rows = [(s, register.one(stats, m.THEME, m.PCT_PARTICIPANTS, item=s.id, source="all")) for s in subs]
    present = [(s, r) for s, r in rows if r is not None]
    seen = [(s, r) for s, r in present if shown(r)]
    text = f"Bars of {len(present)} subthemes by group. "
    if seen:
        best = max(seen, key=lambda p: float(p[1]["estimate"]))
        worst = min(seen, key=lambda p: float(p[1]["estimate"]))

        def one(pair: tuple[Any, pd.Series]) -> str:
            s, r = pair
            counts = f"{fmt_int(r['n'])} of {fmt_int(r['denominator'])}"
            return f"{quoted(s.label or s.id)} ({fmt_pct(r['estimate'])}, {counts})"

        text += f"Of all participants with coded data, most often coded: {one(best)}"
        if worst[0] is not best[0]:
            text += f"; least often: {one(worst)}"
    else:
        text += "No subtheme's share is shown"
    return text + _hidden_clause(len(present) - len(seen), "subtheme", k) + "."


def coefficients_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """Per declared model: its terms, how many intervals exclude zero and the largest estimate."""
    rows = register.select(stats, m.MODEL, m.COEFFICIENT)
    parts = []
    for model in cohort.models:
        prefix = f"{model['id']}:"
        terms = [r for _, r in rows.iterrows() if str(r["item"]).startswith(prefix) and shown(r)]
        terms = [r for r in terms if str(r["item"]) != f"{prefix}Intercept"]
        if not terms:
            continue
        away = [r for r in terms if float(r["ci_low"]) > 0 or float(r["ci_high"]) < 0]
        big = max(terms, key=lambda r: abs(float(r["estimate"])))
        label = term_label(str(big["item"]).split(":", 1)[1])
        parts.append(
            f"model {model['id']} (n={fmt_int(terms[0]['n'])}): {len(terms)} terms, {len(away)} with an interval "
            f"that excludes zero; largest: {quoted(label)} {fmt_num(big['estimate'], 2)} "
            f"({fmt_num(big['ci_low'], 2)} to {fmt_num(big['ci_high'], 2)})"
        )
    if not parts:
        return "No model coefficient could be drawn."
    return "Coefficients with 95 % intervals, " + "; ".join(parts) + "."


def equality_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """Each declared indicator's relative likelihood with its interval, or that it is hidden."""
    parts = []
    hidden = 0
    for ind in cohort.document.get("indicators", []):
        row = register.one(stats, m.EQUALITY, m.RELATIVE_LIKELIHOOD, item=str(ind["id"]), group=None)
        likelihoods = register.select(stats, m.EQUALITY, m.LIKELIHOOD, item=str(ind["id"]))
        keys = {f"{ind['by']}={ind['compared']}", f"{ind['by']}={ind['reference']}"}
        rests = likelihoods[likelihoods["subgroup"].isin(keys)]
        if not shown(row) or bool(rests["suppressed"].astype(bool).any()):
            hidden += 1
            continue
        assert row is not None
        ci = ""
        if not (pd.isna(row["ci_low"]) or pd.isna(row["ci_high"])):
            ci = f" ({fmt_num(row['ci_low'], 2)} to {fmt_num(row['ci_high'], 2)})"
        parts.append(f"{ind['label']}, {ind['compared']} against {ind['reference']}: {fmt_num(row['estimate'], 2)}{ci}")
    text = "Relative likelihoods (1 = equal): " + ("; ".join(parts) if parts else "none shown")
    if hidden:
        text += f"; {hidden} indicator{'s' if hidden != 1 else ''} hidden by disclosure control"
    return text + "."


def _prepost_targets(cohort: Cohort, types: tuple[str, ...] = ("likert",)) -> list[tuple[str, str]]:
    """The dumbbell chart's rows: scale scores and Likert items (answer codes), or the numeric items alone."""
    meta = cohort.document
    out = [(c, construct_label(c, meta)) for c in cohort.construct_ids] if "likert" in types else []
    out += [(i.id, reversed_text(i.label, i.reverse)) for i in cohort.items_of(*types)]
    return out


def prepost_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """The largest rise and the largest fall (or smallest rise) of the mean from before to after (all linked
    participants), over the items and scales drawn."""
    k = disclosure_threshold(cohort.document)

    def means(targets: list[tuple[str, str]]) -> tuple[list[tuple[str, float, float]], int]:
        pairs, hidden = [], 0
        for target, label in targets:
            a = register.one(stats, m.PRE_POST, m.MEAN_PRE, item=target)
            b = register.one(stats, m.PRE_POST, m.MEAN_POST, item=target)
            if a is None or b is None:
                continue
            if shown(a) and shown(b):
                pairs.append((label, float(a["estimate"]), float(b["estimate"])))
            else:
                hidden += 1
        return pairs, hidden

    def one(p: tuple[str, float, float]) -> str:
        return f"{quoted(p[0])} from {fmt_num(p[1], 2)} to {fmt_num(p[2], 2)}"

    pairs, hidden = means(_prepost_targets(cohort))
    ratings, hidden_ratings = means(_prepost_targets(cohort, ("numeric",)))
    if pairs:
        up = max(pairs, key=lambda p: p[2] - p[1])
        down = min(pairs, key=lambda p: p[2] - p[1])
        text = (
            f"Mean answer codes of linked participants before and after, {len(pairs)} items and scales; "
            f"largest rise: {one(up)}"
        )
        if down[0] != up[0]:
            text += f"; {'largest fall' if down[2] < down[1] else 'smallest rise'}: {one(down)}"
    else:
        text = "Mean answer codes before and after the programme: none shown"
    text += _hidden_clause(hidden + hidden_ratings, "item", k) + "."
    if ratings:
        text += " Ratings: " + "; ".join(one(p) for p in ratings) + "."
    return text


def _cooccurrence_cells(stats: pd.DataFrame, cohort: Cohort) -> tuple[str, list[tuple[str, str, pd.Series]]]:
    """The heatmap's level and its pairs (labels and register row) in codebook order, as the figure reads them."""
    from workforce_eval.analyses import cooccurrence
    from workforce_eval.figures.qualitative import nodes_at

    level = cooccurrence.shown_level(cohort.document)
    nodes = nodes_at(cohort, level)
    ids = [n for n, _, _ in nodes]
    labels = {n: label for n, label, _ in nodes}
    rows = register.select(stats, m.COOCCURRENCE, m.COOC_DOCUMENT_PARTICIPANTS, group="all", source="all")
    cells = []
    for _, row in rows.iterrows():
        a, b = str(row["item"]), str(row["level"])
        if a in ids and b in ids:
            cells.append((ids.index(a), ids.index(b), labels[a], labels[b], row))
    cells.sort(key=lambda c: (min(c[0], c[1]), max(c[0], c[1])))
    return level, [(la, lb, r) for _, _, la, lb, r in cells]


def cooccurrence_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """How many pairs occur together, the most frequent pair and how many counts are hidden."""
    k = disclosure_threshold(cohort.document)
    level, cells = _cooccurrence_cells(stats, cohort)
    seen = [(a, b, r) for a, b, r in cells if shown(r)]
    nonzero = [(a, b, r) for a, b, r in seen if float(r["estimate"]) > 0]
    hidden = len(cells) - len(seen)
    text = f"Heatmap of {level}s occurring together: {len(nonzero)} pairs shown occur together"
    if nonzero:
        top = max(nonzero, key=lambda c: float(c[2]["estimate"]))
        text += f"; most often {quoted(top[0])} with {quoted(top[1])}, {fmt_int(top[2]['estimate'])} participants"
    if hidden:
        text += f"; {hidden} pair{'s' if hidden != 1 else ''} hidden by disclosure control (counts below {k})"
    return text + "."


def saturation_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """Interviews, codes found in all and where saturation was reached."""
    new = register.select(stats, m.SATURATION, m.NEW_CODES)
    cumulative = register.select(stats, m.SATURATION, m.CUMULATIVE_CODES)
    if new.empty or not all(shown(r) for _, r in new.iterrows()):
        return "No saturation curve could be drawn."
    last = cumulative.iloc[-1] if not cumulative.empty else None
    first = new.iloc[0]
    text = f"New codes in each of {len(new)} interviews: {fmt_int(first['estimate'])} in the first"
    if last is not None and shown(last):
        text += f", {fmt_int(last['estimate'])} codes after all {len(new)}"
    point = register.one(stats, m.SATURATION, m.SATURATION_POINT)
    if shown(point):
        assert point is not None
        text += f"; saturation reached after interview {fmt_int(point['estimate'])}"
    else:
        text += "; no saturation point found"
    return text + "."


#: Alt text of each cohort figure, by figure name (Likert pages share `likert_alt`).
COHORT_ALT: dict[str, Callable[[pd.DataFrame, Cohort], str]] = {
    "composition": composition_alt,
    "likert": likert_alt,
    "themes": themes_alt,
    "coefficients": coefficients_alt,
    "equality": equality_alt,
    "prepost": prepost_alt,
    "cooccurrence": cooccurrence_alt,
    "saturation": saturation_alt,
}


def figure_alt(name: str, stats: pd.DataFrame, cohort: Cohort) -> str:
    """The alt text of cohort figure `name`; a further Likert chart `likert-2` describes its own items (one chart per
    response scale)."""
    if name.startswith("likert-"):
        return likert_alt(stats, cohort, int(name.rsplit("-", 1)[1]))
    return COHORT_ALT[name](stats, cohort)


# --------------------------------------------------------------------------- programme and organisation figures


def forest_alt(stats: pd.DataFrame, meta: Mapping[str, Any]) -> str:
    """The pooled mean change (all cohorts) of each item and scale of the forest plot, with its interval."""
    rows = register.select(stats, m.PRE_POST, m.MEAN_CHANGE, group="all", cohort="all")
    cohorts = len(meta.get("cohorts", []))
    labels = {str(c): construct_label(str(c), meta) for c in meta.get("constructs", [])}
    labels.update(
        {str(i["id"]): reversed_text(str(i.get("text") or i["id"]), i.get("reverse")) for i in meta.get("items", [])}
    )
    parts = []
    hidden = 0
    for _, row in rows.iterrows():
        if not shown(row):
            hidden += 1
            continue
        ci = ""
        if not (pd.isna(row["ci_low"]) or pd.isna(row["ci_high"])):
            ci = f" ({fmt_num(row['ci_low'], 2)} to {fmt_num(row['ci_high'], 2)})"
        item = str(row["item"])
        parts.append(f"{quoted(labels.get(item, item))} {fmt_num(row['estimate'], 2)}{ci}")
    text = f"Mean change from before to after in each of {cohorts} cohorts and pooled. Pooled change: "
    text += "; ".join(parts) if parts else "none shown"
    if hidden:
        text += f"; {hidden} hidden by disclosure control"
    return text + "."


def caterpillar_alt(stats: pd.DataFrame, cohort: Cohort) -> str:
    """Per key item: the lowest and highest organisation, the whole survey and how many are above or below."""
    from workforce_eval.figures.benchmarking import key_items, unit_values

    survey = register.select(stats, m.BENCHMARK, m.SURVEY_VALUE)
    whole = {str(r["item"]): r for _, r in survey.iterrows()}
    parts = []
    for item, label in key_items(cohort, stats):
        frame = unit_values(stats, item)
        if frame.empty:
            continue
        pct = str(frame["measure"].iloc[0]) != m.MEAN

        def value(x: float, pct: bool = pct) -> str:
            return fmt_pct(x) if pct else fmt_num(x, 2)

        low, high = frame.iloc[0], frame.iloc[-1]
        text = (
            f"{quoted(label)}: {len(frame)} organisations from {value(low['estimate'])} ({low['unit']}) to "
            f"{value(high['estimate'])} ({high['unit']})"
        )
        row = whole.get(item)
        if row is not None and shown(row):
            text += f", whole survey {value(float(row['estimate']))}"
        flags = frame["flag"].value_counts()
        text += f"; {int(flags.get('above', 0))} above and {int(flags.get('below', 0))} below the others"
        parts.append(text)
    return (
        ("Each organisation's value with its 95 % interval. " + "; ".join(parts) + ".")
        if parts
        else ("No organisation's value could be drawn.")
    )


# --------------------------------------------------------------------------- table equivalents


def likert_table(stats: pd.DataFrame, cohort: Cohort) -> pd.DataFrame:
    """Every Likert item's answer distribution (percent at each level, worded order) for all respondents and each
    group shown: the numbers of the Likert figure's bars. Hidden levels as every table shows them (`[c]`);
    where the single levels are hidden, the three combined categories the figure draws instead."""
    meta = cohort.document
    items = list(cohort.likert_items)
    labels = cohort.group_labels(all_label="All respondents")
    out = []
    for group in ["all", *shown_groups(cohort.group_codes, stats)]:
        for it in items:
            levels = register.select(stats, m.ITEM, m.LEVEL_PCT, item=it.id, group=group)
            by_level = {str(r["level"]): r for _, r in levels.iterrows()}
            rows = [by_level.get(lv) for lv in it.levels]
            if rows and all(shown(r) for r in rows):
                cells = [f"{lv} {fmt_pct(r['estimate'])}" for lv, r in zip(it.levels, rows)]  # type: ignore[index]
            else:  # single levels hidden: the three combined categories, as the figure draws them
                collapsed = register.select(stats, m.ITEM, m.COLLAPSED_PCT, item=it.id, group=group)
                cells = [
                    f"{r['level']} side (levels combined) "
                    + (fmt_pct(r["estimate"]) if shown(r) else display_count(r, meta))
                    for _, r in collapsed.iterrows()
                ] or [f"hidden (counts below {disclosure_threshold(meta)})"]
            out.append([reversed_text(it.label, it.reverse), labels.get(group, group), "; ".join(cells)])
    return pd.DataFrame(out, columns=["Item", "Group", "Answers (percent of those who answered)"])


def cooccurrence_full_table(stats: pd.DataFrame, cohort: Cohort) -> pd.DataFrame:
    """Every pair of the co-occurrence heatmap that occurs together (or whose count is hidden), in codebook order:
    participants with both in one interview or answer, as the heatmap writes it."""
    meta = cohort.document
    level, cells = _cooccurrence_cells(stats, cohort)
    name = level.capitalize()
    out = [[a, b, display_count(r, meta)] for a, b, r in cells if not (shown(r) and float(r["estimate"]) == 0)]
    return pd.DataFrame(out, columns=[name, f"{name} occurring with it", "Participants"])


def saturation_table(stats: pd.DataFrame) -> pd.DataFrame:
    """The saturation curve's numbers: each interview's new codes and the codes found so far."""
    new = register.select(stats, m.SATURATION, m.NEW_CODES)
    cumulative = {str(r["level"]): r for _, r in register.select(stats, m.SATURATION, m.CUMULATIVE_CODES).iterrows()}
    out = []
    for _, row in new.iterrows():
        so_far = cumulative.get(str(row["level"]))
        out.append(
            [
                str(row["level"]),
                fmt_int(row["estimate"]) if shown(row) else "hidden",
                fmt_int(so_far["estimate"]) if so_far is not None and shown(so_far) else "–",
            ]
        )
    return pd.DataFrame(out, columns=["Interview", "New codes", "Codes so far"])


def caterpillar_table(stats: pd.DataFrame, cohort: Cohort) -> pd.DataFrame:
    """The caterpillar plot's numbers: per key item, each organisation's value (95 % CI) and flag, lowest first."""
    from workforce_eval.figures.benchmarking import key_items, unit_values

    out = []
    for item, label in key_items(cohort, stats):
        frame = unit_values(stats, item)
        for _, r in frame.iterrows():
            pct = str(r["measure"]) != m.MEAN
            decimals = 1 if pct else 2
            value = f"{fmt_num(r['estimate'], decimals)}{' %' if pct else ''}"
            ci = f"{fmt_num(r['ci_low'], decimals)} to {fmt_num(r['ci_high'], decimals)}"
            out.append([label, str(r["unit"]), f"{value} ({ci})", str(r["flag"])])
    return pd.DataFrame(out, columns=["Item or scale", "Organisation", "Value (95 % CI)", "Compared with the others"])


def details(summary: str, table: pd.DataFrame, caption: str, threshold: int | None = None) -> str:
    """A table equivalent of a figure, collapsed under a `<summary>` (HTML, escaped)."""
    inner = table_html(table, caption=caption, threshold=threshold)
    return f"<details class='figure-data'><summary>{html_text(summary)}</summary>{inner}</details>"


def see_table(where: str) -> str:
    """A table equivalent that is elsewhere in the report: a note naming it (HTML, escaped)."""
    return f"<p class='figure-data'>{html_text('The numbers of this figure are in ' + where + '.')}</p>"


# --------------------------------------------------------------------------- <figure>


def figure_html(png: Path, number: int, caption: str, alt: str, equivalent: str = "") -> str:
    """A figure as HTML: `<figure>` with the PNG (a data: URI, alt text `alt`), `<figcaption>` "Figure n. caption"
    and its table equivalent (`details` or `see_table`) after the caption."""
    if alt.strip() == caption.strip():
        raise ValueError(f"figure {number}: the alt text repeats the caption")
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    return (
        f'<figure class=\'report-figure\'><img src="data:image/png;base64,{data}" alt="{html_text(alt)}">'
        f"<figcaption>{html_text(f'Figure {number}. {caption}')}</figcaption>{equivalent}</figure>"
    )


# --------------------------------------------------------------------------- the accessibility statement


#: The heading of every report's statement (`report/sections.py`).
STATEMENT_HEADING = "Accessibility"


def statement_html(kind: str, figures: bool = True) -> str:
    """The accessibility statement of a report of `kind` ("cohort", "programme", "organisation") as HTML: what
    was tested and the known limits. `figures`: whether the report holds figures."""
    tags = ", ".join(AXE_TAGS)
    tested = [
        f"This {kind} report is generated to the Web Content Accessibility Guidelines (WCAG) 2.2 level AA. "
        f"The project's tests open every report of its example cohorts in headless Chromium and run axe-core "
        f"{AXE_CORE_VERSION} with the rule sets {tags}: they must report no violation.",
        "The same tests check the structure: one title, headings in order, every table with a caption and its "
        "header cells marked as column or row headers, every figure in a figure element with a numbered caption, "
        "a text alternative and a table holding its numbers.",
        "The text alternative of each figure is generated from the statistics register: it states the figure's "
        "main numbers, never a number hidden by disclosure control.",
    ]
    limits = [
        "The report is a single file that works offline, without scripts; contents links lead to each section.",
    ]
    if figures:
        limits.append(
            "Figures are images: their text alternatives summarise them, and the full numbers are in the tables "
            "named under each figure or shown when its data table is opened."
        )
    pdf = (
        "The PDF copy is printed from this page by Chromium, tagged and with bookmarks for the headings; it has "
        "not been checked with a PDF accessibility checker (PDF/UA), so the HTML report is the accessible version."
    )
    if figures:
        pdf += " The PDF leaves out the figures' data tables, which the HTML report opens under each figure."
    limits.append(pdf)
    limits.append(
        "Automated checks find only part of the barriers; the reports have not been tested by people "
        "using assistive technology."
    )
    items = "".join(f"<li>{html_text(s)}</li>" for s in limits)
    return "".join(f"<p>{html_text(s)}</p>" for s in tested) + f"<p>Known limits:</p><ul>{items}</ul>"
