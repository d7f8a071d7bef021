"""`speedmatch plan`: plan every round of an event from a participants CSV, offline."""

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from app.cli import cli
from matching import (
    CsvError,
    EventSettings,
    InfeasibleError,
    Plan,
    ProgressInfo,
    plan_event,
    read_participants_csv,
)


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    """The JSON of issue 2: rounds, score, upper_bound, elapsed_s (+ unplaceable, warnings)."""
    return {
        "rounds": [
            {
                "number": r.number,
                "rooms": [
                    {
                        "number": room.number,
                        "participants": list(room.participants),
                        "explanations": room.explanations,
                    }
                    for room in r.rooms
                ],
                "sitting_out": list(r.sitting_out),
            }
            for r in plan.rounds
        ],
        "score": {
            "total": plan.score.total,
            "pair": plan.score.pair,
            "diversity": plan.score.diversity,
            "min_participant": plan.score.min_participant,
            "violations": plan.score.violations,
            "sit_outs": plan.score.sit_outs,
        },
        "upper_bound": plan.upper_bound,
        "elapsed_s": plan.elapsed_s,
        "unplaceable": [
            {"participant_id": u.participant_id, "reason": u.reason} for u in plan.unplaceable
        ],
        "warnings": list(plan.warnings),
    }


@cli.command("plan")
def plan_command(
    participants: Path = typer.Argument(..., help="Participants CSV (UTF-8, header row)."),
    rounds: int = typer.Option(4, "--rounds", min=1, max=20, help="Number of rounds."),
    room_size: int = typer.Option(2, "--room-size", min=2, max=6, help="People per room."),
    time_limit: float = typer.Option(30.0, "--time-limit", min=0.5, help="Solver seconds."),
    out: Path | None = typer.Option(None, "--out", help="Write the JSON here, not to stdout."),
    max_per_country: int | None = typer.Option(
        None, "--max-per-country", min=1, help="Relax H2: at most this many per country a room."
    ),
    seed: int = typer.Option(0, "--seed", help="Solver random seed."),
    workers: int = typer.Option(2, "--workers", min=1, help="Solver threads."),
) -> None:
    """Plan every round from PARTICIPANTS.csv and write the plan as JSON."""
    err = Console(stderr=True)
    if out is not None and not out.parent.is_dir():
        # Checked before planning: a plan that took minutes must not be lost at the end.
        typer.echo(f"cannot write {out}: the folder {out.parent} does not exist", err=True)
        raise typer.Exit(2)
    try:
        text = participants.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"cannot read {participants}: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        people = read_participants_csv(text)
    except CsvError as exc:
        for e in exc.errors:
            typer.echo(f"{participants}: row {e.row}, field {e.field}: {e.message}", err=True)
        raise typer.Exit(2) from None
    settings = EventSettings(rounds=rounds, room_size=room_size, max_per_country=max_per_country)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err
    ) as bar:
        task = bar.add_task(f"planning {len(people)} participants, {rounds} rounds", total=None)

        def report(info: ProgressInfo) -> None:
            best = f"best {info.objective}" if info.objective is not None else ""
            bound = f", bound {info.bound}" if info.bound is not None else ""
            bar.update(task, description=f"{info.phase}: {best}{bound}")

        try:
            plan = plan_event(
                people,
                settings,
                time_limit_s=time_limit,
                seed=seed,
                workers=workers,
                progress=report,
            )
        except InfeasibleError as exc:
            bar.stop()
            # The message alone says how many can be placed; the report says who and why.
            err.print("no plan is possible:", style="red", end=" ")
            err.print(str(exc), markup=False, highlight=False)
            for line in exc.report.summary().splitlines():
                err.print(f"  {line}", markup=False, highlight=False)
            raise typer.Exit(1) from None
    for u in plan.unplaceable:
        err.print(f"cannot be placed: {u.participant_id}: {u.reason}", markup=False)
    for w in plan.warnings:
        err.print(f"warning: {w}", markup=False)
    gap = plan.upper_bound - plan.score.total
    err.print(
        f"total {plan.score.total}, upper bound {plan.upper_bound} (gap {gap}), "
        f"min participant {plan.score.min_participant}, sit-outs {plan.score.sit_outs}, "
        f"{plan.elapsed_s:.1f} s",
        markup=False,
    )
    payload = json.dumps(plan_as_dict(plan), ensure_ascii=False, indent=1)
    if out is None:
        typer.echo(payload)
        return
    try:
        out.write_text(payload + "\n", encoding="utf-8")
    except OSError as exc:
        # The plan is not lost: it goes to stdout instead.
        typer.echo(f"cannot write {out}: {exc}; the plan follows on stdout", err=True)
        typer.echo(payload)
        raise typer.Exit(1) from None
