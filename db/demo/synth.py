"""A realistic synthetic commune register (Điện Biên border commune), for the demo and benches.

Households in named villages, names by ethnicity, year-only birth dates for many elderly, ID
numbers consistent with birth year and sex (province 011), and a share of residents who need a
home visit. Deterministic for a given seed. No real person is in it.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from db.idnumber import century_digit

PROVINCE = "011"
COMMUNE = "Nà Hỳ"
VILLAGES = (
    "Nà Hỳ 1", "Nà Hỳ 2", "Nà Hỳ 3", "Nậm Chim 1", "Nậm Chim 2", "Phi Lĩnh 1", "Phi Lĩnh 2",
    "Pú Đao", "Tân Phong", "Huổi Cơ Mông", "Trên Nương", "Đệ Tinh 1", "Đệ Tinh 2", "Nà Khoa",
    "Nậm Nhừ 1", "Nậm Nhừ 2", "Nậm Chua 1", "Nậm Chua 2", "Huổi Lụ", "Nậm Pồ",
)  # fmt: skip

# ethnicity: (weight, family names, male middle, female middle, male given, female given)
ETHNIC: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {  # noqa: E501
    "Mông": (
        48,
        ("Giàng", "Vàng", "Sùng", "Thào", "Lý", "Hạng", "Mùa", "Lầu", "Cứ", "Vừ", "Sính", "Tráng"),
        ("A",), ("Thị",),
        ("Sếnh", "Vàng", "Dủa", "Chứ", "Pó", "Lử", "Sình", "Tủa", "Páo", "Chống", "Dế", "Xá",
         "Pàng", "Chá", "Lềnh", "Súa", "Tếnh", "Vư", "Giống", "Nhè"),
        ("Mỷ", "Dợ", "Xo", "Mai", "Sua", "Chở", "Pà", "Ly", "Dúa", "Say", "Máy", "Xía", "Mỉ",
         "Chía", "Lầu", "Dinh"),
    ),
    "Thái": (
        24,
        ("Lò", "Lường", "Quàng", "Tòng", "Cà", "Lù", "Lềm", "Cầm", "Điêu", "Vì"),
        ("Văn",), ("Thị",),
        ("Đôi", "Xuân", "Thanh", "Ún", "Piếng", "Khánh", "Inh", "Lả", "Phong", "Chương", "Ngọc",
         "Hùng", "Đức", "Bun"),
        ("Hương", "Pọm", "Ươn", "Ngoan", "Xuân", "Thoa", "Lả", "Kim", "Hoa", "Ón", "Mai", "Nga"),
    ),
    "Kinh": (
        12,
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
         "Dương", "Lý"),
        ("Văn", "Đức", "Minh", "Quang", "Hữu"), ("Thị", "Thị", "Ngọc", "Thu"),
        ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hưng", "Khánh", "Long", "Nam", "Phúc",
         "Quân", "Sơn", "Thắng", "Tuấn", "Việt"),
        ("Anh", "Ánh", "Chi", "Dung", "Hà", "Hằng", "Hoà", "Lan", "Linh", "Loan", "Ngân", "Nhung",
         "Oanh", "Phương", "Thảo", "Thuỷ", "Tuyết", "Yến"),
    ),
    "Khơ Mú": (
        8,
        ("Lò", "Vi", "Cầm", "Quàng", "Lường"),
        ("Văn",), ("Thị",),
        ("Khăm", "Ín", "Pọm", "Xiêng", "Bun", "Thoong", "Phăn"),
        ("Ín", "Xuân", "Pọm", "Thiêm", "Ngoan", "Nuôi"),
    ),
    "Dao": (
        6,
        ("Bàn", "Triệu", "Chu", "Lý", "Đặng", "Chảo"),
        ("Văn", "Láo", "Seo"), ("Thị", "Mùi"),
        ("Phủ", "Tả", "Quẩy", "Sành", "Chòi", "Kiềm", "Lìn"),
        ("Mẩy", "Nái", "Chiêm", "Slì", "Mây"),
    ),
    "Hà Nhì": (
        2,
        ("Lỳ", "Pờ", "Chu", "Phìn", "Lò"),
        ("Xé", "Gió", "Chà"), ("Mó", "Pà", "Chà"),
        ("Xá", "Phí", "Chừ", "Lừ"),
        ("Xé", "Mé", "Chò", "Gió"),
    ),
}  # fmt: skip
_ETHNIC_NAMES = list(ETHNIC)
_ETHNIC_WEIGHTS = [ETHNIC[e][0] for e in _ETHNIC_NAMES]
RELIGION = {"Mông": ("Không", "Không", "Không", "Tin Lành"), "Kinh": ("Không", "Phật giáo")}

COLUMNS = (
    "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Số CMND", "Dân tộc",
    "Tôn giáo", "Quê quán", "Thôn/Bản", "Số hộ", "Quan hệ với chủ hộ", "Loại cư trú",
    "Số điện thoại", "Lý do thu nhận tại nhà",
)  # fmt: skip
_FIELDS = (
    "full_name", "birth_date", "sex", "personal_id", "old_id", "ethnicity", "religion",
    "hometown", "village", "household_no", "relation_to_head", "residence_type", "phone",
    "home_visit_reason",
)  # fmt: skip


class _Serials:
    """Distinct 6-digit serials per (century/sex digit, year): no two people share a number."""

    def __init__(self, rng: random.Random) -> None:
        self.counters: dict[str, int] = {}
        self.offset = rng.randrange(10**6)

    def next(self, prefix: str) -> int:
        n = self.counters.get(prefix, 0)
        self.counters[prefix] = n + 1
        # 7919 is prime to 10**6, so n → serial is a permutation within each prefix
        return (n * 7919 + self.offset + int(prefix) * 104_729) % 10**6


def residents(count: int, seed: int = 2022, today: date | None = None) -> Iterator[dict[str, Any]]:
    """Yield ``count`` residents as register rows (canonical field names, display strings)."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    serials = _Serials(rng)
    household = 0
    made = 0
    while made < count:
        household += 1
        village = VILLAGES[rng.randrange(len(VILLAGES))] if household % 50 else VILLAGES[0]
        if count > 50_000:  # a province-sized register: more villages with numbers
            village = f"{village} - {household // 2000 + 1}" if household >= 2000 else village
        ethnic = rng.choices(_ETHNIC_NAMES, _ETHNIC_WEIGHTS)[0]
        _w, families, m_mid, f_mid, m_given, f_given = ETHNIC[ethnic]
        family = rng.choice(families)
        head_age = rng.randint(22, 80)
        members = [("Chủ hộ", head_age, "M" if rng.random() < 0.85 else "F")]
        if rng.random() < 0.85:
            members.append(
                (
                    "Vợ" if members[0][2] == "M" else "Chồng",
                    head_age - rng.randint(-3, 6),
                    "F" if members[0][2] == "M" else "M",
                )
            )
        for _ in range(rng.randint(0, 5)):
            child_age = head_age - rng.randint(18, 35)
            if child_age >= 0:
                members.append(("Con", child_age, rng.choice("MF")))
        if head_age < 50 and rng.random() < 0.3:
            members.append(
                ("Mẹ" if rng.random() < 0.6 else "Bố", head_age + rng.randint(20, 32), "F")
            )
        household_no = f"{PROVINCE}{household:07d}"
        for relation, age, sex in members:
            if made >= count:
                break
            age = max(0, min(age, 102))
            if relation == "Bố":
                sex = "M"
            year = today.year - age
            middle = rng.choice(m_mid if sex == "M" else f_mid)
            given = rng.choice(m_given if sex == "M" else f_given)
            fam = family if relation in ("Chủ hộ", "Con", "Bố") else rng.choice(families)
            name = f"{fam} {middle} {given}"
            born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            if born > today:
                born = today - timedelta(days=rng.randrange(1, 200))
                year = born.year
            year_only = age >= 60 and rng.random() < 0.45
            birth_text = str(year) if year_only else born.strftime("%d/%m/%Y")
            digit = century_digit(year, sex)
            prefix = f"{digit}{year % 100:02d}"
            pid = f"{PROVINCE}{prefix}{serials.next(prefix):06d}"
            visit = "none"
            if age >= 80:
                visit = rng.choices(("none", "elderly", "bedridden"), (50, 35, 15))[0]
            elif rng.random() < 0.012:
                visit = rng.choice(("disabled", "bedridden", "postpartum"))
            yield {
                "full_name": name,
                "birth_date": birth_text,
                "sex": "Nam" if sex == "M" else "Nữ",
                "personal_id": pid if age >= 0 else "",
                "old_id": f"040{rng.randrange(10**6):06d}"
                if age >= 30 and rng.random() < 0.4
                else "",
                "ethnicity": ethnic,
                "religion": rng.choice(RELIGION.get(ethnic, ("Không",))),
                "hometown": f"xã {COMMUNE}, tỉnh Điện Biên",
                "village": village,
                "household_no": household_no,
                "relation_to_head": relation,
                "residence_type": "Thường trú" if rng.random() < 0.95 else "Tạm trú",
                "phone": f"09{rng.randrange(10**8):08d}"
                if 18 <= age <= 65 and rng.random() < 0.5
                else "",
                "home_visit_reason": {
                    "none": "",
                    "elderly": "Cao tuổi",
                    "bedridden": "Nằm liệt giường",
                    "disabled": "Khuyết tật",
                    "postpartum": "Sau sinh",
                }[visit],
            }
            made += 1


def rows_for_import(count: int, seed: int = 2022) -> Iterator[tuple[int, dict[str, Any]]]:
    """The register as the importer's (line, row) pairs, line 2 onward (line 1 = header)."""
    yield from enumerate(residents(count, seed), start=2)


def write_csv(path: Path, count: int, seed: int = 2022, encoding: str = "utf-8-sig") -> None:
    """Write a register CSV as an Excel user would (UTF-8 with BOM by default)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in residents(count, seed):
            writer.writerow([row[f] for f in _FIELDS])


def csv_text(count: int, seed: int = 2022) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for row in residents(count, seed):
        writer.writerow([row[f] for f in _FIELDS])
    return buf.getvalue()
