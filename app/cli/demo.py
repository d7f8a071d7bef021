"""`speedmatch demo`: a ready-to-run demo event with generated participants and its plan."""

import json
from datetime import timedelta

import typer
from sqlmodel import select

from app import audit
from app.cli import cli
from app.cli.db import upgrade
from app.db import session_scope
from app.events import service as event_service
from app.models import Event, EventPhase, Organiser, utcnow
from app.organisers import service as organiser_service
from app.participants import service as participant_service
from app.schedule import service as schedule_service
from app.settings import get_settings
from matching import write_participants_csv
from matching.generate import generate_participants

DEMO_EMAIL = "demo@speedmatch.example"


def _organiser() -> Organiser:
    with session_scope() as session:
        found = session.exec(select(Organiser).where(Organiser.email == DEMO_EMAIL)).first()
        if found is not None:
            return found
        return organiser_service.create_organiser(session, email=DEMO_EMAIL, name="Demo organiser")


@cli.command()
def demo(
    participants: int = typer.Option(60, "--participants", "-n", min=2, max=2000),
    json_output: bool = typer.Option(False, "--json", help="Print ids and tokens as JSON."),
    seed: int = typer.Option(0, help="Seed of the generated participants."),
    time_limit: float = typer.Option(10.0, help="Solver time limit in seconds."),
) -> None:
    """Create a demo event (generated participants from 7 countries) with its plan and links."""
    settings = get_settings()
    upgrade()
    organiser = _organiser()
    people = generate_participants(participants, seed=seed)
    with session_scope() as session:
        organiser = session.get(Organiser, organiser.id) or organiser
        actor = audit.actor_for(organiser)
        invite = organiser_service.issue_invite(session, organiser=organiser)
        _, api_token = organiser_service.create_api_token(session, organiser=organiser, name="demo")
        starts = (utcnow() + timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
        event: Event = event_service.create_event(
            session,
            organiser=organiser,
            data={
                "name": "Partner-finding day (demo)",
                "starts_at": starts,
                "timezone": "UTC",
            },
        )
        participant_service.import_csv(
            session, event=event, data=write_participants_csv(people).encode(), actor=actor
        )
        event_service.transition(session, event=event, to=EventPhase.OPEN, actor=actor)
        plan = schedule_service.generate_schedule(
            session, event=event, settings=settings, actor=actor, time_limit_s=time_limit
        )
        links = participant_service.issue_links(session, event=event, actor=actor)
    if json_output:
        typer.echo(
            json.dumps(
                {
                    "event_id": event.id,
                    "organiser_token": api_token,
                    "participants": [{"id": p.id, "token": token} for p, token in links],
                }
            )
        )
        return
    base = settings.base_url.rstrip("/")
    typer.echo(f"Demo event: {event.name} ({event.id}), {len(links)} participants")
    typer.echo(
        f"Plan: score {plan.score.get('total')} of at most {plan.upper_bound} "
        f"(solved in {plan.elapsed_s:.1f} s)"
    )
    typer.echo(f"\nOrganiser link (one use): {organiser_service.invite_link(settings, invite)}")
    typer.echo(f"Organiser API token:      {api_token}")
    typer.echo(f"Organiser pages:          {base}/organiser/events/{event.id}")
    typer.echo("\nParticipant links:")
    for participant, token in links:
        typer.echo(
            f"  {participant.name:<28} {participant.country}  "
            f"{participant_service.personal_link(settings, token)}"
        )
