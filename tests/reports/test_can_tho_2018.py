"""The city's published table for the end of 2018, reproduced from generated dossiers through
the real recount (``rebuild_reports``), the report and its Excel sheet.

The published row reads: 762 services at levels 3+4 (38.4% of all procedures), 26,511 online
dossiers out of 100,556 (26.3%), 528 level-3 services (25.9%), 16,008 / 70,509 (22.7%), 254
level-4 services (12.5%), 10,503 / 30,047 (35%). Two of its figures do not follow from the
others: 528 + 254 services make 782, not 762 (782 is also what 38.4% of the 2,038 procedures
that 25.9% and 12.5% imply gives), and 26,511 / 100,556 is 26.36%, which rounds to 26.4%, not
26.3%. The platform computes, so it prints 782 and 26.4%.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils.translation import override
from openpyxl import load_workbook

from egov.catalog.models import Field, OnlineMode, Procedure, ProcedureVersion
from egov.dossiers.models import Channel, Dossier
from egov.reports import excel, figures, tables, tallies

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURES = 2038
LEVEL_3, LEVEL_4 = 528, 254
# (legacy level, dossiers received online, all dossiers received) in 2018
DOSSIERS = ((3, 16_008, 70_509), (4, 10_503, 30_047))


def _catalogue(agency):
    field = Field.objects.create(code="tong-hop", name="Tổng hợp")
    procedures = Procedure.objects.bulk_create(
        Procedure(code=f"1.{n:06d}", owner_agency=agency) for n in range(PROCEDURES)
    )
    levels = [3] * LEVEL_3 + [4] * LEVEL_4 + [2] * (PROCEDURES - LEVEL_3 - LEVEL_4)
    modes = {2: OnlineMode.NONE, 3: OnlineMode.PARTIAL, 4: OnlineMode.FULL}
    versions = ProcedureVersion.objects.bulk_create(
        ProcedureVersion(
            procedure=procedure,
            number=1,
            status=ProcedureVersion.Status.PUBLISHED,
            effective_from=datetime.date(2017, 1, 1),
            name=f"Thủ tục {procedure.code}",
            field=field,
            level="province",
            deciding_agency=agency,
            online_mode=modes[level],
            legacy_service_level=level,
            time_limit=5,
            time_unit="working_days",
        )
        for procedure, level in zip(procedures, levels, strict=True)
    )
    return {3: versions[0], 4: versions[LEVEL_3]}


def _dossiers(versions, agency, applicant):
    rows = []
    for level, online, total in DOSSIERS:
        version = versions[level]
        for n in range(total):
            received = datetime.datetime(2018, 1, 2, 9, tzinfo=ZONE) + datetime.timedelta(
                days=n % 360
            )
            rows.append(
                Dossier(
                    procedure_id=version.procedure_id,
                    procedure_version=version,
                    receiving_agency=agency,
                    deciding_agency=agency,
                    applicant=applicant,
                    channel=Channel.ONLINE if n < online else Channel.DESK,
                    status=Dossier.Status.RECEIVED,
                    submitted_at=received,
                    received_at=received,
                    due_at=received + datetime.timedelta(days=7),
                )
            )
    Dossier.objects.bulk_create(rows, batch_size=5000)


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="100,556 dossiers: reproduced on PostgreSQL, the production engine (CI's time); "
    "the tallies and figures are tested at small scale on SQLite in test_tallies.py",
)
def test_the_2018_online_services_table_is_reproduced(agencies, citizen):
    city = agencies["city"]
    _dossiers(_catalogue(city), city, citizen)
    assert tallies.rebuild() == 100_556
    year = (datetime.date(2018, 1, 1), datetime.date(2018, 12, 31))
    report = figures.report(*year)
    assert report.procedures["total"] == PROCEDURES
    assert report.received["total"] == 100_556 and report.received["online"] == 26_511
    with override("en"):
        assert tables.online_services_cells(report) == [
            "782 (38.4%)",
            "26,511 / 100,556 (26.4%)",
            "528 (25.9%)",
            "16,008 / 70,509 (22.7%)",
            "254 (12.5%)",
            "10,503 / 30,047 (35.0%)",
        ]
        table = tables.online_services([(tables.period_label(*year), report)])
        book = load_workbook(io.BytesIO(excel.workbook([table], ["Cần Thơ"])))
    sheet = book.active
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    # Period label over three header rows; each group over five columns, then its two parts.
    assert {"A4:A6", "B4:F4", "G4:K4", "L4:P4", "B5:C5", "D5:F5"} <= merged
    assert sheet["B4"].value == "Online services, levels 3 and 4"
    values = [cell.value for cell in sheet[7]]
    # The cells hold the exact shares; the number format shows the report's one decimal.
    shown = [round(v, 3) if isinstance(v, float) else v for v in values]
    assert shown == [
        "Year 2018",
        782, 0.384, 26_511, 100_556, 0.264,
        528, 0.259, 16_008, 70_509, 0.227,
        254, 0.125, 10_503, 30_047, 0.35,
    ]  # fmt: skip
    assert values[5] == 26_511 / 100_556 and values[10] == 16_008 / 70_509
    assert sheet["C7"].number_format == "0.0%" and sheet["D7"].number_format == "#,##0"
    assert tallies.differences() == []
