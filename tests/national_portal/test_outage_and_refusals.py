"""The portal down with 1,000 changes waiting: all delivered once, in order per dossier, after it
is back. A refused call holds back its own dossier only, and goes after a fix and a resend."""

import datetime

import pytest
from django.urls import reverse

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.dossiers import processing
from egov.national_portal import outbox
from egov.national_portal.models import OutboxMessage
from tests.national_portal.conftest import submitted_dossier

pytestmark = pytest.mark.django_db
State = OutboxMessage.State


def _bulk_progress(dossier, count: int) -> None:
    """Progress calls written straight to the outbox (the services make the first ones)."""
    template = OutboxMessage.objects.filter(dossier=dossier).last()
    last = template.sequence
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                dossier=dossier,
                dossier_code=dossier.code,
                sequence=last + n,
                service=OutboxMessage.Service.PROGRESS,
                transition="advance",
                status=dossier.status,
                portal_code=4,
                payload={
                    "MaHoSo": dossier.code,
                    "NguoiXuLy": "Trần Chuyên",
                    "ThoiDiemXuLy": "20261130090000",
                    "NoiDungXuLy": f"bước {last + n}",
                    "TrangThai": 4,
                },
                next_attempt_at=template.next_attempt_at,
            )
            for n in range(1, count + 1)
        ]
    )


def test_an_outage_with_1000_changes_waiting(
    portal, received, consulted_version, citizen, settings, people, time_machine
):
    portal.state.down = True
    others = [submitted_dossier(consulted_version, citizen, settings) for _ in range(2)]
    processing.advance(received, actor=people["specialist"])  # a real step, during the outage
    dossiers = [received, *others]
    waiting = 1000 - OutboxMessage.objects.count()
    for dossier in dossiers:
        _bulk_progress(dossier, waiting // 3 + (waiting % 3 if dossier is received else 0))
    assert OutboxMessage.objects.count() == 1000

    counts = outbox.send_due(limit=2000)
    # One try per dossier: its first call; the rest of each dossier waits behind it.
    assert counts == {"sent": 0, "retry": 3, "failed": 0}
    assert OutboxMessage.objects.filter(state=State.PENDING, attempts=0).count() == 997

    time_machine.move_to(datetime.timedelta(minutes=10))
    portal.state.down = False
    counts = outbox.send_due(limit=2000)
    assert counts == {"sent": 1000, "retry": 0, "failed": 0}
    assert not OutboxMessage.objects.exclude(state=State.SENT).exists()
    calls = portal.state.calls()
    assert len(calls) == len({c["key"] for c in calls}) == 1000  # each once
    for dossier in dossiers:
        numbers = [int(c["key"].split(":")[1]) for c in calls if c["dossier_code"] == dossier.code]
        assert numbers == sorted(numbers) == list(range(1, len(numbers) + 1))
    # Sent again (as after a lost answer): the portal answers from its record, nothing new.
    assert outbox.send_due() == {"sent": 0, "retry": 0, "failed": 0}


def test_a_refused_dossier_waits_for_a_fix_and_is_resent(
    portal, received, consulted_version, citizen, settings, people, staff_client
):
    portal.state.refusals[received.code] = ("-7", "Mã đơn vị xử lý không đúng")
    other = submitted_dossier(consulted_version, citizen, settings)
    processing.advance(received, actor=people["specialist"])
    counts = outbox.send_due()
    assert counts["failed"] == 1 and counts["sent"] == 1  # the other dossier went
    refused = OutboxMessage.objects.get(state=State.FAILED)
    assert (refused.dossier_code, refused.sequence) == (received.code, 1)
    assert (refused.error_code, refused.last_error) == ("-7", "Mã đơn vị xử lý không đúng")
    assert OutboxMessage.objects.filter(dossier=received, state=State.PENDING).count() == 2
    assert portal.state.calls(other.code) and not portal.state.calls(received.code)
    assert AuditEvent.objects.filter(action="national_portal.refused").count() == 1

    client, _admin = staff_client(Role.SYSTEM_ADMIN, agency_key="city", username="quantri")
    page = client.get(reverse("national_portal:sync"))
    assert page.status_code == 200
    assert "Mã đơn vị xử lý không đúng" in page.content.decode()

    del portal.state.refusals[received.code]  # the fix
    answer = client.post(reverse("national_portal:resend", args=[refused.pk]))
    assert answer.status_code == 302
    assert AuditEvent.objects.filter(action="national_portal.resent").count() == 1
    outbox.send_due()
    assert [c["key"] for c in portal.state.calls(received.code)] == [
        f"{received.code}:{n}" for n in (1, 2, 3)
    ]
    assert not OutboxMessage.objects.exclude(state=State.SENT).exists()


@pytest.mark.parametrize(
    ("role", "agency_key", "subtree"),
    [
        (Role.DESK_OFFICER, "city", True),
        (Role.AGENCY_ADMIN, "justice", True),  # one department's administrator, not the city's
    ],
)
def test_the_sync_page_is_for_the_citys_administrators_only(
    portal, received, staff_client, role, agency_key, subtree
):
    outbox.send_due()
    client, _user = staff_client(role, agency_key=agency_key, include_subtree=subtree)
    assert client.get(reverse("national_portal:sync")).status_code == 403
    message = OutboxMessage.objects.first()
    assert client.post(reverse("national_portal:resend", args=[message.pk])).status_code == 403
    assert client.get(reverse("national_portal:mappings")).status_code == 403
    assert client.get("/api/v1/staff/national-portal/sync").status_code == 403


def test_a_city_wide_agency_administrator_sees_the_sync_in_the_api(portal, received, staff_client):
    outbox.send_due()
    client, _user = staff_client(Role.AGENCY_ADMIN, agency_key="city", include_subtree=True)
    body = client.get("/api/v1/staff/national-portal/sync").json()
    assert body["pending"] == 0 and body["failed"] == 0 and body["last_success"]
