"""The benchmark data generator (bench/) writes dossiers the platform itself could have written:
run at a tiny size against the test database, its result is checked for consistency."""

import datetime
import random
import re
from collections import Counter, defaultdict

import pytest
from django.db import connection

from bench import dossier_gen, generate, people, worktime
from egov.core.text import normalize_search_text
from egov.dossiers.models import DailySequence, Dossier, DossierAgency, DossierStep
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency

SINCE = datetime.date(2025, 7, 1)
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
OPEN = {"received", "in_progress", "result_ready", "paused"}
CODE = re.compile(r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<day>\d{6})-(?P<n>\d{4,6})$")


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("the generator sends rows with PostgreSQL's COPY")
    connection.ensure_connection()
    return connection.connection


@pytest.fixture
def city(postgres, agencies, province, catalogue):
    """Two ward People's Committees beside the catalogue fixtures' agencies, every dossier role
    staffed in every agency, and a few hundred citizens."""
    for code, name in [("31117", "Phường Ninh Kiều"), ("31120", "Phường Cái Khế")]:
        unit = AdministrativeUnit.objects.create(
            code=code, name=name, level=3, kind="phuong", parent=province, valid_from=SINCE
        )
        organizations.save_agency(
            Agency(
                code=f"000.{len(code) % 90 + int(code[-1]):02d}.50.H13",
                name=f"Ủy ban nhân dân {name}",
                kind="ubnd",
                parent=agencies["city"],
                unit=unit,
                valid_from=SINCE,
            ),
            actor=None,
        )
    rng = random.Random(5)
    ids = list(Agency.objects.values_list("pk", flat=True))
    users, roles = people.staff_rows(
        ids,
        first_user=generate.next_id(postgres, "accounts_user"),
        first_role=generate.next_id(postgres, "accounts_roleassignment"),
        password="!",
        rng=rng,
    )
    generate.copy_rows(postgres, "accounts_user", people.USER_COLUMNS, users)
    generate.copy_rows(postgres, "accounts_roleassignment", people.ROLE_COLUMNS, roles)
    citizens = people.citizen_rows(
        200, first_user=generate.next_id(postgres, "accounts_user"), rng=rng
    )
    generate.copy_rows(postgres, "accounts_user", people.USER_COLUMNS, citizens)
    return dossier_gen.load_city("92")


def run(city, ids, seed=11, total=300, **options):
    calendar = dossier_gen.worktime_for(SINCE, NOW.date() + datetime.timedelta(days=900))
    generator = dossier_gen.DossierGenerator(
        city,
        calendar,
        seed=seed,
        start=worktime.day_number(SINCE) * worktime.DAY_SECONDS,
        now=dossier_gen.local_seconds(NOW),
        ids=ids,
        **options,
    )
    batches = []
    generator.generate(total, 100, batches.append)
    return generator, batches


