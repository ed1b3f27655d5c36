"""Charts of one session: sales over time, occupancy per stand (in % of each stand's seats), revenue per price zone,
seats sold per price type (QtCharts)."""

from __future__ import annotations

import html
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shiboken6
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalPercentBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt, QTimeZone, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from boxoffice.domain.layout import Layout
from boxoffice.services.accounts import UserInfo
from boxoffice.services.frontdesk import FrontDesk, SessionFigures
from boxoffice.services.insights import SalesBucket, StandOccupancy, TypeSales, ZoneRevenue

from ..messages import describe
from ..tasks import TaskRunner

# the application's colours (resources/styles/app.qss): ink, accent, and the occupancy states
INK, ACCENT = "#27364a", "#2f6fb3"
SOLD, HELD, FREE = "#27364a", "#e0a030", "#cfd8e3"
#: the price types' bars, in the types' order (a colour blind reader tells them apart by the category labels)
TYPE_COLOURS = ("#2f6fb3", "#6a9a3a", "#b0558a", "#e0a030", "#5a6e8a", "#3a9a8f", "#9a5a3a", "#777777")


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in %, to one decimal (0 for nothing)."""
    return round(part * 100.0 / whole, 1) if whole > 0 else 0.0


def local_zone() -> str:
    """The IANA name of this machine's time zone, for day and hour buckets that start at local midnight."""
    name = QTimeZone.systemTimeZoneId().data().decode() or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def wrap(text: str, fm: QFontMetrics, room: int) -> list[str]:
    """``text`` broken at its spaces into lines at most ``room`` pixels wide (a word wider alone is cut with "…")."""
    lines: list[str] = []
    for word_ in text.split():
        if lines and fm.horizontalAdvance(f"{lines[-1]} {word_}") <= room:
            lines[-1] = f"{lines[-1]} {word_}"
        else:
            lines.append(fm.elidedText(word_, Qt.TextElideMode.ElideRight, room))
    return lines or [""]


def _ms(bucket: SalesBucket) -> float:
    return float(bucket.start.timestamp() * 1000)


def _value_axis(title: str, top: float, label_format: str) -> QValueAxis:
    """A value axis from 0 with round ticks a little above ``top``."""
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setLabelFormat(label_format)
    axis.setRange(0, max(1.0, float(top) * 1.05))
    axis.applyNiceNumbers()
    return axis


def _tick_count(buckets: int) -> int:
    """Ticks on bucket starts: the most ticks (2 to 8) that divide the buckets evenly."""
    if buckets <= 1:
        return 2
    if buckets <= 8:
        return buckets
    return max((t for t in range(2, 9) if (buckets - 1) % (t - 1) == 0), default=2)


