"""Item models of the city office's 收集报送 dialog: the result per file, the returns list of a round, and
the task x unit matrix (each cell the unit's state with its colour; filters by unit kind and by state)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.returns import BLANK, LATE, MISSING, NOT_EXPECTED, STATE_LABELS, SUBMITTED
from desktop_app.ui.models.roles import FULL_TEXT_ROLE

STATE_ROLE = Qt.UserRole + 20  # submitted | late | missing | not_expected
UNIT_ROLE = Qt.UserRole + 21  # the unit's name (matrix column, returns row)

# background, text colour per state (the label says it too: nothing depends on colour alone)
STATE_COLORS = {
    SUBMITTED: ("#c8e6c9", "#1b5e20"),
    LATE: ("#ffe0b2", "#e65100"),
    MISSING: ("#ffcdd2", "#b71c1c"),
    BLANK: ("#fff9c4", "#827717"),
    NOT_EXPECTED: ("#eceff1", "#78909c"),
}
OUTCOME_TEXT = {
    "new": "新收录",
    "updated": "已更新",
    "unchanged": "无变化",
    "refused": "未收录",
    "confirm": "待确认，未收录",
}

Index = QModelIndex | QPersistentModelIndex


def _state_data(state: str, role: int) -> Any:
    if role == Qt.BackgroundRole:
        return QBrush(QColor(STATE_COLORS.get(state, STATE_COLORS[NOT_EXPECTED])[0]))
    if role == Qt.ForegroundRole:
        return QBrush(QColor(STATE_COLORS.get(state, STATE_COLORS[NOT_EXPECTED])[1]))
    if role == STATE_ROLE:
        return state
    return None


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class _ListTable(_Table):
    """A table over a list of rows, replaced whole (beginResetModel … endResetModel)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []  # what each subclass lists: outcomes, unit states, units …

    def _replace(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)


class CollectResultModel(_ListTable):
    """One row per file of the collection: 文件, 单位, 报送任务数, 结果 (or why it was refused)."""

    HEADERS = ("文件", "单位", "报送任务", "结果")

    def set_outcomes(self, outcomes: list[Any]) -> None:
        self._replace(outcomes)

    def outcomes(self) -> list[Any]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        o = self._rows[index.row()]
        col = index.column()
        if role in (Qt.DisplayRole, Qt.ToolTipRole, FULL_TEXT_ROLE):
            if col == 0:
                return o.file.name
            if col == 1:
                return o.unit
            if col == 2:
                return "" if o.outcome == "refused" else str(o.reported)
            text = OUTCOME_TEXT.get(o.outcome, o.outcome)
            if o.outcome == "refused":
                return f"{text}：{o.reason}"
            if o.outcome == "confirm":
                return f"{text}：{o.reason}双击此行确认。"
            if o.outcome == "updated":
                text += "（上一份存入历次报送）"
            if o.uncertain:
                text += f"；另有 {len(o.uncertain)} 项未收录：{'；'.join(o.uncertain)}"
            return text
        if col == 3 and role in (Qt.BackgroundRole, Qt.ForegroundRole):
            state = MISSING if o.outcome == "refused" else (LATE if o.uncertain or o.outcome == "confirm" else SUBMITTED)
            return _state_data(state, role)
        return None


class ReturnStatesModel(_ListTable):
    """The returns list of a round: 单位, 类别, 状态 (coloured), 收到时间, 文件, 历次报送 (how many returns the
    unit sent for the round; select the row to see them)."""

    HEADERS = ("单位", "类别", "状态", "收到时间", "文件", "历次报送")

    def set_states(self, states: list[Any]) -> None:
        self._replace(states)

    def states(self) -> list[Any]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == UNIT_ROLE:
            return s.unit
        if role in (Qt.DisplayRole, FULL_TEXT_ROLE):
            return (
                s.unit,
                s.kind,
                STATE_LABELS.get(s.state, s.state),
                s.received.strftime("%Y-%m-%d %H:%M") if s.received else "",
                s.file or "",
                f"{s.versions} 份" if s.versions else "",
            )[col]
        if col == 2:
            return _state_data(s.state, role)
        return None


class DirectoryModel(_ListTable):
    """The units directory (名录) in its order: 单位, 类别, 其他名称, 联系人."""

    HEADERS = ("单位", "类别", "其他名称", "联系人")

    def set_units(self, units: list[Any]) -> None:
        self._replace(units)

    def units(self) -> list[Any]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        u = self._rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole, FULL_TEXT_ROLE):
            return (u.name, u.kind, "、".join(u.aliases), u.contact)[index.column()]
        if role == UNIT_ROLE:
            return u.name
        return None


