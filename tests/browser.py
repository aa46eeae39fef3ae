"""Debian's headless Chromium and the pinned axe-core for the tests that open reports in a real browser.

`chromium()` finds Chromium, installing it with apt-get where it is missing and that is possible (root and
apt-get, as on the CI machine); the callers skip with `SKIP_REASON` only where it cannot be had.

`axe_script()` is axe-core's `axe.min.js` from `tools/axe/` (package.json and package-lock.json pin one exact
version), installed there with `npm ci` when its node_modules is missing or holds another version; the
callers skip with `AXE_SKIP_REASON` only where npm is absent. The script is injected into the page from this
local file: nothing is loaded from the network while a report is checked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

SKIP_REASON = "Debian's chromium is not installed and cannot be installed here (apt-get needs root)"
AXE_SKIP_REASON = "npm is not installed, so axe-core (tools/axe/package-lock.json) cannot be installed"

#: The folder whose package.json and package-lock.json pin axe-core.
AXE_DIR = Path(__file__).resolve().parents[1] / "tools" / "axe"


def chromium() -> str | None:
    """Debian's chromium, installed with apt-get where it is missing and that is possible."""
    found = shutil.which("chromium")
    if found is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        install = ["apt-get", "install", "-y", "-q", "chromium"]
        done = subprocess.run(install, capture_output=True, timeout=900, check=False)
        if done.returncode != 0:  # a clean machine has no package lists yet
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, timeout=900, check=False)
            subprocess.run(install, capture_output=True, timeout=900, check=False)
        found = shutil.which("chromium")
    return found


def axe_version() -> str:
    """The axe-core version the lock file pins."""
    lock = json.loads((AXE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/axe-core"]["version"])


def _installed_version() -> str | None:
    manifest = AXE_DIR / "node_modules" / "axe-core" / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def axe_script() -> Path | None:
    """`axe.min.js` of the pinned axe-core, installed with `npm ci` where missing; None where npm is absent.

    A failed `npm ci` (e.g. the registry unreachable) raises, with npm's message: that is not a reason to skip.
    """
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if _installed_version() == axe_version() and script.is_file():
        return script
    npm = shutil.which("npm")
    if npm is None:
        return None
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=AXE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0 or _installed_version() != axe_version():
        raise RuntimeError(f"npm ci in {AXE_DIR} failed ({done.returncode}): {done.stderr[-2000:]}")
    return script
