"""The read-only tables of the supervisor screen, set up one way."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTreeView,
)


def _set_up(table: QTableView, name: str, stretch: int, selection: QAbstractItemView.SelectionMode) -> None:
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def read_only_table(name: str, headers: Sequence[str], stretch: int,
                    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection
                    ) -> QTableWidget:
    """Whole-row selection, no editing, columns sized to their contents but ``stretch``, which takes the rest."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    _set_up(table, name, stretch, selection)
    return table


def read_only_view(name: str, model: QAbstractItemModel, stretch: int,
                   selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection
                   ) -> QTableView:
    """The same over a model (a table refreshed often: only the cells the model announces are redrawn)."""
    table = QTableView()
    table.setModel(model)
    _set_up(table, name, stretch, selection)
    return table


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's width (QTreeView sizes rows without wrapping): a long
    drift detail shows in full instead of ending in "…"."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        view.setUniformRowHeights(False)
        view.header().sectionResized.connect(lambda *_: view.scheduleDelayedItemsLayout())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return size
        width = self.view.columnWidth(index.column()) - 12  # the item's margins
        if index.column() == 0:
            width -= self.view.indentation() + 24  # the branch and the check box
        if width <= 20:
            return size
        bound = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), str(text))
        return QSize(size.width(), max(size.height(), bound.height() + 6))
