"""Receipts and reprints (issue 13 item 7): the receipt shows the cash given and the change (kept with the payment, so
a reprint shows them too), amounts in the configured currency as the locale writes money, zone names, and it is in
Chinese under zh_CN."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtPdf import QPdfDocument
from sqlalchemy import text

from boxoffice.config import load_settings
from boxoffice.errors import BadInput
from boxoffice.services.frontdesk import TicketSheet
from ui.i18n import install_translations, uninstall_translations
from ui.sale_window import SaleWindow
from ui.tasks import TaskRunner
from ui.tickets_pdf import receipt_rows, write_tickets


def pdf_text(path: Path) -> list[str]:
    """The text of every page of the PDF."""
    doc = QPdfDocument(None)
    assert doc.load(str(path)) == QPdfDocument.Error.None_, f"cannot read {path}"
    pages = [doc.getAllText(i).text() for i in range(doc.pageCount())]
    doc.close()
    return pages


@pytest.fixture
def english(qapp):
    """US English money and dates, whatever the machine's locale."""
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(QLocale.system())


@pytest.fixture
def chinese(qapp):
    translators = install_translations(qapp, "zh_CN")
    yield
    uninstall_translations(qapp, translators)


@pytest.fixture
def window(qtbot, app, session):
    runner = TaskRunner()
    win = SaleWindow(app.desk, runner, session, app.catalog.layout(session.venue_id), app.accounts.get("alice"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.version >= 0, timeout=5000)
    yield win
    win.close()
    runner.shutdown()


def test_cash_given_and_change_are_on_the_receipt_and_on_its_reprint(qtbot, app, session, english, window,
                                                                      tmp_path):
    window.map.select([4, 5])  # S1-A-5, S1-A-6: zone A "Front", 20.00 each
    window.cash_given.setText("50")
    qtbot.mouseClick(window.sell_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.last_tickets is not None, timeout=10_000)
    receipt = pdf_text(window.last_tickets)[-1]
    for words in ("Receipt — order", "Front", "€20.00", "Total", "€40.00", "Cash given", "€50.00", "Change",
                  "€10.00"):
        assert words in receipt, (words, receipt)
    assert "zone A" not in receipt

    order_id = int(window.last_tickets.stem.split("-")[1])
    with app.uow() as tx:
        kept = tx.session.execute(text("SELECT amount, tendered FROM payments WHERE order_id = :o"),
                                  {"o": order_id}).one()
    assert kept == (Decimal("40.00"), Decimal("50.00"))

    # the reprint (the order looked up again, as the order window does) prints the same cash and change
    again = app.desk.find_order(str(order_id), session.session_id)
    assert again.tendered == Decimal("50.00") and again.change == Decimal("10.00")
    reprint = pdf_text(write_tickets(tmp_path / "reprint.pdf", again, session, app.desk.ticket_sheet(again)))[-1]
    assert "Cash given" in reprint and "€50.00" in reprint and "€10.00" in reprint


def test_exact_cash_and_card(qtbot, app, session, english, tmp_path):
    user = app.accounts.get("alice")
    exact = app.desk.sell(user, session.session_id, (20,))  # no cash typed: exact money
    assert exact.tendered is None
    page = pdf_text(write_tickets(tmp_path / "a.pdf", exact, session, app.desk.ticket_sheet(exact)))[-1]
    assert "Cash given" in page and "Change" in page and "€0.00" in page
    card = app.desk.sell(user, session.session_id, (21,), payment="card")
    page = pdf_text(write_tickets(tmp_path / "b.pdf", card, session, app.desk.ticket_sheet(card)))[-1]
    assert "Paid by card" in page and "Cash given" not in page
    with pytest.raises(BadInput, match="does not cover"):  # the service checks the cash too, not only the window
        app.desk.sell(user, session.session_id, (22,), tendered=Decimal("1.00"))
    with pytest.raises(BadInput, match="cash payments only"):
        app.desk.sell(user, session.session_id, (23,), payment="card", tendered=Decimal("100.00"))


def test_the_receipt_is_chinese_under_zh_cn_in_the_configured_currency(app, session, chinese, tmp_path):
    user = app.accounts.get("bob")
    receipt = app.desk.sell(user, session.session_id, (30, 31), tendered=Decimal("50.00"))
    sheet = app.desk.ticket_sheet(receipt)
    assert sheet.zone_names == {"A": "Front", "B": "Back"} and sheet.currency == "EUR"
    yuan = TicketSheet(sheet.codes, sheet.zone_names, "CNY")
    # what the receipt paints, in Chinese and yuan (the words are checked here: with Noto Sans CJK, a font
    # collection, the text layer Qt's PDF writer makes maps some glyphs to control codes, e.g. 收 → \x01, so a PDF
    # reader cannot give every character back although each is drawn right)
    assert receipt_rows(receipt, yuan) == [("合计", "¥25.00"), ("实收现金", "¥50.00"), ("找零", "¥25.00")]
    pages = pdf_text(write_tickets(tmp_path / "zh.pdf", receipt, session, yuan))
    last = pages[-1]
    for words in ("订单", "¥50.00", "¥25.00", "bob"):  # what every font's text layer keeps
        assert words in last, (words, last)
    assert "Receipt" not in last and "Cash given" not in last and "Change" not in last and "Total" not in last


def test_currency_setting():
    assert load_settings({}).currency == "EUR"
    assert load_settings({"BOXOFFICE_CURRENCY": "cny"}).currency == "CNY"
    with pytest.raises(BadInput, match="ISO 4217"):
        load_settings({"BOXOFFICE_CURRENCY": "euro"})


def test_a_long_type_and_zone_fit_on_the_receipt(qapp, app, session, english, tmp_path):
    """"Complimentary" (and a long zone name) are printed whole: the middle column takes the room the seat label and
    the price leave, and goes onto two lines when even that is short."""
    from boxoffice.services.booking import SaleRequest
    from tests.conftest import TEST_PASSWORD
    from tests.ui.test_price_types import PRICE_LIST
    from ui.tickets_pdf import receipt_columns

    app.pricing.import_list(PRICE_LIST, "sam", venue_id=session.venue_id)
    app.catalog.forget_prices()

    r = app.booking.sell(SaleRequest(session.session_id, "alice", seats=("S1-A-4", "S2-C-6"),
                                     price_types=("comp", "senior"), supervisor="sam",
                                     supervisor_password=TEST_PASSWORD))
    sheet = app.desk.ticket_sheet(r)
    path = write_tickets(tmp_path / "comp.pdf", r, session, sheet)
    doc = QPdfDocument(None)
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    image = doc.render(doc.pageCount() - 1, doc.pagePointSize(doc.pageCount() - 1).toSize() * 3)
    image.save(str(tmp_path / "receipt.png"))
    doc.close()
    assert "Complimentary" in pdf_text(path)[-1]
    # the columns on a receipt as narrow as an A6 page's print area (89 mm at 9 pt ≈ 336 px at 12 px): every text
    # fits its column, "Complimentary" included
    from PySide6.QtGui import QFontMetricsF

    from ui.tickets_pdf import middle_lines

    fm = QFontMetricsF(QFont("DejaVu Sans", 9))
    width = 28 * fm.height()
    rows = [(ln.label, "", f"${ln.price}") for ln in r.lines]
    label_w, middle_w, price_w = receipt_columns(fm, width, rows)
    assert label_w + middle_w + price_w <= width + 0.01
    assert all(fm.horizontalAdvance(a) <= label_w and fm.horizontalAdvance(c) <= price_w for a, _b, c in rows)
    for zone_name in ("Back", "Family enclosure behind the goals"):
        lines = middle_lines(fm, middle_w, zone_name, "Complimentary")
        assert "Complimentary" in lines[-1] and all(fm.horizontalAdvance(t) <= middle_w for t in lines), lines
