"""The participant's personal page: plan for today, the live room card, decisions, my contacts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from anyio import from_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from app.contacts import export as contacts_export
from app.contacts import live_news as contacts_live
from app.contacts import service as contacts_service
from app.contacts.seen import Seen, StaleDecision, stamp
from app.deps import SessionDep, SettingsDep
from app.errors import AppError, NotFound, for_participants
from app.live.dispatch import participant_state
from app.live.event_view import EventView
from app.live.rounds_missed import rounds_missed
from app.live.snapshot import load_view
from app.models import ContactDecision, Event, EventPhase, Participant, Round, RoundStatus
from app.participants import service as participant_service
from app.web import auth, i18n, pages_my_data
from app.web.strings import country_name, live_strings, sector_names
from app.web.templating import error_page, reader_locale, render
from app.web.why import card_words, page_words

router = APIRouter(include_in_schema=False)
router.include_router(pages_my_data.router)  # "My data": erase
# `/p/{token}?registered=1`: right after registering, the thank-you page with the link.
REGISTERED = "registered"
# A Save with no answer to "share?" used to record "no": a mistaken click silently declined.
CHOOSE_FIRST = for_participants(
    "Nothing was saved: choose Yes or No for sharing your contact details first."
)
CHOICES = ("yes", "no")
# Saved meanwhile on another device (a laptop and a phone): the form shows what is stored now.
CHANGED_ELSEWHERE = for_participants(
    "Nothing was saved: you changed this answer on another device. Here is what is saved now"
    " (your note is kept in the box); check it and save again."
)


@dataclass(frozen=True)
class PlannedRound:
    number: int
    starts_at: datetime
    status: str
    seconds: float  # the real length once started (extended, paused), else the planned one


@dataclass(frozen=True)
class Met:
    round: int
    other: Participant
    decision: ContactDecision | None
    problem: str = ""  # why the last Save recorded nothing (English msgid)
    draft: dict[str, str] | None = None  # what that Save sent, shown again

    def choice(self, name: str) -> str:
        """Which of the form's `share` or `met` radios to check: "yes", "no" or "" (none)."""
        if self.draft is not None:
            return self.draft.get(name, "")
        value = getattr(self.decision, name, None)
        return "" if value is None else ("yes" if value else "no")

    @property
    def note(self) -> str:
        if self.draft is not None:
            return self.draft.get("note", "")
        return self.decision.note if self.decision else ""

    @property
    def seen(self) -> str:
        """The version of the decision this form shows, sent back with a Save (see seen.py)."""
        if self.draft is not None and "seen" in self.draft:
            return self.draft["seen"]
        return stamp(self.decision)

    @property
    def saved_note(self) -> str | None:
        """The stored note ("" for none) when the box shows another one kept from a Save refused
        as stale; None otherwise. After "choose Yes or No first" nothing changed elsewhere: the
        box simply keeps what was typed, beside nothing."""
        if self.problem != CHANGED_ELSEWHERE:
            return None
        stored = self.decision.note if self.decision else ""
        return stored if stored != self.note else None


@dataclass(frozen=True)
class Mate:
    id: str
    name: str
    line: str  # school, country, kind of school; shared interests (as the live card shows)


def plan_for_today(session: Session, event: Event) -> list[PlannedRound]:
    """Each round's start: the real one once started, else the planned one from the event. Once
    a round has really started, the rounds to come follow it (its end and the break), earlier or
    later than the planned clock. After an early finish the rounds never started were not played.
    """
    stored = {
        r.number: r for r in session.exec(select(Round).where(Round.event_id == event.id)).all()
    }
    out = []
    brk = timedelta(seconds=event.break_seconds)
    step = timedelta(seconds=event.round_seconds) + brk
    follows: datetime | None = None  # the next round's start, once a round really started
    finished = event.phase == EventPhase.FINISHED
    for number in range(1, event.rounds + 1):
        row = stored.get(number)
        started = row is not None and row.starts_at is not None
        if row is not None and row.starts_at is not None:
            start = row.starts_at
        else:
            start = follows or event.starts_at + step * (number - 1)
        status = str(row.status) if row else "planned"
        if finished and not started:
            status = "not_played"
        seconds = round_length(row) if row else None
        length = float(event.round_seconds) if seconds is None else seconds
        out.append(PlannedRound(number, start, status, length))
        if row is not None and row.ends_at is not None:
            # A break held after the round (auto-advance) ran that much longer.
            follows = row.ends_at + brk + timedelta(seconds=row.break_held_s)
        elif started or follows is not None:
            follows = start + step
    return out


