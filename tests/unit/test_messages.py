"""Errors carry a reason and its arguments (the window translates them), and stay English for the CLI and the logs."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from boxoffice import errors
from boxoffice.errors import REASONS, BadInput, NotFound, SalesClosed, SeatsTaken, SeatsUnavailable

ROOT = Path(__file__).resolve().parents[2]

#: the services a window calls (through the FrontDesk): every error they raise names a reason. The CLI-only ones
#: (catalog import, CLI sign-in sessions, sales-window edits, ticket verification, outbox limits) may still raise a
#: plain English message.
WINDOW_SERVICES = ("accounts", "aftersale", "booking", "degraded", "frontdesk", "holds", "insights", "inventory",
                   "orders", "repairs")


def test_str_is_the_english_template_filled_in_and_the_code_is_the_classes():
    e = NotFound(reason="order_not_found", order_id=99)
    assert (str(e), e.code, e.reason, e.params) == ("no order with id 99", "not_found", "order_not_found",
                                                    {"order_id": 99})
    assert e.as_dict() == {"error": "not_found", "message": "no order with id 99"}
    assert str(SeatsUnavailable(["S1-A-1"], reason="seat_blocked")) == "S1-A-1 is blocked (not for sale)"
    assert str(SeatsUnavailable(["A", "B"])) == "seats unavailable: A, B"
    assert SeatsTaken([3, 4], ["X-1", "X-2"]).reason == "seats_unavailable"
    assert SalesClosed().reason == "sales_closed" and str(SalesClosed()) == "sales for this session are closed"
    plain = BadInput("something odd")
    assert plain.reason is None and str(plain) == "something odd"
    with pytest.raises(KeyError):
        BadInput(reason="no_such_reason")


@pytest.mark.parametrize("key", sorted(REASONS))
def test_every_reason_formats_with_its_fields(key):
    fields = {f for _, f, _, _ in string.Formatter().parse(REASONS[key]) if f}
    assert REASONS[key].format(**{f: f"<{f}>" for f in fields})


def test_the_window_services_and_the_windows_raise_by_reason_only():
    """No error of a service a window calls (or of a window) is raised with a bare English message (it would reach a Chinese window
    untranslated): ``raise X("…")`` / ``raise X(f"…")`` fails here; ``raise X(reason=…, …)`` is the way."""
    bare = []
    for path in [*(ROOT / "boxoffice" / "services" / f"{name}.py" for name in WINDOW_SERVICES),
                 *sorted((ROOT / "ui").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
                cls = call.func.id if isinstance(call.func, ast.Name) else None
                if cls in dir(errors) and any(isinstance(a, (ast.Constant, ast.JoinedStr)) and
                                              not (isinstance(a, ast.Constant) and not isinstance(a.value, str))
                                              for a in call.args):
                    bare.append(f"{path.name}:{node.lineno}: {ast.unparse(call)[:80]}")
    assert bare == []
