"""Personal links by e-mail (with an .ics calendar file) when an SMTP server is configured.

Settings: SPEEDMATCH_SMTP_HOST (unset = no e-mail; organisers download the links as CSV),
SPEEDMATCH_SMTP_PORT, SPEEDMATCH_SMTP_USERNAME, SPEEDMATCH_SMTP_PASSWORD, SPEEDMATCH_SMTP_SENDER,
SPEEDMATCH_SMTP_STARTTLS. A value that cannot work is refused like the service's own settings
(app.settings.SettingsError: the variable is named, its value never shown).

A link is only kept for those whose e-mail the server accepted: for the others it is withdrawn,
so they stay "without a link" and "E-mail missing links" tries exactly them again, never those
already sent. Each acceptance is committed as it comes (`mark_mailed`), so when the process dies
mid-batch the links not yet confirmed stay marked pending, the links page counts them, and the
next "E-mail missing links" sends them new ones.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlmodel import Session

from app import audit
from app.models import Event, Participant, utcnow
from app.security import hash_token
from app.settings import SettingsError
from app.web.templating import to_utc

PREFIX = "SPEEDMATCH_SMTP_"
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")


class MailSettings(BaseSettings):
    """SMTP settings, read from the same environment as the service's Settings."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A rejected value may be the password: errors name the variable only.
        hide_input_in_errors=True,
    )

    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "speedmatch@localhost"
    starttls: bool = True
    timeout_s: float = Field(default=20.0, gt=0)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if "/" in value or any(c.isspace() for c in value) or value.count(":") == 1:
            raise ValueError(
                "must be a host name or address, e.g. smtp.example.org (no scheme; the port "
                "goes in SPEEDMATCH_SMTP_PORT)"
            )
        return value

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        # The From header: a line break here would let the value add headers of its own.
        value = value.strip()
        address = parseaddr(value)[1]
        exact = value == address or value.endswith(f"<{address}>")
        if "\r" in value or "\n" in value or not exact or not _ADDRESS.fullmatch(address):
            raise ValueError(
                "must be an e-mail address, e.g. links@example.org or Agency <links@example.org>"
            )
        return value

    @property
    def configured(self) -> bool:
        return bool(self.host)


def mail_settings() -> MailSettings:
    """The SMTP settings; raises SettingsError naming each wrong variable (never its value)."""
    try:
        return MailSettings()
    except ValidationError as exc:
        raise SettingsError(exc, prefix=PREFIX) from None


def mail_configured() -> bool:
    """Whether links can be e-mailed (a wrong setting is reported when someone tries)."""
    try:
        return mail_settings().configured
    except SettingsError:
        return False


@dataclass(frozen=True)
class Outgoing:
    person: Participant
    link: str
    body: str
    subject: str


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_time(value: datetime) -> str:
    return to_utc(value).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(event: Event, link: str) -> str:
    """An iCalendar (RFC 5545) event from the first round's start to the last round's end."""
    length = event.rounds * (event.round_seconds + event.break_seconds)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//speedmatch//web//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.id}@speedmatch",
        f"DTSTAMP:{_ics_time(utcnow())}",
        f"DTSTART:{_ics_time(event.starts_at)}",
        f"DTEND:{_ics_time(event.starts_at + timedelta(seconds=length))}",
        f"SUMMARY:{_ics_text(event.name)}",
        f"DESCRIPTION:{_ics_text(link)}",
        f"URL:{link}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def build(event: Event, item: Outgoing, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = item.person.email
    message["Subject"] = item.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="speedmatch")
    message.set_content(item.body)
    message.add_attachment(
        calendar_file(event, item.link).encode("utf-8"),
        maintype="text",
        subtype="calendar",
        filename="event.ics",
        params={"method": "PUBLISH", "charset": "utf-8"},
    )
    return message


@dataclass
class Delivery:
    """What became of a batch: who was sent, who was not and why (the server's words)."""

    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    # Set when nothing could be sent: the server could not be reached or refused us.
    problem: str | None = None


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (0, b""))
        return f"{code} {_text(text)}".strip()
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}".strip()
    return str(error) or type(error).__name__


def _connect(settings: MailSettings, host: str) -> smtplib.SMTP:
    smtp = smtplib.SMTP(host, settings.port, timeout=settings.timeout_s)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            password = settings.password.get_secret_value() if settings.password else ""
            smtp.login(settings.username, password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_all(
    settings: MailSettings,
    event: Event,
    items: list[Outgoing],
    on_sent: Callable[[Outgoing], None] | None = None,
) -> Delivery:
    """Send every message over one SMTP connection, and say what became of each.

    A refused recipient does not stop the batch. A lost connection does: the rest count as not
    sent, with the reason, and sending again later picks them up. `on_sent` runs as soon as the
    server has taken a message, before the next one goes out.
    """
    if not settings.host:
        raise RuntimeError("SMTP is not configured")
    delivery = Delivery()
    try:
        smtp = _connect(settings, settings.host)
    except (OSError, smtplib.SMTPException) as exc:
        delivery.problem = _reason(exc)
        delivery.failed = [(item, delivery.problem) for item in items]
        return delivery
    try:
        for index, item in enumerate(items):
            try:
                smtp.send_message(build(event, item, settings.sender))
            except (OSError, smtplib.SMTPException) as exc:
                delivery.failed.append((item, _reason(exc)))
                if smtp.sock is None:  # smtplib closed it: nothing more goes out this time
                    delivery.failed.extend((rest, _reason(exc)) for rest in items[index + 1 :])
                    break
            else:
                delivery.sent.append(item)
                if on_sent is not None:
                    on_sent(item)
    finally:
        # Every message the server took is on its way; a failing goodbye changes nothing.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
        smtp.close()
    return delivery


def withdraw_unsent(
    session: Session, *, event: Event, unsent: list[tuple[Participant, str]], actor: str
) -> None:
    """Withdraw the links just issued to `unsent` (person, token): nobody received them.

    They stay "without a link", so the next "E-mail missing links" sends to them and to nobody
    already sent. A link issued anew in between (another tab) is left alone.
    """
    withdrawn = []
    for person, token in unsent:
        session.refresh(person)
        if person.token_hash == hash_token(token):
            person.token_hash = None
            person.token_version += 1  # and any session opened with it, should one exist
            person.link_mail_pending_since = None
            session.add(person)
            withdrawn.append(person.id)
    audit.record(
        session,
        actor=actor,
        action="participant.links.unsent",
        event_id=event.id,
        detail={"count": len(withdrawn)},
    )
    session.commit()


def mark_mailed(session: Session, *, person: Participant, token: str) -> None:
    """The server took the message with `token`: that link counts as delivered (committed now,
    so a crash later in the batch cannot send it again). A link issued anew in between (another
    tab) is left pending."""
    session.refresh(person)
    if person.token_hash == hash_token(token) and person.link_mail_pending_since is not None:
        person.link_mail_pending_since = None
        session.add(person)
        session.commit()
