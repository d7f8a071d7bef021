"""`python -m bench soak`: a whole event on 127.0.0.1 with N simulated participants.

One uvicorn process on a fresh SQLite file. The organiser imports N participants (CSV), plans the
event with the solver and runs 4 rounds, ending each by hand (short rounds). Every participant is
a real websocket client; 3 % never show up, 2 % arrive late (imported during round 1), 5 % drop
and reconnect in each round, and everyone decides per room-mate whether to share details. Checks:
every present client received exactly its stored room each round (and again after reconnecting),
the contact-pairs export holds exactly the mutual decisions, the stored plan breaks no hard
constraint (`matching.validate_plan`), and the server's RSS stays flat across rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx
from sqlmodel import Session, select

import matching
from app.db import make_engine
from app.models import Event, Participant, Room, RoomMember, Round
from app.schedule import convert, store
from bench.seeded_event import add_organiser
from bench.servers import free_port, speedmatch_env, uvicorn, wait_http
from bench.soak_clients import Crowd
from matching.generate import generate_participants
from matching.io import write_participants_csv

ROUNDS = 4


@dataclass
class Report:
    participants: int
    no_shows: int
    late: int
    rounds: int = ROUNDS
    reconnects: int = 0
    deliveries_checked: int = 0
    wrong_deliveries: list[str] = field(default_factory=list)
    decisions: int = 0
    mutual_pairs: int = 0
    export_missing: int = 0
    export_unexpected: int = 0
    plan_problems: list[str] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (
            self.wrong_deliveries
            or self.export_missing
            or self.export_unexpected
            or self.plan_problems
        )


def stored_rooms(database_url: str, event_id: str, number: int) -> dict[str, list[str] | None]:
    """participant id -> sorted member ids of their room in round `number` (None: sits out)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            row = session.exec(
                select(Round).where(Round.event_id == event_id, Round.number == number)
            ).one()
            out: dict[str, list[str] | None] = {}
            for room in session.exec(select(Room).where(Room.round_id == row.id)).all():
                members = sorted(
                    session.exec(
                        select(RoomMember.participant_id).where(RoomMember.room_id == room.id)
                    ).all()
                )
                out.update(dict.fromkeys(members, members))
            return out
    finally:
        engine.dispose()


def plan_problems(database_url: str, event_id: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, event_id)
            assert event is not None
            people = session.exec(select(Participant).where(Participant.event_id == event_id))
            plan = store.current_plan(session, event_id=event_id)
            if plan is None:
                return ["no stored plan"]
            stored = convert.to_people(convert.plannable(list(people.all())))
            return matching.validate_plan(stored, convert.settings_for(event), plan)
    finally:
        engine.dispose()


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def csv_of(people: list[matching.Participant]) -> bytes:
    return write_participants_csv(people).encode()


def make_organiser(database_url: str) -> str:
    """An organiser with an API token, straight in the database; returns the bearer token."""
    from app.cli.db import upgrade

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            _, token = add_organiser(session, "Soak", "soak@agency.example")
            session.commit()
            return token
    finally:
        engine.dispose()


async def decide(
    http: httpx.AsyncClient, crowd: Crowd, rooms: dict[str, list[str] | None], rng: random.Random
) -> dict[tuple[str, str], bool]:
    """Every connected participant decides about each room-mate (70 % share)."""
    choices = {
        (pid, mate): rng.random() < 0.7
        for pid, sim in crowd.sims.items()
        if sim.ws is not None
        for mate in rooms.get(pid) or []
        if mate != pid
    }
    gate = asyncio.Semaphore(20)

    async def put(pid: str, mate: str, share: bool) -> None:
        async with gate:
            for attempt in range(3):  # a PUT is idempotent: retry a dropped connection
                try:
                    response = await http.put(
                        f"/api/v1/me/decisions/{mate}",
                        params={"token": crowd.sims[pid].token},
                        json={"share": share, "met": True},
                    )
                    break
                except httpx.TransportError:
                    if attempt == 2:
                        raise
            response.raise_for_status()

    await asyncio.gather(*(put(a, b, share) for (a, b), share in choices.items()))
    return choices


