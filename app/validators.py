"""Checks shared by the request schemas."""


def no_nul(value: object) -> object:
    """PostgreSQL cannot store NUL in text: refuse it in any text (or list of texts) here,
    with a 422 naming the field, rather than fail on saving."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain the NUL character (U+0000)")
    return value
