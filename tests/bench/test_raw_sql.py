"""The benchmark's raw submission script (bench/raw_sql) runs against today's schema, writes what
a submission writes, and is cleaned up after: run with pgbench against the test database."""

import itertools
import json
import subprocess

import pytest
from django.db import connection

from bench import city, raw_sql
from egov.core import audit
from egov.core.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.models import Attachment, Dossier, DossierAgency, DossierEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _pgbench(script_path, transactions: int) -> subprocess.CompletedProcess:
    settings = connection.settings_dict
    command = [
        city.pgbench_binary(), "-n", "-M", "simple", "-t", str(transactions),
        "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
        "-U", settings["USER"] or "postgres", "-D", "agencies=1", "-D", "citizens=1",
        "-f", str(script_path), settings["NAME"],
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pgbench runs on PostgreSQL")
def test_the_raw_submission_script_writes_a_submission_and_is_removed(catalogue, citizen, tmp_path):
    version = catalogue["record"]
    agency = services.receiving_agency_for(version)
    requirement = version.requirements.get()
    raw = connection.connection
    city.fill_picks(
        raw,
        "bench_pick_agency",
        "agency_id bigint, version_id bigint, procedure_id bigint",
        [(agency.pk, version.pk, version.procedure_id)],
    )
    city.fill_picks(raw, "bench_pick_citizen", "user_id bigint", [(citizen.pk,)])
    city.write_chain_heads(raw)
    script = tmp_path / "submission.sql"
    script.write_text(raw_sql.submission([requirement.pk], 30_000, '{"ho_ten_tre": "An"}'))

    done = _pgbench(script, 3)

    assert done.returncode == 0, done.stderr
    dossiers = Dossier.objects.filter(idempotency_key__startswith="raw-")
    assert dossiers.count() == 3
    for dossier in dossiers:
        assert dossier.status == Dossier.Status.SUBMITTED
        assert dossier.form_data == json.loads('{"ho_ten_tre": "An"}')
        assert Attachment.objects.filter(dossier=dossier, requirement=requirement).count() == 1
        assert DossierEvent.objects.filter(dossier=dossier).count() == 1
        assert DossierAgency.objects.filter(dossier=dossier, agency=agency).exists()
    # Three records a submission (draft, paper, submitted) appended to the receiving agency's
    # chain after what the fixtures recorded there, numbered without a gap and linked.
    chain = list(AuditEvent.objects.filter(chain=agency.pk).order_by("seq"))
    assert [e.action for e in chain].count("dossiers.raw") == 9
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == audit.GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))

    city.remove_raw_dossiers(raw)
    assert not Dossier.objects.filter(idempotency_key__startswith="raw-").exists()
    assert not DossierAgency.objects.exists()
