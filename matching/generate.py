"""Seeded generator of realistic partner-finding events, modelled on the June 2024 one."""

from __future__ import annotations

import random
import unicodedata

from matching.types import Participant, Sector

# Shares of the real event: the largest country has 16 of 60.
COUNTRY_SHARES = {"NL": 16, "BE": 10, "DE": 9, "DK": 7, "PT": 6, "AT": 6, "ES": 6}
OWN_LANGUAGES = {
    "NL": ["nl"],
    "BE": ["nl"],
    "DE": ["de"],
    "DK": ["da"],
    "PT": ["pt"],
    "AT": ["de"],
    "ES": ["es"],
}
SECOND_LANGUAGES = {
    "NL": ["de", "fr"],
    "BE": ["fr", "de"],
    "DE": ["fr"],
    "DK": ["de"],
    "PT": ["es", "fr"],
    "AT": ["it"],
    "ES": ["pt", "fr"],
}
INTERESTS = [
    "inclusion",
    "citizenship",
    "stem",
    "languages",
    "sustainability",
    "digital-skills",
    "arts",
    "outdoor-learning",
    "wellbeing",
    "entrepreneurship",
    "cultural-heritage",
    "sports",
]
PROGRAMMES = ["etwinning", "ka1", "ka2", "buurklassen", "prins-filip"]
FIRST = {
    "NL": [
        "Sanne",
        "Daan",
        "Anouk",
        "Jeroen",
        "Marloes",
        "Bram",
        "Eline",
        "Thijs",
        "Noëlle",
        "Ruud",
    ],
    "BE": ["Lotte", "Wout", "Hélène", "Pieter", "Ines", "Jef", "Amélie", "Stijn", "Zoë", "Koen"],
    "DE": [
        "Jürgen",
        "Anna",
        "Lukas",
        "Käthe",
        "Matthias",
        "Lea",
        "Jörg",
        "Sophie",
        "Björn",
        "Marie",
    ],
    "DK": ["Søren", "Mette", "Jens", "Ditte", "Karen", "Freja", "Mads", "Åse", "Rasmus", "Line"],
    "PT": [
        "João",
        "Inês",
        "Tomás",
        "Mariana",
        "Gonçalo",
        "Beatriz",
        "Rui",
        "Leonor",
        "André",
        "Sónia",
    ],
    "AT": ["Florian", "Theresa", "Günther", "Elisabeth", "Maximilian", "Hanna", "Lorenz", "Verena"],
    "ES": [
        "José",
        "María",
        "Álvaro",
        "Lucía",
        "Íñigo",
        "Nuria",
        "Jesús",
        "Begoña",
        "Sergio",
        "Ainhoa",
    ],
}
LAST = {
    "NL": ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "de Jong", "Mulder"],
    "BE": ["Peeters", "Janssens", "Maes", "Claes", "Willems", "Goossens", "Wouters", "De Smet"],
    "DE": ["Müller", "Schäfer", "Weiß", "Schröder", "Köhler", "Becker", "Hoffmann", "Groß"],
    "DK": ["Jørgensen", "Nielsen", "Sørensen", "Møller", "Hansen", "Kjær", "Løvgren", "Andersen"],
    "PT": ["Gonçalves", "Simões", "Conceição", "Araújo", "Magalhães", "Gomes", "Sá", "Fernandes"],
    "AT": ["Gruber", "Huber", "Pölzl", "Wagner", "Moser", "Hölzl", "Steiner", "Bauer"],
    "ES": ["García", "Martínez", "Núñez", "Muñoz", "López", "Sánchez", "Ibáñez", "Pérez"],
}
TOWNS = {
    "NL": ["Utrecht", "Zwolle", "Leiden", "Breda", "Groningen", "Arnhem", "Delft", "Tilburg"],
    "BE": ["Gent", "Leuven", "Brugge", "Hasselt", "Mechelen", "Antwerpen", "Kortrijk", "Aalst"],
    "DE": ["Köln", "Münster", "Freiburg", "Lübeck", "Dresden", "Kassel", "Mainz", "Jena"],
    "DK": ["Århus", "Odense", "Aalborg", "Køge", "Vejle", "Roskilde", "Esbjerg", "Næstved"],
    "PT": ["Braga", "Évora", "Coimbra", "Guimarães", "Setúbal", "Faro", "Viseu", "Aveiro"],
    "AT": ["Graz", "Linz", "Salzburg", "Innsbruck", "Villach", "Wels", "Steyr", "Bregenz"],
    "ES": ["Cádiz", "Málaga", "León", "Córdoba", "Logroño", "Gijón", "Ávila", "Alcalá"],
}
KIND = {
    Sector.PRIMARY: "Primary School",
    Sector.SECONDARY: "Secondary School",
    Sector.SPECIALISED: "Special Needs School",
}


