"""Schedule review: generate, table of rounds x rooms, country heatmap, score and bound, swaps."""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from app import audit
from app.deps import SessionDep, SettingsDep
from app.errors import AppError, InvalidInput, for_organisers
from app.models import Event, Organiser, Participant
from app.participants import service as participant_service
from app.schedule import edit as schedule_edit
from app.schedule import kept_edits, plan_weights, store
from app.schedule import service as schedule_service
from app.schedule.schemas import ScheduleOut
from app.schedule.service import GENERATE_PHASES
from app.schedule.view import not_in_plan, schedule_view
from app.settings import Settings
from app.web import finding_words, flash, heatmap, plan_notes, rule_words
from app.web.organiser_common import event_nav, guard_event
from app.web.templating import error_text, render, request_locale, translate

router = APIRouter(include_in_schema=False)
log = logging.getLogger("speedmatch.web")
BASE = "/organiser/events/{event_id}/schedule"


def _context(request: Request, session: Session, event: Event, **extra: Any) -> dict[str, Any]:
    row = store.latest_plan(session, event_id=event.id)
    plan = None if row is None else schedule_view(session, event=event, row=row)
    people = participant_service.list_participants(session, event_id=event.id)
    names = _names(request, session, event)
    context: dict[str, Any] = {
        "event": event,
        "nav": event_nav(event),
        "plan": plan,
        # Removed people have no row left, but pins and sit-outs may still hold their ids.
        "who": lambda pid: names.get(pid) or translate(request, "(removed)"),
        "people": people,
        "errors": [],
        **extra,
    }
    if plan is not None and row is not None:
        locale, who = request_locale(request), context["who"]
        # "Settings changed since it was made" is said with the other misfits below.
        stored = [w for w in row.warnings if w != store.RESHAPED]
        act, notes = plan_notes.split_warnings(stored)
        # A break the plan keeps (with force, a pin not kept) in the page's words; other
        # messages as stored, with names for the ids organisers do not know people by.
        kept = schedule_edit.kept_breaks(session, event=event) if act else {}
        # The planner's findings (who cannot be placed, who must sit out and why) likewise.
        found = plan_notes.explained(session, event=event, row=row, act=act)
        context["warnings"] = [
            finding_words.warning_words(w, found.warnings, locale, who)
            or rule_words.warning_words(w, kept, locale, who)
            or _named(request, w, names)
            for w in act
        ]
        context["unplaceable"] = finding_words.unplaceable_words(
            row.unplaceable, found.unplaceable, locale, who
        )
        context["sit_outs"] = [finding_words.sit_out_words(s, locale, who) for s in found.sit_outs]
        context["plan_notes"] = notes  # how the planner solved: nothing to act on
        rooms = [[m.country for m in room.members] for rnd in plan.rounds for room in rnd.rooms]
        context["heatmap"] = heatmap.build(rooms)
        context["room_numbers"] = sorted({room.number for r in plan.rounds for room in r.rooms})
        context["cells"] = {
            (rnd.number, room.number): room for rnd in plan.rounds for room in rnd.rooms
        }
        if event.phase in GENERATE_PHASES:
            # What going live would refuse, and who it would leave out, said before they try.
            breaks = schedule_edit.plan_breaks(session, event=event, going_live=True)
            problems = [rule_words.words(v, locale, who) for v in breaks]
            if plan_weights.changed_since_plan(session, event=event):
                problems.insert(0, translate(request, plan_weights.CHANGED))
            if store.RESHAPED in row.warnings:
                problems.insert(0, translate(request, store.RESHAPED))
            context["misfits"] = problems
            context["unplanned"] = not_in_plan(session, event=event, row=row)
            context["erased_seated"] = _erased_seated(plan)
            seats = _hand_set(session, event)
            context["hand_set"] = {n: sorted(who(p) for p in pids) for n, pids in seats.items()}
            context["hand_set_count"] = sum(len(pids) for pids in seats.values())
    return context


def _hand_set(session: Session, event: Event) -> dict[int, list[str]]:
    """Who sits where the organiser set them by hand in the plan in force, by round: a re-plan
    after a drop-out keeps those seats where the rules allow, a new plan does not."""
    plan = store.current_plan(session, event_id=event.id)
    seats = kept_edits.hand_set_seats(session, event_id=event.id, plan=plan) if plan else {}
    by_round: dict[int, list[str]] = {}
    for number, pid in sorted(seats):
        by_round.setdefault(number, []).append(pid)
    return by_round


