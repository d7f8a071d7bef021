"""Application errors and the one place that turns them into JSON `{"type", "detail"}` bodies
(or, for a browser opening a page outside `/api/`, the site's error page: app/web/error_pages.py).

Services raise these (never fastapi's HTTPException); routes let them propagate. Catch `AppError`
only to translate it; extend it for a new kind of failure a client should be able to tell apart.
Anything else that escapes a route is a bug: a logged 500 `internal_error` (a plain page outside
the API) that says no more than that.
"""

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.web import i18n


def for_participants(message: str) -> str:
    """Marks a message that participants may read, so that `pybabel extract` puts it in the
    catalogs (docs/web.md) and error pages show it in the reader's language. Returns it as is."""
    return message


def for_organisers(message: str) -> str:
    """Marks a message that organisers may read on their pages, so that `pybabel extract` puts
    it in the catalogs (docs/web.md). A template's `%(name)s` values come as the error's params.
    Returns it as is."""
    return message


# Params that hold a code rather than words, by name (`phase=event.phase.value`): the English
# `detail` keeps the code (API clients match on it), a translated text shows its label, the same
# words as the phase badge and the live view's round status. A value may list codes (", ");
# anything that is not a known code is shown as it is.
_PHASES = {
    "draft": for_organisers("draft"),
    "open": for_organisers("registration open"),
    "scheduled": for_organisers("scheduled"),
    "live": for_organisers("live"),
    "finished": for_organisers("finished"),
}
_ROUND_STATUSES = {
    "planned": for_organisers("not started"),
    "running": for_organisers("running"),
    "paused": for_organisers("paused"),
    "ended": for_organisers("ended"),
}
CODE_PARAMS: dict[str, dict[str, str]] = {
    "phase": _PHASES,
    "to": _PHASES,
    "allowed": {**_PHASES, "none": for_organisers("none")},
    "round_status": _ROUND_STATUSES,
}


def _label(name: str, value: Any, gettext: Callable[[str], str]) -> Any:
    labels = CODE_PARAMS.get(name)
    if labels is None or not isinstance(value, str):
        return value
    return ", ".join(
        gettext(labels[code]) if code in labels else code for code in value.split(", ")
    )


class AppError(Exception):
    """Base of every error a client may see; `type` is a stable machine-readable code.

    `detail` is the English text the API sends. It is `template % params`: pages translate the
    template and then fill in the values (app.web.templating.error_text), so a message with a
    number in it still has one catalog entry."""

    status_code = 400
    type = "bad_request"
    retry_after_s: int | None = None  # sent as Retry-After when set

    def __init__(self, detail: str, /, **params: Any) -> None:
        self.template = detail
        self.params = params
        self.detail = detail % params if params else detail
        super().__init__(self.detail)

    def text(self, gettext: Callable[[str], str]) -> str:
        """The message in another language: the template translated, then the values (codes
        such as an event's phase as their translated label, see CODE_PARAMS)."""
        translated = gettext(self.template)
        if not self.params:
            return translated
        return translated % {name: _label(name, v, gettext) for name, v in self.params.items()}

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "detail": self.detail}


class NotFound(AppError):
    status_code = 404
    type = "not_found"


class Unauthorized(AppError):
    status_code = 401
    type = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    type = "forbidden"


class Conflict(AppError):
    status_code = 409
    type = "conflict"


class InvalidTransition(Conflict):
    type = "invalid_transition"


class _TryAgainLater(AppError):
    """A refusal that says when to try again (the Retry-After header)."""

    def __init__(self, detail: str, /, *, retry_after_s: int, **params: Any) -> None:
        super().__init__(detail, **params)
        self.retry_after_s = retry_after_s


class TooManyRequests(_TryAgainLater):
    """This caller is over a limit."""

    status_code = 429
    type = "too_many_requests"


class Unavailable(_TryAgainLater):
    """The server is over a limit of its own, whoever asks."""

    status_code = 503
    type = "unavailable"


class InvalidInput(AppError):
    """Input that parsed but breaks a rule; `errors` lists each problem (row, field, message)."""

    status_code = 422
    type = "invalid_input"

    def __init__(
        self, detail: str, errors: list[dict[str, Any]] | None = None, /, **params: Any
    ) -> None:
        super().__init__(detail, **params)
        self.errors = errors or []

    def body(self) -> dict[str, Any]:
        return {**super().body(), "errors": self.errors}


_HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


def _locale(request: Request) -> str:
    return i18n.pick_locale(
        request.query_params.get("lang"),
        request.cookies.get(i18n.LOCALE_COOKIE),
        request.headers.get("accept-language"),
    )


