"""The supervisor's session table as a model updated in place.

Every check (every 5 s) brings a fresh :class:`SessionReport` per session. Rebuilding a table of items each time
costs the GUI thread far more than the check itself (issue 13: 80–100 % CPU), so the model keeps the rows it shows,
works out the text of every cell once per check, and tells the view only about the cells whose text, colour or tooltip
changed (``dataChanged`` over the changed columns of a row). Rows come and go with ``beginInsertRows`` /
``beginRemoveRows``; a new order (worst first) is a ``layoutChanged`` that keeps the selection on its session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from boxoffice.domain.drift import DESCRIPTIONS, NOTES, Drift
from boxoffice.services.reconcile import SessionReport

from ..i18n import when

CLASS_NAMES = {
    "lost_seat": QT_TRANSLATE_NOOP("SupervisorWindow", "Lost seat"),
    "redis_missing": QT_TRANSLATE_NOOP("SupervisorWindow", "Redis keys missing"),
    "unconfirmed_sale": QT_TRANSLATE_NOOP("SupervisorWindow", "Unconfirmed sale"),
    "stale_sale": QT_TRANSLATE_NOOP("SupervisorWindow", "Stale sale"),
    "orphan_hold": QT_TRANSLATE_NOOP("SupervisorWindow", "Orphan hold"),
    "stale_stock": QT_TRANSLATE_NOOP("SupervisorWindow", "Stale stock counter"),
    "ledger_behind": QT_TRANSLATE_NOOP("SupervisorWindow", "Ledger behind"),
    "dead_letter": QT_TRANSLATE_NOOP("SupervisorWindow", "Dead letters"),
    "unknown": QT_TRANSLATE_NOOP("SupervisorWindow", "Unknown"),
    "check_failed": QT_TRANSLATE_NOOP("SupervisorWindow", "Check failed"),
}
SEVERITY_COLORS = {"critical": QColor("#f8d0d0"), "warning": QColor("#fbe8b8"), "ok": QColor("#ffffff")}
RANK = {"critical": 0, "warning": 1, "ok": 2}

COLUMNS = (
    QT_TRANSLATE_NOOP("SupervisorWindow", "Session"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Starts"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Capacity"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Redis taken"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Redis free"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "DB sold"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Blocked"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Holds"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Ledger sold"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Orders sold"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Outbox pending"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Dead"),
    QT_TRANSLATE_NOOP("SupervisorWindow", "Drift"),
)
#: the columns that hold counts: right-aligned, with the locale's thousands separators
NUMERIC = frozenset(range(2, 12))
DRIFT_COLUMN = len(COLUMNS) - 1
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    """A name marked with QT_TRANSLATE_NOOP above, in the window's language."""
    return QCoreApplication.translate("SupervisorWindow", text)


def number(value: int | None) -> str:
    """A count in the locale's format with its thousands separator (``63,312``, ``63.312``; ``—`` when Redis had
    none) — also under the C locale, which leaves the separator out by default."""
    if value is None:
        return "—"
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(int(value))


def drift_text(r: SessionReport) -> str:
    """The drift column: each class with its seat count, or "consistent"."""
    if r.consistent:
        return QCoreApplication.translate("SupervisorWindow", "consistent")
    return ", ".join(f"{_tr(CLASS_NAMES[d.kind])} {number(len(d.seats))}" if d.seats else _tr(CLASS_NAMES[d.kind])
                     for d in r.drifts)


def detail_text(d: Drift) -> str:
    """A drift's detail in the supervisor's language: its findings from their templates, or its class's description
    (an error text of a failed check stays as the error said it)."""
    if d.notes:
        return "; ".join(QCoreApplication.translate("drift", NOTES[n.key]).format(**n.params) for n in d.notes)
    if d.detail in DESCRIPTIONS.values():
        return QCoreApplication.translate("drift", d.detail)
    return d.detail


def description(kind: str) -> str:
    return QCoreApplication.translate("drift", DESCRIPTIONS[kind])


