"""`python -m bench live`: N real websocket clients on 127.0.0.1, the organiser starts a round.

For each N: time from the start-round request to each client's assignment (p50/p99/max, and
whether every client got exactly its own room), for one uvicorn process and for two processes
sharing Redis:
- round 1 on freshly started servers, `--repeats` times (each on its own servers and its own
  copy of the event);
- `--repeats` later rounds on the first of those servers, each after a short break.
In the same run: the bare FastAPI loop (the floor), pushed `--repeats` times to the same number
of clients (for the Redis mode also as two processes sharing Redis); then every client
reconnecting at once after a server restart, until all have their `state`. Repeated figures are
the median over the repeats (at 60 clients a p99 is one message of one start, and single runs
put the floor anywhere from 2 to 6 ms), with the range of the p99s in the notes. Latency is
measured on the client side, so the clients' own CPU share is included (upper bound). The client
process's own garbage collector is kept out of every timed window (`collector_paused`).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.command_line import comma_separated_ints, markdown_header
from bench.live_floor_pushes import floor_round, redis_floor_round
from bench.live_rounds import speedmatch_rows
from bench.seeded_event import assignment_bytes, seed
from bench.servers import free_port, redis_server, uvicorn, wait_http

REPEATS = 5  # warm round starts and floor pushes per N


async def run(sizes: list[int], modes: list[str], workdir: Path, repeats: int) -> list[str]:
    """Every size's rows, printed as each is measured; also returned."""
    lines: list[str] = []
    rounds = 1 + repeats
    seeds = {n: seed(f"sqlite:///{workdir / f'bench-{n}.sqlite3'}", n, rounds) for n in sizes}
    redis, redis_url = redis_server(workdir) if "redis" in modes else (None, None)
    floor_port = free_port()
    floor = uvicorn("bench.live_floor:app", floor_port, {}, workdir)
    floor.start()
    try:
        wait_http(f"http://127.0.0.1:{floor_port}/health")
        for n in sizes:
            seeded = seeds[n]
            # Also with a message as large as a median assignment: what the bytes alone cost.
            results = [
                await floor_round([floor_port], n, repeats),
                await floor_round([floor_port], n, repeats, assignment_bytes(seeded)),
            ]
            storm_line = ""
            if "single" in modes:
                rows, storm_line = await speedmatch_rows(
                    "speedmatch, 1 process", seeded, workdir, None, 1, n, repeats
                )
                results += rows
            if "redis" in modes and redis_url:
                results.append(await redis_floor_round(workdir, redis_url, n, repeats))
                rows, _ = await speedmatch_rows(
                    "speedmatch, 2 processes + Redis", seeded, workdir, redis_url, 2, n, repeats
                )
                results += rows
            if any(r.got < (r.expected or r.n) for r in results):
                for log in sorted(workdir.glob("*.log")):
                    print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}")
            for r in results:
                lines.append(r.row())
                print(r.row(), flush=True)
            if storm_line:
                lines.append(storm_line)
                print(storm_line, flush=True)
    finally:
        floor.stop()
        if redis is not None:
            redis.stop()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench live", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=comma_separated_ints,
        default="60,1000,5000",
        help="comma-separated client counts",
    )
    parser.add_argument("--modes", default="single,redis", help="single and/or redis")
    parser.add_argument(
        "--repeats", type=int, default=REPEATS, help="warm round starts and floor pushes per N"
    )
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    columns = ["setup", "N", "got", "wrong room", "p50 ms", "p99 ms", "max ms", "notes"]
    with tempfile.TemporaryDirectory(prefix="sm-bench-live-") as tmp:
        print(markdown_header(columns))
        asyncio.run(run(args.sizes, modes, Path(tmp), max(1, args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
