"""Languages: the catalogs cover the pages, keep every placeholder, and are compiled up to date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.web import i18n

WEB = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
COMPLETE = ("nl",)  # English is the source; Dutch must be complete
OTHERS = ("de", "da", "pt", "es")


def source_messages() -> set[str]:
    """The pages' texts (the web UI's and other templates in the app, such as the printable
    contacts page), and every message marked for participants or organisers in the app."""
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = [
        *extract_from_dir(
            str(WEB),
            method_map,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "translate": (2,)},
        ),
        *extract_from_dir(
            str(WEB.parent), method_map[1:], keywords={"_": None, "ngettext": (1, 2)}
        ),
        *extract_from_dir(
            str(WEB.parent),
            method_map[:1],
            keywords={"for_participants": None, "for_organisers": None},
        ),
    ]
    return {item[2] if isinstance(item[2], str) else item[2][0] for item in found}


def forms(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """A message's text, or each of its plural forms (ngettext: "1 minute", "2 minutes")."""
    if text is None:
        return ("",)
    return (text,) if isinstance(text, str) else tuple(text)


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with (WEB / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", COMPLETE)
def test_dutch_covers_every_text_of_the_pages(lang: str) -> None:
    translated = {forms(m.id)[0] for m in catalog(lang) if m.id and all(forms(m.string))}
    missing = sorted(source_messages() - translated)
    assert missing == [], f"{lang} lacks {len(missing)} texts, e.g. {missing[:3]}"


@pytest.mark.parametrize("lang", COMPLETE + OTHERS)
def test_translations_keep_every_placeholder(lang: str) -> None:
    for message in catalog(lang):
        # Each plural form keeps the plural msgid's placeholders (an empty form: untranslated).
        for text in forms(message.string) if message.id else ():
            if text:
                assert sorted(PLACEHOLDER.findall(text)) == sorted(
                    PLACEHOLDER.findall(forms(message.id)[-1])
                ), message.id


@pytest.mark.parametrize("lang", COMPLETE + OTHERS)
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    folder = WEB / "translations" / lang / "LC_MESSAGES"
    with (folder / "messages.mo").open("rb") as f:
        mo = [m for m in read_mo(f) if m.id]
    source = {forms(m.id): forms(m.string) for m in catalog(lang) if m.id and all(forms(m.string))}
    # An untranslated plural is compiled with the English forms; an untranslated text is left out.
    compiled = {
        forms(m.id): forms(m.string) for m in mo if isinstance(m.id, str) or forms(m.id) in source
    }
    assert compiled == source, "run: pybabel compile -d app/web/translations"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4", "de"),
        ("en;q=0.2,pt-PT;q=0.9", "pt"),
        ("da", "da"),
        ("fr-FR", None),
        ("*", None),
        ("es;q=0,en", "en"),
        ("", None),
    ],
)
def test_browser_language_picks_the_best_supported_locale(
    header: str, expected: str | None
) -> None:
    assert i18n.from_accept_language(header) == expected


def test_picker_beats_cookie_beats_browser() -> None:
    assert i18n.pick_locale("es", "nl", "de") == "es"
    assert i18n.pick_locale(None, "nl", "de") == "nl"
    assert i18n.pick_locale("xx", None, "de-AT") == "de"
    assert i18n.pick_locale(None, None, None) == "en"
