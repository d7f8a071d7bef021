"""The room LP bound for group rooms: never below the best plan found by exhaustive search,
even when pricing stops early, and tighter than the pair bound where rooms must be cliques."""

import itertools
import random
import time

import pytest

from matching import EventSettings, Participant, Room, RoundPlan, Sector, plan_event, score_plan
from matching.bounds import BoundInput, lagrangian_bound
from matching.generate import generate_participants
from matching.pairs import build_graph
from matching.participant_index import build_index
from matching.plan_state import State
from matching.policy import country_cap, pair_conflict
from matching.pricing import ColumnGeneration
from matching.room_bound import room_bound, sit_out_bound
from tests.matching.factories import person

RoomIds = tuple[str, ...]


def _tiny_event(seed: int, n: int, n_countries: int) -> list[Participant]:
    rng = random.Random(seed)
    countries = ["NL", "BE", "DE", "DK"][:n_countries]
    return [
        person(
            f"p{i}",
            countries[i % n_countries] if i < n_countries else rng.choice(countries),
            school=rng.choice(["S1", f"own{i}", f"own{i}", f"own{i}"]),
            sector=rng.choice(list(Sector)),
            languages=rng.choice([("en",), ("en",), ("en", "de"), ("de",)]),
            interests=tuple(rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))),
            requests=(f"p{(i + rng.randrange(1, n)) % n}",) if rng.random() < 0.2 else (),
        )
        for i in range(n)
    ]


def _valid_rooms(people: list[Participant], config: EventSettings) -> list[RoomIds]:
    """Every room the policy allows (H1-H3, H5, the country cap), by brute force."""
    k, cap = config.room_size, country_cap(config)
    out = []
    for size in (k, k + 1):
        for members in itertools.combinations(people, size):
            if any(pair_conflict(a, b, config) for a, b in itertools.combinations(members, 2)):
                continue  # H1-H3, H5 (H2 when the cap is one per country)
            countries = [m.country for m in members]
            if cap is not None and max(countries.count(c) for c in countries) > cap:
                continue
            out.append(tuple(m.id for m in members))
    return out


def _layouts(rooms: list[RoomIds], k: int) -> list[tuple[RoomIds, ...]]:
    """Every valid round: disjoint rooms, at most k - 1 of them of k + 1 (seated mod k)."""
    out: list[tuple[RoomIds, ...]] = []

    def grow(start: int, chosen: tuple[RoomIds, ...], used: frozenset[str]) -> None:
        out.append(chosen)
        for i in range(start, len(rooms)):
            room = rooms[i]
            big = sum(len(r) == k + 1 for r in chosen) + (len(room) == k + 1)
            if used.isdisjoint(room) and big <= k - 1:
                grow(i + 1, (*chosen, room), used | set(room))

    grow(0, (), frozenset())
    return out


def _best_totals(people: list[Participant], config: EventSettings) -> dict[int, int]:
    """Seated person-rounds -> the best total of any valid two-round plan seating that many."""
    assert config.rounds == 2
    layouts = _layouts(_valid_rooms(people, config), config.room_size)
    by_id = {p.id: p for p in people}
    bit = {key: 1 << n for n, key in enumerate(itertools.combinations(sorted(by_id), 2))}
    pairs = [
        sum(bit[p] for r in lay for p in itertools.combinations(sorted(r), 2)) for lay in layouts
    ]
    pair_sum = [
        sum(
            score_plan([by_id[a], by_id[b]], config, [_round(1, ((a, b),))]).pair
            for r in lay
            for a, b in itertools.combinations(r, 2)
        )
        for lay in layouts
    ]
    # Per layout and person: the countries of their room-mates, as a bit mask without their own.
    codes = {c: 1 << n for n, c in enumerate(sorted({p.country for p in people}))}
    met = [
        [
            sum({codes[by_id[b].country] for r in lay if a in r for b in r})
            & ~codes[by_id[a].country]
            for a in sorted(by_id)
        ]
        for lay in layouts
    ]
    seats = [sum(map(len, lay)) for lay in layouts]
    w = config.weights.new_country
    best: dict[int, tuple[int, tuple[RoomIds, ...], tuple[RoomIds, ...]]] = {}
    for i in range(len(layouts)):
        for j in range(i, len(layouts)):  # the order of the two rounds does not change a total
            if pairs[i] & pairs[j]:
                continue
            diversity = sum((a | b).bit_count() for a, b in zip(met[i], met[j], strict=True))
            total = pair_sum[i] + pair_sum[j] + w * diversity
            s = seats[i] + seats[j]
            if s not in best or total > best[s][0]:
                best[s] = (total, layouts[i], layouts[j])
    for total, first, second in best.values():  # the fast sums agree with the policy's scorer
        assert score_plan(people, config, [_round(1, first), _round(2, second)]).total == total
    return {seats: t for seats, (t, _, _) in best.items()}


def _round(number: int, rooms: tuple[RoomIds, ...]) -> RoundPlan:
    return RoundPlan(number, tuple(Room(i + 1, r) for i, r in enumerate(rooms)))


