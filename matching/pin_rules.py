"""Pins no plan can keep: each with the reason plan_event and replan refuse it for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matching.policy import pair_conflict
from matching.types import EventSettings, Participant, Pin


def impossible_pins(
    participants: Sequence[Participant], settings: EventSettings, pins: Sequence[Pin]
) -> list[tuple[Pin, str]]:
    """The pins in `pins` that no plan of `participants` can keep, in order, each with why.

    The first one's text is the ValueError plan_event and replan raise. The pins not listed can
    all be kept at once: of two must-meet pins on one pair for different rounds only the later is
    listed, and a must-meet pin on a pair also pinned never to meet is listed, not the never pin.
    """
    by_id = {p.id: p for p in participants}
    never = {frozenset((pin.a, pin.b)) for pin in pins if not pin.together}
    rounds: dict[frozenset[str], int] = {}
    found = []
    for pin in pins:
        why = _why(pin, by_id, settings, never, rounds)
        if why is not None:
            found.append((pin, f"pin {pin.a}-{pin.b}: {why}"))
    return found


def _why(
    pin: Pin,
    by_id: Mapping[str, Participant],
    settings: EventSettings,
    never: set[frozenset[str]],
    rounds: dict[frozenset[str], int],
) -> str | None:
    """Why `pin` cannot be kept, or None; records a kept must-meet pin's round in `rounds`."""
    for pid in (pin.a, pin.b):
        if pid not in by_id:
            return f"unknown participant {pid!r}"
    if pin.a == pin.b:
        return "a participant cannot be pinned to themself"
    if pin.round is not None and not 1 <= pin.round <= settings.rounds:
        return f"round {pin.round} is not in 1..{settings.rounds}"
    if not pin.together:
        return None
    conflict = pair_conflict(by_id[pin.a], by_id[pin.b], settings)
    if conflict:
        return f"they cannot share a room ({conflict})"
    key = frozenset((pin.a, pin.b))
    if key in never:
        return "they are pinned both to meet and never to meet"
    if pin.round is not None and rounds.setdefault(key, pin.round) != pin.round:
        return (
            f"they are pinned to meet in rounds {rounds[key]} and {pin.round}, "
            "but two people meet at most once"
        )
    return None
