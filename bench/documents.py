"""Benchmark: official documents (docs/documents.md).

Two parts, run by `make bench`:

    .venv/bin/python bench/documents.py --documents 1000 [--database postgres]
    .venv/bin/python bench/documents.py --search-only --rows 1000000     # PostgreSQL

1. Issue and deliver: N letters from the Department of Justice to the Department of Health, both
   on the platform. Each is drafted and approved with the leader's personal signature first
   (timed separately); then the clerk issues it (the number taken, the number and date written,
   the agency's PAdES signature with its seal, delivery) and the receiving clerk registers it at
   once. Reported: documents per second over the issue-and-register phase, and the p50/p95 time
   from the start of the issue to the registration at the other side. One process, a fresh
   database, the development PKI's CRL/OCSP responders in a thread; signatures at PAdES B-B
   (no time-stamp authority in the loop) unless --level says otherwise.
2. Register search: ROWS documents written straight into PostgreSQL (COPY) across 50 agencies,
   then the staff search as the search page runs it (scoped to one agency's clerk, first page of
   25 with the capped count) for a mix of words, notations and numbers. Target: p95 < 100 ms.

Prints a table and writes var/bench/documents-*.json.
"""

import argparse
import importlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
WORDS = [
    ("Về việc", "ve viec"),
    ("cung cấp", "cung cap"),
    ("số liệu", "so lieu"),
    ("giám định", "giam dinh"),
    ("pháp y", "phap y"),
    ("kế hoạch", "ke hoach"),
    ("triển khai", "trien khai"),
    ("phòng, chống", "phong, chong"),
    ("dịch bệnh", "dich benh"),
    ("tổ chức", "to chuc"),
    ("hội nghị", "hoi nghi"),
    ("tổng kết", "tong ket"),
    ("công tác", "cong tac"),
    ("năm 2025", "nam 2025"),
    ("cải cách", "cai cach"),
    ("hành chính", "hanh chinh"),
    ("chuyển đổi số", "chuyen doi so"),
    ("đất đai", "dat dai"),
    ("xây dựng", "xay dung"),
    ("nông thôn mới", "nong thon moi"),
    ("giáo dục", "giao duc"),
    ("y tế", "y te"),
    ("an toàn", "an toan"),
    ("thực phẩm", "thuc pham"),
    ("phòng cháy", "phong chay"),
    ("chữa cháy", "chua chay"),
    ("bảo hiểm", "bao hiem"),
    ("xã hội", "xa hoi"),
    ("quyết toán", "quyet toan"),
    ("ngân sách", "ngan sach"),
    ("thanh tra", "thanh tra"),
    ("khiếu nại", "khieu nai"),
    ("tố cáo", "to cao"),
    ("lao động", "lao dong"),
    ("việc làm", "viec lam"),
    ("du lịch", "du lich"),
    ("môi trường", "moi truong"),
    ("thủy lợi", "thuy loi"),
    ("giao thông", "giao thong"),
    ("biên chế", "bien che"),
    ("tuyển dụng", "tuyen dung"),
    ("thi đua", "thi dua"),
]
QUERIES = [
    "giam dinh phap y",
    "ke hoach",
    "chuyển đổi số",
    "123/STP",
    "quyet toan ngan sach",
    "hoi nghi tong ket",
    "khieu nai to cao",
    "4567",
    "phòng cháy chữa cháy",
    "so lieu",
    "du lich",
    "thuy loi giao thong",
    "bien che tuyen dung",
    "So Y te",
    "nong thon moi",
]


