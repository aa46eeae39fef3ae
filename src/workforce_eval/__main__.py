"""`python -m workforce_eval verify ...`: the same as the `workforce-eval` command."""

import sys

from workforce_eval.cli import main

sys.exit(main())
