"""The envelope of a call as OpenCPS's connector to the portal sends it
(VietOpenCPS/opencps-v2, DVCQGIntegrationActionImpl): DongBoHoSoMC says whether the portal
already holds the dossier (``isUpdating``), and an answer with error_code 0 written as a
number or as "00" is an acceptance."""

import pytest

from egov.dossiers import processing
from egov.national_portal import outbox
from egov.national_portal.client import PortalClient, PortalRefused, forget_sessions


class _Answer:
    def __init__(self, body, status=200):
        self.body, self.status_code = body, status

    def json(self):
        return self.body


class _Session:
    """Stands in for requests.Session: keeps what was posted, answers ``answer``."""

    def __init__(self, answer):
        self.answer, self.posted = answer, []

    def post(self, url, json, headers, timeout):
        if url.endswith("/api/auth"):  # the session token (kept afterwards)
            return _Answer({"error_code": 0, "session": "s-1", "expires_in": 600})
        self.posted.append(json)
        return _Answer(self.answer)


@pytest.fixture(autouse=True)
def _no_kept_session():
    forget_sessions()
    yield
    forget_sessions()


def _client(session):
    return PortalClient("http://portal.test", "000.00.00.H13", "user", "password", session=session)


@pytest.mark.parametrize("code", [0, "0", "00", " 00"])
def test_error_code_zero_in_any_spelling_is_an_acceptance(code):
    session = _Session({"error_code": code, "message": "Thành công"})
    assert _client(session).call("DongBoHoSoMC", [{"MaHoSo": "X"}])["error_code"] == code


@pytest.mark.parametrize("code", ["-1", "01", 1, None])
def test_any_other_code_is_a_refusal(code):
    with pytest.raises(PortalRefused):
        _client(_Session({"error_code": code, "message": "Lỗi"})).call("DongBoHoSoMC", [{}])


def test_is_updating_goes_in_the_envelope_only_when_given():
    session = _Session({"error_code": "0"})
    client = _client(session)
    client.call("DongBoHoSoMC", [{"MaHoSo": "X"}], updating=False)
    client.call("DongBoHoSoMC", [{"MaHoSo": "X"}], updating=True)
    client.call("CapNhatTienDoHoSoMC", [{"MaHoSo": "X"}])
    assert [body.get("isUpdating") for body in session.posted] == ["False", "True", None]
    assert session.posted[0]["madonvi"] == "000.00.00.H13" and session.posted[0]["session"] == "s-1"


@pytest.mark.django_db
def test_a_dossiers_first_record_creates_it_and_later_ones_update_it(portal, received, people):
    processing.advance(received, actor=people["specialist"])
    outbox.send_due()
    calls = portal.state.calls(received.code)
    assert [(c["service"], c["updating"]) for c in calls] == [
        ("DongBoHoSoMC", "False"),
        ("DongBoHoSoMC", "True"),
        ("CapNhatTienDoHoSoMC", None),
    ]
