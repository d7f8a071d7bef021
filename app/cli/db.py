"""`speedmatch db upgrade`: bring the configured database to the newest schema."""

from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

import migrations
from app.cli import cli
from app.db import current_revisions, make_engine, shipped_revisions
from app.settings import get_settings

db_cli = typer.Typer(no_args_is_help=True, help="Database schema migrations.")
cli.add_typer(db_cli, name="db")

_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration pointed at `url` (default: the settings' URL).

    Works from a checkout (alembic.ini at the root) and from an installed wheel (the Docker
    image), where the migrations are found through their package.
    """
    config = Config(str(_INI) if _INI.exists() else None)
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    # configparser interpolates "%": escape it (URL-encoded passwords contain it).
    target = url or get_settings().effective_database_url
    config.set_main_option("sqlalchemy.url", target.replace("%", "%%"))
    return config


def upgrade(
    url: str | None = None, revision: str = "head", *, secret_key: str | None = None
) -> None:
    """Run every pending migration (the only way the app creates or changes tables).

    `secret_key`: what migrations that seal data seal it with (default: SPEEDMATCH_SECRET_KEY
    as the environment has it now).
    """
    config = alembic_config(url)
    if secret_key is not None:
        config.attributes["secret_key"] = secret_key
    command.upgrade(config, revision)


@db_cli.command("upgrade")
def upgrade_command(
    revision: str = typer.Argument("head", help="Target revision."),
) -> None:
    """Apply all pending migrations to the configured database."""
    upgrade(revision=revision)
    # Say where it is, not what was asked: a target older than the database changes nothing.
    engine = make_engine(get_settings().effective_database_url)
    try:
        current = ", ".join(sorted(current_revisions(engine)))
    finally:
        engine.dispose()
    newest = ", ".join(sorted(shipped_revisions()[0]))
    if current == newest:
        typer.echo("Database is at revision head.")
    else:
        typer.echo(f"Database is at revision {current or 'base'} (the newest is {newest}).")