def drift_details(r: SessionReport, labels: int = 40) -> str:
    """Every drift of a session in full (the tooltip): its class, its seats (the first ``labels``) and its detail."""
    if r.consistent:
        return QCoreApplication.translate("SupervisorWindow", "Consistent")
    lines = []
    for d in r.drifts:
        seats = ", ".join(d.labels[:labels]) + (" …" if len(d.labels) > labels else "")
        lines.append(QCoreApplication.translate("SupervisorWindow", "{0}: {1}").format(_tr(CLASS_NAMES[d.kind]), " — ".join(p for p in (seats, detail_text(d)) if p)))
    return "\n".join(lines)


@dataclass(frozen=True)
class Row:
    """What one row shows, worked out once per check (``data`` only looks it up)."""

    session_id: int
    texts: tuple[str, ...]
    severity: str
    tooltip: str
    key: tuple[int, Any, int]  # the order: worst first, then by start, then by id

    @classmethod
    def of(cls, r: SessionReport) -> Row:
        texts = (f"{r.name} — {r.venue}", when(r.starts_at), number(r.capacity), number(r.redis_taken),
                 number(r.redis_stock), number(r.db_sold), number(r.db_blocked), number(r.live_holds),
                 number(r.ledger_sold), number(r.orders_sold), number(r.outbox_pending), number(r.outbox_dead),
                 drift_text(r))
        return cls(r.session_id, texts, r.severity, drift_details(r), (RANK[r.severity], r.starts_at, r.session_id))


class ReportModel(QAbstractTableModel):
    """One row per session, worst first; :meth:`update` takes a check's reports and changes only what changed."""

    def __init__(self, parent: QObject | None = None, row_of: Callable[[SessionReport], Row] = Row.of) -> None:
        super().__init__(parent)
        self._row_of = row_of
        self.rows: list[Row] = []
        self.reports: dict[int, SessionReport] = {}
        self._brushes = {k: QBrush(c) for k, c in SEVERITY_COLORS.items()}
        #: cells announced by dataChanged since the model was made (tests and the benchmark read it)
        self.changed_cells = 0

    # -- Qt's model interface ---------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if index.column() in NUMERIC else LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes[row.severity]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == Qt.ItemDataRole.UserRole:
            return row.session_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return _tr(COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if section in NUMERIC else LEFT
        return None

    # -- lookups ------------------------------------------------------------------------------------------------------
    def session_at(self, row: int) -> int:
        return self.rows[row].session_id

    def row_of(self, session_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.session_id == session_id), None)

    def text(self, row: int, column: int) -> str:
        return self.rows[row].texts[column]

    # -- a check's reports --------------------------------------------------------------------------------------------
    def update(self, reports: Sequence[SessionReport]) -> None:
        """Show these reports: rows of sessions gone are removed, new ones added, changed cells announced, and the
        rows put back in order (worst first) when a severity changed."""
        fresh = {r.session_id: r for r in reports}
        self.reports = fresh
        for i in range(len(self.rows) - 1, -1, -1):  # sessions no longer checked (ended, deleted)
            if self.rows[i].session_id not in fresh:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
        shown = {r.session_id for r in self.rows}
        for i, old in enumerate(self.rows):
            new = self._row_of(fresh[old.session_id])
            if new == old:
                continue
            self.rows[i] = new
            if new.severity != old.severity or new.tooltip != old.tooltip:
                first, last = 0, len(COLUMNS) - 1  # the colour and the tooltip are the whole row's
            else:
                changed = [c for c, (a, b) in enumerate(zip(old.texts, new.texts, strict=True)) if a != b]
                if not changed:
                    continue
                first, last = changed[0], changed[-1]
            self.changed_cells += last - first + 1
            self.dataChanged.emit(self.index(i, first), self.index(i, last))
        added = [self._row_of(r) for r in reports if r.session_id not in shown]
        if added:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(added) - 1)
            self.rows.extend(added)
            self.endInsertRows()
        self._sort()

    def _sort(self) -> None:
        order = sorted(range(len(self.rows)), key=lambda i: self.rows[i].key)
        if order == list(range(len(self.rows))):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        new_row = {old: new for new, old in enumerate(order)}
        self.rows = [self.rows[i] for i in order]
        self.changePersistentIndexList(before, [self.index(new_row[ix.row()], ix.column()) for ix in before])
        self.layoutChanged.emit()
