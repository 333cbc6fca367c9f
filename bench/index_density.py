"""Fills a generated city's database, on PostgreSQL and in SQL only, with what the QĐ 766 index
and the operations dashboard read at the density of N dossiers a year, without generating N
dossiers (bench/generate.py needs hours for 20 million). Used by bench/indicators.py
(``--density``); docs/index.md.

- The statistics' tallies (`reports_daytally`, `reports_monthtally`) of the last year and a
  half, day by day: combinations of agency, field, online mode and level (half of a commune
  committee's or one-stop centre's possible combinations, 30 % of a department's, 10 % of the
  other agencies') receive dossiers with a skewed (Zipf-like) share of N a year; each day's
  counts are drawn around that share (their sum is N a year on average), and the other metrics
  (channel, fees, digitisation, reuse, certified copies, resolutions, opened and closed) as
  fixed shares of them. The months are the sums of their days, and the tallies by agency and
  online mode the sums of those. These replace the tallies the generated dossiers had (the
  dossier rows no longer add up to them: ``check_reports`` would say so).
- Open dossiers (``--open``, a few hundred thousand): copies of the generated open dossiers,
  held by the same agencies, with appointments spread from three days ago to twenty days
  ahead; and the dossiers returned today (N / 365 × 0.8), copies of returned ones.
- Payments: an order for each copied dossier, the day's payments (N / 365 × 0.5, 60 % online)
  and thirty days of earlier ones.
- Citizen reports: N / 100 a year, half of the last ten days' still open (``feedback_report``).
"""

import datetime

COPY_DOSSIER = """
CREATE TEMP TABLE bench_src AS
SELECT * FROM dossiers_dossier WHERE {where} ORDER BY id LIMIT 2000;
INSERT INTO dossiers_dossier ({columns})
SELECT {expressions}
  FROM bench_src src
 CROSS JOIN generate_series(1, {copies}) AS g(bench_n)
 LIMIT {count};
DROP TABLE bench_src;
"""

KEYS = """
DROP TABLE IF EXISTS bench_keys;
CREATE TABLE bench_keys AS
SELECT a.id AS agency_id, f.id AS field_id, m.mode AS online_mode, l.level,
       1.0 / power(row_number() OVER (ORDER BY random()), 0.7) AS weight
  FROM organizations_agency a
 CROSS JOIN catalog_field f
 CROSS JOIN (VALUES ('full'), ('partial')) AS m(mode)
 CROSS JOIN (VALUES (3), (4)) AS l(level)
 WHERE random() < CASE WHEN a.kind IN ('ubnd', 'tt_pvhcc_xa') THEN 0.5
                       WHEN a.kind IN ('so', 'ban', 'nganh', 'tt_pvhcc') THEN 0.3
                       ELSE 0.1 END;
"""

