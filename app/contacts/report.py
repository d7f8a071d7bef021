"""The event report: plain facts in, one self-contained HTML page (inline CSS and SVG) out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.contacts.charts import bar_chart, heatmap
from app.web import i18n
from app.web.strings import country_label, sector_label

_TEMPLATES = Path(__file__).parent / "templates"
templates = Environment(
    loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(default=True)
)
UNKNOWN = "—"  # erased or missing country / sector


class MeetingStatus(StrEnum):
    HELD = "held"  # at least one side said "we met", nobody said "did not show up"
    NO_SHOW = "no_show"  # at least one side said "they did not show up", nobody "we met"
    DISPUTED = "disputed"  # the two sides disagree
    UNCONFIRMED = "unconfirmed"  # nobody answered yet


@dataclass(frozen=True)
class Meeting:
    """Two participants who shared a room in a round (a room of three gives three meetings)."""

    round: int
    room: int
    room_name: str
    a_id: str
    b_id: str
    status: MeetingStatus
    mutual: bool  # both agreed to share contact details


@dataclass(frozen=True)
class PersonFacts:
    id: str
    country: str
    sector: str
    absent: bool


@dataclass(frozen=True)
class ReportStats:
    event_name: str
    participants: int
    absent: int
    by_country: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    meetings: int
    status_counts: dict[str, int]
    mutual_pairs: int
    mutual_rate: float  # share of the meetings that were not a no-show ending in a mutual pair
    countries: list[str]
    matrix: list[list[int]]


def meeting_status(answers: Sequence[bool | None]) -> MeetingStatus:
    """Combine both sides' "we met" (True) / "did not show up" (False) answers."""
    said = {a for a in answers if a is not None}
    if said == {True}:
        return MeetingStatus.HELD
    if said == {False}:
        return MeetingStatus.NO_SHOW
    if said:
        return MeetingStatus.DISPUTED
    return MeetingStatus.UNCONFIRMED


def compute(
    event_name: str, people: Sequence[PersonFacts], meetings: Sequence[Meeting]
) -> ReportStats:
    """Every figure of the report, from facts only."""
    by_id = {p.id: p for p in people}
    countries = Counter(p.country or UNKNOWN for p in people)
    sectors = Counter(p.sector or UNKNOWN for p in people)
    statuses = Counter(m.status.value for m in meetings)
    counted = [m for m in meetings if m.status is not MeetingStatus.NO_SHOW]
    # A pair seated together twice (a small event, a move) is one contact pair, and the rate is
    # taken over the same meetings as its denominator, so it never passes 100 %.
    mutual = len({(m.a_id, m.b_id) for m in meetings if m.mutual})
    mutual_counted = sum(1 for m in counted if m.mutual)
    labels = sorted(countries)
    index = {c: i for i, c in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for m in counted:
        ca = _country(by_id, m.a_id)
        cb = _country(by_id, m.b_id)
        matrix[index[ca]][index[cb]] += 1
        if ca != cb:
            matrix[index[cb]][index[ca]] += 1
    return ReportStats(
        event_name=event_name,
        participants=len(people),
        absent=sum(1 for p in people if p.absent),
        by_country=sorted(countries.items(), key=lambda kv: (-kv[1], kv[0])),
        by_sector=sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
        meetings=len(meetings),
        status_counts={s.value: statuses.get(s.value, 0) for s in MeetingStatus},
        mutual_pairs=mutual,
        mutual_rate=mutual_counted / len(counted) if counted else 0.0,
        countries=labels,
        matrix=matrix,
    )


@cache
def localised(locale: str) -> Environment:
    """These templates with gettext for `locale`: one environment per locale, so concurrent
    requests never share gettext state (as app.web.templating does)."""
    env = Environment(
        loader=templates.loader, autoescape=templates.autoescape, extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["sector"] = sector_label(locale)
    env.filters["country"] = country_label(locale)
    return env


def render(stats: ReportStats, generated_at: datetime, locale: str = "en") -> str:
    """One self-contained HTML page with the figures, the charts and their data tables, in the
    organiser's language."""
    _ = i18n.translations(locale).gettext
    sector = sector_label(locale)
    sectors = [(sector(label), n) for label, n in stats.by_sector]
    charts = {
        "country": Markup(bar_chart(stats.by_country, _("Participants by country"))),
        "sector": Markup(bar_chart(sectors, _("Sector mix"))),
        "matrix": Markup(
            heatmap(
                stats.countries,
                stats.matrix,
                _("Meetings between countries (country x country)"),
            )
        ),
    }
    return (
        localised(locale)
        .get_template("report.html")
        .render(
            stats=stats,
            charts=charts,
            locale=locale,
            generated_at=generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


def _country(by_id: dict[str, PersonFacts], pid: str) -> str:
    person = by_id.get(pid)
    return (person.country if person else "") or UNKNOWN
