"""Two saves of one decision at the same moment (a laptop and a phone), both having read the
stored decision before either writes: the stale check holds at the moment of writing. Based on
the same version, one is stored and the other refused with `stale_decision` (409), never a
silent overwrite; two first saves give the second that 409, not a bare 500 from the unique
(from, to) pair; without a base (old clients) both save and the last one stands."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.contacts import seen as seen_check
from app.contacts import service
from app.db import get_engine
from app.models import ContactDecision, Organiser, Participant
from tests.contacts.conftest import World, make_world, seat
from tests.fixtures.database import BOTH_DATABASES

pytestmark = BOTH_DATABASES

Outcome = ContactDecision | BaseException


@pytest.fixture
def pair(db: Session, organiser: Organiser) -> World:
    world = make_world(db, organiser, ["A", "B"])
    seat(db, world, [[["A", "B"]]])
    return world


def at_once(world: World, saves: list[dict[str, Any]]) -> list[Outcome]:
    """Runs A's `saves` about B in threads of their own; each waits, after reading the stored
    decision, before its first write (of any kind) until every other one has read it too."""
    barrier = threading.Barrier(len(saves), timeout=30)
    savers: set[int] = set()
    waited: set[int] = set()

    def before_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        me = threading.get_ident()
        writes = ("INSERT", "UPDATE", "DELETE")
        if me in savers and me not in waited and statement.lstrip().upper().startswith(writes):
            waited.add(me)
            barrier.wait()

    outcomes: list[Outcome] = [RuntimeError("not run")] * len(saves)

    def save(i: int) -> None:
        savers.add(threading.get_ident())
        with Session(get_engine(), expire_on_commit=False) as own:
            person = own.get(Participant, world.id("A"))
            assert person is not None
            try:
                outcomes[i] = service.record_decision(own, person, world.id("B"), **saves[i])
            except Exception as exc:
                outcomes[i] = exc

    sa_event.listen(get_engine(), "before_cursor_execute", before_write)
    try:
        threads = [threading.Thread(target=save, args=(i,)) for i in range(len(saves))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        sa_event.remove(get_engine(), "before_cursor_execute", before_write)
    assert len(waited) == len(saves)  # both read before either wrote
    return outcomes


def stored(db: Session) -> list[ContactDecision]:
    db.expire_all()
    return list(db.exec(select(ContactDecision)).all())


def split(outcomes: list[Outcome]) -> tuple[ContactDecision, BaseException]:
    saved = [o for o in outcomes if isinstance(o, ContactDecision)]
    refused = [o for o in outcomes if not isinstance(o, ContactDecision)]
    assert len(saved) == 1, outcomes
    assert len(refused) == 1, outcomes
    return saved[0], refused[0]


def test_two_saves_from_one_version_store_one_and_refuse_the_other(
    pair: World, db: Session
) -> None:
    person = db.get(Participant, pair.id("A"))
    assert person is not None
    first = service.record_decision(db, person, pair.id("B"), share=True, met=None, note="")
    base = seen_check.Seen(seen_check.stamp(first))

    outcomes = at_once(
        pair,
        [
            {"share": False, "met": None, "note": "laptop", "seen": base},
            {"share": True, "met": True, "note": "phone", "seen": base},
        ],
    )

    saved, refused = split(outcomes)
    assert isinstance(refused, seen_check.StaleDecision), refused
    assert refused.status_code == 409
    (row,) = stored(db)
    assert (row.share, row.met, row.note) == (saved.share, saved.met, saved.note)
    assert row.updated_at == saved.updated_at
    assert seen_check.stamp(row) != base.stamp  # a page that saw the old one is refused next


def test_two_first_saves_store_one_and_refuse_the_other(pair: World, db: Session) -> None:
    none_yet = seen_check.Seen(seen_check.NONE)

    outcomes = at_once(
        pair,
        [
            {"share": False, "met": None, "note": "laptop", "seen": none_yet},
            {"share": True, "met": None, "note": "phone", "seen": none_yet},
        ],
    )

    saved, refused = split(outcomes)
    assert isinstance(refused, seen_check.StaleDecision), refused
    (row,) = stored(db)
    assert (row.share, row.note) == (saved.share, saved.note)


def test_two_first_saves_without_a_base_both_save_and_the_last_stands(
    pair: World, db: Session
) -> None:
    outcomes = at_once(
        pair,
        [
            {"share": False, "met": None, "note": "laptop"},
            {"share": True, "met": None, "note": "phone"},
        ],
    )

    saved = [o for o in outcomes if isinstance(o, ContactDecision)]
    assert len(saved) == 2, outcomes
    last = max(saved, key=lambda d: d.updated_at)
    (row,) = stored(db)
    assert (row.share, row.note, row.updated_at) == (last.share, last.note, last.updated_at)


def test_only_the_pair_constraint_counts_as_a_decision_stored_meanwhile(
    pair: World, db: Session
) -> None:
    person = db.get(Participant, pair.id("A"))
    assert person is not None
    first = service.record_decision(db, person, pair.id("B"), share=True, met=None, note="")
    event_id, a, b = pair.event.id, pair.id("A"), pair.id("B")
    with Session(get_engine()) as other:
        other.add(ContactDecision(event_id=event_id, from_participant_id=a, to_participant_id=b))
        with pytest.raises(IntegrityError) as same_pair:
            other.commit()
        other.rollback()
        other.add(
            ContactDecision(
                id=first.id, event_id=event_id, from_participant_id=a, to_participant_id=a
            )
        )
        with pytest.raises(IntegrityError) as same_id:
            other.commit()

    assert seen_check.pair_taken(same_pair.value)
    assert not seen_check.pair_taken(same_id.value)
