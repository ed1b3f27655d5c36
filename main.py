"""Start the box office window: ``python main.py`` (``make run``).

Uses the servers named by BOXOFFICE_DATABASE_URL / BOXOFFICE_REDIS_URL, or starts the embedded PostgreSQL and Valkey
under BOXOFFICE_DATA_DIR when they are not set. The schema is brought up to date on start.

The terminal shows warnings and errors only (BOXOFFICE_LOG_LEVEL=INFO or DEBUG for more); the same lines go to
<data dir>/logs/app.log, rotated (boxoffice/logs.py).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import warnings
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from boxoffice import logs
from boxoffice.bootstrap import App, build
from boxoffice.config import load_settings
from boxoffice.errors import BadInput
from boxoffice.scheduler import background
from boxoffice.services.frontdesk import FrontDesk
from ui.i18n import choose_language, install_translations
from ui.live_feed import wait_for_feeds
from ui.sessions_window import SessionsWindow
from ui.tasks import TaskRunner

RESOURCES = Path(__file__).resolve().parent / "resources"


def start_logging() -> Path | None:
    """The terminal and <data dir>/logs/app.log; a bad BOXOFFICE_LOG_LEVEL or data dir is said, not fatal (a bad
    setting of the servers is shown by the window, once it tries them)."""
    try:
        data_dir: Path | None = load_settings().data_dir
    except BadInput:
        data_dir = None
    try:
        return logs.setup("app", data_dir, catch_unhandled=True)
    except BadInput as exc:
        env = {k: v for k, v in os.environ.items() if k != logs.LEVEL_ENV}
        path = logs.setup("app", data_dir, env=env, catch_unhandled=True)
        logging.getLogger(__name__).warning("%s; logging at WARNING", exc)
        return path


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")  # pgserver asks platformdirs for a runtime dir
    start_logging()
    qt_app = QApplication(sys.argv if argv is None else argv)
    qt_app.setApplicationName("Box office")
    qt_app.setOrganizationName("boxoffice")
    qt_app.setStyleSheet((RESOURCES / "styles" / "app.qss").read_text(encoding="utf-8"))
    install_translations(qt_app, choose_language())
    # SIGTERM / Ctrl+C close the window properly, so the embedded servers are released; the timer lets Python run
    # its signal handlers while Qt's event loop has the thread.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: qt_app.quit())
    wake = QTimer(qt_app)
    wake.start(250)
    wake.timeout.connect(lambda: None)
    runner = TaskRunner(qt_app)
    window = SessionsWindow(runner)
    window.show()
    jobs = []
    apps: list[App] = []

    def start() -> FrontDesk:
        """Off the GUI thread: servers, schema, and this process's share of the background jobs (DESIGN §5). The
        windows get the app's FrontDesk, never the App."""
        app = build(migrate=True)
        apps.append(app)
        jobs.append(background(app))
        return app.desk

    window.connect_backends(start)
    code = qt_app.exec()
    window.timer.stop()  # the event loop is over: from here on the process may wait
    wait_for_feeds()
    runner.shutdown()
    for scheduler in jobs:
        scheduler.shutdown(wait=True)
    for app in apps:
        app.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
