"""One way to change a dossier's status: the table of transitions, walked; the function that
applies them refuses what the table does not allow and writes nothing; no other code assigns a
status; every change announces itself once, with its transition and the status before."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from egov.core.models import AuditEvent
from egov.dossiers import processing, signals, transitions
from egov.dossiers.models import Dossier, DossierEvent
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db
S = Dossier.Status
SRC = Path(__file__).resolve().parents[2] / "src" / "egov"


def test_every_status_is_reached_and_left_as_the_law_describes():
    reached = {status for t in transitions.TABLE.values() for status in t.targets}
    left = {status for t in transitions.TABLE.values() for status in t.sources}
    assert reached == set(S.values) - {S.DRAFT}  # a draft is only ever created
    assert left == set(S.values) - {S.REFUSED, S.RETURNED, S.WITHDRAWN}  # the final ones
    assert all(
        t.actor in {"applicant", "desk_officer", "workflow"} for t in transitions.TABLE.values()
    )
    # Each transition's audit action is the one the trail, the reports and the national portal
    # read; their labels are what people see.
    assert all(
        t.action.startswith("dossiers.") and str(t.label) for t in transitions.TABLE.values()
    )


@pytest.mark.parametrize("name", sorted(transitions.TABLE))
def test_each_transition_is_refused_from_every_other_status(name, received, people):
    transition = transitions.TABLE[name]
    target = sorted(transition.targets)[0]
    for status in sorted(set(S.values) - transition.sources):
        Dossier.objects.filter(pk=received.pk).update(status=status)
        dossier = Dossier.objects.get(pk=received.pk)
        revision, history = dossier.revision, DossierEvent.objects.count()
        audit = AuditEvent.objects.count()
        with pytest.raises(transitions.TransitionRefused), transaction.atomic():
            transitions.apply(dossier, name, actor=people["desk"], to=target)
        stored = Dossier.objects.get(pk=received.pk)
        assert (stored.status, stored.revision) == (status, revision)
        assert DossierEvent.objects.count() == history and AuditEvent.objects.count() == audit


@pytest.mark.parametrize("name", sorted(transitions.TABLE))
def test_each_transition_applies_from_its_sources(name, received, people):
    transition = transitions.TABLE[name]
    source, target = sorted(transition.sources)[0], sorted(transition.targets)[0]
    Dossier.objects.filter(pk=received.pk).update(status=source)
    dossier = Dossier.objects.get(pk=received.pk)
    seen = []

    def listen(sender, dossier, action, transition, previous_status, **kwargs):
        seen.append((transition, previous_status, dossier.status, action))

    signals.dossier_changed.connect(listen)
    try:
        with transaction.atomic():
            transitions.apply(dossier, name, actor=people["desk"], to=target, note="ghi chú")
    finally:
        signals.dossier_changed.disconnect(listen)
    assert seen == [(name, source, target, transition.action)]
    assert Dossier.objects.get(pk=received.pk).status == target
    assert DossierEvent.objects.filter(dossier=received).last().note == "ghi chú"
    assert AuditEvent.objects.filter(action=transition.action).last().before["status"] == source


def test_a_target_the_table_does_not_name_is_a_programming_error(received, people):
    with pytest.raises(ValueError, match="advance goes to"), transaction.atomic():
        transitions.apply(received, "advance", actor=people["desk"], to=S.RETURNED)


def test_a_walk_from_receipt_to_return_announces_each_step_once(received, people):
    seen = []

    def listen(sender, dossier, action, transition="", previous_status="", **kwargs):
        seen.append((transition, previous_status, dossier.status))

    signals.dossier_changed.connect(listen)
    try:
        specialist, health, leader = people["specialist"], people["health"], people["leader"]
        dossier = processing.advance(received, actor=specialist)
        dossier = processing.advance(dossier, actor=health)
        processing.attach_result(dossier, actor=leader, name="qd.pdf", data=PDF)
        dossier = processing.advance(Dossier.objects.get(pk=dossier.pk), actor=leader)
        processing.return_result(dossier, actor=people["desk"])
    finally:
        signals.dossier_changed.disconnect(listen)
    changes = [change for change in seen if change[0]]
    assert changes == [
        ("advance", S.IN_PROGRESS, S.IN_PROGRESS),
        ("advance", S.IN_PROGRESS, S.IN_PROGRESS),
        ("advance", S.IN_PROGRESS, S.RESULT_READY),
        ("return", S.RESULT_READY, S.RETURNED),
    ]


def test_no_other_code_assigns_a_dossier_status():
    """``dossier.status = …`` (or an update of a dossier's status) anywhere but in
    transitions.py bypasses the table, the history, the audit trail and the event."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "transitions.py" or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr == "status"
                        and isinstance(target.value, ast.Name)
                        and "dossier" in target.value.id.lower()
                    ):
                        offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and any(keyword.arg == "status" for keyword in node.keywords)
                and "Dossier.objects" in ast.unparse(node.func.value)
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
