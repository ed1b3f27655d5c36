"""Languages: English built in, Simplified Chinese from resources/translations (.ts sources, compiled .qm)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QLibraryInfo, QLocale, QTranslator

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
    QLocale.setDefault(QLocale(language))  # dates and numbers formatted by Qt follow the language
    for directory, name in ((TRANSLATIONS, f"boxoffice_{language}"),
                            (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), f"qtbase_{language}")):
        translator = QTranslator(app)
        if translator.load(name, str(directory)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def uninstall_translations(app: QCoreApplication, installed: list[QTranslator]) -> None:
    """Back to English (and the system locale's formats)."""
    for translator in installed:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale.system())


#: date formats (Qt patterns, translated: each language orders them its own way); names come from the locale
SESSION_START = QT_TRANSLATE_NOOP("i18n", "ddd d MMM HH:mm")
TIMESTAMP = "yyyy-MM-dd HH:mm:ss"


def when(moment: datetime, pattern: str = SESSION_START) -> str:
    """A date-time in local time, with weekday and month names in the window's language."""
    return QLocale().toString(QDateTime(moment.astimezone()), QCoreApplication.translate("i18n", pattern))
