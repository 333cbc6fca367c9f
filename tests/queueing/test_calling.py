"""Officers call the oldest waiting number to their counter, recall it, close it; only the
desk's own officers may."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.queueing import services
from egov.queueing.models import Ticket

VN = datetime.timezone(datetime.timedelta(hours=7))


def test_call_the_oldest_then_recall_then_close(desk, fields, officer):
    first = services.issue(desk, field=fields["dat_dai"])
    second = services.issue(desk, field=fields["ho_tich"])

    called = services.call_next(desk, officer=officer)
    assert called == first
    assert (called.status, called.counter, called.called_by, called.call_count) == (
        Ticket.Status.CALLED,
        "3",
        officer,
        1,
    )
    first_call = called.called_at
    assert first_call is not None and called.last_called_at == first_call

    again = services.recall(called, officer=officer)
    assert again.call_count == 2 and again.called_at == first_call
    assert again.last_called_at >= first_call and again.counter == "3"

    served = services.serve(again, officer=officer)
    assert served.status == Ticket.Status.SERVED and served.closed_at is not None

    no_show = services.mark_no_show(services.call_next(desk, officer=officer), officer=officer)
    assert no_show == second and no_show.status == Ticket.Status.NO_SHOW
    assert services.call_next(desk, officer=officer) is None

    actions = list(
        AuditEvent.objects.filter(action__startswith="queueing.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "queueing.kiosk_fields_set",
        "queueing.counter_set",
        "queueing.called",
        "queueing.recalled",
        "queueing.served",
        "queueing.called",
        "queueing.no_show",
    ]
    served_event = AuditEvent.objects.get(action="queueing.served")
    assert served_event.actor_id == officer.pk and served_event.agency_id == desk.agency_id
    assert served_event.before["status"] == "called" and served_event.after["status"] == "served"


def test_an_officer_closes_their_number_before_calling_the_next(desk, fields, officer):
    services.issue(desk, field=fields["ho_tich"])
    services.issue(desk, field=fields["ho_tich"])
    called = services.call_next(desk, officer=officer)
    with pytest.raises(ValidationError) as refused:
        services.call_next(desk, officer=officer)
    assert f"Hãy kết thúc số {called.label}" in refused.value.messages[0]
    assert Ticket.objects.filter(status=Ticket.Status.CALLED).count() == 1


def test_an_officer_calls_only_the_fields_they_serve(desk, fields, officer, make_staff, agencies):
    services.issue(desk, field=fields["ho_tich"])
    land = services.issue(desk, field=fields["dat_dai"])
    services.set_counter(desk, officer=officer, label="5", fields=[fields["dat_dai"]])
    called = services.call_next(desk, officer=officer)
    assert called == land and called.counter == "5"
    services.serve(called, officer=officer)
    assert services.call_next(desk, officer=officer) is None  # civil status is someone else's

    colleague = make_staff("motcua2", agencies["justice"], Role.DESK_OFFICER)
    assert services.call_next(desk, officer=colleague, counter="1").label == "A001"


def test_yesterdays_numbers_are_not_called(desk, fields, officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 16, 0, tzinfo=VN), tick=False)
    services.issue(desk, field=fields["ho_tich"])
    time_machine.move_to(datetime.datetime(2026, 12, 2, 7, 30, tzinfo=VN), tick=False)
    assert services.call_next(desk, officer=officer) is None


def test_only_called_numbers_are_recalled_or_closed(desk, fields, officer):
    waiting = services.issue(desk, field=fields["ho_tich"])
    for operation in (services.recall, services.serve, services.mark_no_show):
        with pytest.raises(ValidationError) as refused:
            operation(waiting, officer=officer)
        assert "không ở trạng thái đang gọi" in refused.value.messages[0]
    served = services.serve(services.call_next(desk, officer=officer), officer=officer)
    with pytest.raises(ValidationError):
        services.mark_no_show(served, officer=officer)
    served.refresh_from_db()
    assert served.status == Ticket.Status.SERVED


def test_only_the_desks_own_officers_call_and_close(
    desk, fields, officer, neighbour, make_staff, agencies, citizen
):
    ticket = services.issue(desk, field=fields["ho_tich"])
    specialist = make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST)
    for outsider in (neighbour, specialist, citizen, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            services.call_next(desk, officer=outsider, counter="9")
        with pytest.raises(PermissionDenied):
            services.set_counter(desk, officer=outsider, label="9")
    called = services.call_next(desk, officer=officer)
    for outsider in (neighbour, specialist, citizen):
        for operation in (services.recall, services.serve, services.mark_no_show):
            with pytest.raises(PermissionDenied):
                operation(called, officer=outsider)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED and ticket.called_by == officer


def test_a_subtree_officer_works_at_the_desks_below(desk, fields, make_staff, agencies):
    """The city's officers with the role over the whole tree serve the department's desk."""
    services.issue(desk, field=fields["ho_tich"])
    city_officer = make_staff("motcua.tp", agencies["city"], Role.DESK_OFFICER, True)
    assert services.call_next(desk, officer=city_officer, counter="1").label == "A001"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "Hãy nhập quầy"),
        ("   ", "Hãy nhập quầy"),
        ("x" * 21, "tối đa 20 ký tự"),
        ("3\x00", "ký tự vô hình"),
    ],
)
def test_a_counter_needs_a_sensible_name(desk, officer, label, message):
    with pytest.raises(ValidationError) as refused:
        services.set_counter(desk, officer=officer, label=label)
    assert message in refused.value.messages[0]
    assert services.counter_of(desk, officer).label == "3"


def test_a_counter_serves_only_fields_of_its_desk(desk, fields, officer):
    with pytest.raises(ValidationError) as refused:
        services.set_counter(desk, officer=officer, label="4", fields=[fields["y_te"]])
    assert "Chỉ chọn các lĩnh vực" in refused.value.messages[0]
    saved = services.counter_of(desk, officer)
    assert saved.label == "3" and not saved.fields.exists()


def test_calling_needs_a_counter(desk, fields, make_staff, agencies):
    services.issue(desk, field=fields["ho_tich"])
    newcomer = make_staff("moi", agencies["justice"], Role.DESK_OFFICER)
    with pytest.raises(ValidationError):
        services.call_next(desk, officer=newcomer)
    assert Ticket.objects.get().status == Ticket.Status.WAITING
