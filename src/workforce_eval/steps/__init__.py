"""The workflow's steps: one typed function per Snakemake rule (paths in, files out), grouped by what they
import, and `rule`, the context every rule script runs its step in.

A rule script (`workflow/scripts/<rule>.py`) maps its own `snakemake.input`, `output` and `params` onto
one step function, inside `with rule(snakemake):`. Nothing else sits between a rule and its code.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import Any

from workforce_eval.errors import InputError


@contextlib.contextmanager
def rule(smk: Any) -> Iterator[None]:
    """Run a rule's step with logging to stderr (the script points it at the rule's log); bad input becomes one
    message and exit status 1.

    The message (`Input error in cohort '<id>': <file>, row .., column ..: expected ..; found ..`) goes to
    the log and to the console, with no traceback.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        yield
    except InputError as err:
        cohort = getattr(smk.wildcards, "cohort", "?")
        message = f"Input error in cohort {cohort!r}: {err}"
        # one write per stream, newline included: with unbuffered streams a separate newline could let
        # Snakemake's own output land in the middle of the line
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        if sys.__stderr__ is not None and sys.stderr is not sys.__stderr__:
            sys.__stderr__.write(message + "\n")
            sys.__stderr__.flush()
        raise SystemExit(1) from None
