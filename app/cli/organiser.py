"""`speedmatch organiser two-step-off EMAIL`: turn an organiser's two-step sign-in off.

For whoever runs the server, when an organiser lost the phone with their authenticator app, or
after SPEEDMATCH_SECRET_KEY changed (the stored secrets no longer open). The password alone
then signs in; the organiser can set two-step sign-in up again on "My account".
"""

import typer
from sqlmodel import select

from app.cli import cli
from app.db import check_schema, get_engine, session_scope
from app.errors import Conflict
from app.models import Organiser
from app.organisers import two_step
from app.validators import normalise_email

organiser_cli = typer.Typer(no_args_is_help=True, help="Organiser accounts.")
cli.add_typer(organiser_cli, name="organiser")


@organiser_cli.command("two-step-off")
def two_step_off(email: str = typer.Argument(..., help="The organiser's e-mail address.")) -> None:
    """Turn two-step sign-in off for one organiser (their other sessions end)."""
    check_schema(get_engine())
    with session_scope() as session:
        statement = select(Organiser).where(Organiser.email == normalise_email(email))
        organiser = session.exec(statement).first()
        if organiser is None:
            typer.echo(f"No organiser has the e-mail address {email!r}.", err=True)
            raise typer.Exit(code=1)
        try:
            two_step.reset(session, organiser)
        except Conflict as exc:
            typer.echo(exc.detail, err=True)
            raise typer.Exit(code=1) from exc
    typer.echo(f"Two-step sign-in is off for {organiser.email}; the password alone signs in.")
