"""The reconciliation command compares a period's dossiers with what the portal acknowledged."""

import io

import pytest
from django.core.management import call_command

from egov.national_portal import outbox
from egov.national_portal.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _reconcile(*args):
    out = io.StringIO()
    try:
        call_command("reconcile_national_portal", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_a_period_in_agreement_then_a_dossier_the_portal_lacks(portal, received):
    outbox.send_due()
    status, text = _reconcile("--from", "2026-11-30", "--to", "2026-11-30")
    assert status == 0 and "1 dossiers, 0 differ" in text
    # The portal lost the dossier (restored from an old backup, say): it is listed.
    with portal.state._db() as db:
        db.execute("DELETE FROM dossiers")
    status, text = _reconcile("--from", "2026-11-30", "--to", "2026-11-30")
    assert status == 1 and f"{received.code}: ours 2, portal -" in text


def test_calls_still_waiting_are_shown(portal, received):
    portal.state.down = True
    outbox.send_due()
    portal.state.down = False
    status, text = _reconcile("--from", "2026-11-01", "--to", "2026-11-30")
    assert status == 1 and "(calls still waiting or refused)" in text
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists()


def test_a_period_outside_is_empty_and_a_bad_date_is_refused(portal, received):
    assert _reconcile("--from", "2026-12-01", "--to", "2026-12-31")[1].startswith(
        "2026-12-01..2026-12-31: 0 dossiers"
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--to is before --from"):
        call_command("reconcile_national_portal", "--from", "2026-12-02", "--to", "2026-12-01")


def test_the_worker_command_sends_once(portal, received):
    out = io.StringIO()
    call_command("national_portal_worker", stdout=out)
    assert "sent 2 retry 0 failed 0" in out.getvalue()
    assert len(portal.state.calls()) == 2
