"""Translated texts the live scripts need ({placeholders} are filled in by the script)."""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale, UnknownLocaleError

from app.live.dispatch import NOTICES
from app.web import i18n


def sector_names(locale: str) -> dict[str, str]:
    _ = i18n.translations(locale).gettext
    return {
        "primary": _("primary school"),
        "secondary": _("secondary school"),
        "specialised": _("specialised school"),
    }


def sector_label(locale: str) -> Callable[[str], str]:
    """A kind-of-school code ("primary") as words in `locale`; an unknown value as it is."""
    names = sector_names(locale)
    return lambda code: names.get(code, code)


def country_name(code: str, locale: str) -> str:
    """A country code ("DE") as its name in `locale` ("Duitsland"); an unknown one as it is."""
    try:
        return str(Locale.parse(locale.replace("-", "_")).territories.get(code.upper(), code))
    except (ValueError, UnknownLocaleError):
        return code


def language_name(code: str, locale: str) -> str:
    """A language code ("de") as its name in `locale`; an unknown one as it is."""
    try:
        return str(Locale.parse(locale.replace("-", "_")).languages.get(code.lower(), code))
    except (ValueError, UnknownLocaleError):
        return code


def country_label(locale: str) -> Callable[[str], str]:
    """`country_name` for templates (a filter)."""
    return lambda code: country_name(code, locale)


def live_strings(locale: str) -> dict[str, object]:
    """Texts for the participant's live page."""
    _ = i18n.translations(locale).gettext
    return {
        "round_of": _("Round {n} of {total}"),
        "you_meet": _("You meet {names}"),
        "shared": _("shared: {list}"),
        "why_label": _("Why you were matched:"),
        "join": _("Join video room"),
        "room_named": _("Go to the breakout room “{name}”"),
        "room_number": _("Room {n}"),
        "time_left": _("Time left:"),
        "paused": _("Paused. Time left:"),
        "sitting_out": _("You sit out this round. Stay nearby: you are in the next round."),
        "sitting_out_last": _("You sit out this round, the last one. Thank you for taking part!"),
        "alone": _(
            "Nobody else is in your room this round. Stay here: the organiser may move someone"
            " to you."
        ),
        "not_started": _("The first round has not started yet"),
        "wait_start": _("This page updates by itself when the organiser starts the first round."),
        "round_ended": _("Round {n} has ended"),
        "next_in": _("Next round starts in"),
        "wait_next": _("The next round starts when the organiser starts it."),
        "break_held": _("Break on hold. Time left:"),
        "break_held_hint": _("The next round starts once the organiser resumes the break."),
        "last_round_done": _("That was the last round."),
        "finished": _("The event has finished. Thank you!"),
        "finished_hint": _("Your contacts are listed below."),
        "announce_round": _("{round} has started. You meet {names}."),
        "broadcast": _("Message from the organiser: {text}"),
        "conn_connecting": _("Connecting…"),
        "conn_connected": _("Connected: this page updates by itself."),
        "conn_offline": _("No network. This page reconnects by itself."),
        "conn_reconnecting": _(
            "Connection lost. Reconnecting… This page updates by itself once it is back."
        ),
        "conn_refused": _("This link is no longer valid."),
        "conn_gone": _("This event no longer exists. Ask the organiser for a new link."),
        "conn_unavailable": _(
            "This page cannot get live updates on this network. Reload it at the start of each"
            " round to see your room."
        ),
        "sectors": sector_names(locale),
        # The server's notices are English: the page looks its own text up by theirs.
        "notices": {notice: _(notice) for notice in NOTICES},
    }


def organiser_live_strings(locale: str) -> dict[str, object]:
    """Texts for the organiser's live view."""
    _ = i18n.translations(locale).gettext
    ngettext = i18n.translations(locale).ngettext
    # Plural texts come in two forms: "…_one" for 1, the other for any other number (the rule of
    # every catalog: n != 1); the script picks one.
    connected = [
        ngettext("{n} of {total} participant connected", "{n} of {total} participants connected", n)
        for n in (1, 2)
    ]
    noshows = [
        ngettext(
            "{n} person has never opened their page. If you start now, they are left out of "
            "this round and the ones after it, until they arrive: then they join from the next "
            "round. Start the round?",
            "{n} people have never opened their page. If you start now, they are left out of "
            "this round and the ones after it, until they arrive: then they join from the next "
            "round. Start the round?",
            n,
        )
        for n in (1, 2)
    ]
    return {
        "round_of": _("Round {n} of {total}"),
        "status_planned": _("not started"),
        "status_running": _("running"),
        "status_paused": _("paused"),
        "status_ended": _("ended"),
        "status_break_held": _("ended, break on hold"),
        "hold_break": _("Hold the break"),
        "resume_break": _("Resume the break"),
        "not_started": _("No round started yet"),
        "finished": _("The event has finished"),
        "room_number": _("Room {n}"),
        "no_rooms": _("No rooms in this round."),
        "connected": _("connected"),
        "not_connected": _("not connected"),
        "absent": _("marked absent"),
        "unknown": _("unknown"),
        "mark_absent": _("Mark absent"),
        "mark_absent_of": _("Mark absent: {name}"),
        "marked_absent": _("Marked absent. The remaining rounds are planned without them."),
        "mark_present": _("Mark present"),
        "mark_present_of": _("Mark present: {name}"),
        "marked_present": _("Marked present. They take part again from the next round."),
        "connected_count_one": connected[0],
        "connected_count": connected[1],
        # What a control did, said as its result (organiser-live.js `outcome`).
        "started": _("Round {n} started."),
        "paused": _("Round {n} paused."),
        "resumed": _("Round {n} resumed."),
        "extended": _("Round {n} has one more minute."),
        "ended": _("Round {n} ended."),
        "ended_last": _("Round {n} ended. The event has finished."),
        "break_held": _("Break on hold: the next round waits until you resume it."),
        "break_resumed": _("Break resumed: the next round starts when it ends."),
        "start_with_noshows_one": noshows[0],
        "start_with_noshows": noshows[1],
        "failed": _("The action failed"),
        "sent": _("Message sent."),
        "everyone": _("Everyone"),
        "empty_message": _("Write a message first."),
        "moved": _("Moved {name} to {room}."),
        "moved_warning": _("Moved, but a rule is now broken: {warnings}"),
        "choose_person": _("Choose a person"),
        "sitting_out": _("sitting out"),
        "conn_connecting": _("Connecting…"),
        "conn_connected": _("Live: connected"),
        "conn_offline": _("No network. Reconnecting by itself."),
        "conn_refused": _("Not allowed: sign in again."),
        "conn_signed_out": _(
            "You were signed out (here or on another device). Sign in again to run the event."
        ),
        "conn_forbidden": _(
            "Not allowed: this is not your event, or your account needs two-step sign-in. "
            "Check My account."
        ),
        "conn_gone": _("This event was deleted. Go back to My events."),
    }
