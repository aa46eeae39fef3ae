"""The software environment of a run, as the manifest records it: git state, Python and package versions."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any


def git_state(folder: str | Path) -> dict[str, Any]:
    """Commit and dirty flag of the git checkout holding `folder`; both None when it is not a git checkout."""

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout if proc.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None, "commit_date": None, "note": "not a git checkout"}
    status = git("status", "--porcelain")
    date = git("log", "-1", "--format=%cI")
    return {
        "commit": commit.strip(),
        "dirty": bool(status.strip()) if status is not None else None,
        "commit_date": date.strip() if date else None,
    }


def software() -> dict[str, Any]:
    """Python version and the name and version of every installed distribution (sorted)."""
    packages: dict[str, str] = {}
    for dist in importlib_metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            packages.setdefault(_norm(name), dist.version)
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": sys.platform,
        "packages": dict(sorted(packages.items())),
    }


def _norm(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return "-".join(part for part in name.replace("_", "-").replace(".", "-").lower().split("-") if part)