def _room_bound(
    people: list[Participant],
    config: EventSettings,
    *,
    min_seats: int = 0,
    passes: int | None = None,
) -> int:
    ix = build_index(people, config)
    everyone = list(range(ix.n))
    met = {v: {ix.country[v]} for v in everyone}
    result = room_bound(
        ix, everyone, config.rounds, met, len(everyone), [],
        deadline=time.monotonic() + 30, min_seats=min_seats, max_passes=passes,
    )  # fmt: skip
    assert result.bound is not None
    return result.bound


CASES = [
    *((seed, n, 3, countries, cap) for seed in range(5) for n, countries, cap in
      [(8, 3, None), (9, 3, None), (9, 4, None), (8, 3, 2), (9, 3, 2)]),
    *((seed, n, 4, countries, cap) for seed in range(5) for n, countries, cap in
      [(8, 4, None), (8, 3, 2), (9, 3, 2), (9, 4, 2)]),
]  # fmt: skip


@pytest.mark.parametrize(("seed", "n", "room_size", "countries", "cap"), CASES)
def test_the_room_bound_is_never_below_the_best_plan(
    seed: int, n: int, room_size: int, countries: int, cap: int | None
) -> None:
    people = _tiny_event(seed, n, countries)
    config = EventSettings(rounds=2, room_size=room_size, max_per_country=cap)
    best = _best_totals(people, config)
    assert _room_bound(people, config) >= max(best.values())
    # Given the seats of the plans that seat most, the bound still covers their best total.
    most = max(best)
    seated_most = max(t for s, t in best.items() if s >= most)
    assert _room_bound(people, config, min_seats=most) >= seated_most
    # The seat LP: no plan seats more than the best one found here.
    ix = build_index(people, config)
    everyone = list(range(ix.n))
    met = {v: {ix.country[v]} for v in everyone}
    fewest = sit_out_bound(ix, everyone, 2, met, [], deadline=time.monotonic() + 30)
    assert fewest <= 2 * n - most
    # Column generation stopped early: the Lagrangian bound is looser but still proven.
    for passes in (1, 2, 3):
        assert _room_bound(people, config, passes=passes) >= max(best.values())


def test_the_room_bound_is_tighter_than_the_pair_bound_when_rooms_must_be_cliques() -> None:
    # Three countries, one of each per room of 3. Sector pairs score only between A and B, so
    # the pair relaxation lets each A meet all three Bs in two rounds; a room holds one B.
    people = [
        *(person(f"a{i}", "NL", sector=Sector.PRIMARY) for i in range(3)),
        *(person(f"b{i}", "BE", sector=Sector.PRIMARY) for i in range(3)),
        *(person(f"c{i}", "DE", sector=Sector.SECONDARY) for i in range(3)),
    ]
    config = EventSettings(rounds=2, room_size=3)
    best = max(_best_totals(people, config).values())
    ix = build_index(people, config)
    everyone = list(range(ix.n))
    graph = build_graph(ix, everyone, edge_limit=10_000, keep=10)
    pair_bound = lagrangian_bound(
        ix,
        BoundInput(
            graph=graph,
            degree=dict.fromkeys(everyone, 2 * 2),
            extra_max=0,
            extra_total=0,
            met_countries={v: {ix.country[v]} for v in everyone},
            new_country=1,
        ),
    )
    room = _room_bound(people, config)
    assert best <= room < pair_bound
    # Each round: three rooms (A, B, C), A-B scores 3 and everyone meets two new countries.
    assert room == best == 2 * 3 * 3 + 2 * 9


def test_plans_that_seat_everyone_have_no_room_of_four_when_rooms_of_three_fill_the_round() -> None:
    # Nine people of nine countries, every pair +3: over two rounds of three rooms of 3, each
    # meets four others (4 pairs of +3 shared, 4 new countries). Rooms of 4 would meet more, but
    # a round of 9 has none, so the bound for plans seating everyone is the best plan itself.
    countries = ["NL", "BE", "DE", "DK", "PT", "AT", "ES", "FR", "IT"]
    people = [person(f"p{i}", c) for i, c in enumerate(countries)]
    config = EventSettings(rounds=2, room_size=3)
    best = _best_totals(people, config)
    assert max(best) == 18
    assert best[18] == 2 * 3 * 3 * 3 + 9 * 4
    assert _room_bound(people, config, min_seats=18) == best[18]


def test_a_pair_bound_cut_short_by_its_time_limit_still_bounds_the_plan() -> None:
    people = generate_participants(200, seed=2)
    settings = EventSettings(rounds=4, room_size=4)
    plan = plan_event(people, settings, time_limit_s=2, seed=2)
    ix = build_index(people, settings)
    pos = {p.id: k for k, p in enumerate(people)}
    rounds = [[[pos[i] for i in room.participants] for room in r.rooms] for r in plan.rounds]
    everyone = list(range(ix.n))
    graph = build_graph(ix, everyone, edge_limit=5_000, keep=32)
    state = State(set(), {v: {ix.country[v]} for v in everyone}, {})

    def bound(limit: float | None) -> int:
        return ColumnGeneration(ix, graph, 4, state, everyone, rounds).lp.solve(limit).bound

    full, cut_short = bound(None), bound(1e-4)
    assert not graph.exact
    assert plan.score.total <= full <= cut_short
