"""The bad-input corpus: malformed cohorts built from the tiny cohort of tests/conftest.py, one defect each.

Each case names the mutation that plants its defect and where the pipeline must say the defect is:
the file, the row (header = row 1; None where a defect has no row, e.g. a missing file) and the
column (or YAML key path; None where there is none), plus a fragment the message must contain.
PII cases also name the planted identifier, which must appear nowhere in messages, logs or results.

Materialise the corpus for a look: `python -m tests.bad_inputs.corpus /tmp/bad-cohorts`.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import write_tiny_cohort

Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One malformed cohort: its defect and where the message must locate it."""

    name: str
    mutate: Mutation
    file: str
    row: int | None
    column: str | None
    says: str = ""
    planted: str = ""  # a direct identifier that must never be echoed
    e2e: bool = True  # also in the one Snakemake run (the others only through clean.run, for speed)

    def build(self, folder: Path) -> Path:
        """Write the tiny cohort into `folder` and plant this case's defect."""
        write_tiny_cohort(folder)
        self.mutate(folder)
        return folder


# --------------------------------------------------------------------------- mutations

#: Would create a file named `marker` in the working directory if the formula reached Python evaluation.
CODE_FORMULA = "hours ~ I(np.ctypeslib.ctypes.CDLL(None).system(b'touch marker') + trust)"


def replace(file: str, old: str, new: str) -> Mutation:
    """Replace the first occurrence of `old` in a file (which must contain it)."""

    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"{old!r} not in {file}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def delete(file: str) -> Mutation:
    """Remove a file."""
    return lambda folder: (folder / file).unlink()


def write(file: str, content: str | bytes) -> Mutation:
    """Write (or overwrite) a file with the given text or bytes."""

    def mutate(folder: Path) -> None:
        path = folder / file
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return mutate


def edit_csv(file: str, edit: Callable[[list[list[str]]], None]) -> Mutation:
    """Apply `edit` to a CSV's rows (header first) and write it back."""

    def mutate(folder: Path) -> None:
        path = folder / file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        edit(rows)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    return mutate


def drop_column(file: str, column: str) -> Mutation:
    """Remove a column from a CSV."""

    def edit(rows: list[list[str]]) -> None:
        j = rows[0].index(column)
        for row in rows:
            del row[j]

    return edit_csv(file, edit)


def add_column(file: str, column: str, values: dict[int, str]) -> Mutation:
    """Append a column to a CSV; `values` by 1-based file row (others blank)."""

    def edit(rows: list[list[str]]) -> None:
        rows[0].append(column)
        for number, row in enumerate(rows[1:], start=2):
            row.append(values.get(number, ""))

    return edit_csv(file, edit)


def append(file: str, text: str) -> Mutation:
    """Append text to a file."""

    def mutate(folder: Path) -> None:
        path = folder / file
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return mutate


def fifo(file: str) -> Mutation:
    """Replace a file by a FIFO (named pipe) of the same name: reading it would block for ever."""

    def mutate(folder: Path) -> None:
        (folder / file).unlink()
        os.mkfifo(folder / file)

    return mutate


def symlink_elsewhere(file: str) -> Mutation:
    """Replace a file by a symbolic link to a copy of it in a folder beside the cohort (another cohort's data)."""

    def mutate(folder: Path) -> None:
        other = folder.parent / (folder.name + "-elsewhere")
        other.mkdir(exist_ok=True)
        (other / file).write_bytes((folder / file).read_bytes())
        (folder / file).unlink()
        (folder / file).symlink_to(other / file)

    return mutate


def billion_laughs(folder: Path) -> None:
    """Ten levels of ten aliases each: 10^10 strings once expanded."""
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    append("cohort.yaml", "\n".join(lines) + "\n")(folder)


def both(*mutations: Mutation) -> Mutation:
    """Several edits that together plant one defect."""

    def mutate(folder: Path) -> None:
        for m in mutations:
            m(folder)

    return mutate


# --------------------------------------------------------------------------- the corpus

P, S, G = "participants.csv", "survey.csv", "segments.csv"