class ChartsPanel(QWidget):
    """``show_session(id)`` loads the three figures in one op off the GUI thread and redraws the charts."""

    # the charts show this session's figures
    loaded = Signal(int)

    def __init__(self, desk: FrontDesk, runner: TaskRunner, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartsPanel")
        self.desk, self.runner, self.user = desk, runner, user
        self.session_id: int | None = None
        self.figures: SessionFigures | None = None
        self._request = 0
        # the series of the charts shown (tests and the window read them)
        self.seats_series: QLineSeries | None = None
        self.revenue_series: QLineSeries | None = None
        self.occupancy_sets: dict[str, QBarSet] = {}
        self.zone_sets: dict[str, QBarSet] = {}
        self.type_sets: dict[str, QBarSet] = {}
        #: the occupancy chart's category labels ("Main: 15.0 %", the share sold) and its value axis (0–100 %)
        self.occupancy_labels: list[str] = []
        self.occupancy_axis: QValueAxis | None = None
        #: each chart's category labels in full (the axis may show them cut with "…"; the view's tooltip has them)
        self._full_labels: dict[str, list[str]] = {}

        self.sales_view = self._view("salesChart")
        self.occupancy_view = self._view("occupancyChart")
        self.zones_view = self._view("zonesChart")
        self.types_view = self._view("typesChart")
        self.message = QLabel(self.tr("Choose a session."))
        self.message.setObjectName("chartsMessage")
        self.message.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(self.sales_view, 0, 0, 1, 3)
        grid.addWidget(self.occupancy_view, 1, 0)
        grid.addWidget(self.zones_view, 1, 1)
        grid.addWidget(self.types_view, 1, 2)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.message)

    @staticmethod
    def _view(name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(300, 220)
        return view

    # -- loading --------------------------------------------------------------------------------------------------
    def show_session(self, session_id: int) -> None:
        """Load sales over time, occupancy per stand and revenue per zone of the session, then draw them."""
        self.session_id = session_id
        self._request += 1
        request, desk, user, tz = self._request, self.desk, self.user, local_zone()
        self.message.setText(self.tr("Loading the figures of session {0}…").format(session_id))
        self.runner.run(lambda: desk.figures(user, session_id, tz), lambda figures: self.on_loaded(request, figures),
                        lambda exc: self.on_failed(request, exc), owner=self)

    def refresh(self) -> None:
        if self.session_id is not None:
            self.show_session(self.session_id)

    def on_loaded(self, request: int, figures: SessionFigures) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return
        self.figures = figures
        self._set_chart(self.sales_view, self.sales_chart(figures.sales))
        self._set_chart(self.occupancy_view, self.occupancy_chart(figures.layout, figures.occupancy))
        self._set_chart(self.zones_view, self.zones_chart(figures.revenue))
        self._set_chart(self.types_view, self.types_chart(figures.price_types))
        seats = sum(b.seats for b in figures.sales)
        revenue = sum((b.revenue for b in figures.sales), Decimal("0.00"))
        capacity = sum(st.capacity for st in figures.occupancy)
        sold_now = sum(st.sold for st in figures.occupancy)
        self.message.setText(self.tr("Session {0}: {1} seats sold, revenue {2}; {3} % of the seats sold.").format(
            figures.session_id, f"{seats:,}", revenue, f"{percent(sold_now, capacity):.1f}"))
        self.loaded.emit(figures.session_id)

    def on_failed(self, request: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return
        self.message.setText(describe(exc)[1])

    @staticmethod
    def _set_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()  # the view gives up the old chart without deleting it

    def _chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        font = QFont(chart.titleFont())
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setTitleBrush(QColor(INK))
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(6, 6, 6, 6))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        return chart

    # -- category labels that fit ---------------------------------------------------------------------------------
    def label_room(self, view: QChartView) -> int:
        """How wide (pixels) a line of one of ``view``'s category labels may be, beside the bars (the three bar
        charts are horizontal: Qt Charts gives the axis about a third of the chart and cuts anything longer)."""
        width = max(view.width(), view.minimumWidth())
        return max(60, int(width * 0.28))

    def fit_labels(self, view: QChartView, labels: list[tuple[str, str]]) -> list[str]:
        """(name, figures) → the name wrapped at its words onto lines of :meth:`label_room` (a word longer than that
        is cut with "…"), then the figures on their own line — Qt would cut the one long line anywhere ("North S…",
        "Family / behind goals: 0 s…"). The full labels go in the view's tooltip."""
        fm, room = QFontMetrics(QBarCategoryAxis().labelsFont()), self.label_room(view)
        full = [f"{name}: {figures}" for name, figures in labels]
        self._full_labels[view.objectName()] = full
        view.setToolTip("\n".join(full))
        out = []
        for name, figures in labels:
            lines = wrap(name, fm, room)[:3]
            lines.append(fm.elidedText(figures, Qt.TextElideMode.ElideRight, room))
            out.append("<br>".join(html.escape(line) for line in lines))
        return out

    def full_labels(self, view: QChartView) -> list[str]:
        return list(self._full_labels.get(view.objectName(), []))

    # -- the three charts -----------------------------------------------------------------------------------------
    def sales_chart(self, buckets: list[SalesBucket]) -> QChart:
        chart = self._chart(self.tr("Sales over time"))
        seats, revenue = QLineSeries(), QLineSeries()
        seats.setName(self.tr("Seats sold"))
        revenue.setName(self.tr("Revenue"))
        seats.setPen(QPen(QColor(ACCENT), 2))
        revenue.setPen(QPen(QColor("#6a9a3a"), 2, Qt.PenStyle.DashLine))
        for series in (seats, revenue):
            series.setPointsVisible(True)
        for b in buckets:
            seats.append(_ms(b), b.seats)
            revenue.append(_ms(b), float(b.revenue))
        chart.addSeries(seats)
        chart.addSeries(revenue)
        step = (buckets[1].start - buckets[0].start) if len(buckets) > 1 else timedelta(minutes=1)
        axis_x = QDateTimeAxis()
        axis_x.setFormat("dd MMM" if step >= timedelta(days=1) else
                         "dd MMM HH:mm" if step >= timedelta(hours=1) else "HH:mm")
        axis_x.setTitleText(self.tr("Local time (per {0})").format(
            self.tr("day") if step >= timedelta(days=1) else
            self.tr("hour") if step >= timedelta(hours=1) else self.tr("minute")))
        if buckets:
            first, last = _ms(buckets[0]), _ms(buckets[-1])
            pad = step.total_seconds() * 1000 / 2 if len(buckets) == 1 else 0  # one point: a bucket wide
            axis_x.setRange(QDateTime.fromMSecsSinceEpoch(int(first - pad)),
                            QDateTime.fromMSecsSinceEpoch(int(last + pad)))
        axis_x.setTickCount(_tick_count(len(buckets)) if len(buckets) > 1 else 3)
        axis_seats = _value_axis(self.tr("Seats"), max((b.seats for b in buckets), default=0), "%d")
        axis_money = _value_axis(self.tr("Revenue"), float(max((b.revenue for b in buckets), default=0)), "%.0f")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_seats, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_money, Qt.AlignmentFlag.AlignRight)
        for series, axis in ((seats, axis_seats), (revenue, axis_money)):
            series.attachAxis(axis_x)
            series.attachAxis(axis)
        if not buckets:
            chart.setTitle(self.tr("Sales over time — nothing sold yet"))
        self.seats_series, self.revenue_series = seats, revenue
        return chart

    def occupancy_chart(self, layout: Layout, stands: list[StandOccupancy]) -> QChart:
        """Per stand, sold / held or blocked / free as shares of its seats (a percent bar series: every bar is 100 %
        high, whatever the stand's size); each stand's label says its sold share."""
        chart = self._chart(self.tr("Occupancy per stand (%)"))
        names = {st.code: st.name for st in layout.stands}
        sets = {
            "sold": QBarSet(self.tr("Sold")),
            "held": QBarSet(self.tr("Held or blocked")),
            "free": QBarSet(self.tr("Free")),
        }
        for key, colour in (("sold", SOLD), ("held", HELD), ("free", FREE)):
            sets[key].setColor(QColor(colour))
            sets[key].setBorderColor(QColor(colour))
        for st in stands:
            sets["sold"].append(st.sold)
            sets["held"].append(st.held_or_blocked)
            sets["free"].append(st.free)
        series = QHorizontalPercentBarSeries()  # horizontal: the stands' names have room beside the bars
        for s in sets.values():
            series.append(s)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        self.occupancy_labels = [self.tr("{0}: {1} %").format(
            names.get(st.stand, st.stand), f"{percent(st.sold, st.capacity):.1f}") for st in stands]
        axis_x.append(self.fit_labels(self.occupancy_view, [
            (names.get(st.stand, st.stand), f"{percent(st.sold, st.capacity):.1f} %") for st in stands]))
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setTickCount(5)  # 0, 25, 50, 75, 100: room for each under the bars
        axis_y.setLabelFormat("%d %%")
        axis_y.setTitleText(self.tr("% of the seats"))  # fits the chart's height (the longer title was cut)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.occupancy_sets, self.occupancy_axis = sets, axis_y
        return chart

    def zones_chart(self, zones: list[ZoneRevenue]) -> QChart:
        """One bar per zone in the zone's colour (a stacked series of one set per zone, zero at the other zones),
        horizontal so that the zone names have room."""
        chart = self._chart(self.tr("Revenue per price zone"))
        series = QHorizontalStackedBarSeries()
        sets: dict[str, QBarSet] = {}
        zones = zones[::-1]  # categories go bottom-up: the first zone on top
        for i, z in enumerate(zones):
            s = QBarSet(z.name)
            s.setColor(QColor(z.colour))
            s.setBorderColor(QColor(z.colour))
            s.append([float(z.revenue) if j == i else 0.0 for j in range(len(zones))])
            series.append(s)
            sets[z.code] = s
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(self.fit_labels(self.zones_view, [
            (z.name, self.tr("{0} seats · {1}").format(f"{z.sold:,}", z.revenue)) for z in zones]))
        money = _value_axis(self.tr("Revenue"), float(max((z.revenue for z in zones), default=0)), "%.0f")
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(money, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(money)
        chart.legend().hide()  # the categories name the zones
        self.zone_sets = sets
        return chart

    def types_chart(self, types: list[TypeSales]) -> QChart:
        """Seats sold per price type (one bar per type, horizontal like the zones'); each label says the seats and
        their share of the seats sold."""
        chart = self._chart(self.tr("Seats sold per price type"))
        series = QHorizontalStackedBarSeries()
        sets: dict[str, QBarSet] = {}
        total = sum(t.sold for t in types)
        shown = types[::-1]  # the first type on top
        for i, t in enumerate(shown):
            s = QBarSet(t.name)
            colour = QColor(TYPE_COLOURS[(len(shown) - 1 - i) % len(TYPE_COLOURS)])
            s.setColor(colour)
            s.setBorderColor(colour)
            s.append([float(t.sold) if j == i else 0.0 for j in range(len(shown))])
            series.append(s)
            sets[t.code] = s
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(self.fit_labels(self.types_view, [
            (t.name, self.tr("{0} · {1} %").format(f"{t.sold:,}", f"{percent(t.sold, total):.1f}")) for t in shown]))
        seats = _value_axis(self.tr("Seats"), float(max((t.sold for t in types), default=0)), "%d")
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(seats, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(seats)
        chart.legend().hide()
        if not total:
            chart.setTitle(self.tr("Seats sold per price type — nothing sold yet"))
        self.type_sets = sets
        return chart
