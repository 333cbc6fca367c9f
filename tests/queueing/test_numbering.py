"""Numbers restart every day at every desk, without gaps or duplicates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from egov.queueing import queries, services
from egov.queueing.models import Ticket, TicketSequence

VN = datetime.timezone(datetime.timedelta(hours=7))


def test_numbers_run_per_desk_and_restart_each_day(desk, other_desk, fields, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 7, 30, tzinfo=VN), tick=False)
    first = [
        services.issue(desk, field=fields["ho_tich"]),
        services.issue(desk, field=fields["dat_dai"]),
        services.issue(desk, field=fields["ho_tich"]),
    ]
    elsewhere = [services.issue(other_desk), services.issue(other_desk)]
    assert [t.number for t in first] == [1, 2, 3]
    assert [t.label for t in first] == ["A001", "B002", "A003"]
    assert [t.label for t in elsewhere] == ["001", "002"]
    assert {t.day for t in first} == {datetime.date(2026, 12, 1)}

    # 23:59 is still the same day in Vietnam; midnight local time starts again at 1.
    time_machine.move_to(datetime.datetime(2026, 12, 1, 23, 59, tzinfo=VN), tick=False)
    assert services.issue(desk, field=fields["dat_dai"]).label == "B004"
    time_machine.move_to(datetime.datetime(2026, 12, 2, 0, 1, tzinfo=VN), tick=False)
    next_day = services.issue(desk, field=fields["dat_dai"])
    assert (next_day.day, next_day.number, next_day.label) == (
        datetime.date(2026, 12, 2),
        1,
        "B001",
    )
    assert TicketSequence.objects.get(desk=desk, day=datetime.date(2026, 12, 1)).last == 4


def test_a_rolled_back_ticket_gives_its_number_back(desk, fields):
    services.issue(desk, field=fields["ho_tich"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue(desk, field=fields["ho_tich"])
        raise RuntimeError("the kiosk's request failed after the number was taken")
    assert services.issue(desk, field=fields["ho_tich"]).number == 2
    assert sorted(Ticket.objects.values_list("number", flat=True)) == [1, 2]


def test_labels_keep_three_digits_and_grow_past_999():
    assert services.label_for("A", 7) == "A007"
    assert services.label_for("", 42) == "042"
    assert services.label_for("B", 1000) == "B1000"


def test_a_desk_gives_only_the_fields_it_offers(desk, other_desk, fields):
    with pytest.raises(ValidationError) as not_offered:
        services.issue(desk, field=fields["y_te"])
    assert "Hãy chọn một trong các lĩnh vực" in " ".join(not_offered.value.messages)
    with pytest.raises(ValidationError):
        services.issue(desk)  # this desk has fields: one must be chosen
    with pytest.raises(ValidationError):
        services.issue(other_desk, field=fields["ho_tich"])  # one general queue only
    other_desk.is_active = False
    other_desk.save()
    with pytest.raises(ValidationError):
        services.issue(other_desk)
    assert not Ticket.objects.exists()
    assert not TicketSequence.objects.exists()


def test_waiting_ahead_counts_the_same_field_still_waiting(desk, fields, officer):
    a1 = services.issue(desk, field=fields["ho_tich"])
    services.issue(desk, field=fields["dat_dai"])
    services.issue(desk, field=fields["ho_tich"])
    mine = services.issue(desk, field=fields["ho_tich"])
    assert queries.waiting_ahead(mine) == 2
    assert queries.waiting_ahead(a1) == 0
    assert services.call_next(desk, officer=officer) == a1
    assert queries.waiting_ahead(mine) == 1


def test_the_kiosk_offers_fields_with_distinct_letters(desk, fields):
    services.offer_fields(desk, [(fields["y_te"], "Y"), (fields["ho_tich"], "H")], actor=None)
    assert services.issue(desk, field=fields["y_te"]).label == "Y001"
    for offers in (
        [(fields["y_te"], "Y"), (fields["ho_tich"], "Y")],
        [(fields["y_te"], "y")],
        [(fields["y_te"], "YY")],
        [(fields["y_te"], "Y"), (fields["y_te"], "Z")],
    ):
        with pytest.raises(ValidationError), transaction.atomic():
            services.offer_fields(desk, offers, actor=None)
    offered = desk.queue_fields.order_by("position")
    assert [(item.field.code, item.letter) for item in offered] == [("y_te", "Y"), ("ho_tich", "H")]
