"""The workstation's printer (Workstation → Printer settings…): kept in QSettings on this computer, it overrides
``BOXOFFICE_PRINTER`` for this workstation's windows.

The choices: the ticket PDF; a printer of this computer (Qt's list of printers); an ESC/POS thermal printer on the
network (host and port) or on a device file. "Test print" prints a short page on the printer as chosen (off the GUI
thread), before it is saved.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSettings, Slot
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.values import Receipt, SessionInfo
from boxoffice.services.frontdesk import FrontDesk, TicketSheet

from .messages import describe
from .printing import print_order
from .tasks import TaskRunner

#: the QSettings key of the workstation's printer (absent: BOXOFFICE_PRINTER)
KEY = "printing/printer"


def settings_store() -> QSettings:
    """Where this workstation keeps its settings (the application's QSettings; tests point it at a file)."""
    return QSettings()


def workstation_printer(desk: FrontDesk, store: QSettings | None = None) -> str:
    """The printer this workstation prints on: its own setting, else BOXOFFICE_PRINTER."""
    value = (store or settings_store()).value(KEY, "")
    return str(value) if value else desk.printer


def _test_receipt() -> tuple[Receipt, SessionInfo, TicketSheet]:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    receipt = Receipt(0, 0, "test", "paid", "test", "card", Decimal("0.00"), now)
    session = SessionInfo(0, 0, "Test print", "Test print", now, now, "onsale", 0)
    return receipt, session, TicketSheet((), {}, "EUR")


class PrinterSettingsDialog(QDialog):
    """Choose this workstation's printer; Save keeps it in QSettings (Use the default forgets it)."""

    def __init__(self, desk: FrontDesk, runner: TaskRunner, parent: QWidget | None = None,
                 store: QSettings | None = None, tickets_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printerSettings")
        self.setWindowTitle(self.tr("Printer settings"))
        self.setMinimumWidth(460)
        self.desk, self.runner = desk, runner
        self.prefs = store or settings_store()
        self.tickets_dir = tickets_dir or desk.tickets_dir
        self.choice = QButtonGroup(self)
        self.pdf = QRadioButton(self.tr("Ticket PDF (saved in the tickets folder)"))
        self.system = QRadioButton(self.tr("A printer of this computer"))
        self.network = QRadioButton(self.tr("ESC/POS thermal printer on the network"))
        self.device = QRadioButton(self.tr("ESC/POS thermal printer on a device or file"))
        for k, button in enumerate((self.pdf, self.system, self.network, self.device)):
            button.setObjectName(("choosePdf", "chooseSystem", "chooseNetwork", "chooseDevice")[k])
            self.choice.addButton(button, k)
        self.printers = QComboBox()
        self.printers.setObjectName("systemPrinters")
        names = [info.printerName() for info in QPrinterInfo.availablePrinters()]
        self.printers.addItems(names)
        if not names:
            self.printers.setPlaceholderText(self.tr("this computer has no printers"))
            self.system.setEnabled(False)
        self.host = QLineEdit()
        self.host.setObjectName("escposHost")
        self.host.setPlaceholderText(self.tr("host name or address"))
        self.port = QSpinBox()
        self.port.setObjectName("escposPort")
        self.port.setRange(1, 65535)
        self.port.setValue(9100)
        self.path = QLineEdit()
        self.path.setObjectName("escposPath")
        self.path.setPlaceholderText(self.tr("/dev/usb/lp0"))
        self.default_line = QLabel(self.tr("Default for every workstation (BOXOFFICE_PRINTER): {0}")
                                   .format(desk.printer))
        self.default_line.setObjectName("defaultPrinter")
        self.default_line.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("printerStatus")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        form = QFormLayout()
        form.addRow(self.pdf)
        form.addRow(self.system)
        form.addRow(self.tr("Printer"), self.printers)
        form.addRow(self.network)
        hostport = QHBoxLayout()
        hostport.addWidget(self.host, 1)
        hostport.addWidget(QLabel(self.tr("port")))
        hostport.addWidget(self.port)
        form.addRow(self.tr("Host"), hostport)
        form.addRow(self.device)
        form.addRow(self.tr("Device"), self.path)
        self.buttons = QDialogButtonBox()
        self.test_button = self.buttons.addButton(self.tr("Test print"), QDialogButtonBox.ButtonRole.ActionRole)
        self.test_button.setObjectName("testPrint")
        self.default_button = self.buttons.addButton(self.tr("Use the default"),
                                                     QDialogButtonBox.ButtonRole.ResetRole)
        self.default_button.setObjectName("useDefault")
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("savePrinter")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        close.clicked.connect(self.reject)
        self.test_button.clicked.connect(self.on_test_button_clicked)
        self.default_button.clicked.connect(self.on_default_button_clicked)
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.choice.idToggled.connect(lambda _id, _on: self.update_fields())
        layout = QVBoxLayout(self)
        layout.addWidget(self.default_line)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.show_spec(workstation_printer(desk, self.prefs))

    def show_spec(self, spec: str) -> None:
        """The form set to ``spec`` (a spec it cannot show as a choice, e.g. escpos:usb, is said in the status)."""
        kind, _, rest = spec.partition(":")
        if kind == "system" and self.printers.findText(rest) >= 0:
            self.system.setChecked(True)
            self.printers.setCurrentIndex(self.printers.findText(rest))
        elif spec.startswith("escpos:tcp://"):
            self.network.setChecked(True)
            host, _, port = spec[len("escpos:tcp://"):].rpartition(":")
            self.host.setText(host)
            self.port.setValue(int(port) if port.isdigit() else 9100)
        elif spec.startswith(("escpos:file:", "escpos:serial:")):
            self.device.setChecked(True)
            self.path.setText(spec.split(":", 2)[2])
        else:
            self.pdf.setChecked(True)
            if spec != "pdf":
                self.status.setText(self.tr("Now: {0}").format(spec))
        self.update_fields()

    def update_fields(self) -> None:
        self.printers.setEnabled(self.system.isChecked())
        self.host.setEnabled(self.network.isChecked())
        self.port.setEnabled(self.network.isChecked())
        self.path.setEnabled(self.device.isChecked())

    def spec(self) -> str:
        """The printer as chosen, as a spec (not checked yet)."""
        if self.system.isChecked():
            return f"system:{self.printers.currentText()}"
        if self.network.isChecked():
            return f"escpos:tcp://{self.host.text().strip()}:{self.port.value()}"
        if self.device.isChecked():
            return f"escpos:file:{self.path.text().strip()}"
        return "pdf"

    def checked_spec(self) -> str | None:
        """The chosen spec, checked; None (and the reason shown) when it is not a printer."""
        try:
            return self.desk.check_printer(self.spec())
        except Exception as exc:  # noqa: BLE001 - shown to the clerk in words
            self.status.setText(describe(exc)[1])
            return None

    @Slot()
    def on_save_button_clicked(self) -> None:
        spec = self.checked_spec()
        if spec is None:
            return
        self.prefs.setValue(KEY, spec)
        self.prefs.sync()
        self.accept()

    @Slot()
    def on_default_button_clicked(self) -> None:
        self.prefs.remove(KEY)
        self.prefs.sync()
        self.accept()

    @Slot()
    def on_test_button_clicked(self) -> None:
        spec = self.checked_spec()
        if spec is None:
            return
        desk = self.desk
        path = self.tickets_dir / "test-print.pdf"
        self.test_button.setEnabled(False)
        self.status.setText(self.tr("Printing a test page on {0}…").format(spec))

        def test() -> str:
            if spec.startswith("escpos:"):
                desk.print_test_page(spec)
                return spec
            receipt, session, sheet = _test_receipt()
            return str(print_order(receipt, session, sheet, spec, desk=desk, pdf_path=path))

        self.runner.run(test, self.on_tested, self.on_test_failed)

    def on_tested(self, where: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(self.tr("Test page printed: {0}").format(where))

    def on_test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(self.tr("Test print failed: {0}").format(describe(exc)[1]))
