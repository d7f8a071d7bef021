"""Service settings from the environment (prefix SPEEDMATCH_) or a `.env` file."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service reads from its environment; see `.env.example`."""

    model_config = SettingsConfigDict(
        env_prefix="SPEEDMATCH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Embedded SQLite under data_dir when unset; `postgresql+psycopg://...` in production.
    database_url: str | None = None
    data_dir: Path = Path("data")
    # Signs session cookies and keys the token HMAC. Must be set in production.
    secret_key: str = Field(default="dev-insecure-change-me", min_length=16)
    base_url: str = "http://127.0.0.1:8000"
    redis_url: str | None = None
    # Default video-room link pattern for new events; placeholders {event}, {round}, {room}.
    room_link_template: str = "https://meet.jit.si/speedmatch-{event}-r{round}-{room}"
    # Sent with Secure cookies; turn off only for plain-http local development.
    secure_cookies: bool = False
    session_max_age_s: int = 14 * 24 * 3600
    max_body_bytes: int = 2 * 1024 * 1024
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


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
