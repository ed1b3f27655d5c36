"""Architecture rules (DESIGN §3, §7): the package never touches Qt, and every Lua script documents its contract."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "boxoffice"
LUA = PACKAGE / "adapters" / "lua"
FORBIDDEN = ("PySide6", "shiboken6", "ui")
SOURCES = sorted(PACKAGE.rglob("*.py"))
SCRIPTS = sorted(LUA.glob("*.lua"))


def _forbidden(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in FORBIDDEN


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Absolute module names imported by ``import``/``from`` statements and literal importlib/__import__ calls."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def test_scanner_sees_every_kind_of_import() -> None:
    code = "import PySide6.QtCore\nfrom ui import main\nimportlib.import_module('shiboken6')\nfrom . import ui\n"
    assert [m for _, m in imported_modules(ast.parse(code)) if _forbidden(m)] == ["PySide6.QtCore", "ui", "shiboken6"]


def test_sources_found() -> None:
    assert PACKAGE / "cli.py" in SOURCES and PACKAGE / "domain" / "best.py" in SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_package_never_imports_qt_or_ui(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [f"{path.relative_to(ROOT)}:{line} imports {module}" for line, module in imported_modules(tree)
           if _forbidden(module)]
    assert bad == []


def test_importing_the_package_loads_no_qt() -> None:
    """Import every module (but the Alembic environment, which only runs inside Alembic) in a fresh interpreter."""
    code = (
        "import pkgutil, sys, importlib, boxoffice\n"
        "for m in pkgutil.walk_packages(boxoffice.__path__, 'boxoffice.'):\n"
        "    if not m.name.startswith('boxoffice.migrations'):\n"
        "        importlib.import_module(m.name)\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- Lua scripts --------------------------------------------------------------------------------------------------
def header(path: Path) -> str:
    """The leading block of ``--`` comment lines."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)


def test_lua_scripts_found() -> None:
    assert {p.stem for p in SCRIPTS} >= {"issue_token", "deduct", "confirm", "release", "rebuild"}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_lua_header_documents_keys_argv_returns(path: Path) -> None:
    head = header(path)
    assert head, f"{path.name} does not start with a comment header"
    for word in ("KEYS", "ARGV", "Returns"):
        assert re.search(rf"\b{word}\b", head), f"{path.name}: header does not mention {word}"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_lua_header_documents_every_key_used(path: Path) -> None:
    head = header(path)
    body = path.read_text(encoding="utf-8")[len(head):]
    used = set(re.findall(r"KEYS\[(\d+)\]", body))
    documented = set(re.findall(r"KEYS\[(\d+)\]", head))
    assert used <= documented, f"{path.name}: KEYS {sorted(used - documented, key=int)} used but not documented"


def test_every_script_is_registered() -> None:
    from boxoffice.adapters.seatstore.scripts import COMPOSED
    from boxoffice.adapters.seatstore.scripts import SCRIPTS as REGISTERED

    assert {*REGISTERED, *COMPOSED} == {p.stem for p in SCRIPTS}
    for parts in COMPOSED.values():  # a composed script is built from registered ones
        assert set(parts) <= set(REGISTERED)


# -- the windows talk to the FrontDesk only (issue 12, item 4) ------------------------------------------------------
UI = ROOT / "ui"
UI_SOURCES = sorted(UI.rglob("*.py"))
#: what only the composition root and the services hold: a window reaching for one of these bypasses the FrontDesk
BACKEND_ATTRIBUTES = frozenset({"store", "redis", "engine", "sale_engine", "uow", "probe"})


def ui_violations(tree: ast.AST) -> list[tuple[int, str]]:
    """``boxoffice.adapters`` imports, and ``x.store`` / ``x.redis`` / ``x.engine`` / … reads."""
    found = [(line, f"imports {module}") for line, module in imported_modules(tree)
             if module == "boxoffice.adapters" or module.startswith("boxoffice.adapters.")]
    found += [(node.lineno, f"reads .{node.attr}") for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and node.attr in BACKEND_ATTRIBUTES]
    return sorted(found)


def test_the_ui_checker_finds_each_way_past_the_desk() -> None:
    code = ("from boxoffice.adapters.seatstore import Snapshot\nimport boxoffice.adapters\n"
            "x = app.store.snapshot(1)\ny = self.app.redis\nz = app.engine\nw = desk.sell\n")
    assert [what for _, what in ui_violations(ast.parse(code))] == [
        "imports boxoffice.adapters.seatstore", "imports boxoffice.adapters", "reads .store", "reads .redis",
        "reads .engine"]


def test_ui_sources_found() -> None:
    assert UI / "sale_window.py" in UI_SOURCES and UI / "supervisor" / "drift_map.py" in UI_SOURCES


@pytest.mark.parametrize("path", UI_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_windows_reach_the_backends_only_through_the_front_desk(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [f"{path.relative_to(ROOT)}:{line} {what}" for line, what in ui_violations(tree)]
    assert bad == []
