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


# -- the windows talk to the FrontDesk only ----------------------------------------------------------------------------
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


# -- the domain does no I/O; services hold no SQL and no driver --------------------------------------------------------
DOMAIN_SOURCES = sorted((PACKAGE / "domain").rglob("*.py"))
SERVICE_SOURCES = sorted((PACKAGE / "services").rglob("*.py"))
#: what the domain may not import: drivers, ORMs, the outer layers
DOMAIN_FORBIDDEN = ("sqlalchemy", "psycopg", "redis", "boxoffice.adapters", "boxoffice.services", "boxoffice.bootstrap")
#: drivers the services reach only through adapters (SQLAlchemy's ``Session`` type may appear in a signature)
SERVICE_FORBIDDEN = ("psycopg", "redis", "sqlalchemy.sql", "sqlalchemy.engine")
#: SQLAlchemy names that write SQL; a service importing one holds a query
SQL_BUILDERS = frozenset({"text", "select", "insert", "update", "delete", "func", "literal_column", "bindparam"})
SQL_TEXT = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")


def _absolute(path: Path, tree: ast.AST) -> list[tuple[int, str]]:
    """Every import of ``tree`` as an absolute module name (relative ``from .. import`` resolved against ``path``)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = list(imported_modules(tree))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            found.append((node.lineno, ".".join([*base, node.module] if node.module else base)))
    return found


def _starts(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_import_resolver_sees_relative_imports() -> None:
    path = PACKAGE / "services" / "x.py"
    code = "from ..adapters.repos import orders\nfrom .catalog import Catalog\nimport redis\n"
    assert [m for _, m in _absolute(path, ast.parse(code))] == [
        "redis", "boxoffice.adapters.repos", "boxoffice.services.catalog"]


@pytest.mark.parametrize("path", DOMAIN_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_no_driver_and_no_outer_layer(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [f"{line}: {module}" for line, module in _absolute(path, tree) if _starts(module, DOMAIN_FORBIDDEN)]
    assert bad == []


@pytest.mark.parametrize("path", SERVICE_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_services_hold_no_sql_and_no_driver(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    bad = [f"{line}: imports {module}" for line, module in _absolute(path, tree) if _starts(module, SERVICE_FORBIDDEN)]
    bad += [f"{node.lineno}: imports sqlalchemy.{alias.name}" for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy"
            for alias in node.names if alias.name in SQL_BUILDERS]
    bad += [f"{node.lineno}: SQL text {node.value[:40]!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value)
            and not _is_docstring(tree, node)]
    assert bad == []


def _is_docstring(tree: ast.AST, node: ast.Constant) -> bool:
    return any(isinstance(owner, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
               and owner.body and isinstance(owner.body[0], ast.Expr) and owner.body[0].value is node
               for owner in ast.walk(tree))


def test_the_service_checker_finds_sql_and_drivers(tmp_path: Path) -> None:
    services = PACKAGE / "services"
    code = 'import redis\nfrom sqlalchemy import text\nQ = "SELECT id FROM orders"\n'
    tree = ast.parse(code)
    assert [m for _, m in _absolute(services / "x.py", tree) if _starts(m, SERVICE_FORBIDDEN)] == ["redis"]
    assert [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and SQL_TEXT.search(str(n.value))] == [
        "SELECT id FROM orders"]
