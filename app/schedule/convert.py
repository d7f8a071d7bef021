"""Database rows <-> matching types. Planner ids are the participants' database ids."""

import re
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import matching
from app.models import AttendanceStatus, Event, Participant, SchedulePlan

_ID = re.compile(r"\b[0-9a-f]{16}\b")  # app.models.new_id


def named(text: str, names: Mapping[str, str]) -> str:
    """A planner message with each participant id it names replaced by the person's name:
    organisers know people by name. Stored messages keep the ids (they are compared)."""
    return _ID.sub(lambda found: names.get(found.group(0), found.group(0)), text)


def weights_for(event: Event) -> matching.Weights:
    known = {f.name for f in fields(matching.Weights)}
    values = {k: int(v) for k, v in (event.weights or {}).items() if k in known}
    return matching.Weights(**values)


def settings_for(event: Event) -> matching.EventSettings:
    return matching.EventSettings(
        rounds=event.rounds,
        room_size=event.room_size,
        distinct_countries=event.distinct_countries,
        max_per_country=event.max_per_country,
        weights=weights_for(event),
    )


def plannable(participants: list[Participant]) -> list[Participant]:
    """Who is seated: not erased and not marked absent."""
    return [p for p in participants if not p.deleted and p.attendance != AttendanceStatus.ABSENT]


def to_people(participants: list[Participant]) -> list[matching.Participant]:
    """Planner inputs; requests/avoid (CSV ids) are translated to database ids."""
    by_external = {p.external_id: p.id for p in participants}
    return [
        matching.Participant(
            id=p.id,
            name=p.name,
            school=p.school,
            country=p.country,
            sector=matching.Sector(p.sector),
            languages=frozenset(p.languages),
            interests=frozenset(p.interests),
            programmes=frozenset(p.programmes),
            requests=frozenset(by_external[r] for r in p.requests if r in by_external),
            avoid=frozenset(by_external[a] for a in p.avoid if a in by_external),
            email=p.email,
        )
        for p in participants
    ]


def score_dict(score: matching.Score) -> dict[str, Any]:
    return {f.name: getattr(score, f.name) for f in fields(matching.Score)}


def score_from(row: SchedulePlan) -> matching.Score:
    names = {f.name for f in fields(matching.Score)}
    return matching.Score(**{k: int(row.score.get(k, 0)) for k in names})


def pin_dicts(pins: list[matching.Pin]) -> list[dict[str, Any]]:
    return [{"a": p.a, "b": p.b, "together": p.together, "round": p.round} for p in pins]


def pins_from(values: list[dict[str, Any]]) -> list[matching.Pin]:
    return [
        matching.Pin(a=v["a"], b=v["b"], together=bool(v["together"]), round=v.get("round"))
        for v in values
    ]


def kept_pins(
    pins: list[matching.Pin], participants: list[Participant], everyone: list[Participant]
) -> tuple[list[matching.Pin], list[str]]:
    """The current plan's pins between people still to be seated, and a warning per other pin.

    Someone removed, erased or marked absent since is no longer planned; a pin naming them would
    make every new schedule fail with an id the organiser cannot act on.
    """
    seated = {p.id for p in participants}
    names = {p.id: p.name for p in everyone}
    kept: list[matching.Pin] = []
    dropped: list[str] = []
    for pin in pins:
        if pin.a in seated and pin.b in seated:
            kept.append(pin)
            continue
        who = " and ".join(names.get(pid) or "a removed participant" for pid in (pin.a, pin.b))
        dropped.append(f"pin dropped: {who} (someone in it is no longer planned)")
    return kept, dropped
