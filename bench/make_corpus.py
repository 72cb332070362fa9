"""A realistic load: N report files across the provinces, their units and monthly, quarterly and yearly
periods, prose (.txt, .docx) and tables (.csv, .xlsx), with a known list of planted inconsistencies.

    python bench/make_corpus.py OUT_DIR [--files 2000] [--seed 7]

Every figure comes from one table of monthly values per unit (``month_values``), so a quarter is the sum of
its months, a year of its quarters and a province body's report the sum of its units: the base corpus is
consistent, and the only errors are the ones planted (in 2014, a year the base corpus never uses), listed
with the check that must report them in OUT_DIR.manifest.json (beside the folder, so a run of the
folder does not read it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BASE_YEARS = range(2015, 2025)
PLANT_YEAR = 2014
CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Huế"}
UNITS = ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh {p}", "Công an tỉnh {p}", "Cục Hải quan tỉnh {p}"]
PROVINCE_BODY = "Ban Chỉ đạo 389 tỉnh {p}"
TAGS = ["bdbp", "cong-an", "hai-quan", "bcd-389"]  # file names: who sent it
METRICS = [
    "cases_detected",
    "subjects_detected",
    "cases_prosecuted",
    "subjects_prosecuted",
    "admin_cases",
    "admin_subjects",
    "fines_vnd",
    "budget_collected_vnd",
]
ROMAN = ["I", "II", "III", "IV"]
FILLER = [
    "Tình hình an ninh chính trị, trật tự an toàn xã hội khu vực biên giới cơ bản ổn định; tuy nhiên hoạt "
    "động buôn lậu, vận chuyển hàng cấm qua đường mòn, lối mở vẫn diễn biến phức tạp.",
    "Các đơn vị đã duy trì nghiêm chế độ trực sẵn sàng chiến đấu, tổ chức tuần tra song phương với lực lượng "
    "bảo vệ biên giới nước láng giềng, phối hợp chặt chẽ với cấp ủy, chính quyền địa phương.",
    "Công tác tuyên truyền, phổ biến pháp luật về biên giới quốc gia được đẩy mạnh, nhiều tổ tự quản đường "
    "biên, cột mốc tiếp tục phát huy hiệu quả.",
    "Thời gian tới, đơn vị tiếp tục tăng cường nắm tình hình, kiểm tra, kiểm soát chặt chẽ người, phương tiện "
    "xuất nhập cảnh, kịp thời phát hiện, ngăn chặn các hành vi vi phạm pháp luật.",
]
TITLES = [
    "{unit}: Kết quả công tác đấu tranh phòng, chống tội phạm {period}",
    "{unit} báo cáo kết quả phòng, chống buôn lậu, gian lận thương mại {period}",
]


@dataclass(frozen=True)
class Period:
    year: int
    months: tuple[int, ...]
    kind: str  # month | quarter | half | year

    @property
    def label(self) -> str:
        """As a report writes it: ``tháng 7/2023``, ``quý II/2019``, ``6 tháng đầu năm 2019``, ``năm 2019``."""
        first = self.months[0]
        return {
            "month": f"tháng {first}/{self.year}",
            "quarter": f"quý {ROMAN[(first - 1) // 3]}/{self.year}",
            "half": f"6 tháng đầu năm {self.year}",
            "year": f"năm {self.year}",
        }[self.kind]

    @property
    def code(self) -> str:
        """As a table writes it: ``2023-07``, ``2019-Q2``, ``2019-H1``, ``2019``."""
        first = self.months[0]
        return {
            "month": f"{self.year}-{first:02d}",
            "quarter": f"{self.year}-Q{(first - 1) // 3 + 1}",
            "half": f"{self.year}-H1",
            "year": f"{self.year}",
        }[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        last = self.months[-1]
        return dt.date(self.year + last // 12, last % 12 + 1, 1) - dt.timedelta(days=1)


def periods_of(year: int) -> list[Period]:
    """The 17 periods units report for a year: 12 months, 4 quarters, the year."""
    months = [Period(year, (m,), "month") for m in range(1, 13)]
    quarters = [Period(year, tuple(range(3 * q + 1, 3 * q + 4)), "quarter") for q in range(4)]
    return [*months, *quarters, Period(year, tuple(range(1, 13)), "year")]


def month_values(unit: str, year: int, month: int) -> dict[str, int]:
    """One unit's figures for one month, in narrow ranges so that no period is three times the one before
    (which would be a change-beyond-threshold warning) and every within-report relation holds."""
    rng = random.Random(f"{unit}|{year}|{month}")
    detected, prosecuted = rng.randint(10, 14), rng.randint(1, 2)
    admin = detected - prosecuted - rng.randint(1, 2)
    fines = admin * 5_000_000
    return {
        "cases_detected": detected,
        "subjects_detected": detected + 6 + rng.randint(0, 3),
        "cases_prosecuted": prosecuted,
        "subjects_prosecuted": prosecuted + rng.randint(0, 2),
        "admin_cases": admin,
        "admin_subjects": admin + rng.randint(0, 3),
        "fines_vnd": fines,
        "budget_collected_vnd": fines + rng.randint(100, 200) * 1_000_000,
    }


def period_values(units: list[str], period: Period) -> dict[str, int]:
    """The figures of ``units`` together over ``period``: sums of their months."""
    totals = dict.fromkeys(METRICS, 0)
    for unit in units:
        for month in period.months:
            for metric, value in month_values(unit, period.year, month).items():
                totals[metric] += value
    return totals


@dataclass
class Report:
    """One unit's (or one province body's) figures for one period."""

    unit: str
    province: str
    period: Period
    values: dict[str, int]


@dataclass
class CorpusFile:
    name: str
    kind: str  # txt | docx | csv | xlsx | broken
    reports: list[Report]
    total_row: dict[str, int] | None = None  # a table's "Tổng cộng" row
    cell_text: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, metric) -> text written


# ---------------------------------------------------------------- prose


def money_words(value: int, rng: random.Random) -> str:
    """Money as reports write it: ``155 triệu đồng`` or ``1.240.000.000 đồng`` (both exact)."""
    if value % 1_000_000 == 0 and rng.random() < 0.6:
        return f"{value // 1_000_000:,} triệu đồng".replace(",", ".")
    return f"{value:,} đồng".replace(",", ".")


def figures_sentence(report: Report, rng: random.Random) -> str:
    v = report.values
    lead = rng.choice(
        [
            "Trong {period}, {unit} đã phát hiện, bắt giữ {d} vụ, {s} đối tượng",
            "{Period}, {unit} phát hiện, bắt giữ và xử lý {d} vụ, với {s} đối tượng",
        ]
    )
    lead = lead.format(
        period=report.period.label,
        Period=report.period.label[0].upper() + report.period.label[1:],
        unit=report.unit,
        d=v["cases_detected"],
        s=v["subjects_detected"],
    )
    return (
        f"{lead}; khởi tố {v['cases_prosecuted']} vụ, {v['subjects_prosecuted']} đối tượng; "
        f"xử phạt vi phạm hành chính {v['admin_cases']} vụ, {v['admin_subjects']} đối tượng, phạt tiền "
        f"{money_words(v['fines_vnd'], rng)}; thu nộp ngân sách nhà nước "
        f"{money_words(v['budget_collected_vnd'], rng)}."
    )


def prose_lines(report: Report, rng: random.Random) -> list[str]:
    """Title, date line, a paragraph or two of context, the figures, the plans, the byline."""
    published = report.period.end + dt.timedelta(days=rng.randint(3, 12))
    title = rng.choice(TITLES).format(unit=report.unit, period=report.period.label)
    filler = rng.sample(FILLER, 3)
    return [
        title,
        "",
        f"Ngày {published:%d/%m/%Y}",
        "",
        filler[0],
        "",
        figures_sentence(report, rng),
        "",
        filler[1] + " " + filler[2],
        "",
        f"({report.unit})",
    ]


def write_txt(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_docx(path: Path, lines: list[str]) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        if line:
            document.add_paragraph(line)
    document.save(str(path))


# ---------------------------------------------------------------- tables


def table_rows(corpus_file: CorpusFile) -> list[list[object]]:
    """Header ``reporting_unit, province, period, <metric keys>``, a row per report, maybe a total row."""
    rows: list[list[object]] = [["reporting_unit", "province", "period", *METRICS]]
    for index, report in enumerate(corpus_file.reports):
        cells = [corpus_file.cell_text.get((index, m), report.values[m]) for m in METRICS]
        rows.append([report.unit, report.province, report.period.code, *cells])
    if corpus_file.total_row is not None:
        first = corpus_file.reports[0]
        rows.append(["Tổng cộng", first.province, first.period.code, *corpus_file.total_row.values()])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_file(folder: Path, corpus_file: CorpusFile, rng: random.Random) -> None:
    path = folder / corpus_file.name
    if corpus_file.kind in {"txt", "docx"}:
        lines = prose_lines(corpus_file.reports[0], rng)
        (write_txt if corpus_file.kind == "txt" else write_docx)(path, lines)
    elif corpus_file.kind in {"csv", "xlsx"}:
        (write_csv if corpus_file.kind == "csv" else write_xlsx)(path, table_rows(corpus_file))
    else:  # a .docx cut short in transit: not a zip any more
        write_docx(path, ["Báo cáo"])
        path.write_bytes(path.read_bytes()[:700])


# ---------------------------------------------------------------- the corpus


def provinces() -> list[str]:
    from ingest.places import provinces as known

    names = dict.fromkeys(p.name for p in known().values())
    return [name for name in names if name not in CITIES]


def slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


def unit_names(province: str) -> list[str]:
    return [u.format(p=province) for u in UNITS]


def unit_report(unit: str, province: str, period: Period) -> Report:
    return Report(unit, province, period, period_values([unit], period))


def base_files(rng: random.Random) -> Iterator[CorpusFile]:
    """Slots (province, period) in random order; a slot is sent either as prose (one file per unit and one
    from the province body with their sum) or as one table of the three units, sometimes with a total row."""
    slots = [(p, period) for year in BASE_YEARS for period in periods_of(year) for p in provinces()]
    rng.shuffle(slots)
    for province, period in slots:
        units = unit_names(province)
        stem = f"{slug(province)}-{period.code.lower()}"
        if rng.random() < 0.7:
            body = Report(PROVINCE_BODY.format(p=province), province, period, period_values(units, period))
            reports = [unit_report(u, province, period) for u in units] + [body]
            for tag, report in zip(TAGS, reports, strict=True):
                kind = "docx" if rng.random() < 0.25 else "txt"
                yield CorpusFile(f"{stem}-{tag}.{kind}", kind, [report])
        else:
            kind = "xlsx" if rng.random() < 0.5 else "csv"
            total = period_values(units, period) if rng.random() < 0.5 else None
            reports = [unit_report(u, province, period) for u in units]
            yield CorpusFile(f"{stem}-bang.{kind}", kind, reports, total)


def planted_files() -> tuple[list[CorpusFile], list[dict]]:
    """Files with known inconsistencies, each in a province and period of 2014, and what must be reported."""
    y = PLANT_YEAR
    files, planted = [], []

    def plant(check: str, sources: list[str], report: Report, metric: str, note: str) -> None:
        planted.append(
            {
                "check": check,
                "sources": sources,
                "reporting_unit": report.unit,
                "province": report.province,
                "period": report.period.code,
                "metric": metric,
                "note": note,
            }
        )

    # 1. Prosecuted more cases than it detected.
    report = unit_report(unit_names("Lạng Sơn")[0], "Lạng Sơn", Period(y, (7, 8, 9), "quarter"))
    report.values["cases_prosecuted"] = report.values["cases_detected"] + 3
    files.append(CorpusFile("plant-1-lang-son-2014-q3.txt", "txt", [report]))
    plant("prosecuted-exceeds-detected", [files[-1].name], report, "cases_prosecuted", "khởi tố > phát hiện")

    # 2. The same unit, month and metric with two values in two files (prose and a corrected table).
    report = unit_report(unit_names("Quảng Ninh")[0], "Quảng Ninh", Period(y, (8,), "month"))
    other = replace(report, values={**report.values, "cases_detected": report.values["cases_detected"] + 3})
    files.append(CorpusFile("plant-2a-quang-ninh-2014-08.txt", "txt", [report]))
    files.append(CorpusFile("plant-2b-quang-ninh-2014-08.csv", "csv", [other]))
    plant("figures-conflict", [f.name for f in files[-2:]], report, "cases_detected", "two values, two files")

    # 3. A province body's total below the sum of its units.
    period, province = Period(y, (4, 5, 6), "quarter"), "Lào Cai"
    units = unit_names(province)
    body = Report(PROVINCE_BODY.format(p=province), province, period, period_values(units, period))
    body.values["cases_detected"] -= 10
    for index, report in enumerate([*(unit_report(u, province, period) for u in units), body]):
        files.append(CorpusFile(f"plant-3{'abcd'[index]}-lao-cai-2014-q2.txt", "txt", [report]))
    plant("province-total-mismatch", [files[-1].name], body, "cases_detected", "tổng toàn tỉnh < tổng đơn vị")

    # 4. A figure counted from 1 January that falls: the first quarter above the first half.
    unit, province = unit_names("Hà Giang")[1], "Hà Giang"
    half = unit_report(unit, province, Period(y, tuple(range(1, 7)), "half"))
    first = unit_report(unit, province, Period(y, (1, 2, 3), "quarter"))
    first.values["cases_detected"] = half.values["cases_detected"] + 5
    first.values["subjects_detected"] = half.values["subjects_detected"] + 5
    files.append(CorpusFile("plant-4a-ha-giang-2014-q1.docx", "docx", [first]))
    files.append(CorpusFile("plant-4b-ha-giang-2014-h1.txt", "txt", [half]))
    plant("year-to-date-decreasing", [files[-1].name], half, "cases_detected", "6 tháng < quý I")

    # 5. A table whose total row is not the sum of the rows above it.
    period, province = Period(y, (10,), "month"), "Điện Biên"
    reports = [unit_report(u, province, period) for u in unit_names(province)]
    total = period_values(unit_names(province), period)
    total["admin_cases"] += 4
    files.append(CorpusFile("plant-5-dien-bien-2014-10.xlsx", "xlsx", reports, total))
    plant("total-mismatch", [files[-1].name], reports[0], "admin_cases", "dòng tổng sai")

    # 6. A cell that is not a number.
    period, province = Period(y, (11,), "month"), "Lai Châu"
    reports = [unit_report(u, province, period) for u in unit_names(province)]
    files.append(
        CorpusFile("plant-6-lai-chau-2014-11.csv", "csv", reports, cell_text={(1, "fines_vnd"): "chưa rõ"})
    )
    plant("cell-not-number", [files[-1].name], reports[1], "fines_vnd", "ô ghi chữ")

    # 7. A file cut short in transit.
    broken = Report("", "", Period(y, (12,), "month"), {})
    files.append(CorpusFile("plant-7-bao-cao-hong.docx", "broken", [broken]))
    plant("unreadable-file", [files[-1].name], broken, "", "tệp .docx bị cắt cụt")
    return files, planted


def make_corpus(folder: Path, count: int = 2000, seed: int = 7) -> dict:
    """Write ``count`` files (planted ones included) into ``folder`` and return the manifest (also written
    beside ``folder`` as ``<folder>.manifest.json``)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    plants, planted = planted_files()
    files = [*plants[:count], *islice(base_files(rng), max(0, count - len(plants)))]
    for corpus_file in files:
        write_file(folder, corpus_file, rng)
    manifest = {
        "files": len(files),
        "seed": seed,
        "kinds": {k: sum(f.kind == k for f in files) for k in ("txt", "docx", "csv", "xlsx", "broken")},
        "bytes": sum((folder / f.name).stat().st_size for f in files),
        "planted": [p for p in planted if all(s in {f.name for f in files} for s in p["sources"])],
        "reports": [
            {
                "file": f.name,
                "reporting_unit": r.unit,
                "province": r.province,
                "period": r.period.code,
                "values": {m: v for m, v in r.values.items() if (row, m) not in f.cell_text},
            }
            for f in files
            for row, r in enumerate(f.reports)
            if f.kind != "broken"
        ],
    }
    (folder.parent / f"{folder.name}.manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="Folder to write the report files into.")
    parser.add_argument("--files", type=int, default=2000, help="How many files (up to about 25,000).")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    manifest = make_corpus(args.out, args.files, args.seed)
    print(
        f"{manifest['files']} files ({manifest['kinds']}), {manifest['bytes'] / 1e6:.1f} MB, "
        f"{len(manifest['planted'])} planted inconsistencies; manifest: {args.out}.manifest.json"
    )


if __name__ == "__main__":
    main()
