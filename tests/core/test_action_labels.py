"""Every audit action the code records has a name, and the trail shows names, never codes
(egov.core.action_labels)."""

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils.translation import override

from egov.accounts.models import Role
from egov.core import action_labels, audit
from egov.dossiers import transitions

SOURCE = Path(__file__).resolve().parents[2] / "src" / "egov"
RECORDERS = {"record", "_record", "_audit", "_record_import", "_audit_message"}
CODE = re.compile(r"[a-z_]+\.[a-z_]+")


def _recorded_actions() -> set[str]:
    """The action codes written in calls that record an audit event: ``action=`` anywhere, and
    the second argument of the apps' small recording helpers."""
    found = {t.action for t in transitions.TABLE.values()}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else ""
            name = name or getattr(function, "id", "")
            candidates = [k.value for k in node.keywords if k.arg == "action"]
            if name in RECORDERS and len(node.args) > 1:
                candidates.append(node.args[1])
            for candidate in candidates:
                if isinstance(candidate, ast.Constant) and CODE.fullmatch(str(candidate.value)):
                    found.add(candidate.value)
    return found


def test_every_recorded_action_has_a_name():
    recorded = _recorded_actions()
    assert len(recorded) > 80  # the scan sees the apps' actions
    # personnel.services.record_access writes f"personnel.{what}_viewed".
    recorded |= {"personnel.record_viewed", "personnel.state_viewed"}
    assert sorted(a for a in recorded if not action_labels.is_named(a)) == []


def test_a_system_actor_has_a_name():
    with override("vi"):
        assert str(action_labels.actor("system")) == "Hệ thống (tự động)"
        assert str(action_labels.actor("postal operator")) == "Đơn vị bưu chính"
        assert action_labels.actor("motcua") == "motcua"  # a user name stays


@pytest.mark.django_db
def test_the_trail_shows_names_and_finds_them(staff_client, agencies):
    client, _user = staff_client(Role.AUDITOR, "city", include_subtree=True)
    with transaction.atomic():
        event = audit.record(
            actor=None,
            action="dossiers.rated",
            object_type="dossiers.dossier",
            object_id="1",
            agency_id=agencies["health"].pk,
        )
    with override("vi"):
        listing = client.get("/staff/audit/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        detail = client.get(f"/staff/audit/{event.pk}/").content.decode()
        found = client.get("/staff/audit/", {"action": "đánh giá"}).content.decode()
    for page in (listing, detail):
        assert "dossiers.rated" not in page and ">system<" not in page
        assert "Người nộp đánh giá dịch vụ" in page and "Hệ thống (tự động)" in page
    assert f"/staff/audit/{event.pk}/" in found  # searched by its Vietnamese name
