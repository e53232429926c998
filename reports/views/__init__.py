"""Report pages, CSV downloads and the CMS-0057-F PDF. Manager only (deny by default)."""

from .access import access_report, access_report_csv
from .appeals import appeals_csv, appeals_page
from .cms import cms0057_csv, cms0057_page, cms0057_pdf
from .dashboard import dashboard, dataset_csv
from .timeliness import timeliness_page

__all__ = [
    "access_report",
    "access_report_csv",
    "appeals_csv",
    "appeals_page",
    "cms0057_csv",
    "cms0057_page",
    "cms0057_pdf",
    "dashboard",
    "dataset_csv",
    "timeliness_page",
]
