"""`speedmatch db upgrade`: bring the configured database to the newest schema."""

from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

from app.cli import cli
from app.settings import get_settings

db_cli = typer.Typer(no_args_is_help=True, help="Database schema migrations.")
cli.add_typer(db_cli, name="db")

_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration for this checkout, pointed at `url` (default: the settings' URL)."""
    config = Config(str(_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(_ROOT / "migrations"))
    # configparser interpolates "%": escape it (URL-encoded passwords contain it).
    target = url or get_settings().effective_database_url
    config.set_main_option("sqlalchemy.url", target.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Run every pending migration (the only way the app creates or changes tables)."""
    command.upgrade(alembic_config(url), revision)


@db_cli.command("upgrade")
def upgrade_command(
    revision: str = typer.Argument("head", help="Target revision."),
) -> None:
    """Apply all pending migrations to the configured database."""
    upgrade(revision=revision)
    typer.echo(f"Database is at revision {revision}.")
