"""Service settings from the environment (prefix SPEEDMATCH_) or a `.env` file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-change-me"
# The placeholder in .env.example: published, so exactly as unsafe as the development value.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"
PUBLISHED_SECRET_KEYS = frozenset({DEV_SECRET_KEY, EXAMPLE_SECRET_KEY})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DATABASE_URL_HINT = "use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:5432/DBNAME"
LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]


class SettingsError(ValueError):
    """The environment (or `.env`) holds a setting the service cannot run with.

    The message names each variable and what is wrong with it, never the value: a secret key
    or a database password must not end up in a log. `prefix` is the settings class's
    `env_prefix` (app.web.mail reads SPEEDMATCH_SMTP_*).
    """

    def __init__(self, error: ValidationError, prefix: str = "SPEEDMATCH_") -> None:
        lines = []
        for item in error.errors(include_url=False, include_input=False, include_context=False):
            name = prefix + "_".join(str(part) for part in item["loc"]).upper()
            lines.append(f"  {name}: {item['msg'].removeprefix('Value error, ')}")
        super().__init__("invalid settings (environment or .env):\n" + "\n".join(lines))


class UnsafeSettings(RuntimeError):
    """Valid settings that are unsafe where the service is served (check_production_safety)."""


class Settings(BaseSettings):
    """Everything the service reads from its environment; see `.env.example`."""

    model_config = SettingsConfigDict(
        env_prefix="SPEEDMATCH_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A rejected value may be a secret: errors name the variable only.
        hide_input_in_errors=True,
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
    session_max_age_s: int = Field(default=14 * 24 * 3600, gt=0)
    session_idle_s: int = Field(default=8 * 3600, gt=0)
    max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    # Every organiser must use two-step sign-in (ASVS 6.3.3): one without it is sent to "My
    # account" to set it up before anything else, and cannot turn it off. API tokens still work.
    require_two_step: bool = False
    signin_attempts_per_window: int = Field(default=5, gt=0)
    signin_window_s: int = Field(default=300, gt=0)
    # Password checks (argon2: 64 MiB of memory each) running at once in this process; more
    # sign-ins wait for a turn, and after password_check_wait_s are answered 503 (Retry-After),
    # so a burst of sign-ins cannot take the memory every live event on the server needs.
    password_checks_at_once: int = Field(default=8, ge=1, le=256)
    password_check_wait_s: float = Field(default=5.0, gt=0, le=60)
    # An unused invite link stops working this many days after it was sent (ASVS 6.4.1).
    invite_days: int = Field(default=7, ge=1, le=60)
    # Solver budget for one schedule request.
    solver_time_limit_s: float = Field(default=10.0, gt=0)
    solver_workers: int = Field(default=2, gt=0)
    log_level: LogLevel = "info"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        # Only the scheme is ever quoted back: the rest may hold a password.
        if not value:
            return None
        scheme, separator, rest = value.partition("://")
        if not separator:
            raise ValueError(f"not a database URL: {DATABASE_URL_HINT}")
        scheme = scheme.lower()
        if scheme in ("postgres", "postgresql"):
            # The form hosting providers print; the service's driver is psycopg 3.
            return f"postgresql+psycopg://{rest}"
        if scheme not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
            raise ValueError(f"unsupported database {scheme!r}: {DATABASE_URL_HINT}")
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be the public address, e.g. https://speedmatch.example.org")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value in ("memory", "memory://") or value.startswith(
            ("redis://", "rediss://", "unix://")
        ):
            return value
        raise ValueError("must be a redis://HOST:6379/0 (or rediss://, unix://) URL")

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

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

    @property
    def shared_broker(self) -> bool:
        """Whether live rounds fan out through Redis, so several processes can serve them."""
        return bool(self.redis_url) and self.redis_url not in ("memory", "memory://")

    def check_production_safety(self) -> None:
        """Refuses to serve a public address with a published (development or example) key."""
        host = urlsplit(self.base_url).hostname or ""
        if self.secret_key in PUBLISHED_SECRET_KEYS and host not in LOOPBACK_HOSTS:
            raise UnsafeSettings(
                f"SPEEDMATCH_SECRET_KEY is not set (or is the published example value) but the "
                f"service is public at {self.base_url}: set a long random secret "
                "(see .env.example)."
            )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once; raises SettingsError naming what is wrong."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(exc) from None