class ReturnHistoryModel(_ListTable):
    """历次报送 of one unit for the round, newest first: 收到时间, 文件, 报送任务, 变化 (what this return
    changed against the one before it; the first: 首次报送)."""

    HEADERS = ("收到时间", "文件", "报送任务", "变化")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.unit = ""  # rows: domain.returns.ReturnVersion, newest first

    def set_versions(self, unit: str, versions: list[Any]) -> None:
        self.unit = unit
        self._replace(versions)

    def versions(self) -> list[Any]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = index.row()
        v = self._rows[row]
        if role in (Qt.DisplayRole, Qt.ToolTipRole, FULL_TEXT_ROLE):
            older = self._rows[row + 1] if row + 1 < len(self._rows) else None
            change = older.changes if older is not None else "首次报送"
            when = v.received_at.strftime("%Y-%m-%d %H:%M") if v.received_at else ""
            return (
                when + ("（当前）" if v.replaced_at is None else ""),
                v.file_name,
                str(len(v.rows)),
                change,
            )[index.column()]
        if role == Qt.ForegroundRole and v.replaced_at is not None:
            return QBrush(QColor("#78909c"))  # replaced: greyed
        return None


class ReturnMatrixModel(_Table):
    """Rows: the round's tasks; columns: 序号, 任务, then one per unit. A cell shows the unit's state on the
    task (its colour); FULL_TEXT_ROLE gives what the unit wrote. Filters are applied in the model: by unit
    kind (columns) and by state (rows and unit columns with at least one cell in that state)."""

    FIXED = ("序号", "任务")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._matrix: Any = None  # services.collect_service.ReturnMatrix
        self._units: list[Any] = []
        self._tasks: list[Any] = []
        self._kind: str | None = None
        self._state: str | None = None

    def set_matrix(self, matrix: Any) -> None:
        self._matrix = matrix
        self._apply()

    def set_filters(self, kind: str | None = None, state: str | None = None) -> None:
        self._kind, self._state = kind or None, state or None
        self._apply()

    def _apply(self) -> None:
        self.beginResetModel()
        m = self._matrix
        if m is None:
            self._units, self._tasks = [], []
        else:
            units = [u for u in m.units if self._kind is None or u.kind == self._kind]
            self._tasks = [
                t
                for t in m.tasks
                if self._state is None or any(m.cell(t.id, u.name).state == self._state for u in units)
            ]
            # a state chosen: only the units with a cell in that state (the 未报送 ones, not 30 green columns)
            self._units = [
                u
                for u in units
                if self._state is None or any(m.cell(t.id, u.name).state == self._state for t in self._tasks)
            ]
        self.endResetModel()

    def units(self) -> list[Any]:
        return list(self._units)

    def tasks(self) -> list[Any]:
        return list(self._tasks)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.FIXED) + len(self._units)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Horizontal or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        if 0 <= section < len(self.FIXED):
            return self.FIXED[section]
        i = section - len(self.FIXED)
        if 0 <= i < len(self._units):
            u = self._units[i]
            return u.name if role == Qt.DisplayRole else f"{u.name}（{u.kind}）"
        return None

    def cell(self, index: Index) -> Any:
        """The MatrixCell at a unit column (None on 序号/任务)."""
        i = index.column() - len(self.FIXED)
        if not index.isValid() or not 0 <= i < len(self._units) or not 0 <= index.row() < len(self._tasks):
            return None
        return self._matrix.cell(self._tasks[index.row()].id, self._units[i].name)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tasks):
            return None
        task = self._tasks[index.row()]
        col = index.column()
        if col == 0:
            return task.number if role in (Qt.DisplayRole, FULL_TEXT_ROLE) else None
        if col == 1:
            if role in (Qt.DisplayRole, FULL_TEXT_ROLE, Qt.ToolTipRole):
                text = task.content or task.item or task.key_work or ""
                return text if role != Qt.DisplayRole else text.replace("\n", "")[:40]
            return None
        cell = self.cell(index)
        if cell is None:
            return None
        if role == UNIT_ROLE:
            return self._units[col - len(self.FIXED)].name
        if role == Qt.DisplayRole:
            return STATE_LABELS.get(cell.state, cell.state)
        if role in (FULL_TEXT_ROLE, Qt.ToolTipRole):
            return cell.text
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return _state_data(cell.state, role)


class DeductionsModel(_ListTable):
    """The year's deductions: 单位, 台账, 扣分项, 原因, 扣分."""

    HEADERS = ("单位", "台账", "扣分项", "原因", "扣分")

    def set_deductions(self, rows: list[Any]) -> None:
        self._replace(rows)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        from desktop_app.domain.score import KIND_LABELS

        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        if role in (Qt.DisplayRole, FULL_TEXT_ROLE, Qt.ToolTipRole):  # the tooltip: a reason cut off in view
            return (d.unit, d.ledger_title, KIND_LABELS.get(d.kind, d.kind), d.reason, f"{d.points:g}")[
                index.column()
            ]
        if role == Qt.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class TotalsModel(_ListTable):
    """The yearly total per unit: 单位, 扣分合计, 扣分项数."""

    HEADERS = ("单位", "扣分合计", "扣分项数")

    def set_totals(self, rows: list[tuple[str, float, int]]) -> None:
        self._replace(rows)

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        unit, points, n = self._rows[index.row()]
        if role in (Qt.DisplayRole, FULL_TEXT_ROLE):
            return (unit, f"{points:g}", str(n))[index.column()]
        return None
