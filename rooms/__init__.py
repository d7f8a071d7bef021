"""Live rounds: room assignments, timers and messages fanned out to connected clients."""

__all__: list[str] = []
