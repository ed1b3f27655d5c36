"""The embedded servers' supervisor in the status bar: "Embedded PostgreSQL stopped — restarting…", then
"Embedded PostgreSQL restarted at 11:42:05".

The events come from the FrontDesk (``desk.server_events``, plain Python filled by the supervisor thread of
``boxoffice.embedded``); a timer reads them every second off the GUI thread, like the sessions window's outbox age.
The banners over a window (degraded mode, the map not live) live here too.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from boxoffice.embedded import POSTGRESQL, VALKEY, ServerEvent
from boxoffice.services.frontdesk import FrontDesk

from .messages import describe
from .tasks import TaskRunner

#: a "restarted" notice stays this long; "stopped — restarting…" and "could not restart" stay until resolved
RESTART_NOTICE = timedelta(minutes=10)
SERVER_NAMES = {POSTGRESQL: "PostgreSQL", VALKEY: "Valkey"}


class DegradedBanner(QLabel):
    """The red line over a window while Redis is unreachable and sales go through the database alone (hidden
    otherwise); the sessions window and the sale window show the same one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("Seat map not live — selling from the database"))
        self.setObjectName("degradedBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVisible(False)


class MapNotLiveBanner(QLabel):
    """The amber line over the sale window while its live feed cannot read the seat map (Redis does not answer):
    the map shows what it last heard until a read succeeds again (hidden otherwise)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("Map not live — reconnecting…"))
        self.setObjectName("mapNotLive")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVisible(False)


def describe_server_event(event: ServerEvent, now: datetime | None = None) -> str:
    """The status-bar words for the supervisor's latest event ('' when there is nothing worth saying any more)."""
    name = SERVER_NAMES.get(event.server, event.server)
    if event.kind == "down":
        return QCoreApplication.translate("ServerStatus", "Embedded {0} stopped — restarting…").format(name)
    if event.kind == "failed":
        return QCoreApplication.translate("ServerStatus", "Embedded {0} could not be restarted, retrying: {1}").format(
            name, event.detail)
    if (now or datetime.now(timezone.utc)) - event.at > RESTART_NOTICE:
        return ""
    return QCoreApplication.translate("ServerStatus", "Embedded {0} restarted at {1}").format(
        name, event.at.astimezone().strftime("%H:%M:%S"))


class ServerStatus(QObject):
    """Shows the supervisor's latest event in ``label``, polled every ``interval_ms`` off the GUI thread."""

    INTERVAL_MS = 1000

    def __init__(self, desk: FrontDesk, runner: TaskRunner, label: QLabel, parent: QWidget | None = None,
                 interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.label = desk, runner, label
        self.label.setObjectName("serverStatus")
        self.label.setVisible(False)
        self._polling = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start()
        self.on_timer_timeout()

    @Slot()
    def on_timer_timeout(self) -> None:
        if self._polling:
            return
        self._polling = True
        self.runner.run(self.desk.latest_server_event, self.on_latest_loaded, self.on_latest_failed, quiet=True)

    def on_latest_loaded(self, event: ServerEvent | None) -> None:
        self._polling = False
        if not (isValid(self) and isValid(self.label)):
            return  # the window (and this poller with it) was deleted while the read was in flight
        text = "" if event is None else describe_server_event(event)
        self.label.setText(text)
        self.label.setProperty("kind", event.kind if event is not None else "")
        self.label.style().unpolish(self.label)  # the stylesheet colours by kind
        self.label.style().polish(self.label)
        self.label.setVisible(bool(text))

    def on_latest_failed(self, exc: BaseException) -> None:
        self._polling = False
        if isValid(self) and isValid(self.label):
            self.label.setText(QCoreApplication.translate("ServerStatus", "Server status unknown: {0}").format(
                describe(exc)[1]))
            self.label.setVisible(True)
