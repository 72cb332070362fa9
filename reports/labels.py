"""Words of the workbook in Vietnamese and English; metric labels come from the catalog."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "summary": ("Tổng hợp", "Summary"),
    "issues": ("Kiểm tra", "Issues"),
    "figures": ("Số liệu", "Figures"),
    "sources": ("Nguồn", "Sources"),
    "about": ("Thông tin", "About"),
    "reporting_unit": ("Đơn vị báo cáo", "Reporting unit"),
    "province": ("Tỉnh", "Province"),
    "period": ("Kỳ báo cáo", "Period"),
    "unknown_period": ("Không rõ kỳ", "Period not stated"),
    "total": ("Tổng cộng", "Total"),
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
