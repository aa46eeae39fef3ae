"""Debian's headless Chromium for the tests that open reports in a real browser.

`chromium()` finds it, installing it with apt-get where it is missing and that is possible (root and apt-get,
as on the CI machine); the callers skip with `SKIP_REASON` only where it cannot be had.
"""

from __future__ import annotations

import os
import shutil
import subprocess

SKIP_REASON = "Debian's chromium is not installed and cannot be installed here (apt-get needs root)"


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