def prepare(database: str, name: str) -> str:
    if database == "sqlite":
        path = ROOT / "var" / "bench" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    os.environ["EGOV_VAR_DIR"] = tempfile.mkdtemp()
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_MALWARE_SCANNER"] = "none"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def agencies_and_people():
    from egov.accounts import services as accounts
    from egov.accounts.models import Role, User
    from egov.documents import services
    from egov.organizations import services as organizations
    from egov.organizations.models import Agency

    def agency(code, name, parent=None):
        return organizations.save_agency(
            Agency(code=code, name=name, kind="so", parent=parent), actor=None
        )

    city = agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ")
    justice = agency("000.00.03.H13", "Sở Tư pháp", city)
    health = agency("000.00.10.H13", "Sở Y tế", city)

    def person(username, where, role):
        user = accounts.create_user(
            actor=None,
            username=username,
            password=None,
            kind=User.Kind.STAFF,
            agency=where,
            full_name=username,
        )
        accounts.grant_role(actor=None, user=user, role=role, agency=where)
        return user

    people = {
        "specialist": person("chuyenvien", justice, Role.SPECIALIST),
        "leader": person("lanhdao", justice, Role.LEADER),
        "clerk": person("vanthu", justice, Role.CLERK),
        "health_clerk": person("vanthu.syt", health, Role.CLERK),
    }
    for where, abbreviation in ((justice, "STP"), (health, "SYT")):
        services.save_profile(where, actor=None, abbreviation=abbreviation, place_name="Cần Thơ")
        services.ensure_registers(where)
    return justice, health, people


