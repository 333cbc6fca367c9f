"""pgbench scripts: the database work of each scenario done directly in SQL, the physical limit
that the platform's figures are compared with.

They mirror the statements the ORM sends (captured with CaptureQueriesContext on one request of
each kind): the submission script does in one transaction what the four API calls of one
submission write, audit records included; the tracking script is the look-up by code and its
history; the queue script is the work-queue query of each tab and the searches. Random choices
come from `bench_pick_*` tables that bench/city.py fills from the generated data.
"""

import datetime

SUBMISSION = """\
\\set pick random(1, :agencies)
\\set citizen random(1, :citizens)
SELECT agency_id, version_id, procedure_id FROM bench_pick_agency WHERE n = :pick \\gset
SELECT user_id FROM bench_pick_citizen WHERE n = :citizen \\gset
BEGIN;
INSERT INTO dossiers_dossier (public_id, province_code, procedure_id, procedure_version_id,
  receiving_agency_id, applicant_id, applicant_name, applicant_search, channel, status, form_data,
  result_delivery, delivery_address, idempotency_key, created_at, updated_at, revision,
  "current_role", visible_agencies)
VALUES (gen_random_uuid(), '92', :procedure_id, :version_id, :agency_id, :user_id, '', '',
  'online', 'draft', '{answers}'::jsonb, 'online', '', 'raw-' || gen_random_uuid(), now(),
  now(), 1, '', ARRAY[:agency_id]::bigint[])
RETURNING id AS dossier_id \\gset
{audit}
{attachments}
INSERT INTO dossiers_dailysequence (agency_id, day, last) VALUES (:agency_id, current_date, 1)
  ON CONFLICT (agency_id, day) DO UPDATE SET last = dossiers_dailysequence.last + 1
  RETURNING last \\gset
UPDATE dossiers_dossier SET code = 'RAW-' || :dossier_id || '-' || :last, status = 'submitted',
  submitted_at = now(), due_at = now() + interval '1 day', applicant_name = 'Nguyễn Văn An',
  applicant_search = 'nguyen van an', revision = revision + 1, updated_at = now()
  WHERE id = :dossier_id;
INSERT INTO dossiers_dossierevent (dossier_id, province_code, at, status, note)
  VALUES (:dossier_id, '92', now(), 'submitted', '');
{audit}
END;
"""

ATTACHMENT = """\
INSERT INTO dossiers_attachment (dossier_id, province_code, requirement_id, kind, file,
  original_name, extension, mime, size, sha256, uploaded_at)
VALUES (:dossier_id, '92', {requirement}, 'submission', 'dossiers/raw/' || :dossier_id || '.pdf',
  'giay-to.pdf', 'pdf', 'application/pdf', {size}, md5(random()::text) || md5(random()::text),
  now());
{audit}"""

# One record of the hash-chained audit trail: the head of the agency's chain (or of the chain the
# transaction appends to already) is locked, the record inserted with the next number, the head
# moved on (egov.core.audit.record). bench/city.py writes the heads of the agencies it picks.
AUDIT = """\
SELECT chain, last_seq + 1 AS seq, last_hash, set_config('egov.audit_chain', chain::text, true)
  FROM core_auditchainhead
 WHERE chain = coalesce(nullif(current_setting('egov.audit_chain', true), '')::bigint, :agency_id)
   FOR UPDATE \\gset
INSERT INTO core_auditevent (chain, seq, occurred_at, actor_id, actor_label, action, object_type,
  object_id, object_repr, agency_id, before, after, request_id, prev_hash, hash)
VALUES (:chain, :seq, now(), :user_id, 'cd', 'dossiers.raw', 'dossiers.dossier', :dossier_id, '',
  :agency_id, NULL, '{"status": "draft"}', '', ':last_hash',
  md5(random()::text) || md5(random()::text)) RETURNING hash AS new_hash \\gset
UPDATE core_auditchainhead SET last_seq = :seq, last_hash = ':new_hash' WHERE chain = :chain;"""

TRACKING = """\
\\set n random(1, :codes)
SELECT d.id AS dossier_id, d.code, v.name, a.name, d.status, d.submitted_at, d.due_at
  FROM dossiers_dossier d
  JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
  JOIN organizations_agency a ON a.id = d.receiving_agency_id
 WHERE d.code = (SELECT code FROM bench_pick_code WHERE n = :n) AND d.status <> 'draft'
 ORDER BY d.created_at DESC LIMIT 1 \\gset
SELECT at, status FROM dossiers_dossierevent WHERE dossier_id = :dossier_id ORDER BY at, id;
"""

