"""The simulator is never enabled in production, whatever the environment says."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production(**extra) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "dichvucong.cantho.gov.vn",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.engine_independent
def test_production_never_serves_the_simulator():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'egov.settings'; "
        "django.setup(); from django.conf import settings; from django.test import Client; "
        "print(settings.EGOV_POSTAL_SIMULATOR, repr(settings.EGOV_POSTAL_API_URL), "
        "Client().get('/postal-simulator/', secure=True).status_code)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "EGOV_POSTAL_SIMULATOR": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split()[-3:] == ["False", "''", "404"], result.stderr


@pytest.mark.engine_independent
def test_the_deploy_check_refuses_an_operator_over_plain_http_or_without_a_secret():
    result = _production(
        EGOV_POSTAL_API_URL="http://buudien.example.vn/api", EGOV_POSTAL_WEBHOOK_SECRET="short"
    )
    assert result.returncode != 0
    assert "egov.postal.E002" in result.stderr + result.stdout
    assert "egov.postal.E003" in result.stderr + result.stdout
    configured = _production(
        EGOV_POSTAL_API_URL="https://buudien.example.vn/api",
        EGOV_POSTAL_API_KEY="key",
        EGOV_POSTAL_WEBHOOK_SECRET="s" * 40,
    )
    assert "egov.postal" not in configured.stderr + configured.stdout
