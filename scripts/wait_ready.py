"""`make run`: waits until the web server answers /healthz, then says so with the addresses, so
the line that matters comes after the start-up messages rather than before them.

    python scripts/wait_ready.py http://127.0.0.1:8000
"""

import sys
import time
import urllib.request


def main(web: str) -> None:
    started = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(f"{web}/healthz", timeout=2):  # noqa: S310 - our own
                break
        except OSError:
            time.sleep(0.3)
    print(
        f"Ready ({time.monotonic() - started:.0f} s after start). Web: {web}/  "
        f"Staff site: {web}/staff/  API: {web}/api/v1/docs  (demo sign-ins above)",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
