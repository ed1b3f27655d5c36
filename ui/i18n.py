"""Languages: English built in, Simplified Chinese from resources/translations (.ts sources, compiled .qm)."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from functools import cache
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


@cache
def currency_symbol(code: str, language: str) -> str:
    """The usual symbol of the ISO 4217 currency ``code`` (€ for EUR, ¥ for CNY…): the window's locale's own when it
    uses that currency, else the symbol of a locale that does; the code itself when no locale knows it."""
    here = QLocale(language)
    if here.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode) == code:
        return here.currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
    for locale in QLocale.matchingLocales(QLocale.Language.AnyLanguage, QLocale.Script.AnyScript,
                                          QLocale.Country.AnyCountry):
        if locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode) == code:
            return locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
    return code


def money(amount: Decimal, currency: str) -> str:
    """An amount in ``currency`` (ISO 4217) as the window's locale writes money: "€95.00", "95,00 €", "€95.00"…"""
    locale = QLocale()
    return locale.toCurrencyString(float(amount), currency_symbol(currency, locale.name()), 2)


#: the words for the backend's codes a window shows (roles, order statuses, payment methods, seat states)
WORDS: dict[str, str] = {
    "clerk": QT_TRANSLATE_NOOP("i18n", "clerk"),
    "supervisor": QT_TRANSLATE_NOOP("i18n", "supervisor"),
    "system": QT_TRANSLATE_NOOP("i18n", "system"),
    "paid": QT_TRANSLATE_NOOP("i18n", "paid"),
    "cancelled": QT_TRANSLATE_NOOP("i18n", "cancelled"),
    "cash": QT_TRANSLATE_NOOP("i18n", "cash"),
    "card": QT_TRANSLATE_NOOP("i18n", "card"),
    "free": QT_TRANSLATE_NOOP("i18n", "free"),
    "held": QT_TRANSLATE_NOOP("i18n", "held"),
    "sold": QT_TRANSLATE_NOOP("i18n", "sold"),
    "blocked": QT_TRANSLATE_NOOP("i18n", "blocked"),
    "selected": QT_TRANSLATE_NOOP("i18n", "selected"),
    "released": QT_TRANSLATE_NOOP("i18n", "released"),
    "exchanged": QT_TRANSLATE_NOOP("i18n", "exchanged"),
    "onsale": QT_TRANSLATE_NOOP("i18n", "on sale"),
    "closed": QT_TRANSLATE_NOOP("i18n", "closed"),
    "unknown": QT_TRANSLATE_NOOP("i18n", "unknown"),
}


def word(code: str) -> str:
    """A role, order status, payment method or seat state in the window's language (unknown codes as they are)."""
    return QCoreApplication.translate("i18n", WORDS[code]) if code in WORDS else code
