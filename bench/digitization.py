"""Benchmark: the desk's OCR, and the citizen's store at scale.

    .venv/bin/python bench/digitization.py --database sqlite --papers 20000       # under a minute
    .venv/bin/python bench/digitization.py --database postgres --papers 10000000  # the target

Builds a fresh database with one procedure of six papers, ``--papers`` papers spread over
``--papers / 20`` citizens and 300 paper types, of which ``--mine`` belong to one citizen (a
tenth of them expired), then times, through the services the pages call (the queries and the
Python around them, not the template or the network):

- the store: a citizen's newest 200 papers and where each was used (``services.store`` and
  ``services.where_used``),
- the offer at submission: the valid papers of each of a procedure's six types
  (``services.offers``), read through the (owner, kind, expires_on) index;

and the OCR of ``--ocr-pages`` A5 pages of Vietnamese text (eight lines each, rendered with Noto
Sans at 300 dpi) into one PDF/A each (``ocr.digitise``, Tesseract ``vie``, one job). Prints a
table and writes var/bench/digitization-<database>.json.
"""

import argparse
import datetime
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TARGET_MS = 100
KINDS = 300
PER_CITIZEN = 20
LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
    "Người sử dụng đất: Nguyễn Thị Hồng Nhung",
    "Thửa đất số 125, tờ bản đồ số 18",
    "Địa chỉ: phường Ninh Kiều, thành phố Cần Thơ",
    "Diện tích: 96,5 mét vuông",
    "Sở Tài nguyên và Môi trường thành phố Cần Thơ",
]


def prepare(database: str) -> str:
    if database == "sqlite":
        path = ROOT / "var" / "bench" / "digitization.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS egov_bench_digitization")
        c.execute("CREATE DATABASE egov_bench_digitization")
    return "postgres://postgres@127.0.0.1:5432/egov_bench_digitization"


