"""Languages: English built in, Simplified Chinese from resources/translations (.ts sources, compiled .qm)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
SHIPPED = ("zh_CN",)


def choose_language(setting: str | None = None) -> str | None:
    """BOXOFFICE_LANG (or ``setting``) wins, else the system locale; ``None`` means English."""
    wanted = setting or os.environ.get("BOXOFFICE_LANG") or QLocale.system().name()
    if wanted.lower().startswith("zh"):
        return "zh_CN"
    return wanted if wanted in SHIPPED else None


def install_translations(app: QCoreApplication, language: str | None) -> list[QTranslator]:
    """Load the application's and Qt's own translations for ``language``; returns the installed translators."""
    installed: list[QTranslator] = []
    if language is None:
        return installed
    for directory, name in ((TRANSLATIONS, f"boxoffice_{language}"),
                            (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), f"qtbase_{language}")):
        translator = QTranslator(app)
        if translator.load(name, str(directory)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