CASES: tuple[Case, ...] = (
    # missing files
    Case("missing-cohort-yaml", delete("cohort.yaml"), "cohort.yaml", None, None, "no such file"),
    Case("missing-participants", delete(P), P, None, None, "required for design post_only"),
    Case(
        "missing-instrument",
        delete("instrument.yaml"),
        "instrument.yaml",
        None,
        None,
        "required when survey.csv",
        e2e=False,
    ),
    Case(
        "missing-codebook",
        delete("codebook.yaml"),
        "codebook.yaml",
        None,
        None,
        "required when segments.csv",
        e2e=False,
    ),
    # columns
    Case("missing-column", drop_column(P, "invited"), P, 1, "invited", "no such column"),
    Case("missing-item-column", drop_column(S, "trust"), S, 1, "trust", "no such column", e2e=False),
    Case("misspelt-column", replace(G, "text,quote_ok", "text,quote_okay"), G, 1, "quote_okay", "quote_ok"),
    Case("duplicate-header", replace(S, "trust,hard,hours", "trust,hard,trust"), S, 1, "trust", "unique"),
    Case(
        "unknown-column-strict-file",
        write("pii_allow.csv", "segment_id,kind,comment\ng1,url,checked\n"),
        "pii_allow.csv",
        1,
        "comment",
        "only the columns",
    ),
    Case("ragged-row", replace(P, "p3,A,x2,true", "p3,A,x2,true,extra"), P, 4, None, "same number of cells"),
    # wrong types and values
    Case("not-a-number", replace(S, "Disagree,2", "Disagree,two"), S, 2, "hours", "'two'"),
    Case("not-a-boolean", replace(P, "p4,B,x2,true", "p4,B,x2,maybe"), P, 5, "invited", "true or false", e2e=False),
    Case(
        "quote-ok-not-boolean",
        replace(G, "I learnt a lot.,true", "I learnt a lot.,yes"),
        G,
        5,
        "quote_ok",
        "'yes'",
        e2e=False,
    ),
    Case("label-not-in-scale", replace(S, " yes ,agree,", " yes ,agreee,"), S, 3, "trust", "'agreee'"),
    Case("blank-required-cell", replace(P, "p2,B,x1,true", "p2,,x1,true"), P, 3, "group", "a blank cell"),
    Case("bad-timepoint", replace(S, "r3,p3,A,post", "r3,p3,A,later"), S, 4, "timepoint", "'later'", e2e=False),
    Case("pre-in-post-only", replace(S, "r3,p3,A,post", "r3,p3,A,pre"), S, 4, "timepoint", "design is post_only"),
    Case("bad-source", replace(G, "g5,survey", "g5,focus_group"), G, 6, "source", "'focus_group'", e2e=False),
    # groups, ids and links between files
    Case("unknown-group", replace(P, "p3,A,x2,true", "p3,Z,x2,true"), P, 4, "group", "'Z'"),
    Case(
        "unknown-group-segments",
        replace(G, "g4,interview,i3,p3,A", "g4,interview,i3,p3,C"),
        G,
        5,
        "group",
        "'C'",
        e2e=False,
    ),
    Case("duplicate-participant-id", replace(P, "p2,B,x1,true", "p1,B,x1,true"), P, 3, "participant_id", "rows 2, 3"),
    Case("duplicate-response-id", replace(S, "r3,p3,A", "r1,p3,A"), S, 4, "response_id", "rows 2, 4", e2e=False),
    Case("duplicate-segment-id", replace(G, "g6,survey", "g5,survey"), G, 7, "segment_id", "rows 6, 7", e2e=False),
    Case("unknown-participant", replace(S, "r3,p3,A", "r3,p9,A"), S, 4, "participant_id", "'p9'"),
    Case("unknown-participant-segments", replace(G, "i3,p3,A", "i3,p8,A"), G, 5, "participant_id", "'p8'", e2e=False),
    Case("group-disagrees-with-roster", replace(S, "r3,p3,A", "r3,p3,B"), S, 4, "group", "participants.csv gives p3"),
    Case(
        "segment-group-disagrees",
        replace(G, "i3,p3,A", "i3,p3,B"),
        G,
        5,
        "group",
        "participants.csv gives p3",
        e2e=False,
    ),
    Case("prepost-duplicate", replace(S, "r3,p3,A", "r3,p1,A"), S, 4, "participant_id", "one post response"),
    Case("pair-with-three-members", replace(P, "p5,A,,false", "p5,A,x1,false"), P, 6, "pair_id", "at most two"),
    Case(
        "two-speakers-one-document",
        replace(G, "g2,interview,i1,p1", "g2,interview,i1,p3"),
        G,
        3,
        "participant_id",
        "one participant_id per document",
        e2e=False,
    ),
    Case(
        "survey-segment-unknown-response",
        replace(G, "g6,survey,r1", "g6,survey,r7"),
        G,
        7,
        "document_id",
        "'r7'",
        e2e=False,
    ),
    # codebook and instrument
    Case(
        "duplicate-codebook-id",
        replace("codebook.yaml", "{id: c3,", "{id: c1,"),
        "codebook.yaml",
        13,
        "themes.0.subthemes.1.codes.0.id",
        "unique across the whole codebook",
    ),
    Case("unknown-code", replace(G, "p3,A,c2,a,I learnt", "p3,A,c9,a,I learnt"), G, 5, "code", "'c9'"),
    Case(
        "unknown-scale",
        replace("instrument.yaml", "type: likert\n    scale: agree5", "type: likert\n    scale: agree7"),
        "instrument.yaml",
        15,
        "items.1.scale",
        "'agree7'",
        e2e=False,
    ),
    Case(
        "reverse-on-yesno",
        replace("instrument.yaml", "scale: yesno\n", "scale: yesno\n    reverse: true\n"),
        "instrument.yaml",
        12,
        "items.0.reverse",
        "reverse coding only on likert",
        e2e=False,
    ),
    Case(
        "codebook-not-a-mapping", write("codebook.yaml", "- t1\n- t2\n"), "codebook.yaml", 1, None, "mapping", e2e=False
    ),
    # cohort.yaml
    Case(
        "bad-design",
        replace("cohort.yaml", "design: post_only", "design: posttest"),
        "cohort.yaml",
        3,
        "design",
        "'posttest'",
    ),
    Case(
        "missing-required-key",
        replace("cohort.yaml", "synthetic: true\n", ""),
        "cohort.yaml",
        1,
        "synthetic",
        "required key",
        e2e=False,
    ),
    Case(
        "bad-threshold",
        replace("cohort.yaml", "synthetic: true\n", "synthetic: true\ndisclosure_threshold: 0\n"),
        "cohort.yaml",
        5,
        "disclosure_threshold",
        "at least 1",
    ),
    # encodings and empty files
    # the parser notices the unclosed "items: [" of row 7 at the first node it cannot take, in row 8
    Case(
        "invalid-yaml", replace("instrument.yaml", "items:\n", "items: [\n"), "instrument.yaml", 8, None, "valid YAML"
    ),
    Case(
        "not-utf8",
        write(P, b"participant_id,group,pair_id,invited\np1,A,x1,true\np\xe92,B,x1,true\n"),
        P,
        3,
        None,
        "0xe9",
    ),
    Case("empty-file", write(S, ""), S, 1, None, "an empty file"),
    Case("empty-yaml", write("codebook.yaml", "# nothing yet\n"), "codebook.yaml", 1, None, "an empty file", e2e=False),
    # hostile cohorts (issue 14): code in a formula, YAML bombs, files that are not regular files, bytes and numbers
    Case(
        "formula-runs-code",
        append("cohort.yaml", f'models:\n  - id: m\n    formula: "{CODE_FORMULA}"\n    family: ols\n'),
        "cohort.yaml",
        10,
        "models.0.formula",
        "pipeline's grammar",
    ),
    Case(
        "formula-attribute-chain",
        append("cohort.yaml", "models:\n  - {id: m, formula: 'hours ~ np.ctypeslib.ctypes.CDLL(None)', family: ols}\n"),
        "cohort.yaml",
        9,
        "models.0.formula",
        "np.ctypeslib is not allowed",
        e2e=False,
    ),
    Case(
        "yaml-deep-nesting",
        append("cohort.yaml", "extra_notes: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        "cohort.yaml",
        8,
        None,
        "nesting deeper than 64 levels",
    ),
    Case(
        "yaml-duplicate-key",
        append("cohort.yaml", "synthetic: false\n"),
        "cohort.yaml",
        8,
        None,
        "'synthetic' a second time (first in row 4)",
    ),
    Case("yaml-billion-laughs", billion_laughs, "cohort.yaml", 13, None, "aliases are expanded"),
    Case("fifo-cohort-yaml", fifo("cohort.yaml"), "cohort.yaml", None, None, "a FIFO (named pipe)"),
    Case("symlinked-segments", symlink_elsewhere(G), G, None, None, "a symbolic link"),
    Case("nul-byte", replace(G, "A new view.", "A new\x00view."), G, 7, None, "a NUL byte"),
    Case("inf-in-numeric-item", replace(S, "Disagree,2", "Disagree,inf"), S, 2, "hours", "a finite number"),
    # privacy: direct identifiers stop the cohort without being echoed
    Case(
        "pii-email",
        replace(G, "We met every month.", "Write to jo.bloggs@example.nhs.uk any time."),
        G,
        2,
        "text",
        "kind email",
        planted="jo.bloggs@example.nhs.uk",
    ),
    Case(
        "pii-phone",
        replace(G, "I learnt a lot.", "Ring me on 07700 900123 after six."),
        G,
        5,
        "text",
        "kind uk_phone",
        planted="07700 900123",
    ),
    Case(
        "pii-nhs-number",
        replace(G, "More honest conversations.", "My NHS number is 943 476 5919."),
        G,
        6,
        "text",
        "kind nhs_number",
        planted="943 476 5919",
    ),
    Case(
        "pii-postcode",
        replace(G, "I learnt a lot.", "I learnt a lot at the hub in LS2 9JT."),
        G,
        5,
        "text",
        "kind uk_postcode",
        planted="LS2 9JT",
    ),
    Case(
        "pii-not-consented-passage",
        replace(G, "It changed how I see things.", "See www.jo-bloggs.example.com."),
        G,
        4,
        "text",
        "kind url",
        planted="jo-bloggs.example.com",
        e2e=False,
    ),
    Case(
        "pii-in-an-id",
        replace(P, "p4,B,x2,true", "jo@bloggs.example.org,B,x2,true"),
        P,
        5,
        "participant_id",
        "kind email",
        planted="jo@bloggs.example.org",
        e2e=False,
    ),
    Case(
        "pii-survey-extra-column",
        add_column(S, "comment", {3: "Text me: 0113 496 0000"}),
        S,
        3,
        "comment",
        "kind uk_phone",
        planted="0113 496 0000",
        e2e=False,
    ),
    Case(
        "pii-deny-list-name",
        both(
            write("deny_list.txt", "# names of the cohort\nAmara Okafor\n"),
            replace(G, "I learnt a lot.", "I learnt a lot from amara  OKAFOR."),
        ),
        G,
        5,
        "text",
        "kind deny_list_name",
        planted="Okafor",
        e2e=False,
    ),
    Case(
        "quote-names-raw-id",
        replace(G, "We met every month.", "p3 and I met every month."),
        G,
        2,
        "text",
        "kind participant_id",
        e2e=False,
    ),
    Case(
        "pii-in-a-group-label",
        replace("cohort.yaml", "B: Group B", "B: Group of jo.bloggs@example.org"),
        "cohort.yaml",
        7,
        "groups.B",
        "kind email",
        planted="jo.bloggs@example.org",
    ),
    Case(
        "pii-in-item-text",
        both(
            write("deny_list.txt", "Amara Okafor\n"),
            replace("instrument.yaml", "text: Hours spent", "text: Hours spent (ask for Ms Okafor)"),
        ),
        "instrument.yaml",
        22,
        "items.3.text",
        "kind deny_list_name",
        planted="Okafor",
        e2e=False,
    ),
    Case(
        "pii-in-a-csv-header",
        edit_csv(S, lambda rows: [r.append("ring 07700 900123" if i == 0 else "") for i, r in enumerate(rows)]),
        S,
        1,
        "#9",
        "kind uk_phone",
        planted="07700 900123",
    ),
    Case(
        "pii-echoed-by-validation",
        replace(S, "Strongly agree,Disagree,2", "Agree - 07700 900123,Disagree,2"),
        S,
        2,
        "trust",
        "a value that looks like an identifier (uk_phone)",
        planted="07700 900123",
    ),
    Case(
        "pii-spelled-out-email",
        replace(G, "I learnt a lot.", "Mail john dot smith at nhs dot net."),
        G,
        5,
        "text",
        "kind email",
        planted="john dot smith",
    ),
    Case(
        "pii-international-phone",
        replace(G, "I learnt a lot.", "Ring 0044 7700 900123."),
        G,
        5,
        "text",
        "kind uk_phone",
        planted="0044 7700 900123",
        e2e=False,
    ),
    Case(
        "pii-dotted-nhs-number",
        replace(G, "I learnt a lot.", "Mine is 943.476.5919."),
        G,
        5,
        "text",
        "kind nhs_number",
        planted="943.476.5919",
        e2e=False,
    ),
    Case(
        "pii-lowercase-postcode",
        replace(G, "I learnt a lot.", "I live at ls29jt."),
        G,
        5,
        "text",
        "kind uk_postcode",
        planted="ls29jt",
        e2e=False,
    ),
    Case(
        "pii-zero-width-email",
        replace(G, "I learnt a lot.", "Write to jo.blo\u200bggs@nhs.net."),
        G,
        5,
        "text",
        "kind email",
        planted="ggs@nhs.net",
        e2e=False,
    ),
    Case(
        "pii-deny-list-title-and-initial",
        both(
            write("deny_list.txt", "Aisha Khan\n"),
            replace(G, "I learnt a lot.", "I learnt a lot from Mrs Khan and A. Khan."),
        ),
        G,
        5,
        "text",
        "kind deny_list_name",
        planted="Khan",
        e2e=False,
    ),
    Case(
        "allow-list-unknown-kind",
        write("pii_allow.csv", "segment_id,kind\ng1,phone\n"),
        "pii_allow.csv",
        2,
        "kind",
        "'phone'",
        e2e=False,
    ),
    Case(
        "allow-list-unknown-segment",
        write("pii_allow.csv", "segment_id,kind\ng9,url\n"),
        "pii_allow.csv",
        2,
        "segment_id",
        "'g9'",
        e2e=False,
    ),
    # qualitative columns (issue 12): interview dates and order, offsets, coders, participant attributes
    Case("date-not-iso", add_column(G, "date", {2: "05/03/2022"}), G, 2, "date", "an ISO date", e2e=False),
    Case(
        "date-two-per-document",
        add_column(G, "date", {2: "2022-03-05", 3: "2022-03-06"}),
        G,
        3,
        "date",
        "one date per document",
        e2e=False,
    ),
    Case("order-not-a-position", add_column(G, "order", {4: "second"}), G, 4, "order", "'second'", e2e=False),
    Case("order-zero", add_column(G, "order", {4: "0"}), G, 4, "order", "a whole number from 1", e2e=False),
    Case(
        "order-two-per-document",
        add_column(G, "order", {2: "1", 3: "2"}),
        G,
        3,
        "order",
        "one order per document",
        e2e=False,
    ),
    Case(
        "offset-not-a-number",
        both(add_column(G, "start", {2: "ten"}), add_column(G, "end", {2: "20"})),
        G,
        2,
        "start",
        "a character offset",
        e2e=False,
    ),
    Case(
        "offset-negative",
        both(add_column(G, "start", {3: "-4"}), add_column(G, "end", {3: "20"})),
        G,
        3,
        "start",
        "'-4'",
        e2e=False,
    ),
    Case(
        "offset-end-before-start",
        both(add_column(G, "start", {2: "30"}), add_column(G, "end", {2: "12"})),
        G,
        2,
        "end",
        "greater than start",
        e2e=False,
    ),
    Case(
        "offset-start-without-end",
        both(add_column(G, "start", {4: "3"}), add_column(G, "end", {})),
        G,
        4,
        "end",
        "both given or both blank",
        e2e=False,
    ),
    Case(
        "coder-blank-in-double-coded-document",
        append(
            G, "g7,interview,i1,p1,A,c2,b,We met every month.,true\ng8,interview,i1,p1,A,c1,,We met every month.,true\n"
        ),
        G,
        9,
        "coder",
        "the coder of every segment",
        e2e=False,
    ),
    Case(
        "attribute-name-with-equals",
        add_column(P, "band=grade", {2: "6"}),
        P,
        1,
        "band=grade",
        "without '='",
        e2e=False,
    ),
    Case(
        "misspelt-offset-column",
        both(add_column(G, "Start", {2: "0"}), add_column(G, "end", {2: "9"})),
        G,
        1,
        "Start",
        "'start'",
        e2e=False,
    ),
)


def by_name() -> dict[str, Case]:
    """The cases keyed by name (names are unique cohort ids)."""
    out = {c.name: c for c in CASES}
    assert len(out) == len(CASES), "case names must be unique"
    return out


def build_all(data_dir: Path) -> list[str]:
    """Write every case as a cohort folder under `data_dir`; returns the cohort ids."""
    for case in CASES:
        case.build(Path(data_dir) / case.name)
    return [c.name for c in CASES]


if __name__ == "__main__":
    print("\n".join(build_all(Path(sys.argv[1]))))
