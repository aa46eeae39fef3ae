"""The linters the project keeps clean, run as tests so that CI (the README's test command) runs them.

`make lint` runs the same commands; a failure here prints the linter's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PY_PATHS = ["src", "tests", "scripts", "benchmarks", "workflow/scripts"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([str(BIN / "ruff"), "check", *PY_PATHS, "notebooks"], id="ruff-check"),
        pytest.param([str(BIN / "ruff"), "format", "--check", *PY_PATHS], id="ruff-format"),
        pytest.param([str(BIN / "mypy")], id="mypy"),
        pytest.param([str(BIN / "lint-imports")], id="import-linter"),
        pytest.param([str(BIN / "snakefmt"), "--check", "workflow"], id="snakefmt"),
    ],
)
def test_linter_is_clean(command: list[str]) -> None:
    result = run(*command)
    assert result.returncode == 0, result.stdout + result.stderr
