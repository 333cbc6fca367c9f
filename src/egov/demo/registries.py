"""The demo's data sharing platform: the four shared registries' local servers (started by
`make run` beside the other local services) published as services of their ministries, and the
city's one-stop system registered as a client with the right to ask them, so that a newcomer can
submit a demo procedure whose papers come from a registry. Run by prepare_demo after the
development PKI; each step only when it is missing, so a restart does no work.

The one-stop system's key stays in the development PKI's directory; what the web server needs to
call the registries (docs/exchange.md, "Prefill at submission") is written to
``var/demo-registries.json``, which the settings read when ``EGOV_DEMO_REGISTRIES`` names it
(`make run` does)."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.conf import settings

from egov.exchange import messagelog, services
from egov.exchange.models import AccessRight, ClientSystem, Member, PlatformKey
from egov.organizations.models import Agency
from egov.signatures.devpki import DevelopmentPKI

ONE_STOP_MEMBER = "ubnd-thanh-pho"
ONE_STOP_AGENCY = "000.00.00.H13"
ONE_STOP_CLIENT = "mot-cua-dien-tu"
PURPOSE = "Điền sẵn tờ khai và lấy giấy tờ khi công dân nộp hồ sơ (có sự đồng ý của công dân)"


@dataclass(frozen=True)
class DemoRegistry:
    key: str  # the registry (DocumentRequirement.Registry's value) and its settings key
    service: str
    name: str
    provider: str
    provider_name: str
    port_setting: str
    legal_basis: str


DEMO_REGISTRIES = [
    DemoRegistry(
        "population",
        "dan-cu-tra-cuu",
        "Tra cứu thông tin công dân",
        "bo-cong-an",
        "Bộ Công an — Cơ sở dữ liệu quốc gia về dân cư",
        "EGOV_POPULATION_REGISTRY_PORT",
        "Luật Căn cước 2023; Nghị định 70/2024/NĐ-CP",
    ),
    DemoRegistry(
        "civil_status",
        "ho-tich-tra-cuu",
        "Tra cứu khai sinh, kết hôn",
        "bo-tu-phap",
        "Bộ Tư pháp — Cơ sở dữ liệu hộ tịch điện tử",
        "EGOV_CIVIL_STATUS_REGISTRY_PORT",
        "Luật Hộ tịch 2014; Nghị định 87/2020/NĐ-CP",
    ),
    DemoRegistry(
        "business",
        "doanh-nghiep-tra-cuu",
        "Tra cứu thông tin doanh nghiệp",
        "bo-tai-chinh",
        "Bộ Tài chính — Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
        "EGOV_BUSINESS_REGISTRY_PORT",
        "Nghị định 168/2025/NĐ-CP",
    ),
    DemoRegistry(
        "land",
        "dat-dai-tra-cuu",
        "Tra cứu thửa đất",
        "bo-nong-nghiep-va-moi-truong",
        "Bộ Nông nghiệp và Môi trường — Cơ sở dữ liệu đất đai",
        "EGOV_LAND_REGISTRY_PORT",
        "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP",
    ),
]


def config_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-registries.json"


def publish(pki: DevelopmentPKI, out: Any = None) -> dict[str, dict[str, Any]]:
    """Publishes the demo registries and the one-stop system's rights (only what is missing) and
    writes the web server's configuration; returns it. The PKI's responders must answer (the
    client's certificate is checked against its CRL and OCSP when registered)."""
    written: list[str] = []
    if not PlatformKey.objects.exists():
        issued = pki.issue(
            "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", organization="LGSP", key_type="ec-p256"
        )
        messagelog.install_platform_key(issued.certificate, issued.key)  # type: ignore[arg-type]
        written.append("platform key")
    key_file = pki.directory / "demo" / f"{ONE_STOP_CLIENT}.key"
    client = ClientSystem.objects.filter(code=ONE_STOP_CLIENT).first()
    if client is None or not key_file.is_file():
        agency = Agency.objects.filter(code=ONE_STOP_AGENCY).first()
        member = services.save_member(
            actor=None,
            code=ONE_STOP_MEMBER,
            name=agency.name if agency else "Ủy ban nhân dân thành phố",
            kind=Member.Kind.AGENCY if agency else Member.Kind.OUTSIDE,
            agency=agency,
        )
        issued = pki.issue(
            "Hệ thống thông tin giải quyết thủ tục hành chính",
            organization=member.name,
            key_type="ec-p256",
        )
        if client is not None:  # its key was lost: a new certificate, the rights stay
            AccessRight.objects.filter(client=client).delete()
            client.delete()
        client = services.register_client(
            actor=None,
            member=member,
            code=ONE_STOP_CLIENT,
            name="Hệ thống một cửa điện tử",
            certificate_pem=issued.certificate.public_bytes(serialization.Encoding.PEM).decode(),
        )
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_bytes(
            issued.key.private_bytes(  # type: ignore[attr-defined]
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_file.chmod(0o600)
        written.append(f"client {ONE_STOP_CLIENT}")
    config: dict[str, dict[str, Any]] = {}
    for registry in DEMO_REGISTRIES:
        base_url = f"http://127.0.0.1:{getattr(settings, registry.port_setting)}"
        provider = Member.objects.filter(code=registry.provider).first()
        if provider is None:
            provider = services.save_member(
                actor=None,
                code=registry.provider,
                name=registry.provider_name,
                kind=Member.Kind.OUTSIDE,
            )
        service = provider.services.filter(code=registry.service).first()
        if service is None or service.base_url != base_url or service.withdrawn_at:
            service = services.publish_service(
                actor=None,
                provider=provider,
                code=registry.service,
                name=registry.name,
                base_url=base_url,
                openapi_url=f"{base_url}/openapi.json",
            )
            written.append(f"service {registry.service}")
        live = AccessRight.objects.filter(client=client, service=service, revoked_at__isnull=True)
        if not live.exists():
            services.grant_right(
                actor=None,
                client=client,
                service=service,
                purpose=PURPOSE,
                legal_basis=registry.legal_basis,
            )
            written.append(f"right {ONE_STOP_CLIENT} → {registry.service}")
        config[registry.key] = {
            "gateway_url": settings.EGOV_PUBLIC_BASE_URL,
            "service": registry.service,
            "client": client.code,
            "fingerprint": client.fingerprint,
            "key_file": str(key_file),
        }
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1))
    if out is not None:
        done = ", ".join(written) if written else "already published"
        out.write(f"Demo registries on the data sharing platform: {done} ({path}).")
    return config
