"""Vietnamese personal names with realistic frequencies, for generated citizens."""

import itertools

# Family names by approximate share of the population.
FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Hoàng", 3),
    ("Phan", 4.5),
    ("Võ", 3.9),
    ("Vũ", 2),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Trương", 1),
    ("Lâm", 0.6),
    ("Đinh", 0.6),
    ("Mai", 0.5),
    ("Tô", 0.3),
    ("Châu", 0.3),
]
MIDDLE_MALE = ["Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Hoàng", "Công", "Ngọc", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Hồng", "Phương", "Minh"]
GIVEN_MALE = [
    "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy",
    "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Luân", "Minh", "Nam", "Nghĩa",
    "Nhân", "Phát", "Phong", "Phúc", "Quang", "Quân", "Sang", "Sơn", "Tài", "Tâm", "Thắng",
    "Thành", "Thiện", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
]  # fmt: skip
GIVEN_FEMALE = [
    "An", "Anh", "Châu", "Diễm", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung",
    "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thủy", "Thư", "Tiên", "Trang", "Trâm",
    "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến",
]  # fmt: skip


def full_name(rng, female: bool) -> str:
    family = rng.choices(FAMILY_NAMES, cum_weights=FAMILY_CUMULATIVE)[0]
    if female:
        return f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
    return f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"


FAMILY_NAMES = [name for name, _ in FAMILY]
FAMILY_CUMULATIVE = list(itertools.accumulate(share for _, share in FAMILY))
