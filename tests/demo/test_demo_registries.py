"""`make run` starts the four shared registries' local servers and prepare_demo publishes them on
the data sharing platform, with the one-stop system's rights, so that a demo procedure's papers
can come from a registry out of the box."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from egov.catalog.models import DocumentRequirement
from egov.demo import registries
from egov.exchange.models import AccessRight, ClientSystem, Member, PlatformKey, Service
from egov.exchange.registries import population
from tests.demo.test_prepare_demo import demo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"dan-cu-tra-cuu", "ho-tich-tra-cuu", "doanh-nghiep-tra-cuu", "dat-dai-tra-cuu"}


def test_prepare_demo_publishes_the_registries_with_the_one_stop_rights(
    demo,  # noqa: F811
    settings,
    capsys,
):
    call_command("prepare_demo")
    first = capsys.readouterr().out
    assert "Demo registries on the data sharing platform: platform key" in first
    assert PlatformKey.objects.count() == 1

    published = {s.code: s for s in Service.objects.all()}
    assert set(published) == SERVICES
    assert published["dan-cu-tra-cuu"].base_url == (
        f"http://127.0.0.1:{settings.EGOV_POPULATION_REGISTRY_PORT}"
    )
    assert published["dat-dai-tra-cuu"].provider.kind == Member.Kind.OUTSIDE
    client = ClientSystem.objects.get(code=registries.ONE_STOP_CLIENT)
    rights = AccessRight.objects.filter(client=client, revoked_at__isnull=True)
    assert {r.service.code for r in rights} == SERVICES
    assert all(r.purpose and r.legal_basis for r in rights)

    config = json.loads((Path(settings.VAR_DIR) / "demo-registries.json").read_text())
    assert set(config) == {"population", "civil_status", "business", "land"}
    assert config["population"]["service"] == "dan-cu-tra-cuu"
    assert config["population"]["fingerprint"] == client.fingerprint
    key_file = Path(config["population"]["key_file"])
    assert key_file.is_file() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert b"PRIVATE KEY" in key_file.read_bytes()

    # A restart publishes nothing again and keeps the client (and its key).
    call_command("prepare_demo")
    again = capsys.readouterr().out
    assert "Demo registries on the data sharing platform: already published" in again
    assert ClientSystem.objects.get().fingerprint == client.fingerprint
    assert AccessRight.objects.count() == 4 and PlatformKey.objects.count() == 1


def test_a_service_moved_to_another_port_or_a_revoked_right_is_published_again(
    demo,  # noqa: F811
    settings,
    capsys,
):
    call_command("prepare_demo")
    AccessRight.objects.filter(service__code="dan-cu-tra-cuu").update(
        revoked_at="2026-01-01T00:00Z", revoke_reason="test"
    )
    settings.EGOV_LAND_REGISTRY_PORT = 18798
    capsys.readouterr()
    call_command("prepare_demo")
    out = capsys.readouterr().out
    assert "right mot-cua-dien-tu → dan-cu-tra-cuu" in out and "service dat-dai-tra-cuu" in out
    assert Service.objects.get(code="dat-dai-tra-cuu").base_url == "http://127.0.0.1:18798"


def test_the_settings_take_the_demo_registries_from_the_file_make_run_names(tmp_path):
    file = tmp_path / "demo-registries.json"
    file.write_text(json.dumps({"population": {"service": "dan-cu-tra-cuu"}}))
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EGOV_POPULATION_REGISTRY, s.EGOV_LAND_REGISTRY)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "egov.settings", "PYTHONPATH": "src"}
    env.pop("EGOV_POPULATION_REGISTRY", None)
    env.pop("EGOV_LAND_REGISTRY", None)

    def run(**extra: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", script],
            env={**env, **extra},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert run(EGOV_DEMO_REGISTRIES=str(file)) == "{'service': 'dan-cu-tra-cuu'} None"
    assert run() == "None None"  # not named: nothing is asked (the tests' case)


def test_make_run_starts_the_four_registries():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    started = set(re.findall(r"\$\(MANAGE\) (serve_\w+_registry) &", run))
    assert started == {
        "serve_population_registry",
        "serve_civil_status_registry",
        "serve_business_registry",
        "serve_land_registry",
    }
    assert "EGOV_DEMO_REGISTRIES := $(CURDIR)/var/demo-registries.json" in makefile


def test_the_demo_citizen_is_in_the_population_registry_and_a_demo_procedure_takes_from_it():
    records = json.loads(population.DEMO_DATA.read_text())
    assert records["092190012345"]["ho_ten"] == "Nguyễn Thị Công Dân"  # congdan's number
    catalogue = json.loads((ROOT / "src/egov/catalog/data/demo_catalog.json").read_text())
    online = [
        item["code"]
        for item in catalogue
        if item["online_mode"] == "full"
        and any(
            r.get("registry") == DocumentRequirement.Registry.POPULATION
            for r in item["requirements"]
        )
    ]
    assert "3.000333" in online  # the judicial record certificate: its identity paper


def test_the_demo_catalogue_says_the_parents_marriage_is_the_marriage_record():
    from egov.demo.catalog import version_data

    catalogue = json.loads((ROOT / "src/egov/catalog/data/demo_catalog.json").read_text())
    birth = next(item for item in catalogue if item["code"] == "1.001193")
    papers = {r["name"]: r for r in version_data(birth)["requirements"]}
    marriage = papers["Thông tin Giấy chứng nhận kết hôn của cha, mẹ"]
    assert marriage["registry"] == "civil_status"
    assert marriage["civil_status_record"] == "marriage"
