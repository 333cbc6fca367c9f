"""Fills a fresh PostgreSQL database with a city: the organisation tree, the catalogue, staff
with roles, citizens and N dossiers with their histories (docs/performance.md).

    .venv/bin/python bench/generate.py --dossiers 1000000 --seed 7 --database egov_bench_city

The database is created anew (dropped first if it exists), migrated, loaded with the demo city
(Cần Thơ's tree and catalogue, `manage.py load_demo`) plus generated commune People's
Committees up to Hồ Chí Minh City's 168 communes and wards; then staff, citizens and dossiers are
sent with COPY, a batch per transaction, from a writer thread while the next batch is generated
(so Python and PostgreSQL each keep one of the two cores busy). Foreign-key triggers are off
during the load (`session_replication_role = replica`): the generator writes consistent rows by
construction and tests/bench checks them. The same --seed and --now give the same data.
"""

import argparse
import datetime
import hashlib
import io
import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

SERVER = "postgresql://postgres@127.0.0.1:5432"
HCMC_COMMUNES = 168  # communes, wards and the special zone of Hồ Chí Minh City since 2025-07-01
DEMO_COMMUNE_GROUP = 50  # load_demo numbers commune committees 000.NN.5G.H13 (99 per group)
STAFF_PASSWORD = "bench-egov-2026"  # noqa: S105 - a throw-away benchmark database