DAYS = """
DELETE FROM reports_daytally;
DELETE FROM reports_monthtally;
DELETE FROM reports_agencydaytally;
DELETE FROM reports_agencymonthtally;
CREATE TEMP TABLE bench_days AS
SELECT d.day, k.agency_id, k.field_id, k.online_mode, k.level,
       floor(%(per_day)s * k.weight / t.total * (0.5 + random()) + random())::int AS n
  FROM bench_keys k
 CROSS JOIN (SELECT sum(weight) AS total FROM bench_keys) t
 CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d(day);
DELETE FROM bench_days WHERE n = 0;
INSERT INTO reports_daytally (
    day, province_code, agency_id, field_id, online_mode, legacy_level,
    received_online, received_desk, received_post, fees_due, paid_online, came_by_post,
    digitised, resolved_early, resolved_on_time, resolved_late, refused, withdrawn, apologies,
    opened, closed, overdue_opened, overdue_closed, sent_by_post, sent_by_post_both_ways,
    stored, reusing, certified_copies, resolved_electronic, resolved_unhappy, synced)
SELECT day, %(province)s, agency_id, field_id, online_mode, level,
       online, n - online - post, post,
       floor(n * 0.6 + random()), floor(n * 0.35 + random()), post,
       floor(n * 0.8 + random()),
       floor(n * 0.38 + random()), floor(n * 0.5 + random()), floor(n * 0.07 + random()),
       floor(n * 0.02 + random()), floor(n * 0.01 + random()), floor(n * 0.01 + random()),
       n, closed, floor(n * 0.05 + random()), floor(n * 0.048 + random()),
       floor(n * 0.05 + random()), post,
       floor(n * 0.7 + random()), floor(n * 0.2 + random()), floor(n * 0.1 + random()),
       floor(n * 0.8 + random()), floor(n * 0.1 + random()), floor(n * 0.95 + random())
  FROM (SELECT *, floor(n * 0.45 + random())::int AS online,
               least(floor(n * 0.05 + random())::int, n - floor(n * 0.45)::int) AS post,
               floor(n * %(closing)s + random())::int AS closed
          FROM bench_days) d;
DROP TABLE bench_days;
-- Every result resolved is handed over the same day (the dashboard's "returned today").
UPDATE reports_daytally SET returned = resolved_early + resolved_on_time + resolved_late;
INSERT INTO reports_monthtally (
    month, province_code, agency_id, field_id, online_mode, legacy_level, {metrics})
SELECT date_trunc('month', day)::date, province_code, agency_id, field_id, online_mode,
       legacy_level, {sums}
  FROM reports_daytally
 GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO reports_agencydaytally (day, province_code, agency_id, online_mode, {metrics})
SELECT day, province_code, agency_id, online_mode, {sums}
  FROM reports_daytally
 GROUP BY 1, 2, 3, 4;
INSERT INTO reports_agencymonthtally (month, province_code, agency_id, online_mode, {metrics})
SELECT month, province_code, agency_id, online_mode, {sums}
  FROM reports_monthtally
 GROUP BY 1, 2, 3, 4;
"""

PAYMENTS = """
INSERT INTO payments_paymentorder (
    public_id, dossier_id, province_code, agency_id, amount, paid_amount, lines, status,
    assessed_at, paid_at)
SELECT gen_random_uuid(), d.id, d.province_code, coalesce(d.deciding_agency_id,
       d.receiving_agency_id), 200000, 200000, '[]', 'paid', now() - interval '31 days', NULL
  FROM dossiers_dossier d
 WHERE d.id > %(after)s AND NOT EXISTS (
       SELECT 1 FROM payments_paymentorder o WHERE o.dossier_id = d.id);
INSERT INTO payments_payment (
    public_id, order_id, province_code, amount, method, status, gateway, txn_ref,
    gateway_transaction_no, bank_code, response_code, counter_reference, gateway_data, paid_at,
    duplicate, receipt_number, receipt, created_at, expires_at)
SELECT gen_random_uuid(), o.id, o.province_code, 200000,
       CASE WHEN random() < 0.6 THEN 'online' ELSE 'cash' END, 'paid', 'vnpay',
       NULL, '', '', '00', '', '{}',
       CASE WHEN row_number() OVER (ORDER BY o.id) <= %(today)s
            THEN %(midnight)s::timestamptz + random() * (now() - %(midnight)s::timestamptz)
            ELSE %(midnight)s::timestamptz - random() * interval '30 days' END,
       false, NULL, '', now(), NULL
  FROM payments_paymentorder o
 WHERE o.dossier_id > %(after)s;
"""

REPORTS = """
INSERT INTO feedback_report (
    code, token, province_code, category_id, description, public_description, attributes, status,
    agency_id, latitude, longitude, cell, address, commune_id, place_source, contact_name,
    contact_email, contact_phone, source, device_id, media_url, received_at, due_at, answered_at,
    closed_at, answer, hidden_reason, reopen_count, rating_comment, updated_at,
    media_url_status, media_url_attempts, media_url_error)
SELECT 'PA-IDX-' || lpad(p.i::text, 9, '0'), gen_random_uuid(), %(province)s,
       (SELECT id FROM feedback_category ORDER BY id LIMIT 1),
       'Phản ánh tạo cho đo hiệu năng số ' || p.i, '', '{}',
       CASE WHEN p.open THEN 'in_progress' ELSE 'answered' END,
       a.id, NULL, NULL, NULL, '', a.unit_id, 'address', '', '', '', 'portal', '', '',
       p.received, p.received + interval '5 days',
       CASE WHEN NOT p.open THEN p.received + random() * interval '8 days' END,
       NULL, '', '', 0, '', p.received, '', 0, ''
  FROM (SELECT i, received, received > now() - interval '10 days' AND random() < 0.5 AS open,
               pick
          FROM (SELECT i, now() - random() * interval '365 days' AS received,
                       1 + floor(random() * %(agencies)s)::int AS pick
                  FROM generate_series(1, %(count)s) AS i) r) p
  JOIN (SELECT id, unit_id, row_number() OVER (ORDER BY id) AS n
          FROM organizations_agency) a ON a.n = p.pick;
"""


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall() if row[0] != "id"]


