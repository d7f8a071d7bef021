"""The `speedmatch` command. Each sub-command lives in its own module and registers itself here."""

import typer

cli = typer.Typer(
    no_args_is_help=True, help="speedmatch: speed-date rounds for partner-finding events."
)


def main() -> None:
    # Sub-command modules are imported for their registration side effect.
    from app.cli import commands  # noqa: F401
    from app.cli.errors import OPERATOR_ERRORS, explain

    try:
        cli()
    except OPERATOR_ERRORS as exc:
        # What the person running the command can fix (a setting, the database): one readable
        # message and exit code 1, not a traceback through the libraries.
        typer.echo(f"speedmatch: {explain(exc)}", err=True)
        raise SystemExit(1) from None
