"""All page routes and the static files, as one router for `create_app()`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from app.web import (
    pages_account,
    pages_links,
    pages_live,
    pages_organiser,
    pages_participant,
    pages_participants,
    pages_register,
    pages_schedule,
)
from app.web.templating import STATIC_DIR

router = APIRouter(include_in_schema=False)
router.include_router(pages_organiser.router)
router.include_router(pages_participant.router)
router.include_router(pages_live.router)
router.include_router(pages_participants.router)
router.include_router(pages_links.router)
router.include_router(pages_register.router)
router.include_router(pages_schedule.router)
router.include_router(pages_account.router)

_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
# A fixed list: no path from the URL ever reaches the file system.
_STATIC_FILES = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in _STATIC_TYPES}


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """Stylesheet and scripts; cached for a year (URLs carry a content hash)."""
    path = _STATIC_FILES.get(name)
    if path is None:
        raise HTTPException(status_code=404, detail="No such file.")
    return FileResponse(
        path,
        media_type=_STATIC_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers and tools that ask for /favicon.ico whatever the page says get the page's icon."""
    return FileResponse(
        STATIC_DIR / "favicon.svg",
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )
