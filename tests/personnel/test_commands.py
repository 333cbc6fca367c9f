import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from egov.personnel import services
from egov.personnel.models import CivilServant, CurrentState
from tests.personnel.conftest import event
from tests.personnel.test_spreadsheet import EVENTS, PEOPLE, workbook

D = datetime.date
pytestmark = pytest.mark.django_db


def test_the_daily_refresh(recruit, agencies, capsys):
    with time_machine.travel(D(2025, 6, 1), tick=False):
        person = recruit()
        services.record_event(
            person, event("transfer", D(2025, 7, 1), agency=agencies["health"]), actor=None
        )
    with time_machine.travel(D(2025, 7, 2), tick=False):
        call_command("refresh_personnel")
        assert "recomputed: 1" in capsys.readouterr().out
        assert CurrentState.objects.get(person=person).agency == agencies["health"]
        call_command("refresh_personnel", "--all")
        assert "recomputed: 1" in capsys.readouterr().out


def test_import_from_the_command_line(tmp_path, agencies, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(PEOPLE, EVENTS))
    call_command("import_personnel", str(good))
    assert "2 records created" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([["CT0003", "Sai", "Nam", "x", "Kinh", ""]], []))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_personnel", str(bad))
    assert CivilServant.objects.count() == 2