def round_length(row: Round) -> float | None:
    """Seconds from the round's start to its (expected) end, extensions and pauses included;
    None before it starts. A paused round would end its time left after now."""
    if row.starts_at is None or row.ends_at is None:
        return None
    if row.status == RoundStatus.PAUSED:
        now = datetime.now(UTC).replace(tzinfo=None)
        return (now - row.starts_at).total_seconds() + (row.paused_remaining_s or 0.0)
    return (row.ends_at - row.starts_at).total_seconds()


def mates_now(state: dict[str, Any] | None, me: str, locale: str) -> list[Mate]:
    """The room-mates of the live round, for the room card a page without JavaScript shows."""
    room = (state or {}).get("room") or {}
    sectors = sector_names(locale)
    shared_label = i18n.translations(locale).gettext("shared: {list}")
    out = []
    for member in room.get("members", []):
        if member["id"] == me:
            continue
        parts = [
            member["school"],
            country_name(member["country"], locale),
            sectors.get(member["sector"], member["sector"]),
        ]
        line = ", ".join(p for p in parts if p)
        if member.get("shared_interests"):
            line += "; " + shared_label.replace("{list}", ", ".join(member["shared_interests"]))
        out.append(Mate(member["id"], member["name"], line))
    return out


def met_list(session: Session, participant: Participant) -> list[Met]:
    """One form per person met, at the first meeting: the decision is about the person."""
    event = contacts_service.event_of(session, participant)
    table = contacts_service.decisions(session, event, participant_id=participant.id)
    out: dict[str, Met] = {}
    for place, other in contacts_service.roommates(session, participant):
        if place.started and other.id not in out:
            out[other.id] = Met(place.round, other, table.get((participant.id, other.id)))
    return list(out.values())


def event_view(request: Request, session: Session, event: Event) -> EventView | None:
    """The live runtime's cached view when it is current (thousands open this page as an event
    starts), else one read of the event."""
    runtime = getattr(request.app.state, "live", None)
    if runtime is None:
        return load_view(session, event.id)
    view: EventView | None = from_thread.run(runtime.view, event.id, event.state_version)
    return view


def participant_locale(request: Request, session: Session, participant: Participant) -> str:
    """The picker's choice (remembered on the participant), else their saved one, else browser."""
    chosen = i18n.normalise(request.query_params.get("lang"))
    if chosen and chosen != participant.locale:
        participant_service.update_me(session, participant=participant, changes={"locale": chosen})
    return reader_locale(request, participant.locale)


def _context(request: Request, session: Session, token: str) -> dict[str, Any]:
    participant = auth.participant(session, token)
    event = contacts_service.event_of(session, participant)
    locale = participant_locale(request, session, participant)
    plan = plan_for_today(session, event)
    live = {
        "wsPath": f"/ws/participant?token={token}",
        "reconnectingForMs": 60_000,  # then "no live updates on this network" (participant.js)
        "me": participant.id,
        "lang": locale,
        "phase": str(event.phase),
        "roundsTotal": event.rounds,
        "autoAdvance": event.auto_advance,
        "roundSeconds": event.round_seconds,
        "breakSeconds": event.break_seconds,
        # What "People you met" (met_list) depends on: the rounds started, and an event's
        # finish (participant.js fetches the list again when it changes).
        "metKey": "finished" if event.phase == EventPhase.FINISHED else str(event.current_round),
        "fragments": {"met": f"/p/{token}/met", "contacts": f"/p/{token}/contacts"},
        "t": live_strings(locale),
    }
    return {
        "locale": locale,
        "token": token,
        "participant": participant,
        "event": event,
        "plan": plan,
        # Rounds they were not in (added later, or left out as a no-show): not "done" for them.
        "missed": rounds_missed(session, event_id=event.id, participant_id=participant.id),
        "met": met_list(session, participant),
        "contacts": contacts_export.my_contacts(session, participant),
        "live_config": live,
    }