def test_generated_dossiers_are_consistent(postgres, city):
    generator, batches = run(city, generate.first_ids(postgres))
    for batch in batches:
        for table, rows in batch.items():
            generate.copy_rows(postgres, table, dossier_gen.TABLES[table], rows)
    generate.copy_rows(
        postgres,
        dossier_gen.SEQUENCE_TABLE,
        dossier_gen.SEQUENCE_COLUMNS,
        generator.sequence_rows(),
    )
    connection.check_constraints()  # every foreign key points at a real row

    dossiers = list(Dossier.objects.select_related("receiving_agency", "applicant"))
    assert len(dossiers) == 300
    assert Counter(d.status for d in dossiers) == generator.counts
    assert {"returned", "in_progress", "draft"} <= set(generator.counts)

    numbers = defaultdict(list)
    for dossier in dossiers:
        if dossier.status == Dossier.Status.DRAFT:
            assert dossier.code is None and dossier.submitted_at is None
            continue
        match = CODE.match(dossier.code)
        assert match and match["agency"] == dossier.receiving_agency.code
        day = dossier.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
        assert match["day"] == f"{day:%y%m%d}"
        numbers[(dossier.receiving_agency_id, day.date())].append(int(match["n"]))
        assert dossier.applicant_name == dossier.applicant.full_name
        assert dossier.applicant_search == normalize_search_text(dossier.applicant_name)
    sequences = {(s.agency_id, s.day): s.last for s in DailySequence.objects.all()}
    assert sequences == {key: len(values) for key, values in numbers.items()}
    assert all(sorted(values) == list(range(1, len(values) + 1)) for values in numbers.values())

    visited = defaultdict(set)
    for step in DossierStep.objects.all():
        visited[step.dossier_id].add(step.agency_id)
    for dossier in dossiers:  # as Dossier.save keeps them
        own = {dossier.receiving_agency_id, dossier.deciding_agency_id} - {None}
        assert dossier.visible_agencies == sorted(own | visited[dossier.pk])
    # The agencies' rows, written by the triggers during COPY; generate.py writes them in one
    # statement after the load instead, the same rows, and turns the triggers on again.
    expected = {
        (agency, d.pk, d.submitted_at, d.status)
        for d in dossiers
        if d.status != "draft"
        for agency in d.visible_agencies
    }
    columns = ("agency_id", "dossier_id", "submitted_at", "status")
    assert set(DossierAgency.objects.values_list(*columns)) == expected
    DossierAgency.objects.all().delete()
    postgres.execute("ALTER TABLE dossiers_dossier DISABLE TRIGGER USER")
    foreign_keys = (
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY 1"
    )
    table = [generate.AGENCY_ROWS_TABLE]
    before = postgres.execute(foreign_keys, table).fetchall()
    assert generate.fill_agency_rows(postgres) == len(expected)
    assert set(DossierAgency.objects.values_list(*columns)) == expected
    assert postgres.execute(foreign_keys, table).fetchall() == before and len(before) == 2
    enabled = postgres.execute(
        "SELECT DISTINCT tgenabled FROM pg_trigger "
        "WHERE tgrelid = 'dossiers_dossier'::regclass AND NOT tgisinternal"
    ).fetchall()
    assert enabled == [("O",)]

    # After the load every table the generator wrote ids into continues past them.
    generate.reset_sequences(postgres, generate.serial_tables())
    for table in generate.serial_tables():
        latest = postgres.execute(f"SELECT max(id) FROM {table}").fetchone()[0]  # noqa: S608
        following = postgres.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
        ).fetchone()[0]
        assert following > (latest or 0), table

    open_steps = defaultdict(list)
    for step in DossierStep.objects.filter(finished_at__isnull=True):
        open_steps[step.dossier_id].append(step)
    for dossier in dossiers:
        steps = open_steps.get(dossier.pk, [])
        if dossier.status in OPEN:
            assert len(steps) == 1, dossier.status
            step = steps[0]
            assert step.step.version_id == dossier.procedure_version_id
            assert dossier.current_step_id == step.step_id
            assert dossier.current_agency_id == step.agency_id
            assert dossier.current_role == step.role == step.step.role
            assert dossier.assignee_id == step.assignee_id
            assert dossier.step_due_at == step.due_at
        else:
            assert steps == []
        if dossier.status in {"returned", "refused", "withdrawn", "draft", "submitted"}:
            assert dossier.current_step_id is None
        if dossier.status == "returned":
            assert dossier.received_at <= dossier.decided_at <= dossier.returned_at
            assert dossier.events.filter(status="returned").count() == 1
        if dossier.status not in {"draft"}:
            first = dossier.events.order_by("at", "id").first()
            assert first is not None and first.at >= dossier.submitted_at


def test_the_same_seed_gives_the_same_rows(postgres, city):
    _, first = run(city, generate.first_ids(postgres), seed=3)
    _, again = run(city, generate.first_ids(postgres), seed=3)
    _, other = run(city, generate.first_ids(postgres), seed=4)
    assert first == again
    assert first != other


def test_leaving_out_attachment_rows_changes_nothing_else(postgres, city):
    _, full = run(city, generate.first_ids(postgres), seed=3)
    _, lean = run(city, generate.first_ids(postgres), seed=3, attachment_rows=False)
    assert sum(len(batch["dossiers_attachment"]) for batch in full) > 300
    assert all(batch["dossiers_attachment"] == [] for batch in lean)
    for table in set(dossier_gen.TABLES) - {"dossiers_attachment"}:
        assert [batch[table] for batch in lean] == [batch[table] for batch in full], table
