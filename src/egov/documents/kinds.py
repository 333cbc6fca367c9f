"""The fixed vocabularies of official documents (văn bản): the types and abbreviations of Nghị
định 30/2020/NĐ-CP, Phụ lục III, urgency and secrecy marks, and the status codes of
QCVN 102:2016/BTTTT that travel between agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentType(models.TextChoices):
    """Administrative document types (Phụ lục III, Nghị định 30/2020); the value is the
    abbreviation written in the notation (ký hiệu), except the letter (công văn), which has none."""

    RESOLUTION = "NQ", _("Resolution (Nghị quyết)")
    DECISION = "QĐ", _("Decision (Quyết định)")
    DIRECTIVE = "CT", _("Directive (Chỉ thị)")
    REGULATION = "QC", _("Regulation (Quy chế)")
    RULE = "QyĐ", _("Rule (Quy định)")
    COMMUNIQUE = "TC", _("Communiqué (Thông cáo)")
    NOTICE = "TB", _("Notice (Thông báo)")
    GUIDANCE = "HD", _("Guidance (Hướng dẫn)")
    PROGRAMME = "CTr", _("Programme (Chương trình)")
    PLAN = "KH", _("Plan (Kế hoạch)")
    OPTION = "PA", _("Option (Phương án)")
    SCHEME = "ĐA", _("Scheme (Đề án)")
    PROJECT = "DA", _("Project (Dự án)")
    REPORT = "BC", _("Report (Báo cáo)")
    MINUTES = "BB", _("Minutes (Biên bản)")
    SUBMISSION = "TTr", _("Submission (Tờ trình)")
    CONTRACT = "HĐ", _("Contract (Hợp đồng)")
    OFFICIAL_TELEGRAM = "CĐ", _("Official telegram (Công điện)")
    MEMORANDUM = "BGN", _("Memorandum (Bản ghi nhớ)")
    AGREEMENT = "BTT", _("Agreement (Bản thỏa thuận)")
    AUTHORISATION = "GUQ", _("Letter of authorisation (Giấy ủy quyền)")
    INVITATION = "GM", _("Invitation (Giấy mời)")
    INTRODUCTION = "GGT", _("Letter of introduction (Giấy giới thiệu)")
    LEAVE = "GNP", _("Leave permit (Giấy nghỉ phép)")
    DISPATCH_NOTE = "PG", _("Dispatch note (Phiếu gửi)")
    TRANSFER_NOTE = "PC", _("Transfer note (Phiếu chuyển)")
    ADVICE_NOTE = "PB", _("Advice note (Phiếu báo)")
    LETTER = "CV", _("Official letter (Công văn)")


# The Vietnamese name printed as the document's title, whatever the page language.
TYPE_TITLES = {
    "NQ": "NGHỊ QUYẾT",
    "QĐ": "QUYẾT ĐỊNH",
    "CT": "CHỈ THỊ",
    "QC": "QUY CHẾ",
    "QyĐ": "QUY ĐỊNH",
    "TC": "THÔNG CÁO",
    "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN",
    "CTr": "CHƯƠNG TRÌNH",
    "KH": "KẾ HOẠCH",
    "PA": "PHƯƠNG ÁN",
    "ĐA": "ĐỀ ÁN",
    "DA": "DỰ ÁN",
    "BC": "BÁO CÁO",
    "BB": "BIÊN BẢN",
    "TTr": "TỜ TRÌNH",
    "HĐ": "HỢP ĐỒNG",
    "CĐ": "CÔNG ĐIỆN",
    "BGN": "BẢN GHI NHỚ",
    "BTT": "BẢN THỎA THUẬN",
    "GUQ": "GIẤY ỦY QUYỀN",
    "GM": "GIẤY MỜI",
    "GGT": "GIẤY GIỚI THIỆU",
    "GNP": "GIẤY NGHỈ PHÉP",
    "PG": "PHIẾU GỬI",
    "PC": "PHIẾU CHUYỂN",
    "PB": "PHIẾU BÁO",
    "CV": "CÔNG VĂN",
}
# Names as edXML carries them (DocumentType/TypeName), in Vietnamese with ordinary case.
TYPE_NAMES = {code: title.capitalize() for code, title in TYPE_TITLES.items()}
TYPE_NAMES.update({"CV": "Công văn", "QyĐ": "Quy định", "CTr": "Chương trình"})


class Urgency(models.TextChoices):
    """Mức độ khẩn (Nghị định 30/2020, Điều 8 Phụ lục I); the number is edXML's Priority."""

    NORMAL = "0", _("Normal")
    URGENT = "1", _("Urgent (Khẩn)")
    VERY_URGENT = "2", _("Very urgent (Thượng khẩn)")
    EXPRESS = "3", _("Express (Hỏa tốc)")


URGENCY_MARKS = {"0": "", "1": "KHẨN", "2": "THƯỢNG KHẨN", "3": "HỎA TỐC"}


class Secrecy(models.TextChoices):
    """Độ mật: asked on every form so that a secret document is refused, never stored."""

    NONE = "", _("Not secret")
    CONFIDENTIAL = "mat", _("Confidential (Mật)")
    SECRET = "toi_mat", _("Secret (Tối mật)")
    TOP_SECRET = "tuyet_mat", _("Top secret (Tuyệt mật)")


class Status(models.TextChoices):
    """Status codes of QCVN 102:2016 status messages (thông điệp trạng thái)."""

    ARRIVED = "01", _("Arrived")
    REFUSED = "02", pgettext_lazy("documents", "Refused")
    ACCEPTED = "03", _("Accepted and registered")
    WAITING_ASSIGNMENT = "04", _("Waiting for assignment")
    ASSIGNED = "05", _("Assigned, being handled")
    DONE = "06", _("Handled")
    REVOKED = "13", _("Revoked by the sender")
    REVOCATION_AGREED = "15", _("Revocation agreed")
    REVOCATION_REFUSED = "16", _("Revocation refused")


# What each code says in the status message's Description (always Vietnamese: it travels).
STATUS_DESCRIPTIONS = {
    "01": "Đã đến - Phần mềm quản lý văn bản đã nhận nhưng văn thư chưa xử lý",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận - Văn thư đã đăng ký vào sổ văn bản đến",
    "04": "Chờ phân công xử lý",
    "05": "Đã phân công - Đang xử lý",
    "06": "Đã hoàn thành xử lý",
    "13": "Thu hồi văn bản",
    "15": "Đồng ý thu hồi",
    "16": "Từ chối thu hồi",
}


class Business(models.TextChoices):
    """edXML's BussinessDocType: what a package does to the document it names."""

    NEW = "0", _("New document")
    REVOKE = "1", _("Revocation")
    UPDATE = "2", _("Update")
    REPLACE = "3", _("Replacement")
