"""Schedule routes: generate (solver in a worker thread), read, swap and move."""

from anyio import to_thread
from fastapi import APIRouter, status

from app import audit
from app.deps import OrganiserDep, SessionDep, SettingsDep
from app.events import service as event_service
from app.schedule import edit, service
from app.schedule.schemas import GenerateRequest, MoveRequest, ScheduleOut, SwapRequest
from app.schedule.view import schedule_view

router = APIRouter(prefix="/events/{event_id}/schedule", tags=["schedule"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def generate(
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
    body: GenerateRequest | None = None,
) -> ScheduleOut:
    """Plans every round with the optimiser and stores the plan (with its score and bound).

    The solve runs in a worker thread, so the server keeps answering meanwhile."""
    request = body or GenerateRequest()

    def run() -> ScheduleOut:
        event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
        row = service.generate_schedule(
            session,
            event=event,
            settings=settings,
            actor=audit.actor_for(organiser),
            pins=None if request.pins is None else [p.model_dump() for p in request.pins],
            time_limit_s=request.time_limit_s,
            seed=request.seed,
        )
        return schedule_view(session, event=event, row=row)

    return await to_thread.run_sync(run)


@router.get("")
def get_schedule(event_id: str, session: SessionDep, organiser: OrganiserDep) -> ScheduleOut:
    """The plan in force: rounds, rooms with links, members, score, bound and warnings."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    return schedule_view(session, event=event)


@router.post("/swap")
def swap(
    event_id: str,
    body: SwapRequest,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
) -> ScheduleOut:
    """Swaps two people in a round that has not started; re-validated against the rules."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    done = edit.swap(
        session,
        event=event,
        number=body.round,
        a=body.a,
        b=body.b,
        force=body.force,
        settings=settings,
        actor=audit.actor_for(organiser),
    )
    return schedule_view(session, event=event, row=done.plan)


@router.post("/move")
def move(
    event_id: str,
    body: MoveRequest,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
) -> ScheduleOut:
    """Moves one person to another room (0 = sit out) in a round that has not started."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    done = edit.move(
        session,
        event=event,
        number=body.round,
        participant_id=body.participant,
        room=body.room,
        force=body.force,
        settings=settings,
        actor=audit.actor_for(organiser),
    )
    return schedule_view(session, event=event, row=done.plan)
