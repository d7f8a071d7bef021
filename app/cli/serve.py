"""`speedmatch serve`: run the service with uvicorn."""

import typer
import uvicorn

from app.cli import cli
from app.settings import get_settings

WS_MAX_SIZE = 64 * 1024


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, help="Worker processes (use Redis for more than one)."),
    proxy_headers: bool = typer.Option(True, help="Trust X-Forwarded-* from the proxy."),
) -> None:
    """Serve the API, pages and websockets (run `speedmatch db upgrade` first)."""
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
        log_level=get_settings().log_level,
    )
