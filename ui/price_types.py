"""Price types at the clerk's window: the type of each selected seat (T cycles it), its price, and the supervisor
override a type such as a complimentary ticket needs.

:class:`SeatTypes` is plain bookkeeping (no widget): the session's price list as the FrontDesk gave it, and the
type chosen for each seat (adult unless the clerk pressed T). :class:`SupervisorBox` is the "Supervisor override"
box of ui/order_dialog.py and ui/exchange_dialog.py, shown in the sale panel while the selection has such a type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from boxoffice.domain.layout import Layout
from boxoffice.domain.pricing import PriceList, PriceTypeInfo
from boxoffice.domain.values import DEFAULT_PRICE_TYPE


class SeatTypes:
    """The price type of each seat of the sale in progress (adult unless chosen) and what it costs."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        #: the session's price list; None until the FrontDesk answered (every seat adult at its zone's price)
        self.price_list: PriceList | None = None
        self._chosen: dict[int, str] = {}

    def set_price_list(self, price_list: PriceList) -> None:
        """A (new) list: a chosen type it no longer sells, or no longer prices in the seat's zone, goes back to
        adult."""
        self.price_list = price_list
        self._chosen = {i: t for i, t in self._chosen.items() if self._prices(i, t)}

    def type_of(self, seat: int) -> str:
        return self._chosen.get(seat, DEFAULT_PRICE_TYPE)

    def info(self, seat: int) -> PriceTypeInfo | None:
        code = self.type_of(seat)
        if self.price_list is None:
            return None
        return next((t for t in self.price_list.types if t.code == code), None)

    def price_of(self, seat: int) -> Decimal:
        """The seat's price for its type (its zone's layout price until the list is known)."""
        zone = self.layout.seats[seat].zone
        if self.price_list is None:
            return self.layout.zone_by_code[zone].price
        found = self.price_list.prices.get((zone, self.type_of(seat)))
        return found if found is not None else self.layout.zone_by_code[zone].price

    def _prices(self, seat: int, code: str) -> bool:
        return self.price_list is not None and (self.layout.seats[seat].zone, code) in self.price_list.prices

    def cycle(self, seats: Sequence[int]) -> str | None:
        """T: these seats all take the type after the first one's, in the list's order, skipping types that have no
        price in one of their zones; returns the new type (None: nothing to cycle)."""
        if not seats or self.price_list is None or len(self.price_list.types) < 2:
            return None
        codes = [t.code for t in self.price_list.types]
        current = self.type_of(seats[0])
        start = codes.index(current) if current in codes else -1
        for step in range(1, len(codes) + 1):
            code = codes[(start + step) % len(codes)]
            if all(self._prices(i, code) for i in seats):
                for i in seats:
                    if code == DEFAULT_PRICE_TYPE:
                        self._chosen.pop(i, None)
                    else:
                        self._chosen[i] = code
                return code
        return None

    def types_for(self, seats: Iterable[int]) -> tuple[str, ...]:
        return tuple(self.type_of(i) for i in seats)

    def needing_supervisor(self, seats: Iterable[int]) -> list[PriceTypeInfo]:
        """The types of these seats that a supervisor must approve (each once, in seat order)."""
        found: dict[str, PriceTypeInfo] = {}
        for i in seats:
            info = self.info(i)
            if info is not None and info.needs_supervisor:
                found.setdefault(info.code, info)
        return list(found.values())

    def keep_only(self, seats: Iterable[int]) -> None:
        """Forget the types of seats no longer in the sale."""
        keep = set(seats)
        self._chosen = {i: t for i, t in self._chosen.items() if i in keep}

    def clear(self) -> None:
        self._chosen.clear()


class SupervisorBox(QGroupBox):
    """A supervisor's name and password approving the sale's types that need one (a complimentary ticket)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Supervisor override"), parent)
        self.setObjectName("supervisorOverride")
        self.notice = QLabel()
        self.notice.setObjectName("overrideNotice")
        self.notice.setWordWrap(True)
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisorName")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(self.notice)
        form.addRow(self.tr("Supervisor"), self.supervisor)
        form.addRow(self.tr("Password"), self.password)
        self.hide()

    def ask_for(self, types: Sequence[PriceTypeInfo]) -> None:
        """Shown (with what needs approving) while ``types`` is not empty; hidden and emptied otherwise."""
        if not types:
            self.clear()
            self.hide()
            return
        self.notice.setText(self.tr("{0}: a supervisor must approve with their name and password.").format(
            ", ".join(t.name for t in types)))
        self.show()

    def filled(self) -> bool:
        return bool(self.supervisor.text().strip() and self.password.text())

    def override(self) -> tuple[str | None, str | None]:
        """(supervisor name, password) while shown, else (None, None)."""
        if self.isHidden():
            return None, None
        return self.supervisor.text().strip(), self.password.text()

    def clear(self) -> None:
        self.supervisor.clear()
        self.password.clear()
