"""Rendering pages: the locale, the Jinja environment for it, security headers, static files."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.routing import iter_route_contexts
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.errors import AppError
from app.web import i18n
from app.web.strings import country_label, sector_label

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Scripts and styles come only from this server; the socket goes to the same host.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CSP,
    # Pages show personal data and carry personal links: never kept by a shared cache or browser.
    "Cache-Control": "no-store",
}


@cache
def static_version(name: str) -> str:
    """A short content hash so browsers never keep a stale script after a deploy."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    return f"/static/{name}?v={static_version(name)}"


def to_utc(value: datetime) -> datetime:
    """Stored datetimes are naive UTC; make them aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def make_time_tag(locale: str) -> Any:
    def time_tag(value: datetime | None, tz: str | None = None, style: str = "medium") -> Markup:
        """A <time> element: text in the event's zone, rewritten to the viewer's zone by JS."""
        if value is None:
            return Markup("")
        aware = to_utc(value)
        text = format_datetime(aware.astimezone(zone(tz)), style, locale=locale)
        label = f"{text} ({tz})" if tz else text
        iso = aware.strftime("%Y-%m-%dT%H:%M:%SZ")
        return Markup('<time datetime="{}" data-local="{}">{}</time>').format(iso, style, label)

    return time_tag


@cache
def environment(locale: str) -> Environment:
    """One environment per locale, so concurrent requests never share gettext state."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        languages=i18n.LANGUAGES,
        locale=locale,
        time_tag=make_time_tag(locale),
    )
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.filters["sector"] = sector_label(locale)
    env.filters["country"] = country_label(locale)
    return env


def request_locale(request: Request) -> str:
    return i18n.pick_locale(
        request.query_params.get("lang"),
        request.cookies.get(i18n.LOCALE_COOKIE),
        request.headers.get("accept-language"),
    )


def reader_locale(request: Request, saved: str | None) -> str:
    """A known reader's language: the picker's choice (`?lang`, its cookie), else the one saved
    on their record (it follows them to another device), else the browser's."""
    if i18n.normalise(request.query_params.get("lang")) or request.cookies.get(i18n.LOCALE_COOKIE):
        return request_locale(request)
    return i18n.normalise(saved) or request_locale(request)


def picker_query(request: Request) -> list[tuple[str, str]]:
    """The page's query, less its old `lang`: the language picker is a GET form, which replaces
    the query of its action, so it sends these back as hidden fields (e.g. sign-in's `next`)."""
    return [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]


def picker_path(request: Request) -> str:
    """Where the language picker leads: this page, or for a page answering a form (a POST) the
    page that form is on, found by dropping the action's last steps from its route until a GET
    page's route is left (`.../participants/import` -> `.../participants`, `.../schedule/change`
    -> `.../schedule`, `/organiser/account/two-step/confirm` -> `/organiser/account`). Routes,
    not paths, are compared: `.../participants/import` also fits a participant's GET route."""
    path = request.url.path
    route = request.scope.get("route")
    if request.method in ("GET", "HEAD") or route is None:
        return path
    routes = list(iter_route_contexts(request.app.routes))
    pages = {r.path_format for r in routes if "GET" in (getattr(r, "methods", None) or ())}
    template = next((r.path_format for r in routes if r.original_route is route), None) or "/"
    while template not in pages and template.count("/") > 1:
        template = template.rsplit("/", 1)[0]
        path = path.rsplit("/", 1)[0]
    return path if template in pages else "/"


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    locale: str | None = None,
) -> HTMLResponse:
    """Render a page in the viewer's language with the security headers every page sends."""
    chosen = locale or request_locale(request)
    html = (
        environment(chosen)
        .get_template(name)
        .render(
            {
                "request": request,
                "path": request.url.path,
                "picker_path": picker_path(request),
                "picker_query": picker_query(request),
                **(context or {}),
            }
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    if i18n.normalise(request.query_params.get("lang")):
        response.set_cookie(
            i18n.LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response


def translate(request: Request, message: str, **params: Any) -> str:
    """Translate a message in Python code (flash texts, errors) for this request's locale."""
    text = i18n.translations(request_locale(request)).gettext(message)
    return text % params if params else text


def error_text(request: Request, exc: AppError) -> str:
    """A service error in the viewer's language: its template translated, then its values."""
    return exc.text(i18n.translations(request_locale(request)).gettext)


def error_page(request: Request, exc: AppError) -> HTMLResponse:
    """A service error as a readable page with the same status code the API would send."""
    return render(
        request,
        "error.html",
        {"status": exc.status_code, "detail": error_text(request, exc)},
        status_code=exc.status_code,
    )
