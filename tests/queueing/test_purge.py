"""Old tickets are deleted after the retention period (manage.py purge_tickets, or the task)."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from egov.core.models import AuditEvent
from egov.queueing import services, tasks
from egov.queueing.models import Ticket, TicketSequence

VN = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def history(desk, fields, time_machine):
    """One ticket on each of 1, 10 and 11 December 2026; now is 11 December."""
    for day in (1, 10, 11):
        time_machine.move_to(datetime.datetime(2026, 12, day, 9, 0, tzinfo=VN), tick=False)
        services.issue(desk, field=fields["ho_tich"])
    return desk


def test_the_command_keeps_the_last_days(history, capsys):
    call_command("purge_tickets", "--days", "1")
    assert sorted(Ticket.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 12, 10),
        datetime.date(2026, 12, 11),
    ]
    assert TicketSequence.objects.count() == 2
    assert "Queue tickets deleted: 1" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="queueing.purged")
    assert event.after == {"before": "2026-12-10", "tickets": 1}
    call_command("purge_tickets", "--days", "1")  # nothing more to delete, nothing recorded
    assert AuditEvent.objects.filter(action="queueing.purged").count() == 1


def test_the_default_retention_comes_from_the_settings(history, settings):
    settings.EGOV_QUEUE_RETENTION_DAYS = 5
    tasks.purge_old_tickets.call()
    assert Ticket.objects.count() == 2
    call_command("purge_tickets")
    assert Ticket.objects.count() == 2


def test_at_least_one_day_is_kept(history):
    with pytest.raises(CommandError, match="ít nhất một ngày"):
        call_command("purge_tickets", "--days", "0")
    assert Ticket.objects.count() == 3
