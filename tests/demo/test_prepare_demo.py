"""`make run` prepares the demo with `manage.py prepare_demo`: each step runs only when its inputs
changed, so a restart with nothing changed does no work, and still shows the demo sign-ins."""

import socket

import pytest
from django.core.management import call_command

from egov.accounts.models import User
from egov.demo.management.commands import load_demo, prepare_demo
from egov.signatures.devpki import DevelopmentPKI

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    """load_demo stood in for by a quick one that counts its runs (the real one takes seconds)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.VAR_DIR = tmp_path
    settings.EGOV_DEV_PKI_DIR = tmp_path / "pki"
    settings.EGOV_DEV_PKI_URL = f"http://127.0.0.1:{port}"
    runs = []

    def handle(self, *args, **options):
        runs.append(1)
        User.objects.get_or_create(username=load_demo.DEMO_STAFF[0][0], kind="citizen")
        self.stdout.write("Demo sign-ins (password: demo-egov-2026):\n  quantri")

    monkeypatch.setattr(load_demo.Command, "handle", handle)
    return runs


def _prepare(capsys) -> str:
    call_command("prepare_demo")
    return capsys.readouterr().out


def test_a_restart_with_nothing_changed_skips_every_step(demo, settings, capsys):
    first = _prepare(capsys)
    assert demo == [1] and "Database schema up to date." in first
    assert "Development PKI created" in first
    assert DevelopmentPKI.is_complete(settings.EGOV_DEV_PKI_DIR, settings.EGOV_DEV_PKI_URL)

    again = _prepare(capsys)
    assert demo == [1]  # not loaded again
    assert "Demo data already loaded" in again and "Demo sign-ins" in again  # still shown
    assert "Development PKI already in" in again


def test_the_demo_is_loaded_again_when_its_inputs_or_the_database_changed(
    demo, capsys, monkeypatch
):
    _prepare(capsys)
    monkeypatch.setattr(prepare_demo, "demo_inputs_digest", lambda: "the demo was edited")
    _prepare(capsys)
    assert demo == [1, 1]
    User.objects.filter(username=load_demo.DEMO_STAFF[0][0]).delete()  # a fresh database
    _prepare(capsys)
    assert demo == [1, 1, 1]
    call_command("prepare_demo", "--reload")
    assert demo == [1, 1, 1, 1]


def test_unapplied_migrations_are_applied_and_the_demo_loaded_again(demo, capsys, monkeypatch):
    _prepare(capsys)
    migrated = []

    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})

        def migration_plan(self, targets):
            return [("app", "0002_new")]

    monkeypatch.setattr(prepare_demo, "MigrationExecutor", Executor)
    monkeypatch.setattr(prepare_demo, "call_command", _recording(migrated))
    out = _prepare(capsys)
    assert "Applying 1 migrations" in out
    assert [name for name, _ in migrated][:2] == ["migrate", "load_demo"]


def _recording(calls):
    def record(name, *args, **options):
        calls.append((name, options))

    return record