def _names(request: Request, session: Session, event: Event) -> dict[str, str]:
    """Everyone the plan may name, erased people too (their name is gone, not their seat)."""
    rows = session.exec(
        select(Participant.id, Participant.name, Participant.deleted).where(
            Participant.event_id == event.id
        )
    ).all()
    erased = translate(request, "(erased)")
    return {pid: erased if deleted else name for pid, name, deleted in rows}


def _erased_seated(plan: ScheduleOut) -> bool:
    """Whether someone erased still has a seat (erasing empties the name, keeps the row)."""
    return any(not m.name for r in plan.rounds for room in r.rooms for m in room.members)


def _named(request: Request, text: str, names: dict[str, str]) -> str:
    removed = translate(request, "(removed)")
    return re.sub(r"\b[0-9a-f]{16}\b", lambda m: names.get(m.group(0), removed), text)


@router.get(BASE, response_class=HTMLResponse)
def schedule_page(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The plan in force, or the button that makes one; what the last form did, once."""
    found = guard_event(request, session, settings, event_id)
    if isinstance(found, Response):
        return found
    organiser, event = found
    notice = flash.read(request, organiser_id=organiser.id, settings=settings)
    page = render(
        request,
        "organiser/schedule.html",
        _context(request, session, event, done=notice.get("done"), replaced=notice.get("replaced")),
    )
    return flash.shown(request, page, settings)


def _done(
    event: Event, organiser: Organiser, settings: Settings, done: str, **extra: Any
) -> Response:
    """A form that did its work leads back to the page, which says `done` (and `extra`, JSON
    values) once: reloading it sends nothing again (Post/Redirect/Get)."""
    page = BASE.format(event_id=event.id)
    notice = {"done": done, **extra}
    return flash.redirect(page, notice, organiser_id=organiser.id, settings=settings)


@router.post(BASE + "/generate", response_model=None)
def generate(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    # The tick box's value is how many seats set by hand the page listed.
    replace_hand_set: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Run the optimiser (this sync route runs in a worker thread, off the event loop); a plan
    with seats set by hand is replaced only when the organiser ticked that it may be."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    replaced = 0
    if event.phase in GENERATE_PHASES:  # otherwise the service says why nothing can be generated
        replaced = sum(len(pids) for pids in _hand_set(session, event).values())
    # Exactly the seats the page listed: a colleague may have set more since it was shown.
    if replaced and replace_hand_set != str(replaced):
        refusal = translate(
            request,
            "Nothing was generated: a new plan replaces the seats set by hand. To go ahead, tick "
            '"Replace the seats set by hand" and generate again.',
        )
        context = _context(request, session, event, error=refusal, hand_set_refused=True)
        return render(request, "organiser/schedule.html", context, status_code=400)
    try:
        schedule_service.generate_schedule(
            session, event=event, settings=settings, actor=audit.actor_for(organiser)
        )
    except AppError as exc:
        context = _context(
            request, session, event, error=error_text(request, exc), errors=_messages(exc)
        )
        return render(request, "organiser/schedule.html", context, status_code=exc.status_code)
    except RuntimeError as exc:
        return _planner_failed(request, session, event, exc)
    return _done(event, organiser, settings, "generated", replaced=replaced)


def _planner_failed(
    request: Request, session: Session, event: Event, exc: Exception, **extra: Any
) -> Response:
    # A planner bug, not bad input: logged with its traceback, told plainly, nothing stored.
    log.exception("planning failed for event %s", event.id)
    session.rollback()
    detail = translate(request, "The planner failed; nothing was changed. (%(error)s)", error=exc)
    context = _context(request, session, event, error=detail, **extra)
    return render(request, "organiser/schedule.html", context, status_code=500)


def _messages(exc: AppError) -> list[str]:
    if isinstance(exc, InvalidInput):
        return [str(e.get("message", "")) for e in exc.errors]
    return []


@router.post(BASE + "/change", response_model=None)
def change(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    # Numbers arrive as text and are read here (`_number`): a bad one is told on this page.
    round: Annotated[str, Form(max_length=1000)],
    a: Annotated[str, Form(max_length=64)],
    b: Annotated[str, Form(max_length=64)] = "",
    # Typed by hand: any text reaches the page, which says what is wrong with it.
    room: Annotated[str, Form(max_length=1000)] = "",
    force: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Swap two people, or move one to another room; the rules are checked again."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    actor = audit.actor_for(organiser)
    forced = force == "yes"
    number: int | None = None
    try:
        number = _number(round, translate(request, "Choose one of the schedule's rounds."))
        if b and room.strip():  # a swap would quietly drop the room typed
            raise InvalidInput(
                for_organisers("Choose a person to swap with or a room to move to, not both.")
            )
        if b:
            done = schedule_edit.swap(
                session,
                event=event,
                number=number,
                a=a,
                b=b,
                force=forced,
                settings=settings,
                actor=actor,
            )
        elif room.strip():
            done = schedule_edit.move(
                session,
                event=event,
                number=number,
                participant_id=a,
                room=_room_number(room, number),
                force=forced,
                settings=settings,
                actor=actor,
            )
        else:
            raise InvalidInput(
                for_organisers("Choose a second person to swap with, or a room to move to.")
            )
    except AppError as exc:
        context = _context(
            request,
            session,
            event,
            error=_change_error(request, exc),
            errors=_messages(exc),
            last={"round": number, "a": a, "b": b, "room": room},
        )
        return render(request, "organiser/schedule.html", context, status_code=exc.status_code)
    # The plan's warnings may be breaks kept earlier: only the edit itself knows whether it broke
    # a rule (it can only when "keep anyway" was ticked).
    flag = "forced" if done.broke_rule else "changed"
    return _done(event, organiser, settings, flag)


def _change_error(request: Request, exc: AppError) -> str:
    """The service's refusal, but a rule break in this page's words: its "send force=true"
    is for API callers, and the organiser has a tick box instead."""
    if isinstance(exc, InvalidInput) and any(e.get("field") == "plan" for e in exc.errors):
        return translate(
            request,
            "This change breaks the event's rules; nothing was changed. To keep it anyway, tick "
            '"Keep the change even if it breaks a rule" and apply it again.',
        )
    return error_text(request, exc)


def _room_number(typed: str, round_number: int) -> int:
    """The room typed in "move to room" (0: sit out), or InvalidInput saying what is wrong."""
    text = typed.strip()
    if not re.fullmatch(r"[0-9]+", text):
        raise InvalidInput(
            for_organisers("Enter a room number: 0 to sit out, or one of the round's rooms.")
        )
    if len(text) > 4:  # no event has 10,000 rooms
        raise InvalidInput(
            for_organisers("Round %(n)s has no room %(room)s."), n=round_number, room=text
        )
    return int(text)


def _number(typed: str, problem: str) -> int:
    """A number sent by a form (a hand-made one too), or InvalidInput(`problem`). ASCII digits
    only: int() and str.isdigit() also take "²", "٣" or "３", and int("²") fails."""
    text = typed.strip()
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise InvalidInput(problem)
    return int(text)


@router.post(BASE + "/pins", response_model=None)
def change_pins(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    a: Annotated[str, Form(max_length=64)] = "",
    b: Annotated[str, Form(max_length=64)] = "",
    together: Annotated[str, Form(max_length=3)] = "yes",
    round: Annotated[str, Form(max_length=1000)] = "",
    remove: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Add a pin (two people must meet, or never share a room) or remove one; then re-plan."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    # The pin being added stays picked when it is refused, so fixing it is one change away.
    typed = None if remove else {"a": a, "b": b, "together": together == "yes", "round": round}
    row = store.latest_plan(session, event_id=event.id)
    pins: list[dict[str, object]] = [dict(p) for p in (row.pins if row else [])]
    try:
        if remove:
            gone = translate(request, "That pin does not exist any more.")
            index = _number(remove, gone)
            if index >= len(pins):
                raise InvalidInput(gone)
            pins.pop(index)
        else:
            if not a or not b or a == b:
                raise InvalidInput(for_organisers("Choose two different people for the pin."))
            number = _pin_round(request, round, rounds=event.rounds)
            pins.append({"a": a, "b": b, "together": together == "yes", "round": number})
        schedule_service.generate_schedule(
            session, event=event, settings=settings, actor=audit.actor_for(organiser), pins=pins
        )
    except AppError as exc:
        context = _context(
            request,
            session,
            event,
            error=error_text(request, exc),
            errors=_messages(exc),
            last_pin=typed,
        )
        return render(request, "organiser/schedule.html", context, status_code=exc.status_code)
    except RuntimeError as exc:
        return _planner_failed(request, session, event, exc, last_pin=typed)
    return _done(event, organiser, settings, "generated")


def _pin_round(request: Request, typed: str, *, rounds: int) -> int | None:
    """The round a pin is for (None: every round); one the event does not have is refused
    here, named, rather than by the planner."""
    if not typed.strip():
        return None
    problem = translate(
        request, "Enter a round from 1 to %(rounds)s for the pin, or leave it empty.", rounds=rounds
    )
    number = _number(typed, problem)
    if not 1 <= number <= rounds:
        raise InvalidInput(problem)
    return number
