"""File -> domain draft: Word tables, Excel sheets, prose notices, our own JSON."""

from desktop_app.importers.columns import FIELD_LABELS
from desktop_app.importers.errors import ImportFailed
from desktop_app.importers.loader import apply_mapping, load_any
from desktop_app.importers.result import ImportResult, TableInfo

__all__ = ["FIELD_LABELS", "ImportFailed", "ImportResult", "TableInfo", "apply_mapping", "load_any"]
