"""A local national portal on a free localhost port, started and stopped at will (outages), and
the dossier fixtures of the dossiers tests."""

import socket
import threading
from contextlib import closing

import pytest

from egov.national_portal import portal_server
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

UNIT, SECRET = "000.00.00.H13", "portal-test-secret"


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

    def start(self):
        self.server, self.state = portal_server.make_server(
            self.data_dir, units={UNIT: SECRET}, procedures=self.procedures, port=self.port
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
    settings.EGOV_NATIONAL_PORTAL_SECRET = SECRET
    settings.EGOV_NATIONAL_PORTAL_TIMEOUT = 5
    settings.EGOV_NATIONAL_PORTAL_RETRY_SECONDS = 30
    yield running
    running.stop()
