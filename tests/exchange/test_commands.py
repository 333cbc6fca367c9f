"""The operator's command does what the pages do, audited."""

import json

import pytest
from django.core.management import CommandError, call_command

from egov.exchange.models import AccessRight, ClientSystem, Service
from tests.exchange.conftest import pem_of


def test_joining_publishing_and_granting_from_the_command_line(
    pki_settings, dev_pki, agencies, tmp_path, provider_url
):
    call_command("exchange", "member", "bo-tu-phap", "Bộ Tư pháp")
    call_command("exchange", "member", "so-y-te", "Sở Y tế", agency="000.00.10.H13")
    openapi = tmp_path / "openapi.json"
    openapi.write_text(json.dumps({"openapi": "3.1.0", "info": {"title": "Hộ tịch"}}))
    call_command(
        "exchange", "service", "bo-tu-phap", "ho-tich", "Hộ tịch", provider_url,
        openapi_file=str(openapi),
    )  # fmt: skip
    certificate = tmp_path / "client.pem"
    certificate.write_text(pem_of(dev_pki.issue("Sở Y tế", key_type="ec-p256")))
    call_command("exchange", "client", "so-y-te", "ho-so", "Hồ sơ y tế", str(certificate))
    call_command(
        "exchange", "grant", "ho-so", "ho-tich",
        purpose="Cấp giấy chứng sinh", legal_basis="Luật Hộ tịch 2014",
    )  # fmt: skip
    assert AccessRight.objects.get(revoked_at__isnull=True).purpose == "Cấp giấy chứng sinh"
    assert Service.objects.get().openapi_document["openapi"] == "3.1.0"
    assert ClientSystem.objects.get().member.agency == agencies["health"]
    call_command("exchange", "revoke", "ho-so", "ho-tich", reason="Hết hạn")
    assert not AccessRight.objects.filter(revoked_at__isnull=True).exists()
    with pytest.raises(CommandError):
        call_command("exchange", "revoke", "ho-so", "ho-tich", reason="Lần nữa")


def test_a_service_without_an_openapi_description_is_refused(db):
    call_command("exchange", "member", "bo-tu-phap", "Bộ Tư pháp")
    with pytest.raises(CommandError, match="OpenAPI"):
        call_command("exchange", "service", "bo-tu-phap", "x", "X", "http://127.0.0.1:9")
