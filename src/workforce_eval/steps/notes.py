"""The rules `restricted_note` and `programme_restricted_note`: RESTRICTED.txt beside a full register.

Kept apart from `steps.publish` so that its rule process imports only the results layout (a second of start-up
instead of the statistics stack's three: it runs once per cohort and programme).
"""

from __future__ import annotations

from pathlib import Path

from workforce_eval import atomic, layout


def restricted_note(out: Path, results_dir: Path) -> None:
    """RESTRICTED.txt beside a cohort's or a programme's full register: what in its folder is restricted and
    where the published copy lies (paths relative to this folder)."""
    out = Path(out)
    run = layout.run(results_dir)
    folder = out.parent
    published_folder = run.published(folder)
    up = "../" * len(folder.relative_to(results_dir).parts)
    there = f"{up}{published_folder.relative_to(results_dir).as_posix()}/"
    text = (
        "RESTRICTED: for the evaluation's analysts and auditors only. Do not publish or share this folder.\n"
        "\n"
        f"{layout.STATISTICS} here is the full statistics register: it holds, in clear, every number that\n"
        "disclosure control hides in the reports (rows with suppressed = true). The folders clean/, tables/,\n"
        "imported/ and restricted/ (where present) hold participant-level data, unflagged partial registers and\n"
        "passage text, consented for quotation or not; organisations/statistics.csv is a full register too.\n"
        "\n"
        f"The published copy is {there} (the run's folder {layout.PUBLISHED_DIR}/): the reports, the figures,\n"
        f"the masked register {there}{layout.STATISTICS} (hidden numbers blank, column 'shown' as the reports\n"
        f"print them) and the consented quotes. Publish only {layout.PUBLISHED_DIR}/.\n"
    )
    atomic.write_bytes_if_changed(out, text.encode("utf-8"))