def template_name() -> str:
    """The migrated demo city is kept as a template database, named after the migrations and
    the demo data so that a change to either builds a new one."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "egov").glob("*/migrations/*.py")):
        digest.update(path.name.encode())
    for path in sorted((ROOT / "src" / "egov").glob("**/data/*")):
        digest.update(path.read_bytes())
    return f"egov_bench_template_{digest.hexdigest()[:10]}"


def create_database(name: str) -> str:
    """A fresh database holding the migrated demo city (`manage.py migrate`, `load_demo`)."""
    import psycopg

    template = template_name()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not exists:
            for (old,) in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'egov_bench_template_%'"
            ).fetchall():
                connection.execute(f'DROP DATABASE "{old}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{template}"')
            subprocess.run(  # noqa: S603 - this script, with a name it made
                [sys.executable, __file__, "--build-template", template], check=True, cwd=ROOT
            )
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{SERVER}/{name}"


def build_template(name: str) -> None:
    from django.core.management import call_command

    setup_django(f"{SERVER}/{name}")
    call_command("migrate", verbosity=0)
    with redirect_stdout(io.StringIO()):
        call_command("load_demo")


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    os.environ.setdefault("EGOV_VAR_DIR", str(ROOT / "var" / "bench" / "city"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()


def load_city_tree(extra_communes: int, since: datetime.date) -> None:
    """Commune committees up to a HCMC-like count, and the catalogue in force over the whole
    generated period (the demo publishes it on 2025-07-01)."""
    from egov.catalog.models import ProcedureVersion
    from egov.organizations import services as organizations
    from egov.organizations.models import Agency

    city = Agency.objects.get(code="000.00.00.H13")
    existing = Agency.objects.filter(code__regex=r"^000\.\d\d\.5\d\.H13$").count()
    for index in range(existing, existing + extra_communes):
        group, number = divmod(index, 99)
        organizations.save_agency(
            Agency(
                code=f"000.{number + 1:02d}.{DEMO_COMMUNE_GROUP + group}.H13",
                name=f"Ủy ban nhân dân phường Bến Thành {index - existing + 1}",
                kind=Agency.Kind.PEOPLES_COMMITTEE,
                parent=city,
                valid_from=datetime.date(2025, 7, 1),
            ),
            actor=None,
        )
    ProcedureVersion.objects.filter(status="published").update(effective_from=since)


def copy_rows(connection, table: str, columns: str, rows: list[str]) -> None:
    if not rows:
        return
    quoted = ", ".join(f'"{column.strip()}"' for column in columns.split(","))
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for start in range(0, len(rows), 20000):
            copy.write("".join(rows[start : start + 20000]))


def next_id(connection, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def load_people(connection, citizens: int, rng: random.Random) -> dict:
    """Staff (every dossier role in every agency) and citizens, sent with COPY."""
    from django.contrib.auth.hashers import make_password

    from bench import people
    from egov.organizations.models import Agency

    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    users, roles = people.staff_rows(
        agencies,
        first_user=next_id(connection, "accounts_user"),
        first_role=next_id(connection, "accounts_roleassignment"),
        password=make_password(STAFF_PASSWORD),
        rng=rng,
    )
    copy_rows(connection, "accounts_user", people.USER_COLUMNS, users)
    copy_rows(connection, "accounts_roleassignment", people.ROLE_COLUMNS, roles)
    first = next_id(connection, "accounts_user")
    citizen_rows = people.citizen_rows(citizens, first_user=first, rng=rng)
    copy_rows(connection, "accounts_user", people.USER_COLUMNS, citizen_rows)
    return {"staff": len(users), "citizens": len(citizen_rows)}


def first_ids(connection):
    from bench.dossier_gen import Ids

    return Ids(
        dossier=next_id(connection, "dossiers_dossier"),
        event=next_id(connection, "dossiers_dossierevent"),
        step=next_id(connection, "dossiers_dossierstep"),
        supplement=next_id(connection, "dossiers_supplementrequest"),
        apology=next_id(connection, "dossiers_apologyletter"),
        attachment=next_id(connection, "dossiers_attachment"),
        sequence=next_id(connection, "dossiers_dailysequence"),
    )


def serial_tables() -> list[str]:
    """The tables the generator writes ids into (the agencies' rows have a composite key and no
    sequence)."""
    from bench.dossier_gen import SEQUENCE_TABLE, TABLES

    return [*TABLES, SEQUENCE_TABLE, "accounts_user", "accounts_roleassignment"]


def reset_sequences(connection, tables) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


AGENCY_ROWS_TABLE = "dossiers_dossieragency"


def fill_agency_rows(connection) -> int:
    """What the triggers of migration dossiers/0010 would have written, in primary key order;
    then the triggers are on again (in the caller's transaction).

    The rows' foreign keys are set aside meanwhile and checked again in one pass each: checked
    row by row at the commit, each check locked its dossier row, and at 20 million that wrote
    the dossier table's pages over and over (more than 200 GB written, over 10 minutes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = %s::regclass",
            [AGENCY_ROWS_TABLE],
        )
        foreign_keys = cursor.fetchall()
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {AGENCY_ROWS_TABLE} DROP CONSTRAINT "{name}"')
        cursor.execute(
            f"INSERT INTO {AGENCY_ROWS_TABLE} "  # noqa: S608
            "(agency_id, dossier_id, submitted_at, status) "
            "SELECT a, d.id, d.submitted_at, d.status FROM dossiers_dossier d, "
            "unnest(d.visible_agencies) a "
            "WHERE d.status <> 'draft' AND d.submitted_at IS NOT NULL ORDER BY 1, 2"
        )
        count = cursor.rowcount
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {AGENCY_ROWS_TABLE} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("ALTER TABLE dossiers_dossier ENABLE TRIGGER USER")
    return count


