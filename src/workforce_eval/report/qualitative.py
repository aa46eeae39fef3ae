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
from workforce_eval.register.notation import MISSING, display_count
from workforce_eval.report.format import INDENT, fmt_est_ci, fmt_int, fmt_num, fmt_pct, md_escape, share_cell
from workforce_eval.report.results import Results

#: One plain sentence per measure, shown under the tables.
EXPLANATIONS: dict[str, str] = {
    "percent_agreement": "Percent agreement is how often the coders made the same call on whether a code "
    "applies to a document.",
    "cohen_kappa": "Cohen's kappa is that agreement for two coders corrected for the agreement expected by "
    "chance (1 is perfect, 0 no better than chance), with its 95 % interval.",
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
#: The agreement sentences the report shows, in order, under the agreement tables.
AGREEMENT_MEASURES: tuple[str, ...] = (
    "units",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "low_agreement",
)


def agreement_explanations(res: Results) -> list[str]:
    """One plain sentence per agreement measure; the trust rule with the minimum this run used, and whether
    any code falls below it."""
    out = [EXPLANATIONS[k] for k in AGREEMENT_MEASURES if k != "low_agreement"]
    rule = register.one(res.stats, AGREEMENT, m.LOW_AGREEMENT, item="", level="")
    minimum = str(rule["method"]).rpartition("< ")[2] if rule is not None else "0.667"
    sentence = EXPLANATIONS["low_agreement"].format(minimum=md_escape(minimum))
    if low_agreement_warning(res) is None:
        sentence += " No code falls below it here."
    return [*out, sentence]


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
    rows = []
    for code in codes:
        units = register.one(stats, AGREEMENT, m.AGREEMENT_UNITS, item=code, level=level)
        if units is None:
            continue
        pct = register.one(stats, AGREEMENT, m.PERCENT_AGREEMENT, item=code, level=level)
        low = register.one(stats, AGREEMENT, m.LOW_AGREEMENT, item=code, level=level)
        flag = low is not None and not bool(low["suppressed"]) and float(low["estimate"]) == 1
        rows.append(
            [
                f"All codes ({level or 'document x code'})" if code == "" else INDENT + labels.get(code, code),
                display_count(units, meta),
                MISSING if pct is None or bool(pct["suppressed"]) else fmt_pct(pct["estimate"]),
                fmt_est_ci(register.one(stats, AGREEMENT, m.COHEN_KAPPA, item=code, level=level)),
                fmt_est_ci(register.one(stats, AGREEMENT, m.FLEISS_KAPPA, item=code, level=level)),
                fmt_est_ci(register.one(stats, AGREEMENT, m.KRIPPENDORFF_ALPHA, item=code, level=level)),
                "too low to trust the counts" if flag else "",
            ]
        )
    columns = ["Code", "Units", "Agreement", "Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha", "Warning"]
    return pd.DataFrame(rows, columns=columns)


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
