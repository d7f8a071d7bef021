"""`speedmatch serve`: run the service with uvicorn."""

import typer
import uvicorn

from app.cli import cli
from app.db import check_schema, dispose_engines, get_engine
from app.settings import get_settings
from app.web.mail import mail_settings

WS_MAX_SIZE = 64 * 1024


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes (more than one needs SPEEDMATCH_REDIS_URL)."
    ),
    proxy_headers: bool = typer.Option(True, help="Trust X-Forwarded-* from the proxy."),
) -> None:
    """Serve the API, pages and websockets (run `speedmatch db upgrade` first)."""
    settings = get_settings()
    if workers > 1 and not settings.shared_broker:
        # Each process would see only its own sockets: at a round start, everyone connected
        # to another worker would count as a no-show and be re-planned out of the round.
        raise typer.BadParameter(
            "more than one worker needs SPEEDMATCH_REDIS_URL (live rounds fan out through "
            "Redis); without it, run one worker.",
            param_hint="--workers",
        )
    # The checks the app makes at start-up, made here first so that a refusal is one line
    # rather than a traceback from every worker.
    settings.check_production_safety()
    mail_settings()
    check_schema(get_engine())
    dispose_engines()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        backlog=4096,
        # Live messages are small JSON sent to thousands of sockets at once: compressing each
        # one costs more server time than it saves on the wire. Clients send at most 4 KiB.
        ws_per_message_deflate=False,
        ws_max_size=WS_MAX_SIZE,
        log_level=settings.log_level,
    )