def issue_and_deliver(args) -> dict:
    setup_django(prepare(args.database, "egov_bench_documents_issue"))
    from django.conf import settings

    from egov.documents import incoming, services
    from egov.documents.models import Recipient
    from egov.signatures import services as signatures
    from egov.signatures.devpki import DevelopmentPKI, http_server

    pki_dir = Path(tempfile.mkdtemp())
    server = http_server(pki_dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pki = DevelopmentPKI.create(pki_dir, f"http://127.0.0.1:{server.server_address[1]}")
    settings.EGOV_DEV_PKI_DIR = pki_dir
    settings.EGOV_SIGNATURE_TRUST_DEV_PKI = True
    settings.EGOV_TSA_URL = pki.tsa_url
    settings.EGOV_SIGNATURE_DEFAULT_LEVEL = args.level
    justice, health, people = agencies_and_people()
    password = "bench-p12"  # noqa: S105 - a throwaway file made here
    agency_cert = pki.issue(
        "Sở Tư pháp thành phố Cần Thơ", organization="Sở Tư pháp", key_type="ec-p256"
    )
    leader_cert = pki.issue("Lãnh đạo Sở Tư pháp", organization="Sở Tư pháp", key_type="ec-p256")
    signatures.import_pkcs12(agency_cert.pkcs12(password), password, actor=None, agency=justice)
    signatures.import_pkcs12(
        leader_cert.pkcs12(password), password, actor=None, user=people["leader"]
    )

    approved, approval_times = [], []
    for index in range(args.documents):
        started = time.perf_counter()
        document = services.create_draft(
            justice,
            actor=people["specialist"],
            subject=f"Về việc {random.choice(WORDS)[0]} số {index + 1}",
            body="Sở Tư pháp đề nghị Sở Y tế phối hợp thực hiện.\nTrân trọng.",
            approver=people["leader"],
            signer_title="Giám đốc",
            recipients=[{"kind": Recipient.Kind.PLATFORM, "agency": health}],
        )
        services.submit(document, actor=people["specialist"])
        services.approve_and_sign(document, actor=people["leader"])
        approved.append(document)
        approval_times.append(time.perf_counter() - started)

    latencies, issued = [], []
    phase = time.perf_counter()
    for document in approved:
        started = time.perf_counter()
        document = services.issue(document, actor=people["clerk"])
        issued.append(document)
        copy = Recipient.objects.get(document=document).copy
        incoming.register(copy, actor=people["health_clerk"])
        latencies.append(time.perf_counter() - started)
    elapsed = time.perf_counter() - phase
    server.shutdown()
    numbers = sorted(d.number for d in issued)
    assert numbers == list(range(1, args.documents + 1)) or len({d.year for d in issued}) > 1
    return {
        "benchmark": "issue and deliver between two agencies of the platform",
        "database": args.database,
        "documents": args.documents,
        "signature_level": args.level,
        "issue_to_registered_per_second": round(args.documents / elapsed, 2),
        "issue_to_registered_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "issue_to_registered_p95_ms": round(pct(latencies, 95) * 1000, 1),
        "draft_to_approved_and_signed_p50_ms": round(statistics.median(approval_times) * 1000, 1),
    }


WORD_FORMS = "egov.documents.migrations.0004_search_word_forms"


def generate(rows: int) -> None:
    """``rows`` documents across 50 agencies, written with COPY (no per-row Python objects)."""
    import psycopg
    from django.apps import apps
    from django.db import connection, transaction

    from egov.organizations import services as organizations
    from egov.organizations.models import Agency

    city = organizations.save_agency(
        Agency(code="000.00.00.H13", name="Ủy ban nhân dân thành phố Cần Thơ", kind="ubnd"),
        actor=None,
    )
    agencies = [city] + [
        organizations.save_agency(
            Agency(code=f"000.00.{n:02d}.H13", name=f"Sở số {n}", kind="so", parent=city),
            actor=None,
        )
        for n in range(1, 50)
    ]
    random.seed(7)
    columns = (
        "public_id, province_code, agency_id, direction, state, document_type, legal_normative,"
        " subject, body, urgency, number, year, reference, document_date, place_name,"
        " signer_name, signer_title, signer_competence, revocation_reason, channel,"
        " sender_code, sender_name, exchange_id, refusal_reason, search_text, created_at,"
        " updated_at"
    )
    import uuid

    url = connection.settings_dict
    with (
        psycopg.connect(
            host=url["HOST"], port=url["PORT"] or 5432, user=url["USER"], dbname=url["NAME"]
        ) as pg,
        pg.cursor() as cursor,
    ):
        # The trigram index is built once after the load rather than row by row during it.
        cursor.execute("DROP INDEX IF EXISTS documents_search_trgm")
        cursor.execute("DROP INDEX IF EXISTS documents_search_words")
        with cursor.copy(f"COPY documents_officialdocument ({columns}) FROM STDIN") as copy:
            for index in range(rows):
                agency = agencies[index % len(agencies)]
                picked = random.sample(WORDS, 4)
                subject = "Về việc " + " ".join(w[0] for w in picked[1:])
                number = index // len(agencies) + 1
                incoming = index % 3 == 0
                reference = f"{number}/{'QĐ' if index % 5 == 0 else 'STP'}-VP"
                sender = "Sở Y tế" if incoming else ""
                text = (
                    f" {reference.lower().replace('đ', 'd')} {number} {number:02d} ve viec "
                    + " ".join(w[1] for w in picked[1:])
                    + (" so y te" if incoming else "")
                    + " "
                )
                copy.write_row(
                    (
                        uuid.uuid4(),
                        "92",
                        agency.pk,
                        "in" if incoming else "out",
                        "registered" if incoming else "issued",
                        "CV",
                        False,
                        subject,
                        "",
                        "0",
                        number,
                        2026,
                        reference,
                        "2026-01-15",
                        "Cần Thơ",
                        "",
                        "",
                        "",
                        "",
                        "platform" if incoming else "",
                        "",
                        sender,
                        "",
                        "",
                        text,
                        "2026-01-15T08:00:00+07:00",
                        "2026-01-15T08:00:00+07:00",
                    )
                )
        pg.commit()
        cursor.execute(
            "CREATE INDEX documents_search_trgm ON documents_officialdocument "
            "USING gin (search_text gin_trgm_ops)"
        )
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(importlib.import_module(WORD_FORMS).FULL_TEXT_INDEX[0])
        cursor.execute("ANALYZE documents_officialdocument")
        pg.commit()
    # The word table is written once after the load, as migration 0003 writes it for the
    # documents already there, rather than row by row.
    begin = time.perf_counter()
    with transaction.atomic(), connection.cursor() as django_cursor:
        editor = SimpleNamespace(connection=connection, execute=django_cursor.execute)
        importlib.import_module("egov.documents.migrations.0003_search_words").backfill(
            apps, editor
        )
        importlib.import_module(WORD_FORMS).backfill(apps, editor)
    print(f"word table written in {time.perf_counter() - begin:.0f} s", flush=True)
    # What autovacuum does soon after a large insert (PostgreSQL 13 and later): the visibility
    # map lets the search read the word table's index alone.
    with psycopg.connect(
        host=url["HOST"],
        port=url["PORT"] or 5432,
        user=url["USER"],
        dbname=url["NAME"],
        autocommit=True,
    ) as pg:
        pg.execute("VACUUM (ANALYZE) documents_documentword")
        pg.execute("VACUUM (ANALYZE) documents_officialdocument")


def register_search(args) -> dict:
    if args.measure_only:  # the data of an earlier run, kept in its database
        os.environ["DATABASE_URL"] = (
            "postgres://postgres@127.0.0.1:5432/egov_bench_documents_search"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
        import django

        django.setup()
        return measure_search(args, generated=None)
    setup_django(prepare("postgres", "egov_bench_documents_search"))
    started = time.perf_counter()
    generate(args.rows)
    return measure_search(args, generated=time.perf_counter() - started)


def measure_search(args, *, generated) -> dict:
    from egov.accounts import services as accounts
    from egov.accounts.models import Role, User
    from egov.documents import search
    from egov.organizations.models import Agency

    User.objects.filter(username__in=["vanthu", "vanthu.tp"]).delete()
    agency = Agency.objects.get(code="000.00.03.H13")
    clerk = accounts.create_user(
        actor=None, username="vanthu", password=None, kind=User.Kind.STAFF, agency=agency
    )
    accounts.grant_role(actor=None, user=clerk, role=Role.CLERK, agency=agency)
    city_clerk = accounts.create_user(
        actor=None, username="vanthu.tp", password=None, kind=User.Kind.STAFF, agency=agency.parent
    )
    accounts.grant_role(
        actor=None, user=city_clerk, role=Role.CLERK, agency=agency.parent, include_subtree=True
    )
    timings = {"one agency": [], "whole city": []}
    by_query: dict[str, list[float]] = {}
    for _round in range(args.rounds):
        for query in QUERIES:
            for label, user in (("one agency", clerk), ("whole city", city_clerk)):
                begin = time.perf_counter()
                page = search.paginator(user, query, 25).get_page(1)
                list(page)
                assert page.paginator.count >= 0
                elapsed = (time.perf_counter() - begin) * 1000
                timings[label].append(elapsed)
                by_query.setdefault(f"{label}: {query}", []).append(elapsed)
    everything = timings["one agency"] + timings["whole city"]
    return {
        "benchmark": "register search (staff search page's query)",
        "database": "postgres",
        "documents": search.OfficialDocument.objects.count(),
        "generated_in_s": round(generated, 1) if generated else None,
        "queries": len(everything),
        **{
            f"{key}_{label.replace(' ', '_')}_ms": round(value, 1)
            for label, values in timings.items()
            for key, value in (("p50", statistics.median(values)), ("p95", pct(values, 95)))
        },
        "p95_ms": round(pct(everything, 95), 1),
        "target_p95_ms": 100,
        "slowest_ms_by_query": {key: round(max(values), 1) for key, values in by_query.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--level", default="B-B", choices=["B-B", "B-T", "B-LT"])
    parser.add_argument("--search-only", action="store_true")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if args.search_only:
        result = register_search(args)
        name = "documents-search"
        print(
            f"register search  documents={args.rows:<8} queries={result['queries']:<4} "
            f"p95 one agency={result['p95_one_agency_ms']}ms whole city="
            f"{result['p95_whole_city_ms']}ms all={result['p95_ms']}ms (target p95 < 100 ms)"
        )
    else:
        result = issue_and_deliver(args)
        name = f"documents-issue-{args.database}"
        print(
            f"issue+deliver  db={args.database:<8} documents={args.documents:<6} "
            f"{result['issue_to_registered_per_second']}/s  issue→registered "
            f"p50={result['issue_to_registered_p50_ms']}ms "
            f"p95={result['issue_to_registered_p95_ms']}ms  (approval with the leader's "
            f"signature p50={result['draft_to_approved_and_signed_p50_ms']}ms, apart)"
        )
    result["machine"] = machine
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
