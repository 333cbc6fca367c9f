"""One setting moves every address: the port (`make run PORT=…`, EGOV_PORT) or the public address
(EGOV_PUBLIC_BASE_URL). `check --deploy` refuses a production public address left at this
machine's development default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.engine_independent

SHOW = """
import json, django
django.setup()
from django.conf import settings
from django.urls import reverse
from egov.signatures import services
print(json.dumps({
    "public": settings.EGOV_PUBLIC_BASE_URL,
    "verify": services.verification_url("ABCD"),
    "payment_return": settings.EGOV_PUBLIC_BASE_URL + reverse("payments:return"),
    "pki": settings.EGOV_DEV_PKI_URL,
    "tsa": settings.EGOV_TSA_URL,
    "axis": settings.EGOV_DOCUMENTS_EXCHANGE_URL,
    "postal_api": settings.EGOV_POSTAL_API_URL,
}))
"""


def _run(args, **env) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith(("EGOV_", "DJANGO_"))
    }
    environ.update(DJANGO_SETTINGS_MODULE="egov.settings", PYTHONPATH=str(ROOT / "src"), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def _addresses(**env) -> dict:
    result = _run(["-c", SHOW], **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_port_moves_every_address():
    assert _addresses(EGOV_PORT="8123") == {
        "public": "http://127.0.0.1:8123",
        "verify": "http://127.0.0.1:8123/xac-thuc/ABCD/",
        "payment_return": "http://127.0.0.1:8123/thanh-toan/ket-qua/",
        "pki": "http://127.0.0.1:8913",
        "tsa": "http://127.0.0.1:8913/tsa",
        "axis": "http://127.0.0.1:8914",
        "postal_api": "http://127.0.0.1:8123/postal-simulator",
    }
    default = _addresses()
    assert (
        default["public"] == "http://127.0.0.1:8000" and default["pki"] == "http://127.0.0.1:8790"
    )


def test_the_public_address_moves_what_citizens_see():
    addresses = _addresses(EGOV_PUBLIC_BASE_URL="https://dichvucong.cantho.gov.vn/")
    assert addresses["verify"] == "https://dichvucong.cantho.gov.vn/xac-thuc/ABCD/"
    assert addresses["payment_return"] == "https://dichvucong.cantho.gov.vn/thanh-toan/ket-qua/"


def _deploy_check(**env) -> subprocess.CompletedProcess:
    return _run(
        ["manage.py", "check", "--deploy"],
        DJANGO_ENV="production",
        SECRET_KEY="x" * 64 + "production-like-secret-key-for-the-check",
        ALLOWED_HOSTS="dichvucong.cantho.gov.vn",
        DATABASE_URL="sqlite:///:memory:",
        **env,
    )


def test_the_deploy_check_refuses_the_development_public_address():
    left = _deploy_check()
    assert left.returncode != 0
    output = left.stdout + left.stderr
    assert "egov.E002" in output and "EGOV_PUBLIC_BASE_URL is 'http://127.0.0.1:8000'" in output
    assert "egov.E002" in _deploy_check(EGOV_PUBLIC_BASE_URL="http://localhost:8101").stderr
    only_verify = _deploy_check(
        EGOV_PUBLIC_BASE_URL="https://dichvucong.cantho.gov.vn",
        EGOV_VERIFY_BASE_URL="http://127.0.0.1:8000/xac-thuc/",
    )
    assert "EGOV_VERIFY_BASE_URL" in only_verify.stderr and only_verify.returncode != 0
    assert (
        "egov.E002"
        not in _deploy_check(EGOV_PUBLIC_BASE_URL="https://dichvucong.cantho.gov.vn").stderr
    )
