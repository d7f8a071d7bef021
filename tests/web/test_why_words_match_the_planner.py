"""The room card's why, worded again per language, tells the facts matching.explain tells: in
English, word for word (the list of common languages aside: names there, codes in the planner's)."""

from __future__ import annotations

import random

import matching
from app.web.why import words
from matching.explain import facts
from matching.generate import generate_participants


def test_english_words_are_the_planners_for_many_rooms() -> None:
    people = generate_participants(60, seed=7)
    rng = random.Random(7)
    compared = 0
    for _ in range(400):
        room = rng.sample(people, rng.choice((2, 3, 4)))
        me, mates = room[0], room[1:]
        met = {p.country for p in rng.sample(people, rng.randint(0, 4))}
        said = matching.explain(me, mates, met)
        if said.startswith("common language: "):
            continue
        assert words(facts(me, mates, met), "en") == said
        compared += 1
    assert compared > 300
