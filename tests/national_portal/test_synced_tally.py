"""The statistics count a dossier as synchronised (QĐ 766, 1.4) when the portal first
acknowledges its record: live, from the connector's event in the transaction that marks the
call acknowledged, and the same in a recount; a refused or unsent record, or a dossier not yet
received, counts nowhere."""

from decimal import Decimal

import pytest

from egov.dossiers import reception
from egov.indicators import index
from egov.indicators.index import MEASURED, NOT_MEASURED
from egov.national_portal import outbox, signals
from egov.national_portal.models import OutboxMessage
from egov.reports import tallies
from egov.reports.figures import Scope
from egov.reports.models import AgencyDayTally, DayTally, DossierFact
from tests.national_portal.conftest import MONDAY, submitted_dossier

pytestmark = pytest.mark.django_db


def _sync(day):
    found = index.compute(day, day, Scope()).results
    return next(result for result in found if result.indicator.code == "DOSSIER_SYNC")


def _synced(model):
    return sum(model.objects.values_list("synced", flat=True))


def test_the_first_acknowledged_record_counts_the_dossier_live_and_in_a_recount(
    portal, consulted_version, citizen, settings, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    announced = []

    def listen(sender, dossier_id, **kwargs):
        announced.append(dossier_id)

    signals.record_acknowledged.connect(listen, dispatch_uid="test.record_acknowledged")
    try:
        # Three dossiers received today, one only submitted.
        first = reception.receive(
            submitted_dossier(consulted_version, citizen, settings), officer=people["desk"]
        )
        refused = reception.receive(
            submitted_dossier(consulted_version, citizen, settings), officer=people["desk"]
        )
        unsent = reception.receive(
            submitted_dossier(consulted_version, citizen, settings), officer=people["desk"]
        )
        draft = submitted_dossier(consulted_version, citizen, settings)
        # Before any acknowledgement 1.4 is not measured, and nothing is synchronised.
        assert _sync(MONDAY.date()).status == NOT_MEASURED
        assert _synced(DayTally) == 0
        # The portal refuses the second's record; the third's calls wait (sent later).
        portal.state.refusals[refused.code] = ("-7", "Mã đơn vị xử lý không đúng")
        OutboxMessage.objects.filter(dossier=unsent).update(
            next_attempt_at=MONDAY.replace(year=2027)
        )
        outbox.send_due()
        # Sent again: the first dossier's second record call is acknowledged, no new event.
        outbox.send_due()
    finally:
        signals.record_acknowledged.disconnect(dispatch_uid="test.record_acknowledged")

    states = dict(OutboxMessage.objects.filter(sequence=1).values_list("dossier_id", "state"))
    assert states[first.pk] == states[draft.pk] == OutboxMessage.State.SENT
    assert states[refused.pk] == OutboxMessage.State.FAILED
    assert states[unsent.pk] == OutboxMessage.State.PENDING
    # One event per dossier whose record was acknowledged, on its first record only.
    assert sorted(announced) == sorted([first.pk, draft.pk])
    facts = DossierFact.objects.in_bulk()
    assert facts[first.pk].synced
    assert not facts[refused.pk].synced and not facts[unsent.pk].synced
    assert draft.pk not in facts  # submitted, not received: counts nowhere
    # 1 of the 3 received, on the day of receipt, in every tally.
    assert _synced(DayTally) == _synced(AgencyDayTally) == 1
    result = _sync(MONDAY.date())
    assert result.status == MEASURED
    assert [value for _label, value in result.inputs] == [3, 1]
    assert result.rate == Decimal(100) / 3
    # What the event kept is what a recount finds, and a recount gives the same figure.
    assert tallies.differences() == []
    tallies.rebuild()
    assert _synced(DayTally) == 1 and DossierFact.objects.get(pk=first.pk).synced
    assert _sync(MONDAY.date()).rate == result.rate


def test_a_later_acknowledgement_moves_the_count_and_check_reports_sees_a_missing_one(
    portal, received
):
    assert not DossierFact.objects.get(pk=received.pk).synced
    outbox.send_due()
    assert DossierFact.objects.get(pk=received.pk).synced
    assert tallies.differences() == []
    # A fact that missed the event is reported by the check.
    DossierFact.objects.filter(pk=received.pk).update(synced=False)
    problems = tallies.differences()
    assert any(f"dossier {received.pk}" in line for line in problems)
