"""The translations' build: the .ts files are the translators' source (edit them with Qt Linguist), the .qm files
what the app loads.

    python tools/translations.py update    # lupdate: bring new source texts into every .ts (unfinished), drop gone ones
    python tools/translations.py compile   # lrelease: .ts → .qm
    python tools/translations.py check     # fails (exit 1) on a source text missing from a .ts, an unfinished or
                                           # vanished entry, a translation that loses a {field}, or a stale .qm

`make translations` runs update then compile; the test suite runs check (tests/ui/test_i18n.py). To translate:
`make translations`, then `.venv/bin/pyside6-linguist resources/translations/boxoffice_zh_CN.ts`, mark each entry
finished, save, `make translations` again and commit the .ts and the .qm.
"""

from __future__ import annotations

import filecmp
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent


def sources() -> list[Path]:
    """Every file with texts a person reads: the windows, main.py, and the backend's texts marked with
    QT_TRANSLATE_NOOP (the errors' reasons, the drift findings, the seat history's details)."""
    return [ROOT / "main.py", *sorted((ROOT / "ui").rglob("*.py")), ROOT / "boxoffice" / "errors.py",
            ROOT / "boxoffice" / "domain" / "drift.py", ROOT / "boxoffice" / "services" / "insights.py"]


def ts_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob("*.ts"))


def _tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name) or name


def lupdate(ts: Path) -> None:
    subprocess.run([_tool("pyside6-lupdate"), *map(str, sources()), "-ts", str(ts), "-no-obsolete"], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def lrelease(ts: Path, qm: Path | None = None) -> Path:
    qm = qm or ts.with_suffix(".qm")
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, stdout=subprocess.DEVNULL)
    return qm


_FIELD = re.compile(r"\{([^{}!:]*)[^{}]*\}")


def problems(ts: Path) -> list[str]:
    """What keeps ``ts`` from being complete: unfinished, vanished or empty entries, and translations whose
    ``{fields}`` differ from their source's (a lost field would show a wrong or empty message)."""
    out = []
    for context in ET.parse(ts).iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "missing"
            text = (translation.text or "") if translation is not None else ""
            if not name:
                out.append(f"{ts.name}: {source!r} has no context (a tr() lupdate cannot place: call "
                           "self.tr or QCoreApplication.translate with the context)")
            if kind in ("unfinished", "vanished", "obsolete", "missing") or not text.strip():
                out.append(f"{ts.name}: [{name}] {source!r} is {kind or 'empty'}")
            elif sorted(_FIELD.findall(source)) != sorted(_FIELD.findall(text)):
                out.append(f"{ts.name}: [{name}] {source!r}: the translation's fields differ: {text!r}")
    return out


def check() -> list[str]:
    """Every .ts up to date with the sources and finished, every .qm compiled from its .ts."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for ts in ts_files():
            fresh = Path(tmp) / ts.name
            shutil.copy(ts, fresh)
            lupdate(fresh)  # what the sources say today: new texts come in unfinished, gone ones are dropped
            before = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(ts).iter("context")
                      for m in c.iter("message")}
            after = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(fresh).iter("context")
                     for m in c.iter("message")}
            out += [f"{ts.name}: [{c}] {s!r} is not in the .ts yet (run `make translations`)" for c, s in
                    sorted(after - before, key=str)]
            out += [f"{ts.name}: [{c}] {s!r} is no longer in the sources (run `make translations`)" for c, s in
                    sorted(before - after, key=str)]
            out += problems(ts)
            qm = ts.with_suffix(".qm")
            compiled = lrelease(ts, Path(tmp) / qm.name)
            if not qm.exists() or not filecmp.cmp(compiled, qm, shallow=False):
                out.append(f"{qm.name} is not compiled from {ts.name} (run `make translations`)")
    return out


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        for ts in ts_files():
            lupdate(ts)
        return 0
    if command == "compile":
        for ts in ts_files():
            lrelease(ts)
        return 0
    if command == "check":
        found = check()
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
