"""A local national portal on a free localhost port, started and stopped at will (outages), and
the dossier fixtures of the dossiers tests."""

import socket
import threading
from contextlib import closing

import pytest

from egov.national_portal import portal_server
from egov.national_portal.client import forget_sessions
from tests.dossiers.conftest import (  # noqa: F401 - the dossier fixtures
    MONDAY,
    PDF,
    complete_draft,
    consulted_version,
    draft,
    people,
    received,
    record_version,
    submitted_dossier,
)

UNIT, USERNAME, PASSWORD = "000.00.00.H13", "egov-test", "portal-test-password"


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningPortal:
    def __init__(self, data_dir, port):
        self.data_dir, self.port = data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.server, self.state = None, None
        self.procedures = []  # what LayThuTuc answers (set before start)
        self.session_seconds = 1800

    def start(self):
        self.server, self.state = portal_server.make_server(
            self.data_dir,
            accounts={USERNAME: PASSWORD},
            procedures=self.procedures,
            port=self.port,
            session_seconds=self.session_seconds,
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def default_mapping():
    """The mapping rows migration 0002 seeds: a browser test (transactional) empties every table
    when it ends, and the tests after it on the same worker would find none."""
    from egov.national_portal.mapping import DEFAULTS
    from egov.national_portal.models import StatusMapping

    for (status, transition), code in DEFAULTS.items():
        StatusMapping.objects.get_or_create(
            status=status, transition=transition, defaults={"portal_code": code}
        )


@pytest.fixture
def portal(tmp_path, settings):
    default_mapping()
    running = RunningPortal(tmp_path / "portal", free_port()).start()
    settings.EGOV_NATIONAL_PORTAL_ENABLED = True
    settings.EGOV_NATIONAL_PORTAL_URL = running.url
    settings.EGOV_NATIONAL_PORTAL_UNIT_CODE = UNIT
    settings.EGOV_NATIONAL_PORTAL_USERNAME = USERNAME
    settings.EGOV_NATIONAL_PORTAL_PASSWORD = PASSWORD
    settings.EGOV_NATIONAL_PORTAL_TIMEOUT = 5
    settings.EGOV_NATIONAL_PORTAL_RETRY_SECONDS = 30
    forget_sessions()  # each test's portal gives its own sessions
    yield running
    running.stop()
    forget_sessions()
