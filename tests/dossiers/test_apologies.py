"""Apology letters (form 04): once per dossier, at the latest a day before the appointment, and
the warning that gives the agency time to write one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from egov.dossiers import apologies, processing
from egov.dossiers.models import Attachment, Dossier
from egov.notifications import services as notifications
from egov.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_one_apology_before_the_appointment_moves_it(received, people, time_machine):
    due = received.due_at
    time_machine.move_to(due - datetime.timedelta(days=2), tick=False)
    new_date = due + datetime.timedelta(days=5)
    with pytest.raises(ValidationError, match="sau ngày hẹn hiện tại"):
        apologies.issue(received, actor=people["leader"], reason="Chờ ý kiến", new_due_at=due)
    with pytest.raises(PermissionDenied):  # a specialist does not sign apologies
        apologies.issue(
            received, actor=people["specialist"], reason="Chờ ý kiến", new_due_at=new_date
        )
    letter = apologies.issue(
        received, actor=people["leader"], reason="Chờ ý kiến Sở Y tế", new_due_at=new_date
    )
    dossier = Dossier.objects.get(pk=received.pk)
    assert letter.previous_due_at == due and dossier.due_at == new_date
    assert dossier.attachments.get(kind=Attachment.Kind.FORM, original_name__endswith="-04.pdf")
    apology = Notification.objects.filter(event="dossier.apology", recipient=dossier.applicant)
    assert apology.exists()
    with pytest.raises(ValidationError, match="chỉ được gửi một lần"):
        apologies.issue(
            dossier,
            actor=people["leader"],
            reason="Lần hai",
            new_due_at=new_date + datetime.timedelta(days=3),
        )


def test_too_late_for_an_apology(received, people, time_machine):
    time_machine.move_to(received.due_at - datetime.timedelta(hours=23), tick=False)
    with pytest.raises(ValidationError, match="quá thời hạn"):
        apologies.issue(
            received,
            actor=people["leader"],
            reason="Chậm",
            new_due_at=received.due_at + datetime.timedelta(days=2),
        )
    assert not hasattr(Dossier.objects.get(pk=received.pk), "apology") or pytest.fail()


def test_the_agency_is_warned_once_when_the_appointment_is_near(
    received,
    people,
    time_machine,
):
    time_machine.move_to(received.due_at - datetime.timedelta(days=5), tick=False)
    assert apologies.warn_agencies() == 0  # not yet
    time_machine.move_to(received.due_at - datetime.timedelta(days=2), tick=False)
    assert apologies.warn_agencies() == 1
    assert apologies.warn_agencies() == 0  # once only
    warned = set(
        Notification.objects.filter(event="dossier.deadline_near").values_list(
            "recipient__username", flat=True
        )
    )
    assert warned == {"giamdoc", "truongphong"}  # Justice's leader and approver
    for message in Notification.objects.filter(event="dossier.deadline_near"):
        template = notifications.template_for(message.event, message.channel, message.language)
        rendered = notifications.render_for(template, message.data)
        assert "sắp đến hạn" in rendered.subject
    # A returned dossier is never warned about.
    assert not apologies.about_to_be_late().exclude(pk=received.pk).exists()
    processing.refuse(received, actor=people["specialist"], reason="Không đủ điều kiện")
    assert not apologies.about_to_be_late().exists()


def test_the_deadline_command_warns(received, time_machine):
    time_machine.move_to(received.due_at - datetime.timedelta(days=2), tick=False)
    call_command("check_deadlines", verbosity=0)
    assert Dossier.objects.get(pk=received.pk).late_warning_at is not None
