"""The report's qualitative section (after Themes): agreement, co-occurrence, matrix coding, saturation.

Reads only the register (`agreement`, `cooccurrence`, `matrix`, `saturation` rows) and cohort.json;
every number shown is a register row's, formatted; hidden counts show as `display_count` says.
The case x code table is participant-level and is never shown here (it sits under the cohort's
restricted folder for analysts).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import cooccurrence
from workforce_eval.analyses import groups as groups_
from workforce_eval.analyses.themes import codebook_nodes
from workforce_eval.register import measures as m
from workforce_eval.register.measures import AGREEMENT, COOCCURRENCE, MATRIX, SATURATION
from workforce_eval.register.notation import MISSING, display_count, is_missing
from workforce_eval.report.format import INDENT, TO, fmt_int, fmt_num, fmt_pct, md_escape, share_cell
from workforce_eval.report.results import Results

#: One plain sentence per measure, shown under the tables.
EXPLANATIONS: dict[str, str] = {
    "percent_agreement": "Percent agreement is how often the coders made the same call on whether a code "
    "applies to a document.",
    "cohen_kappa": "Cohen's kappa is that agreement for two coders corrected for the agreement expected by "
    "chance (1 is perfect, 0 no better than chance), with its 95 % interval: the asymptotic (Wald) interval of "
    "Fleiss, Cohen and Everitt (1969), cut at -1 and 1, the range kappa cannot leave.",
    "fleiss_kappa": "Fleiss' kappa is the chance-corrected agreement of any number of coders over the "
    "documents all of them coded.",
    "krippendorff_alpha": "Krippendorff's alpha is a chance-corrected agreement that allows any number of "
    "coders and missing codings (1 is perfect, 0 chance); its 95 % interval is a bootstrap over documents.",
    "units": "A unit is one code in one document that two or more coders coded; each coder either applied "
    "the code somewhere in the document or did not.",
    "low_agreement": "A code's counts are too low to trust when its Krippendorff's alpha is below {minimum} "
    "(the configured minimum; by default 0.667, the lowest Krippendorff 2004 accepts for tentative "
    "conclusions) or, with no alpha, when the coders disagree on it.",
    "cooccurrence": "Co-occurrence counts the participants whose interview or answer was coded under both, "
    "those with one passage coded under both, and those passages (the same text or span of one document).",
    "matrix": "Matrix coding shows, for each value of a participant attribute, how many of the participants "
    "with coded data raised each theme and subtheme.",
    "saturation": "Saturation asks whether later interviews still brought new codes, judged by a published "
    "rule (Guest, Namey and Chen 2020).",
}
#: What a unit is when the coding is single-label and the overall row takes the document as the unit.
DOCUMENT_UNIT_SENTENCE = (
    "Every coder gave every document they coded exactly one code ({how}), so the codes are categories of the "
    "document: the overall row compares the code each coder chose for each document two or more coders coded "
    "(Cohen's and Fleiss' kappa and Krippendorff's alpha over documents, as is usual for such coding). Pooling "
    "every code's presence instead would count each code a coder did not choose as an agreement and read "
    "higher. The rows per code say whether the coders agreed on choosing that code."
)
#: A coefficient that is not defined or is fixed by the data, as the table says it, and the sentence under it.
NOT_DEFINED = "not defined: no variation"
ZERO_BY_CONSTRUCTION = "0 by construction"
DEGENERATE_SENTENCES = {
    NOT_DEFINED: f"“{NOT_DEFINED}”: every coder made the same call on every unit (a code applied to all of "
    "them or to none), so agreement expected by chance is total and no chance-corrected coefficient exists.",
    ZERO_BY_CONSTRUCTION: f"“{ZERO_BY_CONSTRUCTION}”: one coder made the same call on every unit, so the "
    "agreement observed equals the agreement expected by chance and Cohen's kappa is 0 whatever the other coder "
    "did; it says nothing about their agreement and has no interval.",
    "no width": "Where an interval would have no width (perfect agreement: the standard error is 0 and every "
    "bootstrap resample agrees), none is shown.",
}
#: Most decimals a coefficient is shown with next to the threshold it is compared with.
MAX_DECIMALS = 6

#: The agreement sentences the report shows, in order, under the agreement tables.
AGREEMENT_MEASURES: tuple[str, ...] = (
    "units",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "low_agreement",
)


def minimum_alpha(res: Results) -> float:
    """The minimum alpha this run flagged against (from the `low_agreement` row's method; 0.667 without one)."""
    rule = register.one(res.stats, AGREEMENT, m.LOW_AGREEMENT, item="", level="")
    text = str(rule["method"]).rpartition("< ")[2] if rule is not None else "0.667"
    try:
        return float(text)
    except ValueError:
        return 0.667


def _number(x: float, decimals: int = 2, threshold: float | None = None) -> str:
    """A coefficient with `decimals` decimals, more (up to `MAX_DECIMALS`) where fewer would put it on the other
    side of `threshold` than it is ("0.67" for 0.6664 against 0.667 reads 0.666), never "-0.00"."""
    value = float(x)
    if threshold is not None:
        while decimals < MAX_DECIMALS and (float(fmt_num(value, decimals)) < threshold) != (value < threshold):
            decimals += 1
    text = fmt_num(value, decimals)
    return text.removeprefix("-") if float(text) == 0 else text


def coefficient(row: pd.Series | None, threshold: float | None = None, decimals: int = 2) -> str:
    """`0.73 (0.38 to 0.98)` of a kappa or alpha row: the estimate (with enough digits to compare it with
    `threshold`), its interval unless that has no width; the dash when absent or suppressed."""
    if row is None or bool(row["suppressed"]) or is_missing(row["estimate"]):
        return MISSING
    est = _number(row["estimate"], decimals, threshold)
    low, high = row["ci_low"], row["ci_high"]
    if is_missing(low) or is_missing(high) or float(low) == float(high):
        return est
    return f"{est} ({_number(low, decimals)}{TO}{_number(high, decimals)})"


def _degenerate(res: Results, code: str, level: str) -> str | None:
    """Why the coefficients of a row are not defined or fixed: `NOT_DEFINED` when the data never vary (all
    coders made one call on every unit: no alpha, percent agreement 100), `ZERO_BY_CONSTRUCTION` when a coder
    never varies and Cohen's kappa is 0 for that reason; None otherwise."""
    stats = res.stats
    pct = register.one(stats, AGREEMENT, m.PERCENT_AGREEMENT, item=code, level=level)
    alpha = register.one(stats, AGREEMENT, m.KRIPPENDORFF_ALPHA, item=code, level=level)
    if pct is not None and not bool(pct["suppressed"]) and float(pct["estimate"]) == 100.0 and alpha is None:
        return NOT_DEFINED
    constant = register.one(stats, AGREEMENT, m.CONSTANT_CODERS, item=code, level=level)
    kappa = register.one(stats, AGREEMENT, m.COHEN_KAPPA, item=code, level=level)
    if constant is not None and float(constant["estimate"]) >= 1 and kappa is not None:
        return ZERO_BY_CONSTRUCTION
    return None


def unit_text(res: Results) -> str:
    """The unit of the overall agreement row, from its `units` row: `document x code` or `document, code as
    category (...)`."""
    row = register.one(res.stats, AGREEMENT, m.AGREEMENT_UNITS, item="", level="")
    return str(row["method"]) if row is not None and str(row["method"]) else m.PRESENCE_UNIT


def unit_sentence(res: Results) -> str:
    """What the units of the agreement table are (shown above it), from the overall `units` row's method."""
    unit = unit_text(res)
    if not unit.startswith(m.DOCUMENT_UNIT):
        return "Documents coded by two or more coders, one code in one document at a time."
    how = unit.partition("(")[2].rstrip(")") or "configured"
    how = "detected" if how.startswith("detected") else "the configuration's agreement_unit: document"
    return DOCUMENT_UNIT_SENTENCE.format(how=how)


def agreement_explanations(res: Results) -> list[str]:
    """One plain sentence per agreement measure; the trust rule with the minimum this run used, and whether
    any code falls below it; what a coefficient "not defined" or "0 by construction" means where one is."""
    out = [EXPLANATIONS[k] for k in AGREEMENT_MEASURES if k != "low_agreement"]
    if unit_text(res).startswith(m.DOCUMENT_UNIT):  # the overall row's unit is said above the table
        out[0] = "In the rows per code, a" + EXPLANATIONS["units"].removeprefix("A")
    rule = register.one(res.stats, AGREEMENT, m.LOW_AGREEMENT, item="", level="")
    minimum = str(rule["method"]).rpartition("< ")[2] if rule is not None else "0.667"
    sentence = EXPLANATIONS["low_agreement"].format(minimum=md_escape(minimum))
    if low_agreement_warning(res) is None:
        sentence += " No code falls below it here."
    shown = {cell for level in ["", *span_levels(res)] for cell in agreement_table(res, level).to_numpy().ravel()}
    notes = [
        DEGENERATE_SENTENCES[k] for k in (NOT_DEFINED, ZERO_BY_CONSTRUCTION) if any(str(c).startswith(k) for c in shown)
    ]
    if any(_no_width(res, level) for level in ["", *span_levels(res)]):
        notes.append(DEGENERATE_SENTENCES["no width"])
    return [*out, sentence, *notes]


def _no_width(res: Results, level: str) -> bool:
    """True when a kappa or alpha row of `level` has an interval of no width (not shown) or a kappa none."""
    rows = register.select(res.stats, AGREEMENT, (m.COHEN_KAPPA, m.KRIPPENDORFF_ALPHA))
    rows = rows[rows["level"].eq(level) & ~rows["suppressed"].astype(bool)]
    same = rows["ci_low"].notna() & rows["ci_low"].eq(rows["ci_high"])
    perfect_kappa = rows["measure"].eq(m.COHEN_KAPPA) & rows["ci_low"].isna() & rows["estimate"].eq(1.0)
    return bool((same | perfect_kappa).any())


def span_sentence(level: str) -> str:
    """What a character-span unit is, and whether uncoded text counts (the `span_coded_text_only` choice)."""
    if level.endswith("coded text only"):
        choice = (
            "only characters some coder coded with some code count (uncoded text, on which coders trivially "
            "agree, would inflate agreement)"
        )
    else:
        choice = "every character up to the last coded one counts, uncoded text included (which raises agreement)"
    return (
        "Character spans, as NVivo's coding comparison and QualCoder's coder comparison count them: a unit is one "
        f"code on one character of a document two or more coders coded, where the segments give offsets; {choice}. "
        "Characters are not independent, so no bootstrap interval is given for alpha."
    )


def cooccurrence_heading(res: Results) -> str:
    """The co-occurrence section's heading at the level the heatmap and the pairs table show."""
    return f"{cooccurrence.shown_level(res.meta).capitalize()}s that occur together"


def _label_of(meta: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in meta.get("codebook", []):
        out[str(t["id"])] = str(t.get("label") or t["id"])
        for s in t.get("subthemes", []):
            out[str(s["id"])] = str(s.get("label") or s["id"])
            for c in s.get("codes", []):
                out[str(c["id"])] = str(c.get("label") or c["id"])
    return out


def has_agreement(res: Results) -> bool:
    """True when two or more coders coded a document (the register has agreement rows)."""
    return not register.select(res.stats, AGREEMENT).empty


def coder_sentence(res: Results) -> str:
    """How several coders' codings feed the frequency tables (from the `coders` row), as Markdown."""
    row = register.one(res.stats, AGREEMENT, m.CODERS, item="")
    if row is None:
        return "All passages were coded by one coder, or no two coders coded the same document."
    mode = str(row["method"]).removeprefix("frequencies: ")
    how = {
        "union": "every coder's codings count (a code counts for a document when any coder applied it)",
        "agreement": "only codes every coder of a document applied count in documents coded by several coders",
    }.get(mode, f"in documents the {md_escape(mode)} coded, only theirs count")
    docs = register.one(res.stats, AGREEMENT, m.DOUBLE_CODED, item="")
    return (
        f"{fmt_int(row['estimate'])} coders; {display_count(docs, res.meta)} documents were coded by two or more. "
        f"In the frequency tables and the analyses below, {how}."
    )


def span_levels(res: Results) -> list[str]:
    """The character-unit levels of the agreement rows (present when segments carry offsets)."""
    rows = register.select(res.stats, AGREEMENT)
    rows = rows[rows["level"].ne("")]
    return list(dict.fromkeys(str(x) for x in rows["level"]))


def agreement_table(res: Results, level: str = "") -> pd.DataFrame:
    """Agreement per code and over all codes: units, percent agreement, kappas, alpha, and a trust flag.

    `level` blank: document x code units; else character units (`span_levels`)."""
    stats, meta = res.stats, res.meta
    labels = _label_of(meta)
    codes = [""] + [str(c["id"]) for t in meta["codebook"] for s in t["subthemes"] for c in s["codes"]]
    minimum = minimum_alpha(res)
    rows = []
    for code in codes:
        units = register.one(stats, AGREEMENT, m.AGREEMENT_UNITS, item=code, level=level)
        if units is None:
            continue
        pct = register.one(stats, AGREEMENT, m.PERCENT_AGREEMENT, item=code, level=level)
        low = register.one(stats, AGREEMENT, m.LOW_AGREEMENT, item=code, level=level)
        flag = low is not None and not bool(low["suppressed"]) and float(low["estimate"]) == 1
        kappa = register.one(stats, AGREEMENT, m.COHEN_KAPPA, item=code, level=level)
        fleiss = register.one(stats, AGREEMENT, m.FLEISS_KAPPA, item=code, level=level)
        alpha = register.one(stats, AGREEMENT, m.KRIPPENDORFF_ALPHA, item=code, level=level)
        cells = [coefficient(kappa), coefficient(fleiss), coefficient(alpha, threshold=minimum)]
        why = _degenerate(res, code, level) if float(units["estimate"]) > 0 else None
        if why == NOT_DEFINED:  # Cohen's kappa only ever applies to two coders
            cells = [NOT_DEFINED if _two_coders(res) else cells[0], NOT_DEFINED, NOT_DEFINED]
        elif why == ZERO_BY_CONSTRUCTION:
            cells[0] = ZERO_BY_CONSTRUCTION
        unit = level or unit_text(res).partition(" (")[0]
        rows.append(
            [
                f"All codes ({unit})" if code == "" else INDENT + labels.get(code, code),
                display_count(units, meta),
                MISSING if pct is None or bool(pct["suppressed"]) else fmt_pct(pct["estimate"]),
                *cells,
                "too low to trust the counts" if flag else "",
            ]
        )
    columns = ["Code", "Units", "Agreement", "Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha", "Warning"]
    return pd.DataFrame(rows, columns=columns)


def _two_coders(res: Results) -> bool:
    """True when the run had two coders (Cohen's kappa applies)."""
    row = register.one(res.stats, AGREEMENT, m.CODERS, item="")
    return row is not None and float(row["estimate"]) == 2


def low_agreement_warning(res: Results) -> str | None:
    """A warning naming the codes whose agreement is too low to trust their counts, or None."""
    flags = register.select(res.stats, AGREEMENT, m.LOW_AGREEMENT)
    if flags.empty:
        return None
    low = flags[
        (flags["estimate"] == 1) & ~flags["suppressed"].astype(bool) & flags["item"].ne("") & flags["level"].eq("")
    ]
    if low.empty:
        return None
    labels = _label_of(res.meta)
    names = ", ".join(md_escape(labels.get(str(c), str(c))) for c in low["item"])
    rule = md_escape(str(low["method"].iloc[0]).replace("krippendorff_alpha", "Krippendorff's alpha"))
    return (
        f"**Warning: agreement is too low to trust the counts of these codes** ({rule}): {names}. "
        "Their frequencies, co-occurrences and matrix cells should be read with caution."
    )


def cooccurrence_table(res: Results, top: int = 10) -> pd.DataFrame:
    """The strongest pairs at the heatmap's level (`cooccurrence.shown_level`): participants with both in one
    document, then on one passage (shown counts only)."""
    stats, meta = res.stats, res.meta
    labels = _label_of(meta)
    level = cooccurrence.shown_level(meta)
    node_ids = {node for node, of in codebook_nodes(meta) if of == level}
    rows = register.select(stats, COOCCURRENCE, m.COOC_DOCUMENT_PARTICIPANTS, group="all", source="all")
    rows = rows[rows["item"].isin(node_ids) & ~rows["suppressed"].astype(bool) & (rows["estimate"] > 0)]
    rows = rows.sort_values(["estimate", "item", "level"], ascending=[False, True, True], kind="mergesort")
    out = []
    for _, row in rows.head(top).iterrows():
        key = {"item": row["item"], "level": row["level"], "group": "all", "source": "all"}
        participants = register.one(stats, COOCCURRENCE, m.COOC_PARTICIPANTS, **key)
        passages = register.one(stats, COOCCURRENCE, m.COOC_PASSAGES, **key)
        out.append(
            [
                labels.get(str(row["item"]), str(row["item"])),
                labels.get(str(row["level"]), str(row["level"])),
                display_count(row, meta),
                display_count(participants, meta),
                display_count(passages, meta),
            ]
        )
    name = level.capitalize()
    columns = [name, f"With {level}", "Participants (same document)", "Participants (same passage)", "Passages"]
    return pd.DataFrame(out, columns=columns)


def matrix_tables(res: Results) -> dict[str, pd.DataFrame]:
    """Per participant attribute: themes and (indented) subthemes x attribute values, `% (k/n)` per cell."""
    stats, meta = res.stats, res.meta
    rows = register.select(stats, MATRIX, m.PCT_PARTICIPANTS)
    if rows.empty:
        return {}
    out: dict[str, pd.DataFrame] = {}
    subgroups = list(dict.fromkeys(str(s) for s in rows["subgroup"]))
    attributes = list(dict.fromkeys(s.split("=", 1)[0] for s in subgroups))
    for attr in attributes:
        values = [s for s in subgroups if s.split("=", 1)[0] == attr]
        table = []
        for theme in meta["codebook"]:
            nodes = [(str(theme["label"]), theme["id"])]
            nodes += [(INDENT + str(s["label"]), s["id"]) for s in theme["subthemes"]]
            for label, node in nodes:
                cells = [
                    share_cell(register.one(stats, MATRIX, m.PCT_PARTICIPANTS, item=node, subgroup=v), meta)
                    for v in values
                ]
                table.append([label, *cells])
        columns = ["Theme / subtheme", *[v.split("=", 1)[1] for v in values]]
        out[attr] = pd.DataFrame(table, columns=columns)
    return out


def matrix_withheld_sentence(res: Results) -> str:
    """The report's sentence on the participant attributes left out of matrix coding (empty when none is)."""
    attributes = groups_.withheld_attributes(res.stats)
    if not attributes:
        return ""
    rows = register.select(res.stats, MATRIX, m.ATTRIBUTE_WITHHELD)
    minimum = int(rows.iloc[0]["estimate"])
    names = [md_escape(a) for a in attributes]
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return (
        f"Themes are not shown by {listed}: at least one of {'its' if len(names) == 1 else 'their'} values has "
        f"fewer than {minimum} participants with coded data (the minimum group base), too few for its cells to be "
        "shown without identifying people."
    )


def saturation_paragraph(res: Results) -> str | None:
    """The saturation statement with the rule and its parameters, as Markdown; None without interviews."""
    stats = res.stats
    reached = register.one(stats, SATURATION, m.SATURATION_REACHED)
    if reached is None:
        return None
    if bool(reached["suppressed"]):
        return "Too few interviews to report saturation."
    method = str(reached["method"])
    order, _, rule = method.partition("; ")
    order_text = {
        "order: order": "in the interview order given in segments.csv",
        "order: date": "by interview date",
    }.get(order, "in document order (no interview order or dates given)")
    cumulative = register.select(stats, SATURATION, m.CUMULATIVE_CODES)
    total = fmt_int(cumulative["estimate"].iloc[-1]) if not cumulative.empty else MISSING
    head = (
        f"Interviews were taken {order_text}; {fmt_int(reached['n'])} interviews gave {total} distinct codes. "
        f"Rule: {md_escape(rule)} (the share of the base's codes that a run of interviews adds)."
    )
    if float(reached["estimate"]) == 1:
        point = register.one(stats, SATURATION, m.SATURATION_POINT)
        if point is None:
            return head
        info = register.one(stats, SATURATION, m.NEW_INFORMATION, level=str(int(point["estimate"])))
        pct = MISSING if info is None else fmt_num(info["estimate"])
        return (
            f"{head} Saturation was reached after {fmt_int(point['estimate'])} interviews: "
            f"the next run added {pct} % new codes."
        )
    return f"{head} Saturation was not reached: every run added more than the threshold, or too few interviews."
