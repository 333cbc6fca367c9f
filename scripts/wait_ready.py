"""`make run`: waits until the web server answers /healthz, then says so with the addresses (the
line that matters comes after the start-up messages, not before them). Gives up, exit status 1,
when the server's process (its pid as the second argument) has ended, e.g. on a port in use.

    python scripts/wait_ready.py http://127.0.0.1:8000 [PID]
"""

import os
import sys
import time
import urllib.request


def alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # an ended child that was not reaped yet
        done, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == 0


def main(web: str, pid: int | None = None) -> int:
    started = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(f"{web}/healthz", timeout=2):  # noqa: S310 - our own
                break
        except OSError:
            if not alive(pid):
                print(f"The web server stopped before it answered on {web}.", file=sys.stderr)
                return 1
            time.sleep(0.3)
    print(
        f"Ready ({time.monotonic() - started:.0f} s after start). Web: {web}/  "
        f"Staff site: {web}/staff/  API: {web}/api/v1/docs  (demo sign-ins above); "
        "starting the workers and the local services.",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), int(sys.argv[2]) if len(sys.argv) > 2 else None))