def build(papers: int, mine: int) -> dict:
    """The procedure, the citizens and their papers; returns the citizen to time and the
    procedure's requirements."""
    from django.core.management import call_command

    from egov.accounts.models import User
    from egov.catalog import content, services
    from egov.digitization import kinds
    from egov.digitization.models import Paper
    from egov.organizations.models import AdministrativeUnit, Agency

    call_command("migrate", verbosity=0)
    unit = AdministrativeUnit.objects.create(
        code="92", name="Thành phố Cần Thơ", level=1, kind="thanh_pho_tw",
        valid_from=datetime.date(2025, 7, 1),
    )  # fmt: skip
    agency = Agency.objects.create(code="000.00.03.H13", name="Sở Tư pháp", kind="so", unit=unit)
    names = [f"Giấy tờ loại {number:03d}" for number in range(KINDS)]
    version = services.create_procedure(
        actor=None,
        code="9.999999",
        owner_agency=agency,
        **content.version_fields(
            {
                "name": "Thủ tục đo hiệu năng",
                "field": {"code": "bench", "name": "Đo hiệu năng"},
                "level": "province",
                "deciding_agency": agency.code,
                "receiving_agencies": [agency.code],
                "online_mode": "full",
                "legacy_service_level": 4,
                "time_limit": 5,
                "time_unit": "working_days",
                "legal_bases": [],
                "results": ["Kết quả"],
                "steps": [],
                "form_schema": {"type": "object", "properties": {}},
                "form_ui": {},
            }
        ),
    )
    content.apply(
        version,
        {
            "requirements": [
                {"name": names[i * 7], "originals": 1, "copies": 0, "accepted_types": ["pdf"]}
                for i in range(6)
            ],
            "fees": [],
            "workflow": [],
        },
    )
    kind_codes = [kinds.of_name(name) for name in names]
    citizens = max(2, papers // PER_CITIZEN)
    started = time.perf_counter()
    from django.db import connection

    if connection.vendor == "postgresql":
        me = build_in_sql(papers, mine, citizens, agency, names, kind_codes)
        return {
            "me": me,
            "requirements": list(version.requirements.all()),
            "built_s": round(time.perf_counter() - started, 1),
            "citizens": citizens,
        }
    batch = 5000
    for first in range(0, citizens, batch):
        User.objects.bulk_create(
            User(username=f"cd{n}", kind="citizen", email=f"cd{n}@example.vn", password="!")  # noqa: S106 - unusable
            for n in range(first, min(citizens, first + batch))
        )
    ids = list(User.objects.order_by("id").values_list("id", flat=True))
    me = ids[0]
    today = datetime.date.today()
    rows = []

    def flush() -> None:
        Paper.objects.bulk_create(rows, batch_size=batch)
        rows.clear()

    for n in range(papers):
        owner = me if n < mine else ids[1 + n % (len(ids) - 1)]
        kind = n % KINDS
        expired = n % 10 == 0
        rows.append(
            Paper(
                owner_id=owner,
                kind=kind_codes[kind],
                kind_name=names[kind],
                number=f"SO-{n}",
                issuer="Sở Tư pháp",
                issued_on=today - datetime.timedelta(days=400),
                expires_on=today - datetime.timedelta(days=1)
                if expired
                else (today + datetime.timedelta(days=365) if n % 3 else None),
                file=f"digitization/bench/{n}.pdf",
                size=1000,
                sha256="0" * 64,
                pages=1,
                source="online",
                agency=agency,
            )
        )
        if len(rows) >= batch:
            flush()
    flush()
    return {
        "me": User.objects.get(pk=me),
        "requirements": list(version.requirements.all()),
        "built_s": round(time.perf_counter() - started, 1),
        "citizens": citizens,
    }


def clone(model, template_pk: int, first: int, last: int, overrides: dict[str, str], params=()):
    """Rows ``first``..``last`` (``n`` in ``overrides``' SQL) copied from one row made by the
    ORM, in the database (INSERT ... SELECT over generate_series): ten million papers through
    bulk_create took about an hour, this a few minutes. Every other column keeps the template's
    value, so the rows are what the services write."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    values = ", ".join(overrides.get(f.column, f't."{f.column}"') for f in fields)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({columns}) SELECT {values} FROM "{table}" t, '  # noqa: S608 - names from the models
            f"generate_series(%s, %s) n WHERE t.id = %s",
            [*params, first, last, template_pk],
        )


def build_in_sql(papers: int, mine: int, citizens: int, agency, names, kind_codes):
    """PostgreSQL: the citizens and papers written by the database itself, in batches of a
    million papers; the indexes are those of the migrations, kept up to date row by row."""
    from django.db import connection, transaction

    from egov.accounts.models import User
    from egov.digitization.models import Paper

    me = User.objects.create(username="cd0", kind="citizen", email="cd0@example.vn", password="!")  # noqa: S106 - unusable
    with transaction.atomic():
        clone(
            User,
            me.pk,
            1,
            citizens - 1,
            {"username": "'cd' || n", "email": "'cd' || n || '@example.vn'",
             "public_id": "gen_random_uuid()"},
        )  # fmt: skip
    others = User.objects.exclude(pk=me.pk).filter(username__startswith="cd")
    low = others.order_by("pk").values_list("pk", flat=True).first()
    high = others.order_by("-pk").values_list("pk", flat=True).first()
    assert high - low + 1 == citizens - 1, "the citizens' ids are not one range"
    today = datetime.date.today()
    template = Paper.objects.create(
        owner=me, kind=kind_codes[0], kind_name=names[0], number="SO-0", issuer="Sở Tư pháp",
        issued_on=today - datetime.timedelta(days=400), expires_on=None,
        file="digitization/bench/0.pdf", size=1000, sha256="0" * 64, pages=1, source="online",
        agency=agency,
    )  # fmt: skip
    overrides = {
        "public_id": "gen_random_uuid()",
        "owner_id": f"CASE WHEN n < {int(mine)} THEN {me.pk} "
        f"ELSE {low} + mod(n, {citizens - 1}) END",
        "kind": f"(%s::text[])[1 + mod(n, {KINDS})]",
        "kind_name": f"(%s::text[])[1 + mod(n, {KINDS})]",
        "number": "'SO-' || n",
        "expires_on": "CASE WHEN mod(n, 10) = 0 THEN current_date - 1 "
        "WHEN mod(n, 3) <> 0 THEN current_date + 365 END",
        "file": "'digitization/bench/' || n || '.pdf'",
        "created_at": "t.created_at - n * interval '1 second'",
    }
    step = 1_000_000
    for first in range(1, papers, step):
        last = min(papers - 1, first + step - 1)
        with transaction.atomic():
            clone(Paper, template.pk, first, last, overrides, params=(kind_codes, names))
        print(f"  papers written: {last + 1:,}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE digitization_paper")
    return me


def earlier() -> dict:
    """The citizen and procedure of an earlier run's database (``--measure-only``)."""
    from egov.accounts.models import User
    from egov.catalog.models import ProcedureVersion
    from egov.digitization.models import Paper

    version = ProcedureVersion.objects.filter(procedure__code="9.999999").latest("pk")
    return {
        "me": User.objects.get(username="cd0"),
        "requirements": list(version.requirements.all()),
        "built_s": None,
        "citizens": User.objects.filter(username__startswith="cd").count(),
        "papers": Paper.objects.count(),
    }


def timed(work, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def measure(built: dict, rounds: int) -> dict:
    from django.core.paginator import Paginator

    from egov.digitization import services
    from egov.digitization.views import STORE_PAGE

    me, requirements = built["me"], built["requirements"]

    def store() -> None:
        # What the store's page reads: the count and its first page (views.STORE_PAGE).
        page = Paginator(services.store(me).select_related("dossier"), STORE_PAGE).get_page(1)
        services.where_used(list(page))

    def offer() -> None:
        found = services.offers(me, requirements)
        assert any(found.values())

    store(), offer()  # warm the caches once, as a running server has them
    return {"store": summary(timed(store, rounds)), "offer": summary(timed(offer, rounds))}


def ocr_rate(pages: int) -> dict:
    from PIL import Image, ImageDraw, ImageFont

    from egov.digitization import ocr

    if not ocr.available():
        return {"skipped": "tesseract-ocr, tesseract-ocr-vie or ghostscript is not installed"}
    font = ImageFont.truetype(str(ROOT / "src/egov/core/fonts/NotoSans-Regular.ttf"), 34)
    image = Image.new("L", (1748, 2480 // 2), 255)  # A5 landscape half of A4 at 300 dpi
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(LINES):
        draw.text((120, 120 + 110 * number), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(300, 300))
    page = buffer.getvalue()
    started = time.perf_counter()
    for _ in range(pages):
        ocr.digitise([("png", page)])
    seconds = time.perf_counter() - started
    return {
        "pages": pages,
        "seconds": round(seconds, 1),
        "pages_per_minute": round(60 * pages / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--papers", type=int, default=20000)
    parser.add_argument("--mine", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--ocr-pages", type=int, default=3)
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args()
    if args.measure_only:  # the papers of an earlier PostgreSQL run, kept in its database
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/egov_bench_digitization"
    else:
        os.environ["DATABASE_URL"] = prepare(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    os.environ["EGOV_VAR_DIR"] = tempfile.mkdtemp()
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    built = earlier() if args.measure_only else build(args.papers, args.mine)
    timings = measure(built, args.rounds)
    result = {
        "database": args.database,
        "papers": built.get("papers", args.papers),
        "citizens": built["citizens"],
        "mine": args.mine,
        "built_s": built["built_s"],
        **timings,
        "ocr": ocr_rate(args.ocr_pages),
        "target_p95_ms": TARGET_MS,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    print(f"{result['papers']} papers, {built['citizens']} citizens, {args.mine} of them one's:")
    for name in ("store", "offer"):
        row = timings[name]
        print(f"  {name:6} median {row['median_ms']:7.2f} ms  p95 {row['p95_ms']:7.2f} ms")
    print(f"  OCR    {result['ocr']}")
    out = ROOT / "var" / "bench" / f"digitization-{args.database}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
