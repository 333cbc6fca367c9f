"""notify() writes the outbox in the caller's transaction; nothing is sent for a rollback."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from egov.notifications import delivery, events, services
from egov.notifications.models import Notification, NotificationTemplate
from egov.notifications.services import Contact

pytestmark = pytest.mark.django_db

RECEIVED = events.DOSSIER_RECEIVED.sample


def _notify(recipient, event="dossier.received", context=RECEIVED, **kwargs):
    with transaction.atomic():
        return services.notify(event, recipient=recipient, context=context, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_notify_refuses_to_run_outside_a_transaction(person, providers):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        services.notify("dossier.received", recipient=person(), context=RECEIVED)


def test_rows_roll_back_with_the_change_and_no_task_is_queued(
    person, providers, templates, django_capture_on_commit_callbacks
):
    citizen = person()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        services.notify("dossier.received", recipient=citizen, context=RECEIVED)
        1 / 0  # noqa: B018 - the dossier change fails after the notification was written
    assert Notification.objects.count() == 0
    assert callbacks == []


def test_one_delivery_task_per_commit_however_many_messages(
    person, providers, templates, django_capture_on_commit_callbacks
):
    citizen = person()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(3):
            services.notify(
                "dossier.received", recipient=citizen, context=RECEIVED, channels=["email", "sms"]
            )
    assert Notification.objects.filter(status="queued").count() == 6
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "egov.notifications.tasks.deliver_notifications"


def test_channels_and_language_follow_the_preference(person, providers, templates):
    citizen = person()
    services.set_preferences(user=citizen, channels=["sms", "zalo"], language="en")
    rows = _notify(citizen, about=("dossiers.dossier", 42), agency_id=None)
    assert [(row.channel, row.language) for row in rows] == [("sms", "en"), ("zalo", "vi")]
    sms = rows[0]
    assert sms.address == "0912345678"
    assert sms.body.startswith("Can Tho public services: dossier 000.00.03.H13-260115-0042")
    assert (sms.object_type, sms.object_id) == ("dossiers.dossier", "42")
    # ZNS has only the Vietnamese template approved here: English readers get it too.
    assert rows[1].data["template_id"] == "231001"
    assert rows[1].data["template_data"]["appointment_date"] == "22/01/2026"


def test_without_a_choice_email_is_used_then_sms(person, providers, templates):
    with_email = person()
    assert [row.channel for row in _notify(with_email)] == ["email"]
    phone_only = person(username="chi-dien-thoai", email=None, phone="0987654321")
    rows = _notify(phone_only)
    assert [row.channel for row in rows] == ["sms"]
    assert "Ho so 000.00.03.H13-260115-0042 da duoc tiep nhan" in rows[0].body


def test_a_channel_that_cannot_carry_the_message_falls_back(person, providers, templates):
    citizen = person()
    services.set_preferences(user=citizen, channels=["zalo"], language="vi")
    # No ZNS template is approved for refusals: the message goes by e-mail instead.
    rows = _notify(citizen, "dossier.refused", {**events.DOSSIER_REFUSED.sample})
    assert [row.channel for row in rows] == ["email"]
    assert "Lý do: Hồ sơ không thuộc thẩm quyền" in rows[0].body


def test_nobody_to_reach_is_recorded_as_failed_for_administrators(person, providers, templates):
    providers_off = {"SMS_PROVIDER": "off", "ZALO_PROVIDER": "off"}
    from django.conf import settings

    settings.EGOV_NOTIFICATIONS = {**settings.EGOV_NOTIFICATIONS, **providers_off}
    phone_only = person(email=None)
    [row] = _notify(phone_only, agency_id=None)
    assert row.status == "failed"
    assert row.last_error == "no enabled channel can reach the recipient"


def test_a_code_goes_to_the_number_being_verified_and_is_erased_once_sent(providers, templates):
    [row] = _notify(
        Contact(phone="+84 98 765 4321"),
        "accounts.verification_code",
        {"code": "482913", "minutes": 5},
        channels=["sms"],
    )
    assert row.channel == "sms" and row.sensitive and row.priority == 10
    assert row.body.startswith("482913 la ma xac thuc Cong DVC Can Tho")
    assert (row.deadline - row.created_at).total_seconds() == 600
    report = delivery.deliver_pending()
    assert report.sent == 1
    assert providers.esms.delivered[0]["Phone"] == "0987654321"
    row.refresh_from_db()
    assert row.body == delivery.ERASED and "482913" not in row.masked_body


def test_the_administrators_text_wins_over_the_shipped_one(person, providers, templates):
    NotificationTemplate.objects.filter(
        event="dossier.received", channel="email", language="vi"
    ).update(subject="Đã nhận hồ sơ {{ dossier_code }}")
    [row] = _notify(person())
    assert row.subject == "Đã nhận hồ sơ 000.00.03.H13-260115-0042"


def test_an_empty_table_still_speaks_with_the_shipped_texts(person, providers):
    NotificationTemplate.objects.all().delete()
    [row] = _notify(person())
    assert row.subject == "Hồ sơ 000.00.03.H13-260115-0042 đã được tiếp nhận"


def test_an_unknown_event_is_a_programming_error(person, providers):
    with pytest.raises(ValueError, match="unknown notification event"):
        _notify(person(), "dossier.vanished")


def test_every_shipped_template_renders_its_sample_and_fits(providers):
    for event in events.all_events():
        for channel in ("email", "sms", "zalo"):
            for language in ("vi", "en"):
                template = services.template_for(event.code, channel, language)
                assert template is not None, (event.code, channel, language)
                rendered = services.render_for(template, event.sample)
                assert rendered.body.strip(), (event.code, channel, language)
                assert "None" not in rendered.body, (event.code, channel, language)
                if channel == "email":
                    assert rendered.subject, (event.code, language)
                if channel == "sms":
                    assert not rendered.body.endswith("..."), (event.code, language, rendered.body)
