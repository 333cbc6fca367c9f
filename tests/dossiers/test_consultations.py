"""Consultation of several agencies at once: requests sent on arrival, each agency's own
sub-deadline on the working-day calendar (across Tết), answers, late answers, the automatic
hand-on when all have answered, scoping, and the handler's choice of agencies."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from egov.accounts.models import Role
from egov.catalog import services
from egov.core import calendar
from egov.core.models import AuditEvent
from egov.dossiers import consultations, processing, reception, worklists
from egov.dossiers.models import Consultation, Dossier
from egov.notifications.models import Notification
from tests.catalog_fixtures import make_procedure
from tests.dossiers.conftest import MONDAY, PDF, submitted_dossier

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The last working day before Tết 2027 (the holiday runs 4–10 February).
BEFORE_TET = datetime.datetime(2027, 2, 3, 9, 0, tzinfo=VN)


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def consultation_version(agencies, *, pick=False, code="2.000998"):
    """Received by the city, processed by Justice, then Health (2 days) and the legal aid
    centre (1 day) asked at once, then approved: 7 working days."""
    return make_procedure(
        code,
        "Thủ tục lấy ý kiến nhiều cơ quan",
        owner=agencies["justice"],
        level="province",
        time_limit=7,
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        workflow=[
            {"code": "nhan", "action": "receive", "role": "desk_officer", "duration": "0.5"},
            {"code": "xu-ly", "action": "process", "role": "specialist", "duration": "3"},
            {
                "code": "lay-y-kien",
                "name": "Lấy ý kiến Sở Y tế và Trung tâm",
                "action": "consultation",
                "role": "specialist",
                "duration": "2",
                "consult_pick": pick,
                "consulted": [
                    {"agency": agencies["health"].code, "duration": "2"},
                    {"agency": agencies["legal_aid"].code, "duration": "1"},
                ],
            },
            {"code": "duyet", "action": "approve", "role": "leader", "duration": "1"},
            {"code": "tra", "action": "return", "role": "desk_officer", "duration": "0.5"},
        ],
    )


@pytest.fixture
def consulting(people, make_staff, agencies):
    people["health"].email = "yte@example.vn"
    people["health"].save(update_fields=["email"])
    return {
        **people,
        "aid": make_staff(
            "trogiup", agencies["legal_aid"], Role.SPECIALIST, email="trogiup@example.vn"
        ),
        "health_leader": make_staff(
            "ldyte", agencies["health"], Role.LEADER, email="ldyte@example.vn"
        ),
    }


def at_consultation(version, citizen, settings, consulting, time_machine, when):
    time_machine.move_to(when, tick=False)
    dossier = reception.receive(
        submitted_dossier(version, citizen, settings), officer=consulting["desk"]
    )
    dossier = processing.take(dossier, actor=consulting["specialist"])
    return processing.advance(dossier, actor=consulting["specialist"], note="Đề nghị lấy ý kiến")


def test_requests_go_out_at_once_each_with_its_own_sub_deadline_across_tet(
    agencies, citizen, settings, consulting, time_machine
):
    version = consultation_version(agencies)
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, BEFORE_TET)
    assert dossier.current_step.code == "lay-y-kien"
    requests = {c.agency.code: c for c in dossier.consultations.all()}
    assert set(requests) == {agencies["health"].code, agencies["legal_aid"].code}
    health, aid = requests[agencies["health"].code], requests[agencies["legal_aid"].code]
    assert health.requested_at == aid.requested_at == BEFORE_TET
    # 3 February counts, the Tết days 4–10 February do not: one day ends on 11 February,
    # two on the 12th, each at the working hour it began.
    assert timezone_date(aid.due_at) == datetime.date(2027, 2, 11)
    assert timezone_date(health.due_at) == datetime.date(2027, 2, 12)
    assert health.due_at == calendar.add_working_time(BEFORE_TET, days=2)
    # The consulted agencies may now open the dossier to read its papers.
    assert {agencies["health"].pk, agencies["legal_aid"].pk} <= set(fresh(dossier).visible_agencies)
    sent = AuditEvent.objects.get(action="dossiers.consultation_requested")
    assert {row["agency"] for row in sent.before["consulted"]} == set(requests)
    # Whoever may answer for each consulted agency is told; the handler's agency is not.
    told = Notification.objects.filter(event="dossier.consultation_requested")
    assert {n.recipient.username for n in told} == {"yte", "ldyte", "trogiup"}
    assert all("12/02/2027" in n.body or "11/02/2027" in n.body for n in told)


def timezone_date(moment):
    return moment.astimezone(VN).date()


def test_the_step_waits_for_all_then_moves_on_by_itself(
    agencies, citizen, settings, consulting, time_machine
):
    version = consultation_version(agencies)
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, MONDAY)
    # The handler finds it in their "to process" tab while it waits, and cannot hand it on.
    assert dossier.pk in [d.pk for d in worklists.queue(consulting["specialist"], "process")]
    with pytest.raises(ValidationError, match=r"tự chuyển|moves on by itself"):
        processing.advance(fresh(dossier), actor=consulting["specialist"])
    health, aid = dossier.consultations.order_by("agency__code")
    consultations.answer(health, actor=consulting["health"], opinion="agree", text="Thống nhất")
    dossier = fresh(dossier)
    assert dossier.current_step.code == "lay-y-kien" and consultations.waiting(dossier)
    consultations.answer(
        aid, actor=consulting["aid"], opinion="disagree", text="Cần bổ sung xác minh nơi cư trú"
    )
    dossier = fresh(dossier)
    assert dossier.current_step.code == "duyet" and dossier.current_role == Role.LEADER
    assert not consultations.waiting(dossier)
    row = dossier.steps.get(step__code="lay-y-kien")
    assert row.outcome == "next" and row.finished_by == consulting["aid"]
    actions = list(
        AuditEvent.objects.filter(action__startswith="dossiers.consultation")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "dossiers.consultation_requested",
        "dossiers.consultation_answered",
        "dossiers.consultation_answered",
        "dossiers.consultation_completed",
    ]
    # The hand-on to the consultation, and the one the last answer made.
    assert AuditEvent.objects.filter(action="dossiers.advanced").count() == 2
    completed = AuditEvent.objects.get(action="dossiers.consultation_completed")
    assert {(a["opinion"], a["late"]) for a in completed.before["answers"]} == {
        ("agree", False),
        ("disagree", False),
    }


def test_a_late_answer_is_marked_overdue_and_the_appointment_stays(
    agencies, citizen, settings, consulting, time_machine
):
    version = consultation_version(agencies)
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, MONDAY)
    appointment = fresh(dossier).due_at
    health, aid = dossier.consultations.order_by("agency__code")
    consultations.answer(health, actor=consulting["health"], opinion="agree")
    # The legal aid centre had one working day; two days later it has not answered.
    time_machine.move_to(MONDAY + datetime.timedelta(days=2), tick=False)
    aid = Consultation.objects.get(pk=aid.pk)
    assert consultations.state(aid) == "overdue"
    listed = consultations.for_staff(consulting["aid"]).filter(answered_at__isnull=True)
    assert [consultations.state(c) for c in listed] == ["overdue"]
    consultations.answer(aid, actor=consulting["aid"], opinion="agree", text="Muộn nhưng đồng ý")
    aid = Consultation.objects.get(pk=aid.pk)
    assert aid.late and consultations.state(aid) == "answered_late"
    assert not Consultation.objects.get(pk=health.pk).late
    dossier = fresh(dossier)
    assert dossier.due_at == appointment and dossier.current_step.code == "duyet"
    answered = AuditEvent.objects.filter(action="dossiers.consultation_answered").latest("pk")
    assert answered.before["late"] is True


def test_only_the_consulted_agency_sees_and_answers_its_request(
    agencies, citizen, settings, consulting, time_machine
):
    version = consultation_version(agencies)
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, MONDAY)
    health, aid = dossier.consultations.order_by("agency__code")
    assert list(consultations.for_staff(consulting["health"])) == [health]
    with pytest.raises(Http404):
        consultations.get_for_staff(consulting["health"], aid.pk)
    with pytest.raises(Http404):  # the handler's agency was not asked
        consultations.get_for_staff(consulting["specialist"], health.pk)
    with pytest.raises(PermissionDenied):
        consultations.answer(aid, actor=consulting["health"], opinion="agree")
    with pytest.raises(PermissionDenied):
        consultations.answer(health, actor=consulting["specialist"], opinion="agree")
    assert not Consultation.objects.filter(answered_at__isnull=False).exists()


def test_an_answer_needs_an_opinion_words_to_disagree_and_a_checked_file(
    agencies, citizen, settings, consulting, time_machine
):
    version = consultation_version(agencies)
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, MONDAY)
    health = dossier.consultations.get(agency=agencies["health"])
    with pytest.raises(ValidationError):
        consultations.answer(health, actor=consulting["health"], opinion="maybe")
    with pytest.raises(ValidationError, match=r"không đồng ý|disagrees"):
        consultations.answer(health, actor=consulting["health"], opinion="disagree", text=" ")
    with pytest.raises(ValidationError, match=r"PDF|pdf"):
        consultations.answer(
            health,
            actor=consulting["health"],
            opinion="agree",
            file_name="y-kien.pdf",
            data=b"MZ\x90\x00 not a pdf at all",
        )
    assert Consultation.objects.get(pk=health.pk).answered_at is None
    consultations.answer(
        health,
        actor=consulting["health_leader"],
        opinion="agree",
        file_name="cong-van.pdf",
        data=PDF,
    )
    health = Consultation.objects.get(pk=health.pk)
    assert health.extension == "pdf" and health.original_name == "cong-van.pdf"
    with pytest.raises(ValidationError, match=r"đã trả lời|already answered"):
        consultations.answer(health, actor=consulting["health"], opinion="agree")


def test_the_handler_picks_among_the_steps_agencies(
    agencies, citizen, settings, consulting, time_machine
):
    version = consultation_version(agencies, pick=True, code="2.000997")
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, MONDAY)
    assert not dossier.consultations.exists() and consultations.waiting(fresh(dossier))
    specialist = consulting["specialist"]
    assert consultations.may_request(specialist, fresh(dossier))
    assert not consultations.may_request(consulting["health"], fresh(dossier))
    with pytest.raises(ValidationError):  # the city is not one of the step's agencies
        consultations.request(fresh(dossier), actor=specialist, agencies=[agencies["city"]])
    consultations.request(fresh(dossier), actor=specialist, agencies=[agencies["health"]])
    (only,) = fresh(dossier).consultations.all()
    assert only.agency == agencies["health"]
    assert only.due_at == calendar.add_working_time(MONDAY, days=2)
    with pytest.raises(ValidationError):
        consultations.request(fresh(dossier), actor=specialist, agencies=[agencies["legal_aid"]])
    consultations.answer(only, actor=consulting["health"], opinion="agree")
    assert fresh(dossier).current_step.code == "duyet"


def test_pages_list_scope_and_answer(agencies, citizen, settings, consulting, time_machine, client):
    version = consultation_version(agencies)
    dossier = at_consultation(version, citizen, settings, consulting, time_machine, MONDAY)
    health, aid = dossier.consultations.order_by("agency__code")
    client.force_login(consulting["health"])
    page = client.get("/staff/dossiers/consultations/")
    assert [c.pk for c, _state in page.context["rows"]] == [health.pk]
    assert client.get(f"/staff/dossiers/consultations/{aid.pk}/").status_code == 404
    assert client.get(f"/staff/dossiers/{dossier.public_id}/").status_code == 200
    response = client.post(
        f"/staff/dossiers/consultations/{health.pk}/",
        {"opinion": "disagree", "text": "Không đủ điều kiện vệ sinh"},
    )
    assert response.status_code == 302
    assert Consultation.objects.get(pk=health.pk).opinion == "disagree"
    # The handler sees who answered what, and who is still to answer.
    client.force_login(consulting["specialist"])
    page = client.get(f"/staff/dossiers/{dossier.public_id}/")
    states = {c.agency.code: state for c, state in page.context["consultations"]}
    assert states == {agencies["health"].code: "answered", agencies["legal_aid"].code: "due_soon"}
    assert page.context["consult_waiting"]
    html = page.content.decode()
    assert "Không đủ điều kiện vệ sinh" in html and "/advance/" not in html


def test_custom_moves_skip_a_step_and_send_back_to_ask_again(
    agencies, citizen, settings, consulting, time_machine
):
    """An editor's own moves: processing may move on straight to approval, and approval may
    send the dossier back to the consultation, which then asks the agencies anew."""
    version = consultation_version(agencies, code="2.000996")
    draft = services.start_draft(version.procedure, actor=None)
    services.save_moves(
        draft,
        actor=None,
        moves=[
            {"source": "xu-ly", "target": "duyet", "kind": "next"},
            {"source": "duyet", "target": "lay-y-kien", "kind": "send_back"},
        ],
    )
    version = services.publish(draft, actor=None, effective_from=datetime.date(2026, 1, 1))
    time_machine.move_to(MONDAY, tick=False)
    dossier = reception.receive(
        submitted_dossier(version, citizen, settings), officer=consulting["desk"]
    )
    specialist, leader = consulting["specialist"], consulting["leader"]
    dossier = processing.take(dossier, actor=specialist)
    steps = {s.code: s for s in version.workflow_steps.all()}
    assert [s.code for s in processing.targets(dossier, "next")] == ["lay-y-kien", "duyet"]
    with pytest.raises(ValidationError):
        processing.advance(dossier, actor=specialist, to=steps["tra"].pk)
    dossier = processing.advance(fresh(dossier), actor=specialist, to=steps["duyet"].pk)
    assert dossier.current_step.code == "duyet" and not dossier.consultations.exists()
    back = [s.code for s in processing.targets(dossier, "send_back")]
    assert back == ["xu-ly", "lay-y-kien"]
    dossier = processing.send_back(
        fresh(dossier), actor=leader, note="Cần ý kiến các sở", to=steps["lay-y-kien"].pk
    )
    assert dossier.current_step.code == "lay-y-kien"
    assert dossier.consultations.filter(answered_at__isnull=True).count() == 2
