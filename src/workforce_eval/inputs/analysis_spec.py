"""The analysis sections of cohort.yaml (`models:` and `breakdowns:`), parsed and checked against the
survey at cleaning, so that a bad declaration stops the cohort before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workforce_eval.inputs import formula as grammar
from workforce_eval.inputs.readers import YamlDoc

FAMILIES: tuple[str, ...] = ("ols", "logit", "ordinal_logit")
#: Item types an outcome may have, by family.
OUTCOME_TYPES: dict[str, tuple[str, ...]] = {
    "ols": ("likert", "numeric", "yesno"),
    "logit": ("yesno",),
    "ordinal_logit": ("likert", "choice", "yesno"),
}
_OUTCOME_WORDS: dict[str, str] = {
    "ols": "a likert, numeric or yes/no item or a construct",
    "logit": "a yes/no item",
    "ordinal_logit": "a likert or choice item",
}


@dataclass(frozen=True)
class ModelSpec:
    """One `models:` entry of cohort.yaml."""

    id: str
    formula: str
    family: str
    cluster: str | None = None

    @property
    def outcome(self) -> str:
        """The outcome variable (left of `~`)."""
        return self.formula.split("~", 1)[0].strip()

    @property
    def canonical(self) -> str:
        """The formula as the grammar renders its parse (`inputs/formula.py`): the only text statsmodels sees."""
        return grammar.parse(self.formula).canonical

    @property
    def method(self) -> str:
        """The register `method` of the model's coefficient rows, e.g. `ols-cluster`."""
        return self.family + ("-cluster" if self.cluster else "")


def specs(meta: dict[str, Any]) -> list[ModelSpec]:
    """The declared models of a cohort (cohort.json or cohort.yaml data), in declaration order."""
    return [
        ModelSpec(str(m["id"]), str(m["formula"]), str(m["family"]), str(m["cluster"]) if m.get("cluster") else None)
        for m in meta.get("models") or []
    ]


# --------------------------------------------------------------------------- formulas

#: The grammar in words, for messages.
GRAMMAR_WORDS = (
    "names of items, constructs or survey columns; C(name) or C(name, Treatment('level')); "
    "+ - : * and 0 or 1; np.log, np.log1p, np.sqrt, np.exp of a name; I(name ** 2); center(name); standardize(name)"
)


def formula_names(formula: str) -> list[str]:
    """Every name a formula uses, in order of appearance (functions such as `C` and `np.log` left out).

    The formula is parsed by the grammar of `inputs/formula.py` (never evaluated); FormulaError when
    it is outside that grammar.
    """
    return grammar.parse(formula).names()


def check_models(
    cohort_yaml: Path,
    models: Sequence[dict[str, Any]],
    items: dict[str, str],
    constructs: Sequence[str],
    columns: Sequence[str],
) -> None:
    """Declared models against the survey: known names, a suitable outcome, a cluster column; else InputError.

    `items` maps item id -> type; `columns` are the survey's other columns (response_id,
    group, organisation, extra columns ...).
    """
    if not models:
        return
    doc = YamlDoc(cohort_yaml)
    known = set(items) | set(constructs) | set(columns)
    seen: set[str] = set()
    for i, spec in enumerate(models):
        model_id = str(spec["id"])
        if model_id in seen:
            raise doc.error(("models", i, "id"), expected="model ids unique within the cohort", found=model_id)
        seen.add(model_id)
        formula = str(spec["formula"])
        key = ("models", i, "formula")
        try:
            names = formula_names(formula)
        except grammar.FormulaError as exc:
            raise doc.error(
                key,
                expected=f"a statsmodels formula in the pipeline's grammar ({GRAMMAR_WORDS})",
                found=f"{formula[:200]!r}: {exc}",
            ) from None
        if not known:
            raise doc.error(key, expected="a survey.csv to fit the model on", found="no survey")
        unknown = [n for n in names if n not in known]
        if unknown:
            raise doc.error(
                key,
                expected="names that are item, construct or survey column ids",
                found=f"{unknown[0]!r} in {formula!r}",
            )
        numeric = {n for n, t in items.items() if t in ("likert", "numeric", "yesno")} | set(constructs)
        text_transformed = [n for n in grammar.parse(formula).transformed() if n not in numeric]
        if text_transformed:
            raise doc.error(
                key,
                expected="transforms (np.log, I(x ** k), center, standardize) of numeric items or constructs only",
                found=f"{text_transformed[0]!r} (a text column) in {formula!r}",
            )
        family = str(spec["family"])
        outcome = formula.split("~", 1)[0].strip()
        ok = (items.get(outcome) in OUTCOME_TYPES[family]) or (family == "ols" and outcome in constructs)
        if not ok:
            raise doc.error(
                key,
                expected=f"an outcome (left of ~) that is {_OUTCOME_WORDS[family]} for a {family} model",
                found=outcome,
            )
        cluster = spec.get("cluster")
        if cluster is not None and (str(cluster) not in columns or str(cluster) in items):
            raise doc.error(
                ("models", i, "cluster"),
                expected="a survey column that is not an item (e.g. organisation)",
                found=cluster,
            )


def check_breakdowns(
    cohort_yaml: Path, breakdowns: Sequence[str], columns: Sequence[str], items: Sequence[str]
) -> None:
    """Each `breakdowns:` entry must name a survey column that is not an item; else InputError."""
    if not breakdowns:
        return
    doc = YamlDoc(cohort_yaml)
    for i, name in enumerate(breakdowns):
        if name not in columns or name in items:
            raise doc.error(
                ("breakdowns", i),
                expected="a column of survey.csv that is not an item (e.g. organisation, employment)",
                found=name,
            )


def check_reports_by(cohort_yaml: Path, reports_by: str, columns: Sequence[str], items: Sequence[str]) -> None:
    """`reports_by:` must name a survey column that is not an item (e.g. organisation); else InputError."""
    if reports_by in columns and reports_by not in items and reports_by not in ("response_id", "participant_id"):
        return
    raise YamlDoc(cohort_yaml).error(
        ("reports_by",),
        expected="a column of survey.csv that is not an item or an id (e.g. organisation)",
        found=reports_by,
    )
