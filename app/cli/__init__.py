"""The `speedmatch` command. Each sub-command lives in its own module and registers itself here."""

import typer

cli = typer.Typer(
    no_args_is_help=True, help="speedmatch: speed-date rounds for partner-finding events."
)


def main() -> None:
    # Sub-command modules are imported for their registration side effect.
    from app.cli import commands  # noqa: F401

    cli()
