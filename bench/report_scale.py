"""The yearly statistics report at the volume of a 20-million-dossier city (docs/performance.md).

    .venv/bin/python bench/report_scale.py --dossiers-per-year 20000000 --years 3

A report never reads dossiers: it sums the tallies (reports.DayTally and MonthTally), whose
size depends on the number of agencies, on the combinations of field, online mode and legacy
level each of them handles, and on the number of days, not on the number of dossiers (a
city of 20 million dossiers a year has every combination busy every day, which is the most rows
a tally can have). So instead of generating 20 million dossiers (≈73 GiB, 2½ hours here), this
fills the tallies of the demo city (bench/generate.py's template, with fields added up to
--fields) at that density with COPY: every agency with --combinations-per-commune or
--combinations-per-agency combinations, every day of --years, the day's received dossiers drawn
so that a year sums to --dossiers-per-year and the other figures derived from them in fixed
proportions; month rows are the sums of their days. Reproducible from --seed.

It then times, in this process (no HTTP, so the figure is the report's own work), each over
--runs runs: the city-wide report of the last complete year, of the current year up to today
(edge days read from the daily tallies), one agency's year, and the per-agency drill-down; and
the API answer of the city-wide year through Django's test client (view and JSON included).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench import generate  # noqa: E402

# Share of the day's received dossiers, in thousandths, for each derived figure.
PROPORTIONS = {
    "received_online": 600,
    "received_desk": 370,
    "received_post": 30,
    "fees_due": 400,
    "paid_online": 250,
    "came_by_post": 30,
    "digitised": 900,
    "resolved_early": 700,
    "resolved_on_time": 180,
    "resolved_late": 70,
    "refused": 30,
    "withdrawn": 10,
    "apologies": 10,
    "opened": 1000,
    "closed": 990,
    "overdue_opened": 75,
    "overdue_closed": 70,
    "sent_by_post": 30,
    "sent_by_post_both_ways": 10,
    "stored": 500,
    "reusing": 200,
    "certified_copies": 50,
    "resolved_electronic": 800,
    "resolved_unhappy": 80,
    "returned": 940,
    "synced": 990,
}


def combinations(agencies, fields, per_commune: int, per_agency: int, rng: random.Random):
    """(agency, field, mode, level) handled by each agency."""
    from egov.organizations.models import Agency

    pairs = [("full", 4), ("partial", 3), ("partial", 4), ("none", 2)]
    result = []
    for agency_id, kind in agencies:
        wanted = per_commune if kind == Agency.Kind.PEOPLES_COMMITTEE else per_agency
        chosen = set()
        while len(chosen) < min(wanted, len(fields) * len(pairs)):
            chosen.add((rng.choice(fields), *rng.choice(pairs)))
        result += [(agency_id, *combo) for combo in sorted(chosen)]
    return result


def day_rows(combos, first: datetime.date, days: int, per_year: int, province: str, seed: int):
    """Yields (day, key, metrics) for every day and combination, and keeps month sums."""
    from egov.reports.models import Tally

    # In the tallies' column order: the COPY below names Tally.METRICS (a KeyError here names
    # a count added to the tallies that this generator does not fill yet).
    METRICS = Tally.METRICS
    rng = random.Random(seed)
    mean = per_year / 365.25 / len(combos)
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        weekend = day.weekday() >= 5
        for agency_id, field_id, mode, level in combos:
            received = int(rng.random() * 2 * mean * (0.25 if weekend else 1.3) + 0.5)
            metrics = [received * PROPORTIONS[name] // 1000 for name in METRICS]
            metrics[0] = received - metrics[1] - metrics[2]  # the channels add up to it
            yield day, (province, agency_id, field_id, mode, level), metrics


def fill(connection, combos, first, days, per_year, province, seed) -> dict:
    """COPY the day rows and their month sums; returns the row counts and dossiers a year."""
    from egov.reports.models import DayTally, MonthTally, Tally

    columns = ", ".join([*Tally.KEY, *Tally.METRICS])
    months: dict[tuple, list[int]] = {}
    rows = 0
    received = 0
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {DayTally._meta.db_table} (day, {columns}) FROM STDIN") as copy:
            for day, key, metrics in day_rows(combos, first, days, per_year, province, seed):
                copy.write_row((day, *key, *metrics))
                month = months.setdefault((day.replace(day=1), key), [0] * len(metrics))
                for index, value in enumerate(metrics):
                    month[index] += value
                rows += 1
                received += metrics[0] + metrics[1] + metrics[2]
        table = MonthTally._meta.db_table
        with cursor.copy(f"COPY {table} (month, {columns}) FROM STDIN") as copy:
            for (month, key), metrics in months.items():
                copy.write_row((month, *key, *metrics))
    return {
        "day_rows": rows,
        "month_rows": len(months),
        "received_per_year": round(received / days * 365.25),
    }


def timed(function, runs: int) -> dict:
    function()  # warm the caches and the plan, as a repeated report would find them
    laps = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        laps.append((time.perf_counter() - started) * 1000)
    laps.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(laps), 1),
        "p95_ms": round(laps[max(0, round(0.95 * runs) - 1)], 1),
        "max_ms": round(laps[-1], 1),
    }


def measure(runs: int, today: datetime.date) -> dict:
    from django.test import Client

    from egov.organizations.models import Agency
    from egov.reports import figures

    last_year = (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
    this_year = (datetime.date(today.year, 1, 1), today)
    busiest = Agency.objects.filter(kind=Agency.Kind.DEPARTMENT).order_by("code").first()
    agency = figures.Scope(agency=busiest)
    client = Client()
    api_path = f"/api/v1/reports/yearly?year={today.year - 1}"

    def api():
        response = client.get(api_path)
        assert response.status_code == 200, response.content[:300]

    return {
        "city_last_year": timed(lambda: figures.report(*last_year), runs),
        "city_this_year_to_date": timed(lambda: figures.report(*this_year), runs),
        "agency_last_year": timed(lambda: figures.report(*last_year, agency), runs),
        "drill_down_last_year": timed(lambda: figures.by_agency(*last_year), runs),
        "api_city_last_year": timed(api, runs),
        "check": figures.report(*last_year).received,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="egov_bench_report")
    parser.add_argument("--dossiers-per-year", type=int, default=20_000_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--fields", type=int, default=60)
    parser.add_argument("--combinations-per-commune", type=int, default=40)
    parser.add_argument("--combinations-per-agency", type=int, default=60)
    parser.add_argument("--today", help="ISO date; default: today")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    args = parser.parse_args()

    import psycopg

    url = (
        f"{generate.SERVER}/{args.database}"
        if args.reuse
        else generate.create_database(args.database)
    )
    generate.setup_django(url)
    from django.conf import settings
    from django.utils import timezone

    from egov.catalog.models import Field
    from egov.organizations.models import Agency

    today = datetime.date.fromisoformat(args.today) if args.today else timezone.localdate()
    result = {"benchmark": "yearly statistics report", "database": args.database}
    if not args.reuse:
        for number in range(Field.objects.count(), args.fields):
            Field.objects.create(code=f"bench-{number}", name=f"Lĩnh vực {number}")
        rng = random.Random(args.seed)
        combos = combinations(
            list(Agency.objects.order_by("pk").values_list("pk", "kind")),
            list(Field.objects.order_by("pk").values_list("pk", flat=True)),
            args.combinations_per_commune,
            args.combinations_per_agency,
            rng,
        )
        first = datetime.date(today.year - args.years + 1, 1, 1)
        days = (today - first).days + 1
        started = time.perf_counter()
        with psycopg.connect(url) as connection:
            loaded = fill(
                connection,
                combos,
                first,
                days,
                args.dossiers_per_year,
                settings.EGOV_PROVINCE_CODE,
                args.seed,
            )
            connection.commit()
            connection.autocommit = True
            connection.execute("VACUUM (ANALYZE)")
        result["load"] = {
            **loaded,
            "combinations": len(combos),
            "days": days,
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(result["load"]), flush=True)
    result["timings"] = measure(args.runs, today)
    result["machine"] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    for name, figure in result["timings"].items():
        if "p50_ms" in figure:
            print(
                f"{name:<26} p50 {figure['p50_ms']:>7} ms  p95 {figure['p95_ms']:>7} ms  "
                f"max {figure['max_ms']:>7} ms"
            )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"report-scale-{args.dossiers_per_year}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
