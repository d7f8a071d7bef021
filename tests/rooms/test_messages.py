import json

import pytest

from rooms import (
    AssignmentMessage,
    HelloMessage,
    Member,
    MessageError,
    PingMessage,
    RoomView,
    StateMessage,
    assignment_encoder,
    encode,
    parse_client_message,
    parse_server_message,
    room_part,
)


def test_assignment_round_trips_with_server_time_and_room_members() -> None:
    room = RoomView(
        number=3,
        link="https://meet.example/r3",
        members=[
            Member(id="a", name="Ana", school="EB1", country="PT", sector="primary"),
            Member(
                id="b",
                name="Bo",
                school="Skole",
                country="DK",
                sector="primary",
                shared_interests=["inclusion"],
            ),
        ],
    )
    msg = AssignmentMessage(round=2, starts_at=None, ends_at=None, room=room, why="both primary")
    data = json.loads(encode(msg))
    assert data["type"] == "assignment"
    assert data["room"]["members"][1]["shared_interests"] == ["inclusion"]
    assert data["server_time"].endswith("Z")
    back = parse_server_message(encode(msg))
    assert back == msg.model_copy(update={"server_time": back.server_time})


def test_state_for_someone_sitting_out_has_null_room() -> None:
    msg = StateMessage(
        event_id="e", event_name="Day", phase="live", current_round=1, rounds_total=4
    )
    assert json.loads(encode(msg))["room"] is None


def test_client_hello_and_ping_parse() -> None:
    assert parse_client_message('{"type": "hello", "last_version": 7}') == HelloMessage(
        type="hello", last_version=7
    )
    assert isinstance(parse_client_message(b'{"type":"ping"}'), PingMessage)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected an object"),
        ('{"type": "shout"}', "invalid message"),
        ('{"type": "hello", "last_version": -1}', "last_version"),
        ('{"type": "ping", "extra": 1}', "extra"),
        ('{"type": "ping", "pad": "' + "x" * 5000 + '"}', "too large"),
    ],
)
def test_bad_client_messages_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(MessageError) as info:
        parse_client_message(raw)
    assert reason in info.value.reason
    assert len(info.value.reason) <= 120


def test_assignment_encoder_gives_the_same_message_as_encoding_it_whole() -> None:
    room = RoomView(
        number=4,
        link="https://meet.example/r4",
        members=[
            Member(id="a", name="Zoë", school="Escola", country="PT", sector="specialised"),
            Member(id="b", name="Jörg", school="Schule", country="DE", sector="specialised"),
        ],
    )
    envelope = AssignmentMessage(
        version=9, round=2, starts_at=None, ends_at=None, room=None, notice="moved"
    )
    encoder = assignment_encoder(envelope)
    for person_room, why in ((room, 'both specialised; "quoted" — ok'), (None, "")):
        spliced = encoder(room_part(person_room, why))
        whole = encode(envelope.model_copy(update={"room": person_room, "why": why}))
        assert json.loads(spliced) == json.loads(whole)
        parsed = parse_server_message(spliced)
        assert isinstance(parsed, AssignmentMessage)
        assert parsed.room == person_room
        assert parsed.why == why
        assert parsed.notice == "moved"
