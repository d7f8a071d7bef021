"""The site's error page for a browser that opens an address the app refuses (an unknown path, a
personal link without its token, an upload over the size limit): the status code the API would
send, in the reader's language, instead of the API's JSON body. `/api/` paths and clients that do
not ask for HTML keep the JSON (app/errors.py); app.main wires this in."""

from __future__ import annotations

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts

from app.errors import AppError, for_participants
from app.web.templating import error_text, render, request_locale, translate

_TEXTS = {
    404: for_participants(
        "There is no page at this address. Check that the link is complete, or ask whoever sent "
        "it for a new one."
    ),
    405: for_participants(
        "This address cannot be opened like this. Go back to the page you came from and try again."
    ),
}
_OTHER = for_participants(
    "What was sent could not be handled. Go back to the page you came from and try again."
)
_TOO_LARGE_FILE = for_participants(
    "The file is too large: files of up to %(megabytes)s MB can be sent. Choose a smaller file, "
    "or split it in two."
)
_TOO_LARGE = for_participants(
    "What was sent is too large: up to %(megabytes)s MB can be sent at once."
)


def wants_page(request: Request) -> bool:
    """A browser opening a page (it asks for HTML), not a script or client of the API."""
    if request.scope["type"] != "http" or request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "").lower()


def _too_large(request: Request) -> str:
    limit = request.app.state.settings.max_body_bytes / (1024 * 1024)
    megabytes = format_decimal(round(limit, 1), locale=request_locale(request))
    is_file = request.headers.get("content-type", "").startswith("multipart/form-data")
    return translate(request, _TOO_LARGE_FILE if is_file else _TOO_LARGE, megabytes=megabytes)


def _with_route(request: Request) -> None:
    """A request refused before routing (413) gets its route, so that the language picker and
    "Back" lead to the page its form is on (templating.picker_path), not to the form's action."""
    if "route" in request.scope:
        return
    for context in iter_route_contexts(request.app.routes):
        methods = getattr(context, "methods", None) or ()
        regex = getattr(context, "path_regex", None)
        if request.method in methods and regex is not None and regex.match(request.url.path):
            request.scope["route"] = context.original_route
            return


def for_browser(request: Request, status: int, exc: Exception | None = None) -> Response | None:
    """The error page for `status`, or None when the request is not a browser's page view."""
    if not wants_page(request):
        return None
    if isinstance(exc, AppError):
        detail = error_text(request, exc)
    elif status == 413:
        _with_route(request)
        detail = _too_large(request)
    else:
        detail = translate(request, _TEXTS.get(status, _OTHER))
    # A refused form offers the way back to the page it is on (when there is one).
    back = request.method not in ("GET", "HEAD")
    context = {"status": status, "detail": detail, "back": back}
    return render(request, "error.html", context, status_code=status)
