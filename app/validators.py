"""Checks shared by the request schemas."""

import unicodedata


def no_nul(value: object) -> object:
    """PostgreSQL cannot store NUL in text: refuse it in any text (or list of texts) here,
    with a 422 naming the field, rather than fail on saving."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


def normalise_email(email: str) -> str:
    """An address as stored and looked up (organisers and participants): one Unicode form
    (NFC), without the invisible format characters a copied address brings along (zero-width
    space, soft hyphen, BOM), lower case."""
    composed = unicodedata.normalize("NFC", email)
    return "".join(c for c in composed if unicodedata.category(c) != "Cf").strip().lower()