async def run_event(
    base: str, database_url: str, token: str, n: int, seed: int, report: Report, server_pid: int
) -> None:
    rng = random.Random(seed)
    people = generate_participants(n + report.late, seed=seed)
    late_ids = {p.id for p in people[n:]}
    # Wishes may not name someone who is not imported yet: the late ones keep none.
    on_time = [
        replace(p, requests=p.requests - late_ids, avoid=p.avoid - late_ids) for p in people[:n]
    ]
    late = [replace(p, requests=frozenset(), avoid=frozenset()) for p in people[n:]]
    auth = {"Authorization": f"Bearer {token}"}
    ws_url = base.replace("http://", "ws://")
    crowd = Crowd(ws_url)
    clock = time.perf_counter()
    # Idle connections expire before uvicorn's 5 s keep-alive, so none is reused as it closes.
    limits = httpx.Limits(keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=base, timeout=600, headers=auth, limits=limits) as http:
        created = await http.post(
            "/api/v1/events",
            json={"name": "Soak", "starts_at": "2031-05-01T10:00:00", "rounds": ROUNDS},
        )
        created.raise_for_status()
        event = created.json()["id"]
        ev = f"/api/v1/events/{event}"
        (await http.post(ev + "/participants/import", content=csv_of(on_time))).raise_for_status()
        planned = await http.post(ev + "/schedule", json={"time_limit_s": 20})
        planned.raise_for_status()
        report.seconds["import_and_plan"] = round(time.perf_counter() - clock, 1)
        links = (await http.post(ev + "/links")).json()
        tokens = {link["participant_id"]: link["token"] for link in links}
        no_shows = set(rng.sample(sorted(tokens), report.no_shows))
        clock = time.perf_counter()
        await crowd.connect_all({p: t for p, t in tokens.items() if p not in no_shows})
        report.seconds["connect"] = round(time.perf_counter() - clock, 1)
        report.rss_mib.append(rss_mib(server_pid))
        choices: dict[tuple[str, str], bool] = {}
        for number in range(1, ROUNDS + 1):
            clock = time.perf_counter()
            (await http.post(ev + "/live/start-round")).raise_for_status()
            expected = stored_rooms(database_url, event, number)
            wrong = await crowd.wait_round(expected, number, timeout=120)
            report.wrong_deliveries += [f"round {number}: {pid}" for pid in wrong]
            report.deliveries_checked += sum(1 for s in crowd.sims.values() if s.ws is not None)
            report.seconds[f"round_{number}_delivery"] = round(time.perf_counter() - clock, 2)
            if number == 1 and late:  # late arrivals, seated from the next round on
                imported = await http.post(ev + "/participants/import", content=csv_of(late))
                imported.raise_for_status()
                new = (await http.post(ev + "/links")).json()
                await crowd.connect_all({link["participant_id"]: link["token"] for link in new})
            connected = [pid for pid, sim in crowd.sims.items() if sim.ws is not None]
            for pid in rng.sample(connected, max(1, len(connected) * 5 // 100)):
                await crowd.drop(pid)
                await crowd.connect(pid, crowd.sims[pid].token)
                await crowd.wait_first_state(pid)
                report.reconnects += 1
                if crowd.sims[pid].first_state != (number, expected.get(pid)):
                    report.wrong_deliveries.append(f"round {number}: {pid} after reconnecting")
            choices.update(await decide(http, crowd, expected, rng))
            (await http.post(ev + "/live/end-round")).raise_for_status()
            report.rss_mib.append(rss_mib(server_pid))
        await crowd.close()
        report.decisions = len(choices)
        mutual = {
            frozenset((a, b)) for (a, b), share in choices.items() if share and choices.get((b, a))
        }
        report.mutual_pairs = len(mutual)
        people_rows = (await http.get(ev + "/participants")).json()
        external = {row["external_id"]: row["id"] for row in people_rows}
        export = (await http.get(ev + "/exports/contact-pairs.json")).json()
        exported = {frozenset((external[r["A id"]], external[r["B id"]])) for r in export}
        report.export_missing = len(mutual - exported)
        report.export_unexpected = len(exported - mutual)
    report.plan_problems = plan_problems(database_url, event)


def soak(n: int, *, seed: int = 7, workdir: Path | None = None) -> Report:
    """Runs the whole event against a fresh server and returns what was checked and measured."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="speedmatch-soak-"))
    database_url = f"sqlite:///{workdir / 'soak.sqlite3'}"
    report = Report(participants=n, no_shows=max(1, n * 3 // 100), late=max(1, n * 2 // 100))
    port = free_port()
    env = speedmatch_env(database_url, port, workdir / "data")
    token = make_organiser(database_url)  # migrates the new file first
    server = uvicorn("app.main:create_app", port, env, workdir)
    server.start()
    started = time.perf_counter()
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/api/v1/health")
        assert server.proc is not None
        asyncio.run(run_event(base, database_url, token, n, seed, report, server.proc.pid))
    finally:
        server.stop()
    report.seconds["total"] = round(time.perf_counter() - started, 1)
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    report = soak(args.participants, seed=args.seed)
    text = json.dumps({**asdict(report), "ok": report.ok}, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if report.ok else 1