@router.get("/p/{token}", response_class=HTMLResponse)
def participant_page(
    request: Request, token: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The personal page behind a participant's link."""
    try:
        context = _context(request, session, token)
    except AppError as exc:
        return error_page(request, exc)
    if request.query_params.get(REGISTERED):
        link = participant_service.personal_link(settings, token)
        welcome = {"event": context["event"], "person": context["participant"], "link": link}
        return render(request, "registered.html", welcome, locale=context["locale"])
    response = _page(request, session, context)
    # The API's "my contacts" downloads and the socket may also use the session cookie.
    auth.set_participant_cookie(response, context["participant"], settings)
    return response


def _page(
    request: Request, session: Session, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    # What the socket's first message would say, so the page is right without a socket (some
    # school networks block websockets) and, rendered here, without JavaScript.
    view = event_view(request, session, context["event"])
    me = context["participant"].id
    state = participant_state(view, me) if view else None
    context["live_config"]["state"] = state
    # The stored "why" texts are English: the card (here and in participant.js) words the
    # facts sent with them in the reader's language.
    locale = context["locale"]
    countries = {card.country for card in view.cards.values()} if view else set()
    context["live_config"]["why"] = page_words(locale, countries, context["participant"].languages)
    context["why_now"] = card_words(state["why"], state["why_facts"], locale) if state else ""
    context["mates_now"] = mates_now(state, me, locale)
    return render(
        request,
        "participant/page.html",
        context,
        status_code=status_code,
        locale=context["locale"],
    )


@router.get("/p/{token}/met", response_class=HTMLResponse)
def met_fragment(request: Request, token: str, session: SessionDep) -> Response:
    """The decision forms for everyone met so far (refreshed by the live script)."""
    try:
        context = _context(request, session, token)
    except AppError as exc:
        return error_page(request, exc)
    return render(request, "participant/_met.html", context, locale=context["locale"])


@router.get("/p/{token}/contacts", response_class=HTMLResponse)
def contacts_fragment(request: Request, token: str, session: SessionDep) -> Response:
    """The "my contacts" list (refreshed by the live script and the refresh button)."""
    try:
        context = _context(request, session, token)
    except AppError as exc:
        return error_page(request, exc)
    return render(request, "participant/_contacts.html", context, locale=context["locale"])


@router.post("/p/{token}/decisions/{other_id}", response_model=None)
def record_decision(
    request: Request,
    token: str,
    other_id: str,
    session: SessionDep,
    share: Annotated[str, Form(max_length=3)] = "",
    met: Annotated[str, Form(max_length=3)] = "",
    note: Annotated[str, Form(max_length=2 * contacts_service.NOTE_MAX)] = "",  # CR LF: 2 each
    seen: Annotated[str | None, Form(max_length=40)] = None,  # absent: a page from before it
) -> Response:
    """Save "share my contact details with X?" and "did we meet?" for one room-mate."""
    try:
        auth.same_origin(request)
        participant = auth.participant(session, token)
        if share not in CHOICES:
            draft = {"share": "", "met": met if met in CHOICES else "", "note": note}
            if seen is not None:  # still the version it saw: a stale one is refused next time
                draft["seen"] = seen
            return _again(request, session, token, other_id, CHOOSE_FIRST, lambda _: draft)
        try:
            contacts_live.record_decision(
                request.app,
                session,
                participant,
                other_id,
                share=share == "yes",
                met={"yes": True, "no": False}.get(met),
                note=note,
                seen=None if seen is None else Seen(seen),
            )
        except StaleDecision:
            return _again(
                request, session, token, other_id, CHANGED_ELSEWHERE, _as_stored_now(note), 409
            )
    except AppError as exc:
        return error_page(request, exc)
    return RedirectResponse(f"/p/{token}?saved={other_id}#met-{other_id}", status_code=303)


def _again(
    request: Request,
    session: Session,
    token: str,
    other_id: str,
    problem: str,
    draft: Callable[[Met], dict[str, str]],
    status_code: int = 422,
) -> Response:
    """The page again with nothing recorded, the form saying why and showing `draft(form)`."""
    context = _context(request, session, token)
    if all(m.other.id != other_id for m in context["met"]):
        raise NotFound(for_participants("You did not share a room with this participant."))
    context["met"] = [
        Met(m.round, m.other, m.decision, problem, draft(m)) if m.other.id == other_id else m
        for m in context["met"]
    ]
    return _page(request, session, context, status_code=status_code)


def _as_stored_now(note: str) -> Callable[[Met], dict[str, str]]:
    """The answers as stored now (changed on another device), the note typed here kept."""

    def draft(m: Met) -> dict[str, str]:
        # Its stamp too: these answers are now shown, so the next Save is based on them.
        return {"share": m.choice("share"), "met": m.choice("met"), "note": note, "seen": m.seen}

    return draft