def _copy_dossiers(cursor, where: str, count: int, overrides: dict[str, str], tag: str) -> int:
    cursor.execute(f"SELECT count(*) FROM dossiers_dossier WHERE {where}")  # noqa: S608
    found = min(cursor.fetchone()[0], 2000)
    if not found or count <= 0:
        return 0
    columns = _columns(cursor, "dossiers_dossier")
    overrides = {
        "public_id": "gen_random_uuid()",
        "code": f"left(src.code, 20) || '-{tag}' || src.id || '-' || g.bench_n",
        "idempotency_key": "''",
        **overrides,
    }
    expressions = [overrides.get(name, f'src."{name}"') for name in columns]
    cursor.execute(
        COPY_DOSSIER.format(
            where=where,
            columns=", ".join(f'"{name}"' for name in columns),
            expressions=", ".join(expressions),
            copies=count // found + 1,
            count=count,
        )
    )
    return count


def load(per_year: int, open_dossiers: int, today: datetime.date, province: str) -> dict:
    """Replaces the tallies and adds the rows described above; returns what it wrote."""
    from django.db import connection, transaction

    from egov.dossiers import processing
    from egov.reports.models import Tally

    per_day = per_year / 365
    first = today - datetime.timedelta(days=540)
    written: dict = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(KEYS)
        cursor.execute("SELECT count(*) FROM bench_keys")
        written["tally_keys"] = cursor.fetchone()[0]
        metrics = ", ".join(Tally.METRICS)
        sums = ", ".join(f"sum({name})" for name in Tally.METRICS)
        cursor.execute(
            DAYS.format(metrics=metrics, sums=sums),
            {
                "per_day": per_day,
                "first": first,
                "last": today,
                "province": province,
                # Each day closes a little less than it opens: the stock of open dossiers
                # grows to about ``open_dossiers`` over the period.
                "closing": 1 - open_dossiers / (per_day * 541),
            },
        )
        for table in (
            "reports_daytally",
            "reports_monthtally",
            "reports_agencydaytally",
            "reports_agencymonthtally",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            written[table] = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
        after = cursor.fetchone()[0]
        statuses = ", ".join(f"'{status}'" for status in processing.OVERDUE_STATUSES)
        written["open_dossiers_added"] = _copy_dossiers(
            cursor,
            f"status IN ({statuses}) AND current_agency_id IS NOT NULL",
            open_dossiers,
            {"due_at": "now() + (random() * 23 - 3) * interval '1 day'"},
            "o",
        )
        midnight = datetime.datetime.combine(today, datetime.time.min).astimezone()
        written["returned_today_added"] = _copy_dossiers(
            cursor,
            "status = 'returned' AND returned_at IS NOT NULL",
            round(per_day * 0.8),
            {
                "returned_at": f"'{midnight.isoformat()}'::timestamptz "
                f"+ random() * (now() - '{midnight.isoformat()}'::timestamptz)"
            },
            "r",
        )
        cursor.execute(
            PAYMENTS,
            {"after": after, "today": round(per_day * 0.5), "midnight": midnight.isoformat()},
        )
        cursor.execute("SELECT count(*) FROM payments_payment")
        written["payments"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM organizations_agency")
        agencies = cursor.fetchone()[0]
        cursor.execute(
            REPORTS, {"province": province, "agencies": agencies, "count": per_year // 100}
        )
        written["citizen_reports_added"] = per_year // 100
        cursor.execute("DROP TABLE bench_keys")
    with connection.cursor() as cursor:
        for table in (
            "reports_daytally",
            "reports_monthtally",
            "reports_agencydaytally",
            "reports_agencymonthtally",
            "dossiers_dossier",
            "payments_paymentorder",
            "payments_payment",
            "feedback_report",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return written
