"""Service settings from the environment (prefix SPEEDMATCH_) or a `.env` file."""

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-change-me"


class Settings(BaseSettings):
    """Everything the service reads from its environment; see `.env.example`."""

    model_config = SettingsConfigDict(
        env_prefix="SPEEDMATCH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Embedded SQLite under data_dir when unset; `postgresql+psycopg://...` in production.
    database_url: str | None = None
    data_dir: Path = Path("data")
    # Signs session cookies. Must be set in production (see `check_production_safety`).
    secret_key: str = Field(default=DEV_SECRET_KEY, min_length=16)
    base_url: str = "http://127.0.0.1:8000"
    redis_url: str | None = None
    # Default video-room link pattern for new events; placeholders {event}, {round}, {room}.
    room_link_template: str = "https://meet.jit.si/speedmatch-{event}-r{round}-{room}"
    # Sent with Secure cookies; turn off only for plain-http local development.
    secure_cookies: bool = False
    # An organiser session ends this long after sign-in, or after this long without a request
    # (ASVS 7.3.1, 7.3.2); each request renews the idle window.
    session_max_age_s: int = 14 * 24 * 3600
    session_idle_s: int = 8 * 3600
    max_body_bytes: int = 2 * 1024 * 1024
    # Every organiser must use two-step sign-in (ASVS 6.3.3): one without it is sent to "My
    # account" to set it up before anything else, and cannot turn it off. API tokens still work.
    require_two_step: bool = False
    signin_attempts_per_window: int = 5
    signin_window_s: int = 300
    # Solver budget for one schedule request.
    solver_time_limit_s: float = 10.0
    solver_workers: int = 2
    log_level: str = "info"

    @model_validator(mode="after")
    def _secure_cookies_over_https(self) -> "Settings":
        # Served over https, session cookies are always Secure (ASVS 3.3.1): never sent in clear.
        if self.base_url.lower().startswith("https://"):
            self.secure_cookies = True
        return self

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under `data_dir`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'speedmatch.sqlite3'}"

    def check_production_safety(self) -> None:
        """Refuses to serve a public address with the well-known development secret key."""
        host = urlsplit(self.base_url).hostname or ""
        if self.secret_key == DEV_SECRET_KEY and host not in ("127.0.0.1", "localhost", "::1"):
            raise RuntimeError(
                f"SPEEDMATCH_SECRET_KEY is not set but the service is public at {self.base_url}: "
                "set a long random secret (see .env.example)."
            )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
