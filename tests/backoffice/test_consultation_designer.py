"""The designer's consultation step: agencies and their times to answer chosen on the page (no
JSON), kept across saves, drawn as parallel branches, checked at publishing in words beside the
step, copied into new drafts and described in the draft's differences."""

from egov.catalog import diff, services, workflow, workflow_diagram
from egov.catalog.models import ConsultedAgency, WorkflowStep
from egov.core.models import AuditEvent
from tests.backoffice.test_form_builder_pages import editor
from tests.backoffice.test_papers_and_fees_pages import WORKFLOW, posted_with


def consultation_row(agencies, **extra):
    return {
        "name": "Lấy ý kiến các sở",
        "action": "consultation",
        "role": "specialist",
        "agency_role": "deciding",
        "duration": "0.5",
        "consult_agency_1": agencies["health"].code,
        "consult_days_1": "0.5",
        "consult_agency_2": agencies["legal_aid"].code,
        "consult_days_2": "0.25",
        "ORDER": "3",
        **extra,
    }


def save_with_consultation(client, agencies, **extra):
    page = client.get(WORKFLOW)
    data = posted_with(page.context["formset"], "s", [consultation_row(agencies, **extra)])
    data["s-2-ORDER"] = "4"
    return client.post(WORKFLOW, data)


def draft_of(catalogue):
    return catalogue["copy"].procedure.versions.get(status="draft")


def test_editor_marks_a_step_as_a_consultation_and_it_round_trips(
    staff_client, catalogue, agencies
):
    client = editor(staff_client, catalogue)
    assert save_with_consultation(client, agencies).status_code == 302
    draft = draft_of(catalogue)
    step = draft.workflow_steps.get(action=WorkflowStep.Action.CONSULTATION)
    assert step.position == 3 and not step.consult_pick
    assert [(c.agency, str(c.duration)) for c in step.consulted.all()] == [
        (agencies["health"], "0.50"),
        (agencies["legal_aid"], "0.25"),
    ]
    page = client.get(WORKFLOW)
    form = page.context["formset"].forms[2]
    assert form["consult_agency_1"].value() == agencies["health"].code
    assert str(form["consult_days_2"].value()) == "0.25"
    # Saving the page again as it is keeps the agencies.
    data = posted_with(page.context["formset"], "s", [])
    assert client.post(WORKFLOW, data).status_code == 302
    assert ConsultedAgency.objects.filter(step__version=draft).count() == 2
    audit = AuditEvent.objects.filter(action="catalog.workflow_changed").latest("pk")
    assert [agencies["health"].code, "0.50"] in audit.after["steps"][2]
    # The diagram forks into one branch per agency, with its time to answer.
    svg = page.context["diagram"]
    assert agencies["health"].name[:20] in svg and agencies["legal_aid"].name[:12] in svg
    assert svg.count('fill="#e8f5e9"') == 2
    notes = {row.step.name: row.notes for row in page.context["rows"]}
    assert notes["Lấy ý kiến các sở"] == []


def test_publish_checks_speak_beside_the_consultation_step(staff_client, catalogue, agencies):
    client = editor(staff_client, catalogue)
    save_with_consultation(client, agencies, consult_days_1="2")
    draft = draft_of(catalogue)
    rows, _general = workflow_diagram.step_notes(draft)
    notes = next(row.notes for row in rows if row.step.action == "consultation")
    assert len(notes) == 1 and agencies["health"].name in notes[0]
    assert "2" in notes[0] and ("4 giờ" in notes[0] or "4 working hours" in notes[0])
    problems = services.publication_problems(draft)
    assert any("Lấy ý kiến các sở" in p and agencies["health"].name in p for p in problems)
    # No agency chosen at all.
    page = client.get(WORKFLOW)
    data = posted_with(page.context["formset"], "s", [])
    for key in [k for k in data if "consult_agency" in k or "consult_days" in k]:
        del data[key]
    client.post(WORKFLOW, data)
    rows, _general = workflow_diagram.step_notes(draft)
    notes = next(row.notes for row in rows if row.step.action == "consultation")
    assert notes and ("không hỏi cơ quan nào" in notes[0] or "asks no agency" in notes[0])
    assert "Lấy ý kiến các sở" in client.get(WORKFLOW).content.decode()


def test_the_editor_is_told_what_to_fix_in_the_agencies(staff_client, catalogue, agencies):
    client = editor(staff_client, catalogue)
    page = client.get(WORKFLOW)
    bad = consultation_row(agencies, consult_days_2="", action="process")
    data = posted_with(page.context["formset"], "s", [bad])
    response = client.post(WORKFLOW, data)
    assert response.status_code == 200
    form = response.context["formset"].forms[3]
    assert form.errors["consult_days_2"]
    assert form.non_field_errors()
    assert not ConsultedAgency.objects.exists()


def test_new_drafts_copy_consultations_and_the_diff_says_what_changed(
    staff_client, catalogue, agencies
):
    client = editor(staff_client, catalogue)
    save_with_consultation(client, agencies)
    draft = draft_of(catalogue)
    published = diff.published_before(draft)
    text = "\n".join(sentence for _section, sentence in diff.changes(published, draft))
    assert agencies["health"].name in text and ("4 giờ" in text or "4 working hours" in text)
    assert "{" not in text
    # Published, then a new draft copies the agencies; a changed time to answer is a change.
    services.update_draft(draft, actor=None, time_limit="1.5")
    published = services.publish(draft, actor=None, effective_from=draft.created_at.date())
    second = services.start_draft(published.procedure, actor=None)
    step = second.workflow_steps.get(action="consultation")
    assert step.consulted.count() == 2
    step.consulted.filter(agency=agencies["legal_aid"]).update(duration="0.5")
    lines = diff.changes(published, second)
    assert len(lines) == 1 and agencies["legal_aid"].name in lines[0][1]
    assert "→" in lines[0][1]


def moves_posted(rows):
    data = {"m-TOTAL_FORMS": str(len(rows)), "m-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"m-{i}-{key}"] = value
    return data


def test_editor_adds_custom_moves_checked_in_words_and_kept(staff_client, catalogue, agencies):
    client = editor(staff_client, catalogue)
    save_with_consultation(client, agencies)
    draft = draft_of(catalogue)
    codes = [s.code for s in draft.workflow_steps.order_by("position")]
    # Backwards "move on" is refused in words, and nothing is saved.
    response = client.post(
        WORKFLOW, moves_posted([{"source": codes[2], "kind": "next", "target": codes[0]}])
    )
    assert response.status_code == 200
    assert response.context["moves"].non_form_errors()
    assert not workflow.custom_moves(draft)
    moves = [
        {"source": codes[1], "kind": "next", "target": codes[3]},  # skip the consultation
        {"source": codes[2], "kind": "refuse", "target": ""},
    ]
    assert client.post(WORKFLOW, moves_posted(moves)).status_code == 302
    kinds = {
        (m.source.code, m.kind, m.target.code if m.target else None)
        for m in workflow.custom_moves(draft)
    }
    assert kinds == {(codes[1], "next", codes[3]), (codes[2], "refuse", None)}
    page = client.get(WORKFLOW)
    assert len(page.context["moves"].initial) == 2
    # Saving the steps as they are keeps the moves; the diagram draws the skip on the left.
    client.post(WORKFLOW, posted_with(page.context["formset"], "s", []))
    assert len(workflow.custom_moves(draft)) == 2
    published = diff.published_before(draft)
    text = " ".join(sentence for _section, sentence in diff.changes(published, draft))
    assert text.count("→") >= 2 and "{" not in text
