"""Checks, before `make` builds anything, that the machine has what the README lists and that
cannot be installed from here; prints one line naming the missing Debian packages and the command
that installs them, and exits 1. Runs on the system's python3 (the virtualenv does not exist yet).

The fonts are not checked: the platform ships Noto Sans and Noto Serif (src/egov/core/fonts/)
and uses them when the system's are missing.
"""

import ctypes.util
import shutil
import sys


def missing_packages() -> list[str]:
    missing = []
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on the system's python3
        missing.append("python3 (3.11 or later)")
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        missing.append("python3-venv")
    if not shutil.which("msgfmt"):
        missing.append("gettext")
    # WeasyPrint (every PDF) loads Pango through its C library.
    pango = [("pango-1.0", "libpango-1.0-0"), ("pangoft2-1.0", "libpangoft2-1.0-0")]
    for library, package in pango:
        if not ctypes.util.find_library(library):
            missing.append(package)
    return missing


def main() -> int:
    missing = missing_packages()
    if not missing:
        return 0
    names = " ".join(name.split(" ")[0] for name in missing)
    print(
        f"Missing Debian packages: {', '.join(missing)}. Install them with: "
        f"sudo apt-get install {names}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
