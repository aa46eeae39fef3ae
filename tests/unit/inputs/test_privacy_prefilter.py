"""The privacy scan's vectorised pre-check (`privacy.candidates`) never clears a cell the full scan flags.

The pre-check only decides which distinct cells `kinds_in` looks at; the hits of `scan_frame` must be
exactly those of calling `kinds_in` on every cell (the scan as it was before the pre-check).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.inputs.test_privacy_obfuscation import DENY, INNOCENT, OBFUSCATED
from workforce_eval.inputs import privacy

#: Characters the detectors care about, plus letters and digits, so that random texts often come close.
ALPHABET = "0123456789 @.:/-+()[]<>,\t\x0b\x1fatwATWlsjnhoxyz\u200b\uff10"


def test_every_obfuscated_identifier_is_a_candidate() -> None:
    texts = [t for t, _ in OBFUSCATED]
    assert privacy.candidates(texts, DENY).all()


def test_ids_and_numbers_are_cleared_without_the_full_scan() -> None:
    # a response id (7 digits: fewer than any phone number's 8), a decimal and plain labels
    texts = ["R0000001", "12.3", "Clinical staff", "Band 5", "Trust A"]
    assert privacy.candidates(texts, None).tolist() == [False, False, False, False, False]
    # non-ASCII text always goes to the full scan (NFKC may turn it into digits or "@")
    assert privacy.candidates(["caf\u00e9"], None).tolist() == [True]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=24))
def test_no_flagged_text_is_cleared(text: str) -> None:
    if privacy.kinds_in(text, DENY):
        assert privacy.candidates([text], DENY)[0], text


def test_scan_frame_finds_what_scanning_every_cell_finds() -> None:
    cells = [t for t, _ in OBFUSCATED] + INNOCENT + ["R0000001", "12.3", None, "07700 900123"]
    frame = pd.DataFrame({"a": cells, "b": list(reversed(cells)), "id": [f"S{i}" for i in range(len(cells))]})
    expected = [
        ("x.csv", int(i) + 2, column, kind, str(frame.at[i, "id"]))
        for column in ("a", "b")
        for i, value in frame[column].items()
        if value is not None
        for kind in privacy.kinds_in(str(value), DENY)
    ]
    found = privacy.scan_frame(frame, "x.csv", ["a", "b"], DENY, "id")
    assert list(found.itertuples(index=False, name=None)) == expected
    assert len(expected) > len(OBFUSCATED)  # both columns hold every obfuscated identifier