# The site's error page for a browser's page view, or None for the API (app.web.error_pages,
# wired in by app.main: the pages' templates import this module).
BrowserPage = Callable[[Request, int, Exception | None], Response | None]


def _page_or(
    request: Request, exc: Exception, status: int, headers: Mapping[str, str] | None
) -> Response | None:
    page: BrowserPage | None = getattr(request.app.state, "browser_error_page", None)
    response = page(request, status, exc) if page is not None else None
    if response is not None and headers:
        response.headers.update(headers)
    return response


def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    headers = {}
    if exc.retry_after_s is not None:
        headers["Retry-After"] = str(exc.retry_after_s)
    if page := _page_or(request, exc, exc.status_code, headers):
        return page
    body = exc.body()
    locale = _locale(request)
    if locale != i18n.DEFAULT_LOCALE:
        # `detail` stays English (clients match on it); the organiser's live page, which calls
        # the API, shows `message`: the same text in the language of its other texts.
        body["message"] = exc.text(i18n.translations(locale).gettext)
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if page := _page_or(request, exc, 422, None):
        return page
    errors = [
        {
            "field": ".".join(str(part) for part in err.get("loc", ()) if part != "body"),
            "message": str(err.get("msg", "invalid")),
        }
        for err in exc.errors()
    ]
    summary = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors[:5])
    body = {"type": "invalid_input", "detail": f"Invalid request: {summary}", "errors": errors}
    return JSONResponse(body, status_code=422)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if page := _page_or(request, exc, exc.status_code, exc.headers):
        return page
    body = {"type": _HTTP_TYPES.get(exc.status_code, "error"), "detail": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """A locked (SQLite) or unreachable (PostgreSQL) database: 503 with a reason, not a bare 500.
    The transaction was rolled back, so the client can simply send the request again."""
    assert isinstance(exc, OperationalError)
    body = {
        "type": "unavailable",
        "detail": "The database is busy or unreachable right now; try again in a few seconds.",
    }
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


def _has_impossible_id(connection: Request | WebSocket) -> bool:
    """A NUL character in a path value: no id contains one (PostgreSQL cannot even store it)."""
    return any("\x00" in str(value) for value in connection.path_params.values())


async def _data_error(connection: Request | WebSocket, exc: Exception) -> Response | None:
    """An id with a NUL character names nothing: 404, as on SQLite. psycopg refuses such a value
    before sending it (DataError); any other DataError is a real fault and stays a logged 500."""
    assert isinstance(exc, DataError)
    if not _has_impossible_id(connection):
        raise exc
    if isinstance(connection, WebSocket):
        # The socket contract: refusals are accepted, then closed with a code (README.md).
        await connection.accept()
        await connection.close(code=4404, reason="not found")
        return None
    if page := _page_or(connection, exc, 404, None):
        return page
    body = {"type": "not_found", "detail": "Not found: no id contains a NUL character."}
    return JSONResponse(body, status_code=404)


UNEXPECTED = for_participants(
    "Something went wrong on the server. It has been logged; please try again in a moment."
)


def _unexpected_error(request: Request, _exc: Exception) -> Response:
    """An unhandled exception (a bug): a plain 500 that says so, JSON for the API and a page
    for a browser. Starlette's ServerErrorMiddleware calls this and then re-raises, so the
    server still logs the traceback; nothing here may fail in turn."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"type": "internal_error", "detail": UNEXPECTED}, status_code=500)
    # Deliberately no template: the fault may be in the templates themselves.
    locale = _locale(request)
    _ = i18n.translations(locale).gettext
    page = (
        f'<!doctype html><html lang="{locale}"><meta charset="utf-8">'
        f"<title>{escape(_('Something went wrong'))}</title>"
        f"<h1>{escape(_('Something went wrong'))}</h1><p>{escape(_(UNEXPECTED))}</p>"
        f'<p><a href="/">{escape(_("Go to the start page"))}</a></p></html>'
    )
    return HTMLResponse(page, status_code=500, headers={"Cache-Control": "no-store"})


# What `_validation_error` really sends; FastAPI would document its own `{"detail": [...]}`.
_ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["type", "detail"],
    "properties": {
        "type": {"type": "string", "title": "Type"},
        "detail": {"type": "string", "title": "Detail"},
        "errors": {"type": "array", "items": {"type": "object"}, "title": "Errors"},
        "message": {"type": "string", "title": "Message"},
    },
}


def _document_error_shape(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = generate().get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = _ERROR_SCHEMA
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI, *, browser_page: BrowserPage | None = None) -> None:
    """Every error response of the API has the same `{"type", "detail"}` shape; a browser
    opening a page outside `/api/` gets `browser_page`'s HTML instead, when it gives one."""
    app.state.browser_error_page = browser_page
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(DataError, _data_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)
    _document_error_shape(app)
