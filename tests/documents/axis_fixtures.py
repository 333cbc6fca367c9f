"""A local exchange axis on a free localhost port, started and stopped at will (for outages)."""

import socket
import threading
from contextlib import closing

import pytest

from egov.documents import axis_server

JUSTICE = ("000.00.03.H13", "Sở Tư pháp")
OUTSIDE = ("000.00.10.H62", "Sở Y tế tỉnh Vĩnh Long")
CONFIG = {
    "systems": [
        {
            "id": "cantho",
            "secret": "cantho-secret",
            "organs": [
                {"code": JUSTICE[0], "name": JUSTICE[1]},
                {"code": "000.00.10.H13", "name": "Sở Y tế"},
            ],
        },
        {
            "id": "vinhlong",
            "secret": "vinhlong-secret",
            "organs": [{"code": OUTSIDE[0], "name": OUTSIDE[1]}],
        },
    ]
}


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningAxis:
    def __init__(self, data_dir, port):
        self.data_dir, self.port, self.server = data_dir, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self):
        self.server = axis_server.make_server(CONFIG, self.data_dir, port=self.port)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def axis(tmp_path, settings):
    running = RunningAxis(tmp_path / "axis", free_port())
    settings.EGOV_DOCUMENTS_EXCHANGE_URL = running.url
    settings.EGOV_DOCUMENTS_EXCHANGE_SYSTEM_ID = "cantho"
    settings.EGOV_DOCUMENTS_EXCHANGE_SECRET = "cantho-secret"
    settings.EGOV_DOCUMENTS_EXCHANGE_TIMEOUT = 5
    yield running
    running.stop()
