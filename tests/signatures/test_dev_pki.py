"""The development PKI: made by a command for the demo and tests, never trusted in production."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.signatures import checks, services, trust
from egov.signatures.devpki import DevelopmentPKI
from egov.signatures.models import SigningCertificate
from egov.signatures.verification import VALID, verify_pdf
from tests.signatures.fixtures import make_pdf, serve

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra):
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 64 + "production-like-secret-key",
        "ALLOWED_HOSTS": "dichvucong.cantho.gov.vn",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }


@pytest.mark.engine_independent
def test_the_command_refuses_to_run_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "create_dev_pki", "--dir", str(tmp_path / "pki")],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "refused under DJANGO_ENV=production" in result.stderr
    assert not (tmp_path / "pki").exists()


def test_production_never_trusts_the_development_root(dev_pki, pki_settings):
    root = str(dev_pki.directory / "root-ca.pem")
    pki_settings.EGOV_SIGNATURE_TRUST_ROOTS = [root]
    assert len(trust.trust_roots()) == 1  # development: trusted (and once, not twice)
    pki_settings.PRODUCTION = True
    pki_settings.EGOV_SIGNATURE_TRUST_DEV_PKI = True  # even if someone turns it on
    assert trust.trust_roots() == []
    assert [error.id for error in checks.development_pki_is_not_trusted(None)] == [
        "signatures.E002"
    ]


@pytest.mark.engine_independent
def test_deploy_check_fails_when_production_is_given_the_development_root(dev_pki):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=_production_env(EGOV_SIGNATURE_TRUST_ROOTS=str(dev_pki.directory / "root-ca.pem")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "signatures.E002" in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_certificates_are_issued_imported_and_sign(
    agencies, make_staff, pki_settings, tmp_path
):
    make_staff("lanhdao", agencies["justice"], full_name="Võ Minh Lãnh")
    directory = tmp_path / "pki"
    url = f"http://127.0.0.1:{_free_port()}"
    pki_settings.EGOV_DEV_PKI_DIR = directory
    call_command("create_dev_pki", "--dir", str(directory), "--url", url, "--demo", stdout=None)
    assert (directory / "root-ca.pem").exists() and (directory / "demo" / "lanhdao.p12").exists()
    certificates = SigningCertificate.objects.order_by("agency__code", "holder")
    assert [(c.agency.code, c.holder) for c in certificates] == [
        ("000.00.00.H13", "agency"),
        ("000.00.03.H13", "agency"),
        ("000.00.03.H13", "person"),
    ]
    assert certificates[0].seal_image is not None
    with pytest.raises(CommandError, match="--force"):
        call_command("create_dev_pki", "--dir", str(directory), "--url", url)
    call_command("create_dev_pki", "--dir", str(directory), "--url", url, "--if-missing")

    # Signing checks the certificate with its CA: serve the responders, as `make run` does.
    with serve(directory, url):
        signed = services.sign_pdf(
            make_pdf(), signer_certificate=certificates[1], actor=None, level="B-B"
        )
        assert verify_pdf(signed.data).verdict == VALID


def _demo_certificates():
    return list(
        SigningCertificate.objects.filter(status=SigningCertificate.Status.ACTIVE)
        .order_by("agency__code", "holder")
        .values_list("agency__code", "holder", "fingerprint")
    )


def test_a_rerun_finishes_what_a_failed_run_left_half_done(
    agencies, make_staff, pki_settings, tmp_path, monkeypatch
):
    """The first `make run` died while drawing the demo seals (a missing font): the PKI was made,
    no certificate imported. The rerun (--if-missing) issues them instead of stopping at the
    folder."""
    make_staff("lanhdao", agencies["justice"], full_name="Võ Minh Lãnh")
    directory = tmp_path / "pki"
    pki_settings.EGOV_DEV_PKI_DIR = directory
    url = f"http://127.0.0.1:{_free_port()}"
    args = ["create_dev_pki", "--dir", str(directory), "--url", url, "--if-missing", "--demo"]

    def no_font(name):
        raise OSError("cannot open resource")

    monkeypatch.setattr("egov.signatures.management.commands.create_dev_pki.draw_seal", no_font)
    with pytest.raises(OSError, match="cannot open resource"):
        call_command(*args, stdout=None)
    assert (directory / "pki.json").exists() and _demo_certificates() == []

    monkeypatch.undo()
    call_command(*args, stdout=None)
    made = _demo_certificates()
    assert [(code, holder) for code, holder, _fingerprint in made] == [
        ("000.00.00.H13", "agency"),
        ("000.00.03.H13", "agency"),
        ("000.00.03.H13", "person"),
    ]
    assert sorted(p.name for p in (directory / "demo").iterdir()) == [
        "000.00.00.H13.p12",
        "000.00.03.H13.p12",
        "lanhdao.p12",
    ]

    # Complete: a further run changes nothing.
    root = (directory / "root-ca.pem").read_bytes()
    call_command(*args, stdout=None)
    assert _demo_certificates() == made and (directory / "root-ca.pem").read_bytes() == root

    # A lost PKCS#12 file is issued again, the others are kept.
    (directory / "demo" / "lanhdao.p12").unlink()
    call_command(*args, stdout=None)
    assert (directory / "demo" / "lanhdao.p12").exists()
    assert SigningCertificate.objects.filter(revocation_reason="replaced").count() == 1


def test_a_half_made_pki_or_one_for_other_responders_is_made_again(
    agencies, pki_settings, tmp_path
):
    directory = tmp_path / "pki"
    pki_settings.EGOV_DEV_PKI_DIR = directory
    url = f"http://127.0.0.1:{_free_port()}"
    args = ["create_dev_pki", "--dir", str(directory), "--if-missing", "--demo"]
    call_command(*args, "--url", url, stdout=None)
    first = _demo_certificates()
    assert len(first) == 2

    (directory / "ocsp.key.pem").unlink()  # the run died while writing the PKI
    call_command(*args, "--url", url, stdout=None)
    assert DevelopmentPKI.is_complete(directory, url)
    second = _demo_certificates()
    assert len(second) == 2 and second != first  # new CA, certificates issued again
    assert SigningCertificate.objects.filter(revocation_reason="replaced").count() == 2

    other = f"http://127.0.0.1:{_free_port()}"  # the instance now runs on another port
    call_command(*args, "--url", other, stdout=None)
    assert DevelopmentPKI(directory).base_url == other
    certificate = SigningCertificate.objects.get(
        agency=agencies["justice"], status=SigningCertificate.Status.ACTIVE
    )
    assert other in str(
        x509.load_der_x509_certificate(bytes(certificate.certificate_der)).extensions
    )


def test_another_instances_responders_on_the_port_are_refused(agencies, pki_settings, tmp_path):
    """Two instances on one machine: the port of this PKI's responders answers for another PKI;
    checking revocation there would fail later with "try again later"."""
    url = f"http://127.0.0.1:{_free_port()}"
    DevelopmentPKI.create(tmp_path / "other", url)
    with serve(tmp_path / "other", url), pytest.raises(CommandError, match="another PORT"):
        call_command(
            "create_dev_pki", "--dir", str(tmp_path / "pki"), "--url", url, "--demo", stdout=None
        )
    assert _demo_certificates() == []
