"""The soak run in CI size: a whole event with 60 participants on real uvicorn and websockets.

Full size (1000 participants, a few minutes): `python -m bench soak --participants 1000`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import ROUNDS, soak


@pytest.mark.slow
def test_a_whole_event_delivers_every_room_keeps_every_mutual_contact_and_memory_flat(
    tmp_path: Path,
) -> None:
    report = soak(60, seed=11, workdir=tmp_path)
    present = report.participants - report.no_shows
    assert report.wrong_deliveries == []
    assert report.deliveries_checked >= ROUNDS * present
    assert report.reconnects >= ROUNDS  # 5 % per round dropped and came back to their room
    assert report.decisions > 0
    assert report.mutual_pairs > 0
    assert (report.export_missing, report.export_unexpected) == (0, 0)
    assert report.plan_problems == []
    # Memory after the last round is not running away from the first (generous: no timings).
    first, last = report.rss_mib[1], report.rss_mib[-1]
    assert last < first * 1.5 + 50, report.rss_mib
    assert report.ok
