"""Two running platform instances, two databases, two agencies, one exchange axis between them:
a document issued on this one (A) is registered on the other (B), and its statuses come back."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from egov.documents import exchange
from egov.documents.models import ExchangeMessage
from tests.documents.axis_fixtures import OUTSIDE
from tests.documents.conftest import P12_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPT = Path(__file__).with_name("instance_b.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def instance_b(tmp_path, axis, dev_pki, pki_settings):
    """B's database: a copy of this test database's schema on SQLite, or migrated anew."""
    database = tmp_path / "b.sqlite3"
    if connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(database)
        source.backup(target)
        source.close()
        target.close()
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media-b"),
        "EGOV_VAR_DIR": str(tmp_path / "var-b"),
        "EGOV_DEV_PKI_DIR": str(dev_pki.directory),
        "EGOV_SIGNATURE_TRUST_DEV_PKI": "1",
        "EGOV_TSA_URL": dev_pki.pki.tsa_url,
        "EGOV_DOCUMENTS_EXCHANGE_URL": axis.url,
        "EGOV_DOCUMENTS_EXCHANGE_SYSTEM_ID": "vinhlong",
        "EGOV_DOCUMENTS_EXCHANGE_SECRET": "vinhlong-secret",
        "EGOV_DOCUMENTS_EXCHANGE_RETRY_SECONDS": "0",
        "EGOV_MALWARE_SCANNER": "none",
    }
    if connection.vendor != "sqlite":
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            timeout=600,
        )

    def run(*arguments) -> dict:
        result = subprocess.run(
            [sys.executable, str(SCRIPT), *arguments],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    yield run
    shutil.rmtree(tmp_path / "media-b", ignore_errors=True)


def test_issued_here_registered_there_statuses_back(
    issued,
    instance_b,
    axis,
    dev_pki,
    tmp_path,
):
    certificate = dev_pki.issue(OUTSIDE[1], key_type="ec-p256")
    p12 = tmp_path / "b.p12"
    p12.write_bytes(certificate.pkcs12(P12_PASSWORD))
    instance_b("setup", str(p12), P12_PASSWORD)

    document = issued(
        subject="Về việc phối hợp kiểm tra liên tỉnh",
        recipients=[{"kind": "external", "code": OUTSIDE[0], "name": OUTSIDE[1]}],
    )
    # B is not taking anything yet, and the axis is down: the document waits in A's outbox.
    assert exchange.send_due()["retry"] == 1
    axis.start()
    ExchangeMessage.objects.update(next_attempt_at=None)
    ExchangeMessage.objects.filter(state="pending").update(next_attempt_at=document.issued_at)
    assert exchange.send_due()["sent"] == 1

    first = instance_b("work")
    assert first["received"] == {"accepted": 1, "rejected": 0, "duplicates": 0}
    assert first["sent"]["sent"] == 0  # the 01 status was written after the send round
    again = instance_b("work")  # sends 01; nothing arrives twice
    assert again["sent"]["sent"] == 1
    assert again["received"] == {"accepted": 0, "rejected": 0, "duplicates": 0}

    there = instance_b("show")["documents"]
    assert len(there) == 1
    assert there[0]["reference"] == document.reference
    assert there[0]["state"] == "arrived" and there[0]["channel"] == "exchange"
    assert there[0]["sender"] == "000.00.03.H13"
    assert there[0]["files"][0].endswith(".pdf")

    instance_b("register")
    instance_b("work")
    there = instance_b("show")["documents"]
    assert there[0]["state"] == "registered" and there[0]["number"] == 1

    assert exchange.poll() == {"accepted": 3, "rejected": 0, "duplicates": 0}
    recipient = document.recipients.get()
    assert recipient.status == "04"  # registered (03), waiting for the leader to assign it
    assert set(
        ExchangeMessage.objects.filter(direction="in", kind="status").values_list(
            "status_code", flat=True
        )
    ) == {"01", "03", "04"}