class SecondaryIndexes:
    """Drops the tables' secondary indexes and unique constraints before the load and builds
    them again after it (``--index-mode rebuild``)."""

    def __init__(self, connection, tables):
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
                [list(tables)],
            )
            self.constraints = cursor.fetchall()
            names = [name for _, name, _ in self.constraints]
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.tablename = ANY(%s) AND i.indexname NOT LIKE '%%_pkey' "
                "AND i.indexname <> ALL(%s)",
                [list(tables), names],
            )
            self.indexes = cursor.fetchall()

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            for table, name, _ in self.constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        self.connection.commit()

    def build(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for table, name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for _, definition in self.indexes:
                cursor.execute(definition)
        self.connection.commit()


class Writer(threading.Thread):
    """Sends each batch with COPY in one transaction on its own connection."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.batches = queue.Queue(maxsize=2)
        self.rows = {}
        self.error = None

    def run(self) -> None:
        import psycopg
        from bench.dossier_gen import TABLES

        try:
            with psycopg.connect(self.url) as connection:
                connection.execute("SET session_replication_role = replica")
                connection.commit()
                while (batch := self.batches.get()) is not None:
                    for table, rows in batch.items():
                        copy_rows(connection, table, TABLES[table], rows)
                        self.rows[table] = self.rows.get(table, 0) + len(rows)
                    connection.commit()
        except Exception as exc:  # reported by the main thread
            self.error = exc
            while self.batches.get() is not None:
                pass

    def send(self, batch: dict) -> None:
        if self.error:
            raise self.error
        self.batches.put(batch)

    def close(self) -> None:
        self.batches.put(None)
        self.join()
        if self.error:
            raise self.error


def table_sizes(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND relname LIKE 'dossiers_%' "
            "ORDER BY 2 DESC"
        )
        tables = {name: {"total": total, "indexes": indexes} for name, total, indexes in cursor}
        cursor.execute("SELECT pg_database_size(current_database())")
        return {"database": cursor.fetchone()[0], "tables": tables}


def generate(args) -> dict:
    import psycopg
    from bench.dossier_gen import (
        SEQUENCE_COLUMNS,
        SEQUENCE_TABLE,
        TABLES,
        DossierGenerator,
        load_city,
        local_seconds,
        worktime_for,
    )
    from bench.worktime import DAY_SECONDS, day_number
    from django.db import connection as django_connection
    from django.utils import timezone

    timings = {}
    started = time.perf_counter()
    url = create_database(args.database)
    setup_django(url)
    now = (
        datetime.datetime.fromisoformat(args.now).astimezone(datetime.UTC)
        if args.now
        else timezone.now().replace(minute=0, second=0, microsecond=0)
    )
    since = timezone.localdate(now) - datetime.timedelta(days=round(365.25 * args.years))
    load_city_tree(args.extra_communes, since)
    timings["city_tree_s"] = time.perf_counter() - started
    django_connection.close()
    rng = random.Random(args.seed)
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        counts = load_people(connection, args.citizens or max(2000, args.dossiers // 4), rng)
        connection.commit()
        timings["people_s"] = time.perf_counter() - started
        city = load_city("92")
        django_connection.close()
        worktime = worktime_for(since, timezone.localdate(now) + datetime.timedelta(days=900))
        django_connection.close()
        tables = [*TABLES, SEQUENCE_TABLE, AGENCY_ROWS_TABLE]
        indexes = SecondaryIndexes(connection, tables)
        if args.index_mode == "rebuild":
            indexes.drop()
        # The agencies' rows (DossierAgency) are written in one statement after the load, not
        # by the dossier table's triggers once per row.
        connection.execute("ALTER TABLE dossiers_dossier DISABLE TRIGGER USER")
        connection.commit()
        generator = DossierGenerator(
            city,
            worktime,
            seed=args.seed,
            start=day_number(since) * DAY_SECONDS,
            now=local_seconds(now),
            ids=first_ids(connection),
            attachment_rows=not args.without_attachment_rows,
        )
        writer = Writer(url)
        writer.start()
        started = time.perf_counter()
        done = [0, started]

        def sink(batch):
            writer.send(batch)
            done[0] += len(batch["dossiers_dossier"])
            if time.perf_counter() - done[1] > 15:
                done[1] = time.perf_counter()
                rate = done[0] / (done[1] - started)
                print(f"  {done[0]:>10,} dossiers generated, {rate:,.0f}/s", flush=True)

        generator.generate(args.dossiers, args.batch, sink)
        writer.close()
        copy_rows(connection, SEQUENCE_TABLE, SEQUENCE_COLUMNS, generator.sequence_rows())
        connection.commit()
        timings["dossiers_s"] = time.perf_counter() - started
        rows = dict(writer.rows)
        rows[SEQUENCE_TABLE] = len(generator.sequences)
        rows[AGENCY_ROWS_TABLE] = fill_agency_rows(connection)
        connection.commit()
        started = time.perf_counter()
        if args.index_mode == "rebuild":
            indexes.build()
        timings["indexes_s"] = time.perf_counter() - started
        reset_sequences(connection, serial_tables())
        connection.commit()
        started = time.perf_counter()
        connection.autocommit = True
        connection.execute("VACUUM (ANALYZE)")
        timings["vacuum_analyze_s"] = time.perf_counter() - started
        sizes = table_sizes(connection)
    load_seconds = timings["dossiers_s"] + timings["indexes_s"]
    total_rows = sum(rows.values())
    return {
        "benchmark": "data generator",
        "database": args.database,
        "dossiers": args.dossiers,
        "seed": args.seed,
        "now": now.isoformat(),
        "since": since.isoformat(),
        "index_mode": args.index_mode,
        "attachment_rows": not args.without_attachment_rows,
        "people": counts,
        "rows": rows,
        "status_counts": dict(sorted(generator.counts.items())),
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
        "rows_per_s": round(total_rows / load_seconds),
        "dossiers_per_s": round(args.dossiers / load_seconds),
        "sizes_bytes": sizes,
        "bytes_per_million_dossiers": round(sizes["database"] / args.dossiers * 1_000_000),
    }


def print_report(result: dict) -> None:
    t = result["timings_s"]
    print(
        f"generate  dossiers={result['dossiers']:,} seed={result['seed']} "
        f"index-mode={result['index_mode']} now={result['now']}"
    )
    print(
        f"  city tree {t['city_tree_s']}s, people {t['people_s']}s, dossiers {t['dossiers_s']}s, "
        f"index build {t['indexes_s']}s, vacuum+analyze {t['vacuum_analyze_s']}s"
    )
    print(
        f"  {sum(result['rows'].values()):,} rows at {result['rows_per_s']:,} rows/s "
        f"({result['dossiers_per_s']:,} dossiers/s)"
    )
    for table, count in result["rows"].items():
        size = result["sizes_bytes"]["tables"].get(table, {}).get("total", 0)
        print(f"  {table:<28} {count:>12,} rows {size / 2**20:>10,.0f} MiB")
    print(f"  statuses: {result['status_counts']}")
    gib = result["sizes_bytes"]["database"] / 2**30
    per_million = result["bytes_per_million_dossiers"] / 2**30
    print(f"  database {gib:,.2f} GiB, {per_million:,.2f} GiB per million dossiers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--database", default="egov_bench_city")
    parser.add_argument("--years", type=float, default=3, help="period covered, ending now")
    parser.add_argument("--now", help="end of the period (ISO date-time); default: this hour")
    parser.add_argument("--citizens", type=int, help="default: a quarter of the dossiers")
    parser.add_argument("--extra-communes", type=int, default=HCMC_COMMUNES - 103)
    parser.add_argument("--index-mode", choices=["keep", "rebuild"], default="keep")
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per transaction")
    parser.add_argument(
        "--without-attachment-rows",
        action="store_true",
        help="leave out the attachment rows (about 1.1 GiB per million dossiers), to fit a disk",
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--build-template", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_template:
        build_template(args.build_template)
        return
    if not 1 <= args.dossiers <= 20_000_000:
        parser.error("--dossiers must be between 1 and 20,000,000")
    result = generate(args)
    print_report(result)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"generate-{args.dossiers}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"  written to {path.relative_to(ROOT)}")
    if args.drop:
        drop_database(args.database)


if __name__ == "__main__":
    main()