_SPELLED = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "å": "a"})


def _ascii(text: str) -> str:
    plain = (
        unicodedata.normalize("NFKD", text.translate(_SPELLED)).encode("ascii", "ignore").decode()
    )
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == ".")


def _country_counts(n: int, rng: random.Random) -> list[str]:
    total = sum(COUNTRY_SHARES.values())
    codes = list(COUNTRY_SHARES)
    counts = {c: n * s // total for c, s in COUNTRY_SHARES.items()}
    for c in rng.sample(codes, len(codes))[: n - sum(counts.values())]:
        counts[c] += 1
    return [c for c in codes for _ in range(counts[c])]


def generate_participants(n: int, seed: int = 0) -> list[Participant]:
    """n participants from 7 countries with the real event's uneven shares (seeded)."""
    rng = random.Random(seed)
    countries = _country_counts(n, rng)
    rng.shuffle(countries)
    people: list[Participant] = []
    schools: list[tuple[str, str, Sector]] = []
    used: set[str] = set()
    taken: set[str] = set()  # full names, so that a demo shows no two people of the same name
    # Replacement names come from their own generator, so the events' other draws stay the same.
    names_rng = random.Random(f"names-{seed}")
    popular = [5, 4, 3, 4, 4, 3, 2, 2, 3, 1, 2, 2]
    for k, country in enumerate(countries):
        pid = f"p{k + 1:04d}"
        colleague = [s for s in schools if s[1] == country]
        if colleague and rng.random() < 0.1:
            school, _, sector = rng.choice(colleague)
        else:
            sector = rng.choices(list(Sector), weights=[35, 35, 30])[0]
            town = rng.choice(TOWNS[country])
            school = f"{KIND[sector]} {town} {rng.randint(1, 10 + n // 10)}"
            schools.append((school, country, sector))
        first, last = rng.choice(FIRST[country]), rng.choice(LAST[country])
        first, last = _untaken_name(first, last, country, taken, names_rng)
        taken.add(f"{first} {last}")
        base = f"{_ascii(first)}.{_ascii(last.replace(' ', ''))}"
        email = f"{base}@{_ascii(school.split()[-2])}{k + 1}.edu.{country.lower()}"
        while email in used:
            email = email.replace("@", "1@", 1)
        used.add(email)
        languages = set(OWN_LANGUAGES[country])
        if rng.random() < 0.88:
            languages.add("en")
        if rng.random() < 0.3 or "en" not in languages:
            languages.add(rng.choice(SECOND_LANGUAGES[country]))
        interests = set(rng.choices(INTERESTS, weights=popular, k=rng.randint(2, 4)))
        if sector == Sector.SPECIALISED and rng.random() < 0.6:
            interests.add("inclusion")
        programmes = {rng.choice(PROGRAMMES[:3])}
        if rng.random() < 0.3:
            programmes.add(rng.choice(PROGRAMMES[:3]))
        if country in {"BE", "NL", "DE"} and rng.random() < 0.25:
            programmes.add("buurklassen")
        people.append(
            Participant(
                id=pid,
                name=f"{first} {last}",
                school=school,
                country=country,
                sector=sector,
                languages=frozenset(languages),
                interests=frozenset(interests),
                programmes=frozenset(programmes),
                email=email,
            )
        )
    return _with_wishes(people, rng)


def _untaken_name(
    first: str, last: str, country: str, taken: set[str], rng: random.Random
) -> tuple[str, str]:
    """(first, last), or another of the country's names where that one is taken, while any is
    left (80 or so a country: larger events repeat names)."""
    if f"{first} {last}" not in taken:
        return first, last
    free = [(f, la) for f in FIRST[country] for la in LAST[country] if f"{f} {la}" not in taken]
    return rng.choice(free) if free else (first, last)


def _with_wishes(people: list[Participant], rng: random.Random) -> list[Participant]:
    """About 10 % request one or two people from other countries; about 3 % avoid someone."""
    out = []
    for p in people:
        others = [q.id for q in rng.sample(people, min(len(people), 8)) if q.country != p.country]
        requests = frozenset(others[:2]) if rng.random() < 0.1 else frozenset()
        avoid = frozenset(others[2:3]) if rng.random() < 0.03 else frozenset()
        out.append(
            Participant(
                id=p.id,
                name=p.name,
                school=p.school,
                country=p.country,
                sector=p.sector,
                languages=p.languages,
                interests=p.interests,
                programmes=p.programmes,
                requests=requests - avoid,
                avoid=avoid,
                email=p.email,
            )
        )
    return out
