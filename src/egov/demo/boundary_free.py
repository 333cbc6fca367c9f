"""The demo city's list of procedures received regardless of administrative boundary (tiếp
nhận không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP).

Kept here rather than in the catalogue's data file: the list is published by a decision of the
province, apart from the procedures' own texts. The decision's number is illustrative.
"""

from egov.catalog import services
from egov.catalog.models import Procedure

DECISION = "Quyết định số 1234/QĐ-UBND ngày 30/6/2025 của Chủ tịch UBND thành phố Cần Thơ"
# Civil status extracts and certifications, the judicial record and the driving licence: the
# usual first lists. Marriage registration (1.000894) and building permits stay at the
# commune of residence.
CODES = [
    "1.001193",  # Đăng ký khai sinh
    "1.000656",  # Đăng ký khai tử
    "2.000635",  # Cấp bản sao Trích lục hộ tịch
    "2.000815",  # Chứng thực bản sao từ bản chính
    "2.000884",  # Chứng thực chữ ký
    "3.000333",  # Cấp Phiếu Lý lịch tư pháp
    "3.000347",  # Đổi giấy phép lái xe
]


def load() -> int:
    """Lists the demo procedures once; returns how many were put on the list."""
    listed = 0
    for procedure in Procedure.objects.filter(code__in=CODES):
        version = services.version_for(procedure)
        if version is None or version.boundary_free:
            continue
        services.set_boundary_free(version, actor=None, listed=True, decision=DECISION)
        listed += 1
    return listed
