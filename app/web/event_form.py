"""The event form: HTML form fields <-> the service's EventCreate / EventUpdate shapes."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from app.errors import for_participants
from app.events.schemas import NO_SUCH_TIME, WEIGHT_NAMES, EventCreate, EventUpdate
from app.models import Event
from app.web.templating import to_utc, zone

# Minutes in the form, seconds in the database.
MINUTE_FIELDS = {"round_minutes": "round_seconds", "break_minutes": "break_seconds"}
NUMBER_FIELDS = ("rounds", "room_size", "max_per_country")
REQUIRED_NUMBERS = ("rounds", "round_minutes", "break_minutes", "room_size")
CHECKBOXES = ("distinct_countries", "auto_advance", "mutual_consent")
# Event settings the form does not show: saving the form must leave them as they are (the
# retention period is set with the contact settings; a default here would clear it).
NOT_IN_FORM = {"ui_languages", "retention_days"}
# What each number field needs, in the form's units (pydantic would say "greater than or equal
# to 60" for minutes, counting seconds) and in the organiser's language (the page translates).
FIELD_NEEDS = {
    "starts_at": for_participants("Enter the date and time the event starts."),
    "rounds": for_participants("Enter a whole number of rounds from 1 to 12."),
    "round_minutes": for_participants("Enter from 1 to 120 minutes."),
    "break_minutes": for_participants("Enter from 0 to 60 minutes."),
    "room_size": for_participants("Enter a whole number of people from 2 to 6."),
    "max_per_country": for_participants("Leave empty, or enter a whole number from 1 to 6."),
}
# Text fields, whatever the problem (too long, or the service's own check, which speaks English
# to API clients): what the field needs, in the organiser's language. The limits are the schema's.
TEXT_NEEDS = {
    "name": for_participants("Enter the event's name, at most 200 characters."),
    "timezone": for_participants("Enter a time zone by its name, e.g. Europe/Brussels."),
    "room_link_template": for_participants(
        "Enter a link that starts with https://, at most 500 characters, using only"
        " {event}, {round} and {room}."
    ),
    "room_names": for_participants(
        "Enter at most 500 room names, one per line, each at most 100 characters."
    ),
}
START_NEED = for_participants("Enter a start in the years 2000 to 2100.")
WEIGHT_NEED = for_participants("Enter a whole number from 0 to 100.")
NOT_A_NUMBER = for_participants("Enter a number.")
# What the form may change while the event is live (app.events.service.LIVE_FIELDS).
VIDEO_FIELDS = ("room_link_template", "room_names")


def form_values(event: Event | None) -> dict[str, Any]:
    """What the form shows for an existing event (or the defaults for a new one)."""
    if event is None:
        return {
            "name": "",
            "starts_at": "",
            "timezone": "Europe/Brussels",
            "rounds": 4,
            "round_minutes": 8,
            "break_minutes": 2,
            "room_size": 2,
            "distinct_countries": True,
            "auto_advance": False,
            "mutual_consent": True,
            "max_per_country": "",
            "room_link_template": "",
            "room_names": "",
            "weights": dict.fromkeys(WEIGHT_NAMES, ""),
        }
    local = to_utc(event.starts_at).astimezone(zone(event.timezone))
    return {
        "name": event.name,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "timezone": event.timezone,
        "rounds": event.rounds,
        "round_minutes": round(event.round_seconds / 60, 2),
        "break_minutes": round(event.break_seconds / 60, 2),
        "room_size": event.room_size,
        "distinct_countries": event.distinct_countries,
        "auto_advance": event.auto_advance,
        "mutual_consent": event.mutual_consent,
        "max_per_country": event.max_per_country or "",
        "room_link_template": event.room_link_template or "",
        "room_names": "\n".join(event.room_names),
        "weights": {name: event.weights.get(name, "") for name in WEIGHT_NAMES},
    }


def _number(raw: str, field: str, errors: dict[str, str]) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):  # "nan" and "inf" parse as floats but are no setting
        errors[field] = NOT_A_NUMBER
        return None
    return number


def parse(form: FormData) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(data for the service, values to show again, errors by field) from a posted form."""
    raw = {key: str(value) for key, value in form.items()}
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "name": raw.get("name", "").strip(),
        "starts_at": raw.get("starts_at", "").strip() or None,
        "timezone": raw.get("timezone", "").strip() or "Europe/Brussels",
        "room_link_template": raw.get("room_link_template", "").strip() or None,
        "room_names": [n.strip() for n in raw.get("room_names", "").splitlines() if n.strip()],
    }
    for field in NUMBER_FIELDS:
        value = _number(raw.get(field, ""), field, errors)
        if value is not None and not value.is_integer():  # 2.5 rounds is no 2 rounds
            errors[field] = FIELD_NEEDS[field]
        elif value is not None:
            data[field] = int(value)
    for form_field, model_field in MINUTE_FIELDS.items():
        value = _number(raw.get(form_field, ""), form_field, errors)
        if value is not None:
            data[model_field] = int(round(value * 60))
    for field in REQUIRED_NUMBERS:
        # Emptied on the form: the schema's default (4 rounds, rooms of 2) would replace what
        # the event had without a word.
        if field in raw and not raw[field].strip():
            errors[field] = FIELD_NEEDS[field]
    for field in CHECKBOXES:
        data[field] = field in raw
    weights: dict[str, int] = {}
    for name in WEIGHT_NAMES:
        value = _number(raw.get(f"weight_{name}", ""), f"weight_{name}", errors)
        # Checked here, next to its field: the service's check names the weight by its code.
        if value is not None and (not value.is_integer() or not 0 <= value <= 100):
            errors[f"weight_{name}"] = WEIGHT_NEED
        elif value is not None:
            weights[name] = int(value)
    data["weights"] = weights
    shown = {
        **raw,
        **{field: field in raw for field in CHECKBOXES},
        "weights": {name: raw.get(f"weight_{name}", "") for name in WEIGHT_NAMES},
    }
    return data, shown, errors


def parse_video_rooms(
    form: FormData, event: Event
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """`parse` for the live event's form, which shows only the video rooms."""
    data, shown, errors = parse(form)
    video = {field: data[field] for field in VIDEO_FIELDS}
    return video, {**form_values(event), **{f: shown.get(f, "") for f in VIDEO_FIELDS}}, errors


def changes(model: BaseModel) -> dict[str, Any]:
    """What saving the form changes: only the settings it shows."""
    return model.model_dump(exclude=NOT_IN_FORM, exclude_unset=isinstance(model, EventUpdate))


def validate(
    data: dict[str, Any], errors: dict[str, str], schema: type[BaseModel] = EventCreate
) -> BaseModel | None:
    """Check the data with the service's own rules; messages land next to their fields."""
    try:
        model = schema.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(part) for part in err["loc"]]
            field = loc[0] if loc else "name"
            field = {v: k for k, v in MINUTE_FIELDS.items()}.get(field, field)
            if field == "weights" and len(loc) > 1:
                field = f"weight_{loc[1]}"
            message = str(err["msg"]).removeprefix("Value error, ")
            if field in TEXT_NEEDS:
                message = TEXT_NEEDS[field]
            elif err["type"] != "value_error":
                message = FIELD_NEEDS.get(field, message)
            elif field == "starts_at" and message != NO_SUCH_TIME:  # check_start's English
                message = START_NEED
            errors.setdefault(field, message)
        return None
    return None if errors else model