OPEN = "('received', 'in_progress', 'result_ready')"
COLUMNS = (
    "d.id, d.public_id, d.code, d.status, d.channel, d.submitted_at, d.due_at, d.step_due_at, "
    "d.applicant_name, v.name"
)
FROM = "FROM dossiers_dossier d JOIN catalog_procedureversion v ON v.id = d.procedure_version_id"
# The work queues as docs/backoffice describes them: one indexed query on the dossier's current
# position, a page of 50 sorted by deadline, and the count for the tab's badge.
QUEUES = {
    "receive": "d.status = 'submitted' AND d.receiving_agency_id = :agency",
    "assign": f"d.status IN {OPEN} AND d.current_agency_id = :agency "
    "AND d.current_role = 'specialist' AND d.assignee_id IS NULL",
    "process": f"d.status IN {OPEN} AND d.current_agency_id = :agency "
    "AND d.current_role = 'specialist' AND (d.assignee_id IS NULL OR d.assignee_id = :user)",
    "approve": f"d.status IN {OPEN} AND d.current_agency_id = :agency "
    "AND d.current_role IN ('approver', 'leader')",
    "return": "d.status = 'result_ready' AND d.current_agency_id = :agency "
    "AND d.current_role = 'desk_officer'",
    "overdue": f"d.status IN {OPEN} AND d.current_agency_id = :agency AND d.due_at < now()",
}
# Search as an officer types it: a dossier code, a 12-digit CCCD or a phone number is looked up
# through its own unique index; a name by its words under the agency, through the name keys'
# index, with the tsquery the desk's search builds (worklists.name_keys_query, written into
# bench_pick_query). Each within the dossiers the agency may open (Dossier.visible_agencies).
SCOPE = "d.status <> 'draft' AND d.visible_agencies && ARRAY[:agency]::bigint[]"
SEARCHES = {
    "code": "d.code = ':q'",
    "cccd": "d.applicant_id IN (SELECT id FROM accounts_user WHERE citizen_id = ':q')",
    "phone": "d.applicant_id IN (SELECT id FROM accounts_user WHERE phone = ':q')",
    "name": "egov_name_keys(d.visible_agencies, d.applicant_search) @@ ':q'::tsquery",
}


def submission(requirements: list[int], size: int, answers: str) -> str:
    attachments = "\n".join(
        ATTACHMENT.format(requirement=r, size=size, audit=AUDIT) for r in requirements
    )
    return SUBMISSION.format(audit=AUDIT, attachments=attachments, answers=answers)


def queue(tab: str) -> str:
    where = QUEUES[tab]
    # pgbench scripts built from the constants above, never from input.
    return (
        f"SELECT {COLUMNS} {FROM} WHERE {where} ORDER BY d.due_at, d.id LIMIT 50;\n"  # noqa: S608
        f"SELECT count(*) FROM dossiers_dossier d WHERE {where};\n"
    )


def search(kind: str) -> str:
    return (
        f"\\set n random(1, :{kind}_queries)\n"
        f"SELECT q FROM bench_pick_query WHERE kind = '{kind}' AND n = :n \\gset\n"
        f"SELECT {COLUMNS} {FROM} WHERE {SCOPE} AND {SEARCHES[kind]} "
        "ORDER BY d.submitted_at DESC LIMIT 50;\n"
    )


REPORT_METRICS = (
    "received_online, received_desk, received_post, fees_due, paid_online, came_by_post, "
    "digitised, resolved_early, resolved_on_time, resolved_late, refused, withdrawn, apologies, "
    "opened, closed, overdue_opened, overdue_closed, sent_by_post, sent_by_post_both_ways"
)


def report(year: int, today: datetime.date | None = None) -> str:
    """The city-wide report of a year as figures.report reads it: the year's month rows by
    online mode and level, and the open and overdue stocks at its end and before it. The
    current year ends ``today``: its whole months come from the month rows, the days of this
    month from the day rows (a month ending today counts as whole)."""
    sums = ", ".join(f"sum({name.strip()})" for name in REPORT_METRICS.split(","))
    stocks = "sum(opened) - sum(closed), sum(overdue_opened) - sum(overdue_closed)"
    end = datetime.date(year, 12, 31) if today is None or today.year > year else today
    following = end + datetime.timedelta(days=1)
    # The last whole month: the one before end's month, or end's own when end is its last day.
    last = (following if following.day == 1 else end.replace(day=1)) - datetime.timedelta(days=1)
    last = last.replace(day=1)
    days = "" if following.day == 1 else f"day BETWEEN '{end.replace(day=1)}' AND '{end}'"
    script = []
    if last.year == year:
        script.append(
            f"SELECT online_mode, legacy_level, {sums} FROM reports_monthtally "  # noqa: S608
            f"WHERE month BETWEEN '{year}-01-01' AND '{last}' GROUP BY online_mode, legacy_level;"
        )
    if days:
        script.append(
            f"SELECT online_mode, legacy_level, {sums} FROM reports_daytally "  # noqa: S608
            f"WHERE {days} GROUP BY online_mode, legacy_level;"
        )
    script.append(f"SELECT {stocks} FROM reports_monthtally WHERE month <= '{last}';")  # noqa: S608
    if days:
        script.append(f"SELECT {stocks} FROM reports_daytally WHERE {days};")  # noqa: S608
    before = f"SELECT {stocks} FROM reports_monthtally WHERE month <= '{year - 1}-12-01';"  # noqa: S608
    script.append(before)
    return "\n".join(script) + "\n"
