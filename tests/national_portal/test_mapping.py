"""Every transition of the workflow engine maps to a portal code, the real walk sends the codes
the table gives, and an administrator's change applies to the calls made after it."""

import importlib

import pytest
from django.core.exceptions import ValidationError

from egov.dossiers import processing, reception, services, transitions
from egov.dossiers.models import Dossier
from egov.national_portal import mapping, outbox
from egov.national_portal.models import OutboxMessage, StatusMapping
from tests.national_portal.conftest import PDF, default_mapping, submitted_dossier

pytestmark = pytest.mark.django_db
S = Dossier.Status


@pytest.fixture(autouse=True)
def _seeded():
    default_mapping()  # a browser test before this one on the worker may have emptied the table


def test_the_migration_seeds_the_defaults():
    from django.apps import apps

    StatusMapping.objects.all().delete()
    importlib.import_module("egov.national_portal.migrations.0002_default_mapping").seed(apps, None)
    seeded = {(m.status, m.transition): m.portal_code for m in StatusMapping.objects.all()}
    assert seeded == {key: int(code) for key, code in mapping.DEFAULTS.items()}


@pytest.mark.parametrize("name", sorted(transitions.TABLE))
def test_every_transition_of_the_engine_has_a_portal_code(name):
    for target in transitions.TABLE[name].targets:
        expected = mapping.DEFAULTS.get((target, name), mapping.DEFAULTS.get((target, "")))
        assert mapping.portal_code(target, name) == expected
        assert 1 <= expected <= 10


def test_the_walk_from_receipt_to_return_sends_each_code(portal, received, people):
    dossier = processing.advance(received, actor=people["specialist"])
    dossier = processing.advance(dossier, actor=people["health"])
    processing.attach_result(dossier, actor=people["leader"], name="qd.pdf", data=PDF)
    dossier = processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["leader"])
    processing.return_result(dossier, actor=people["desk"])
    outbox.send_due()
    sent = [
        (c["service"], int(c["data"].get("TrangThaiHoSo", c["data"].get("TrangThai"))))
        for c in portal.state.calls(received.code)
    ]
    assert sent == [
        ("DongBoHoSoMC", 1),  # submitted
        ("DongBoHoSoMC", 2),  # received (and on to processing at once)
        ("CapNhatTienDoHoSoMC", 4),
        ("CapNhatTienDoHoSoMC", 4),
        ("CapNhatTienDoHoSoMC", 9),  # result ready
        ("CapNhatTienDoHoSoMC", 10),  # returned
    ]
    assert portal.state.dossier(received.code)["status"] == 10


def test_refusal_at_the_desk_and_withdrawal_send_their_codes(
    portal, consulted_version, citizen, settings, people
):
    refused = submitted_dossier(consulted_version, citizen, settings)
    reception.refuse(refused, officer=people["desk"], reason="Không thuộc thẩm quyền")
    withdrawn = submitted_dossier(consulted_version, citizen, settings)
    services.withdraw(withdrawn, applicant=citizen, reason="Không cần nữa")
    outbox.send_due()
    assert portal.state.dossier(refused.code)["status"] == 3
    assert portal.state.dossier(withdrawn.code)["status"] == 7


def test_an_administrators_change_applies_to_later_calls(
    portal, received, people, make_staff, agencies
):
    admin = make_staff("quantri", agencies["city"], "system_admin")
    row = StatusMapping.objects.get(status=S.IN_PROGRESS, transition="")
    mapping.change(row, 6, actor=admin)
    processing.advance(received, actor=people["specialist"])
    assert OutboxMessage.objects.filter(dossier=received).last().portal_code == 6
    with pytest.raises(ValidationError) as refused:
        mapping.change(row, 11, actor=admin)
    assert refused.value.code == "code"
    assert StatusMapping.objects.get(pk=row.pk).portal_code == 6
