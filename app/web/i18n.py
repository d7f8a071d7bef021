"""Languages of the pages: gettext catalogs compiled by Babel, one Jinja environment per locale.

The locale comes from, in order: `?lang=` (the picker), the `sm_lang` cookie, the browser's
Accept-Language header, English.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DEFAULT_LOCALE = "en"
# Language names are written in their own language: a reader who does not understand the current
# page can still find their own.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "nl": "Nederlands",
    "de": "Deutsch",
    "da": "Dansk",
    "pt": "Português",
    "es": "Español",
}
LOCALE_COOKIE = "sm_lang"
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def normalise(tag: str | None) -> str | None:
    """Return the supported locale for a language tag such as `nl-BE`, or None."""
    if not tag:
        return None
    primary = tag.strip().split("-")[0].split("_")[0].lower()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """Pick the best supported locale from an Accept-Language header (q-values respected)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        if not _TAG.match(tag.strip()):
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        locale = normalise(tag)
        if locale and quality > 0:
            ranked.append((-quality, index, locale))
    return min(ranked)[2] if ranked else None


def pick_locale(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The locale for one request."""
    return (
        normalise(query)
        or normalise(cookie)
        or from_accept_language(accept_language)
        or DEFAULT_LOCALE
    )


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for `locale` (English is the source language: no catalog)."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain="messages")
