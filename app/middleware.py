"""Pure ASGI middleware: request body limit, security headers on every HTTP response, the
renewal of organiser session cookies, and the origin check on cookie-authenticated API writes."""

import json
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import BrowserPage, Forbidden
from app.security import ORGANISER_COOKIE, PARTICIPANT_COOKIE
from app.sessions import cookie_name, renewal_header, session_cookie_of
from app.settings import Settings


def _cookies(scope: Scope) -> dict[str, str]:
    return cookie_parser(
        b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    )


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Answers 413 to any request body over `max_bytes`, declared or streamed: JSON, or for a
    browser's form the site's error page from `browser_page` (app.errors.BrowserPage)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, browser_page: BrowserPage | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.browser_page = browser_page

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = self.browser_page and self.browser_page(Request(scope), 413, None)
        if page:
            page.headers["connection"] = "close"  # the rest of the body is never read
            await page(scope, receive, send)
            return
        body = json.dumps(
            {
                "type": "payload_too_large",
                "detail": f"The request body is larger than the limit of {self.max_bytes} bytes.",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_bytes:
                    await self._reject(scope, receive, send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._reject(scope, receive, send)


class SecurityHeaders:
    """Personal links travel in URLs, so no page may leak them through the Referer header."""

    HEADERS = [
        (b"referrer-policy", b"no-referrer"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.HEADERS if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _shared_cacheable(name: bytes, value: bytes) -> bool:
    """Whether a proxy or CDN may keep this response for everyone (static files): a session
    cookie on it would be handed to every later visitor, so the renewal waits."""
    return name.lower() == b"cache-control" and b"public" in value.lower()


class SessionRenewal:
    """Renews an organiser's session cookie on their requests, so that only idleness (not a
    long working day) ends a session; the response's own cookie, if it sets one, wins, and a
    response that shared caches may keep gets none."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        renewal = renewal_header(
            session_cookie_of(cookies, ORGANISER_COOKIE, self.settings), self.settings
        )
        if renewal is None:
            await self.app(scope, receive, send)
            return
        own = f"{cookie_name(ORGANISER_COOKIE, self.settings)}=".encode()

        async def send_renewed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(
                    (k.lower() == b"set-cookie" and v.startswith(own)) or _shared_cacheable(k, v)
                    for k, v in headers
                ):
                    message = {**message, "headers": [*headers, renewal]}
            await send(message)

        await self.app(scope, receive, send_renewed)


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, as browsers write it in the Origin header."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def cross_origin(headers: Headers, own_origin: str) -> bool:
    """Whether the browser says the request comes from another origin. Sec-Fetch-Site (sent by
    every current browser) also tells a sibling subdomain ("same-site") apart; older ones send
    only Origin. A request with neither is not from a browser page, so nobody forged it."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    return origin.lower().rstrip("/") != own_origin  # "null" (an opaque origin) is foreign too


class CrossOriginApiGuard:
    """Refuses (403) a state-changing API request authenticated by a session cookie when the
    browser says another origin sent it. SameSite=Lax cookies still travel with requests from
    another subdomain of the same site, so only the origin tells a forged request from the
    pages' own. Requests with an API token are left alone: a browser cannot attach a
    bearer token to a cross-origin request without a CORS preflight, which this app never
    grants, so integrations keep working from anywhere."""

    UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    DETAIL = (
        "Refused: this request was sent from another site with your session cookie. "
        "Use speedmatch's own pages, or an API token for scripts and integrations."
    )

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.own_origin = origin_of(settings.base_url)

    def _cookie_authenticated(self, scope: Scope, headers: Headers) -> bool:
        # Only a bearer token: a browser re-sends cached Basic credentials (a proxy's) by itself.
        if headers.get("authorization", "").lower().startswith("bearer "):
            return False
        cookies = _cookies(scope)
        return any(
            session_cookie_of(cookies, kind, self.settings)
            for kind in (ORGANISER_COOKIE, PARTICIPANT_COOKIE)
        )

    def _refused(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] not in self.UNSAFE_METHODS:
            return False
        if not scope["path"].startswith("/api/"):
            return False  # pages check their forms themselves (app.web.auth.same_origin)
        headers = Headers(scope=scope)
        return self._cookie_authenticated(scope, headers) and cross_origin(headers, self.own_origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._refused(scope):
            await self.app(scope, receive, send)
            return
        error = Forbidden(self.DETAIL)
        await JSONResponse(error.body(), status_code=error.status_code)(scope, receive, send)
