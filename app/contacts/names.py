"""Split a full name into family and given name for a vCard's N property.

Phones and mail clients file a contact under the family name, and in Dutch, Flemish, German,
French, Italian, Spanish and Portuguese names the particles belong to it: "Eline van den Berg"
is filed under "van den Berg", given name "Eline" (RFC 6350 6.2.2 puts the whole family name,
particles included, in the first component).
"""

from __future__ import annotations

# Compared case-insensitively ("De Smet" in Flanders, "de Jong" in the Netherlands). Words that
# are also common given names elsewhere ("y", "e", "mac") are left out: a wrong particle moves a
# given name into the family name.
PARTICLES = frozenset(
    {
        # Dutch and Flemish tussenvoegsels
        "van", "vande", "vanden", "vander", "de", "den", "der", "het", "'t", "'s",
        "ter", "ten", "te", "in", "op", "uit", "aan", "bij", "onder", "over", "voor",
        # German, Scandinavian
        "von", "vom", "zu", "zum", "zur", "af", "av",
        # French, Italian, Spanish, Portuguese
        "d'", "l'", "du", "des", "la", "le", "les", "di", "da", "dal", "dalla", "dei",
        "degli", "della", "del", "delle", "lo", "las", "los", "das", "do", "dos",
        # Irish
        "ó", "ní",
    }
)  # fmt: skip


def _is_particle(word: str) -> bool:
    return word.replace("\u2019", "'").casefold() in PARTICLES


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a full name; a one-word name is all family name.

    The last word is the family name, together with the particles right before it. At least one
    word stays the given name, so "De Jong" or "Le Anh" split as before.
    """
    words = name.split()
    if len(words) < 2:
        return (name.strip(), "")
    start = len(words) - 1
    while start > 1 and _is_particle(words[start - 1]):
        start -= 1
    return (" ".join(words[start:]), " ".join(words[:start]))
