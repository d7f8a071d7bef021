"""Personal links by e-mail (with an .ics calendar file) when an SMTP server is configured.

Settings: SPEEDMATCH_SMTP_HOST (unset = no e-mail; organisers download the links as CSV),
SPEEDMATCH_SMTP_PORT, SPEEDMATCH_SMTP_USERNAME, SPEEDMATCH_SMTP_PASSWORD, SPEEDMATCH_SMTP_SENDER,
SPEEDMATCH_SMTP_STARTTLS.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pydantic_settings import BaseSettings, SettingsConfigDict

from app.models import Event, Participant, utcnow
from app.web.templating import to_utc


class MailSettings(BaseSettings):
    """SMTP settings, read from the same environment as the service's Settings."""

    model_config = SettingsConfigDict(
        env_prefix="SPEEDMATCH_SMTP_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    host: str | None = None
    port: int = 587
    username: str | None = None
    password: str | None = None
    sender: str = "speedmatch@localhost"
    starttls: bool = True
    timeout_s: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


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


def send_all(settings: MailSettings, event: Event, items: list[Outgoing]) -> list[str]:
    """Send every message over one SMTP connection; returns the addresses that failed."""
    if not settings.host:
        raise RuntimeError("SMTP is not configured")
    failed: list[str] = []
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        for item in items:
            try:
                smtp.send_message(build(event, item, settings.sender))
            except smtplib.SMTPException:
                failed.append(item.person.email)
    return failed
