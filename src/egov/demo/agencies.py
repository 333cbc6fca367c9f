"""The demo city's agencies: Cần Thơ's People's Committee, its departments and sector agencies,
the Public Administration Service Centre, sub-departments, the former district People's
Committees and the commune-level People's Committees since 2025-07-01.

Codes follow the QCVN 102:2016 form; those of departments are the usual pattern, those of the
commune People's Committees are illustrative (the demo needs more than the 99 values of one
level), not the official list.
"""

PROVINCE = ("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", "ubnd", "92")

DEPARTMENTS = [
    ("01", "Văn phòng Ủy ban nhân dân thành phố", "phong"),
    ("02", "Sở Nội vụ", "so"),
    ("03", "Sở Tư pháp", "so"),
    ("04", "Sở Tài chính", "so"),
    ("05", "Sở Công Thương", "so"),
    ("06", "Sở Nông nghiệp và Môi trường", "so"),
    ("07", "Sở Xây dựng", "so"),
    ("08", "Sở Khoa học và Công nghệ", "so"),
    ("09", "Sở Giáo dục và Đào tạo", "so"),
    ("10", "Sở Y tế", "so"),
    ("11", "Sở Văn hóa, Thể thao và Du lịch", "so"),
    ("12", "Sở Dân tộc và Tôn giáo", "so"),
    ("13", "Thanh tra thành phố", "nganh"),
    ("14", "Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ", "ban"),
    ("15", "Công an thành phố Cần Thơ", "nganh"),
    ("16", "Bảo hiểm xã hội thành phố Cần Thơ", "nganh"),
    ("17", "Thuế thành phố Cần Thơ", "nganh"),
    ("18", "Kho bạc Nhà nước khu vực XIX", "nganh"),
    ("19", "Ban Quản lý dự án đầu tư xây dựng thành phố", "ban"),
    ("20", "Sở Ngoại vụ", "so"),
    ("21", "Ban Dân tộc", "ban"),
    ("22", "Sở Thông tin và Truyền thông", "so"),
    ("30", "Trung tâm Phục vụ hành chính công thành phố Cần Thơ", "tt_pvhcc"),
]
# Departments that joined others on 2025-03-01 (Nghị quyết of the city People's Council).
ENDED_2025_03 = {"21", "22"}

SUB_DEPARTMENTS = [
    ("000.01.06.H13", "06", "Chi cục Thủy lợi", "chi_cuc"),
    ("000.02.06.H13", "06", "Chi cục Chăn nuôi, Thú y và Thủy sản", "chi_cuc"),
    ("000.01.10.H13", "10", "Chi cục Dân số", "chi_cuc"),
    ("000.01.03.H13", "03", "Trung tâm Trợ giúp pháp lý nhà nước", "su_nghiep"),
    ("000.02.03.H13", "03", "Phòng Hành chính tư pháp", "phong"),
    ("000.01.02.H13", "02", "Ban Thi đua – Khen thưởng", "ban"),
]

# The nine districts of the three-tier city, until 2025-06-30.
DISTRICTS = [
    ("41", "916"),
    ("42", "917"),
    ("43", "918"),
    ("44", "919"),
    ("45", "923"),
    ("46", "924"),
    ("47", "925"),
    ("48", "926"),
    ("49", "927"),
]
