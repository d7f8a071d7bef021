"""Small hand-made participants for matching tests."""

from matching import Participant, Sector


def person(
    pid: str,
    country: str,
    *,
    school: str | None = None,
    sector: Sector = Sector.PRIMARY,
    languages: tuple[str, ...] = ("en",),
    interests: tuple[str, ...] = (),
    programmes: tuple[str, ...] = (),
    requests: tuple[str, ...] = (),
    avoid: tuple[str, ...] = (),
) -> Participant:
    return Participant(
        id=pid,
        name=f"Person {pid}",
        school=school or f"School of {pid}",
        country=country,
        sector=sector,
        languages=frozenset(languages),
        interests=frozenset(interests),
        programmes=frozenset(programmes),
        requests=frozenset(requests),
        avoid=frozenset(avoid),
        email=f"{pid}@example.org",
    )
