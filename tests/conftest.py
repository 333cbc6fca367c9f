import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency

pytest_plugins = ["tests.catalog_fixtures"]

PASSWORD = "a-long-test-password-123"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """CI runs the suite twice, on SQLite and on PostgreSQL, within its time: what asks nothing
    of the database engine (browser journeys, settings checked in a subprocess) runs in the
    SQLite pass only."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return
    once = pytest.mark.skip(reason="asks nothing of the database engine: runs on SQLite")
    for item in items:
        if item.get_closest_marker("engine_independent"):
            item.add_marker(once)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The SQLite test database lives in a file, not in memory, so that worker subprocesses
    (tests/notifications) can open it as the tests' own connection does."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(tempfile.gettempdir()) / f"egov-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _files_stay_in_a_temporary_folder(settings, _media_root):
    """Uploads, receipts and templates written by tests never land in var/media."""
    settings.MEDIA_ROOT = _media_root


@pytest.fixture(autouse=True)
def _no_revocation_answers_from_an_earlier_test():
    # The OCSP responses and CRLs that signing reuses (signatures.revinfo) live in the process.
    from egov.signatures import revinfo

    revinfo.forget()


@pytest.fixture(autouse=True)
def _no_lockouts_between_tests(settings):
    # Each test starts with a clean login-failure count; lock-out has tests of its own.
    settings.AXES_ENABLED = True


@pytest.fixture
def province(db):
    return AdministrativeUnit.objects.create(
        code="92",
        name="Thành phố Cần Thơ",
        level=1,
        kind="thanh_pho_tw",
        valid_from=datetime.date(2025, 7, 1),
    )


@pytest.fixture
def agencies(db, province):
    """A small tree: the city, two departments, one sub-department under the first."""

    def make(code, name, kind, parent=None):
        return organizations.save_agency(
            Agency(code=code, name=name, kind=kind, parent=parent, unit=province), actor=None
        )

    city = make("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", "ubnd")
    justice = make("000.00.03.H13", "Sở Tư pháp", "so", city)
    health = make("000.00.10.H13", "Sở Y tế", "so", city)
    legal_aid = make("000.01.03.H13", "Trung tâm Trợ giúp pháp lý", "su_nghiep", justice)
    return {"city": city, "justice": justice, "health": health, "legal_aid": legal_aid}


@pytest.fixture
def make_staff(db):
    def make(username, agency, role=None, include_subtree=False, **fields):
        user = accounts.create_user(
            actor=None,
            username=username,
            password=PASSWORD,
            kind=User.Kind.STAFF,
            agency=agency,
            full_name=fields.pop("full_name", username.title()),
            **fields,
        )
        if role:
            accounts.grant_role(
                actor=None, user=user, role=role, agency=agency, include_subtree=include_subtree
            )
        return user

    return make


@pytest.fixture
def citizen(db):
    return accounts.create_user(
        actor=None,
        username="congdan",
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        email="congdan@example.vn",
        full_name="Nguyễn Thị Công Dân",
    )


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def totp_device():
    def enrol(user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    return enrol


@pytest.fixture
def staff_client(client, make_staff, agencies):
    """A signed-in client for a new staff member with the given role."""

    def make(role=Role.SPECIALIST, agency_key="justice", include_subtree=False, username="staff"):
        user = make_staff(username, agencies[agency_key], role, include_subtree)
        client.force_login(user)
        return client, user

    return make


EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real clamd with a one-line signature database (the EICAR test file), on a socket."""
    import shutil
    import subprocess
    import time

    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(binary).exists():
        pytest.fail("clamd is not installed: apt-get install clamav-daemon (see README)")
    home = tmp_path_factory.mktemp("clamd")
    (home / "db").mkdir()
    # The whole-file hash, and the string itself anywhere in a file (what real signatures do).
    (home / "db" / "egov-test.hdb").write_text(
        "44d88612fea8a8f36de82e1278abb02f:68:Egov.Test.EICAR\n"
    )
    (home / "db" / "egov-test.ndb").write_text(f"Egov.Test.EICAR.Body:0:*:{EICAR.hex()}\n")
    socket_path = home / "clamd.sock"
    config = home / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {home / 'db'}",
                f"LocalSocket {socket_path}",
                f"PidFile {home / 'clamd.pid'}",
                f"LogFile {home / 'clamd.log'}",
                "Foreground yes",
                "User root",
                "StreamMaxLength 50M",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [binary, "--config-file", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        if socket_path.exists():
            break
        if process.poll() is not None:
            pytest.fail(f"clamd stopped: {(home / 'clamd.log').read_text()}")
        time.sleep(0.1)
    yield str(socket_path)
    process.terminate()
    process.wait(timeout=10)
