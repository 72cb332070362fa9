"""Words of the workbook in Vietnamese and English; metric labels come from the catalog."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "summary": ("Tổng hợp", "Summary"),
    "trend": ("Xu hướng", "Trend"),
    "trend_title": ("Xu hướng các chỉ tiêu chính theo kỳ và tỉnh", "Main metrics across periods by province"),
    "trend_note": (
        "Mỗi ô: số liệu lớn nhất báo cáo cho tỉnh trong kỳ (báo cáo của tỉnh thường đã gồm các đơn vị)",
        "Each cell: the largest figure reported for the province in the period (a province report usually includes its units)",
    ),
    "no_trend": (
        "Chưa có số liệu theo kỳ cho các chỉ tiêu chính",
        "No period figures yet for the main metrics",
    ),
    "issues": ("Kiểm tra", "Issues"),
    "figures": ("Số liệu", "Figures"),
    "sources": ("Nguồn", "Sources"),
    "about": ("Thông tin", "About"),
    "reporting_unit": ("Đơn vị báo cáo", "Reporting unit"),
    "province": ("Tỉnh", "Province"),
    "period": ("Kỳ báo cáo", "Period"),
    "unknown_period": ("Không rõ kỳ", "Period not stated"),
    "total": ("Tổng cộng", "Total"),
    "province_rows": (
        "Số liệu cấp tỉnh báo cáo (không cộng vào dòng tổng):",
        "Figures reported for the whole province (not added to the total):",
    ),
    "summary_title": ("Tổng hợp số liệu theo kỳ báo cáo", "Figures by reporting period"),
    "severity": ("Mức độ", "Severity"),
    "check": ("Kiểm tra", "Check"),
    "message": ("Nội dung", "Message"),
    "source": ("Nguồn", "Source"),
    "locator": ("Vị trí", "Location"),
    "metric": ("Chỉ tiêu", "Metric"),
    "value": ("Giá trị", "Value"),
    "expected": ("Đối chiếu", "Compared with"),
    "figure_id": ("Mã số liệu", "Figure id"),
    "quote": ("Trích dẫn", "Quote"),
    "unit": ("Đơn vị", "Unit"),
    "qualifier": ("Mức chính xác", "Qualifier"),
    "category": ("Lĩnh vực", "Category"),
    "scope": ("Phạm vi", "Scope"),
    "period_start": ("Từ ngày", "From"),
    "period_end": ("Đến ngày", "To"),
    "published": ("Ngày báo cáo", "Published"),
    "sha256": ("Mã băm SHA-256", "SHA-256"),
    "received": ("Thời điểm nhận", "Received"),
    "status": ("Trạng thái", "Status"),
    "reason": ("Lý do", "Reason"),
    "figure_count": ("Số số liệu", "Figures"),
    "issue_count": ("Số vấn đề", "Issues"),
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "ingested": ("Đã nhập", "Ingested"),
    "quarantined": ("Cách ly", "Quarantined"),
    "duplicate": ("Trùng lặp", "Duplicate"),
    "generated": ("Thời điểm lập", "Generated"),
    "period_asked": ("Kỳ tổng hợp", "Period summarised"),
    "all_periods": ("Tất cả các kỳ trong kho dữ liệu", "Every period in the store"),
    "inputs": ("Dữ liệu", "Input"),
    "inputs_text": (
        "{figures} số liệu, {issues} vấn đề, {sources} tệp nguồn",
        "{figures} figures, {issues} issues, {sources} source files",
    ),
    "how_made": ("Cách lập", "How it was made"),
    "how_made_text": (
        "Số liệu trích tự động từ báo cáo văn bản và bảng tính, kiểm tra theo danh mục chỉ tiêu; "
        "bảng Tổng hợp chỉ cộng số liệu cả kỳ (không cộng số liệu chi tiết hay vụ việc riêng lẻ); "
        "dòng Tổng cộng là công thức.",
        "Figures extracted automatically from prose reports and spreadsheets and checked against the metric "
        "catalog; the Summary adds period totals only (never breakdowns or single incidents); "
        "the Total row is formulas.",
    ),
    "version": ("Phiên bản", "Version"),
    "stored_as": ("Lưu tại", "Stored as"),
    "no_issues": ("Không có vấn đề nào", "No issues"),
    "no_figures": ("Chưa có số liệu cả kỳ", "No period totals yet"),
    "category_all": ("tất cả", "all"),
    "category_drugs": ("ma túy", "drugs"),
    "category_smuggling": ("buôn lậu", "smuggling"),
    "category_trade_fraud": ("gian lận thương mại", "trade fraud"),
    "category_illegal_entry_exit": ("xuất nhập cảnh trái phép", "illegal entry and exit"),
    "category_human_trafficking": ("mua bán người", "human trafficking"),
    "category_weapons_firecrackers": ("vũ khí, pháo nổ", "weapons and firecrackers"),
    "category_other": ("khác", "other"),
    "scope_period_total": ("cả kỳ", "period total"),
    "scope_subset": ("chi tiết", "breakdown"),
    "scope_incident": ("vụ việc", "incident"),
    "scope_stock": ("hiện trạng", "stock"),
    "scope_headline": ("tiêu đề", "headline"),
    "qualifier_exact": ("chính xác", "exact"),
    "qualifier_approx": ("gần đúng", "approximate"),
    "qualifier_over": ("hơn", "over"),
    "qualifier_under": ("dưới", "under"),
    "made_by": ("Lập bởi", "Made by"),
    "legend": ("Chú giải", "Legend"),
    "legend_error": (
        "Ô tô đỏ: số liệu có lỗi, xem ghi chú của ô",
        "Red cell: a figure with an error, see its note",
    ),
    "legend_warning": ("Ô tô vàng: số liệu cần xem lại", "Amber cell: a figure to look at again"),
    "legend_approx": (
        "~ trước số: số gần đúng; > : hơn; < : dưới",
        "~ before a number: approximate; > over; < under",
    ),
    "about_text": (
        "Bảng tổng hợp lập tự động từ các báo cáo; mỗi số liệu dẫn về vị trí trong tệp gốc (trang Số liệu).",
        "Summary made automatically from the reports; every figure points to its place in the source (Figures).",
    ),
}


def label(key: str, lang: str) -> str:
    vi, en = LABELS[key]
    return vi if lang == "vi" else en


def label_or_code(key: str, lang: str, code: str) -> str:
    """The label for ``key``, or ``code`` itself when the vocabulary has grown past this table."""
    return label(key, lang) if key in LABELS else code
