import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_do_not_compile_queries():
    """JIT cost a name search at 20 million dossiers 170 ms of CPU before it ran (DB_JIT)."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_reports_replica_connection_gets_the_same_options():
    """A replica for the statistics (REPORTS_DATABASE_URL) runs without JIT and with health
    checks, as the default connection does; DB_JIT=1 gives both PostgreSQL's setting back."""
    import json
    import os
    import subprocess
    import sys

    show = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({k: settings.DATABASES[k].get('OPTIONS', {}).get('options') "
        "for k in ('default', 'reports')}))"
    )

    def options(**extra):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "egov.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/primary",
            "REPORTS_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/replica",
            **extra,
        }
        done = subprocess.run(
            [sys.executable, "-c", show], env=env, capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert options() == {"default": "-c jit=off", "reports": "-c jit=off"}
    assert options(DB_JIT="1") == {"default": None, "reports": None}
