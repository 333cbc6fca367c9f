"""`make` checks first what the README lists and cannot be installed from here, and stops at once
with one line naming the missing Debian packages and the command that installs them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.engine_independent


def _preflight(path: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "preflight.py")],
        env={"PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_machine_with_the_packages_passes():
    done = _preflight(os.environ["PATH"])
    assert done.returncode == 0 and done.stderr == ""


def test_a_missing_package_stops_with_one_line_naming_it(tmp_path):
    done = _preflight(str(tmp_path))  # no msgfmt on this PATH
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "gettext" in lines[0] and "sudo apt-get install gettext" in lines[0]
