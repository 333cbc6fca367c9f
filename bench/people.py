"""Staff with their roles in every agency, and citizens, as PostgreSQL COPY text rows."""

import random

from bench.names import full_name

USER_COLUMNS = (
    "id, password, last_login, is_superuser, username, full_name, kind, email, "
    "email_verified_at, phone, phone_verified_at, citizen_id, date_of_birth, is_active, "
    "is_staff, date_joined, agency_id, address, address_street, identity_level"
)
ROLE_COLUMNS = "id, role, include_subtree, created_at, agency_id, user_id"
# People per agency for each role a dossier passes through.
STAFF_PER_AGENCY = (
    ("desk_officer", 2),
    ("specialist", 3),
    ("approver", 1),
    ("leader", 1),
    ("clerk", 1),
)
# Birth-registration province codes used in generated CCCD numbers (Cần Thơ, HCMC, neighbours).
BIRTH_PROVINCES = ("092", "079", "086", "087", "089", "091", "093", "094", "095", "096")
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "070", "076", "077", "079")
JOINED = "2023-01-02 08:00:00+07"


def staff_rows(agency_ids, *, first_user: int, first_role: int, password: str, rng):
    """One account per seat in STAFF_PER_AGENCY for each agency, and its role there."""
    users, roles = [], []
    user_id, role_id = first_user, first_role
    for agency in agency_ids:
        for role, count in STAFF_PER_AGENCY:
            for seat in range(count):
                name = full_name(rng, rng.random() < 0.55)
                users.append(
                    f"{user_id}\t{password}\t\\N\tf\tcb{agency}.{role}.{seat}\t{name}\tstaff\t"
                    f"\\N\t\\N\t\\N\t\\N\t\\N\t\\N\tt\tf\t{JOINED}\t{agency}\t\t\t0\n"
                )
                roles.append(f"{role_id}\t{role}\tf\t{JOINED}\t{agency}\t{user_id}\n")
                user_id += 1
                role_id += 1
    return users, roles


def citizen_id(rng: random.Random, index: int, born: int, female: bool) -> str:
    """A well-formed 12-digit CCCD, unique by construction: the last six digits and the
    province are derived from ``index`` (a bijection), the birth year is random."""
    century = (0 if born < 2000 else 2) + (1 if female else 0)
    serial, block = index % 1_000_000, index // 1_000_000
    province = BIRTH_PROVINCES[block % len(BIRTH_PROVINCES)]
    # Blocks beyond the province list take the other sex/century digit pairs.
    century += 4 * (block // len(BIRTH_PROVINCES))
    scrambled = (serial * 738_889 + 104_729) % 1_000_000  # 738889 is prime to 10**6
    return f"{province}{century}{born % 100:02d}{scrambled:06d}"


def citizen_rows(count: int, *, first_user: int, rng: random.Random):
    """Citizens with a name, a phone number and a CCCD (each unique), as users rows."""
    rows = []
    for index in range(count):
        female = rng.random() < 0.5
        born = rng.randint(1950, 2006)
        name = full_name(rng, female)
        phone = (index * 48_271 + 1_234_567) % 10_000_000  # 48271 is prime to 10**7
        number = f"{PHONE_PREFIXES[index % len(PHONE_PREFIXES)]}{phone:07d}"
        rows.append(
            f"{first_user + index}\t!\t\\N\tf\tcd{index:08d}\t{name}\tcitizen\t\\N\t\\N\t"
            f"{number}\t{JOINED}\t{citizen_id(rng, index, born, female)}\t"
            f"{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\tt\tf\t{JOINED}\t\\N\t\t"
            "\t0\n"
        )
    return rows
