"""The rows of `python -m bench live`: one timed fan-out, or the median of repeated ones."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Result:
    label: str
    n: int
    got: int
    wrong: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    extra: str = ""
    expected: int = 0  # assignments due, when more than one per client (repeated runs)

    @classmethod
    def of(cls, label: str, n: int, latencies: list[float], wrong: int = 0) -> Result:
        """The figures of one fan-out to `n` clients, from the latencies of those it reached."""
        return cls(
            label,
            n,
            len(latencies),
            wrong,
            statistics.median(latencies) if latencies else float("nan"),
            percentile(latencies, 0.99),
            max(latencies, default=float("nan")),
        )

    def row(self) -> str:
        due = self.expected or self.n
        return (
            f"| {self.label} | {self.n:,} | {self.got:,}/{due:,} | {self.wrong} | "
            f"{self.p50_ms:.0f} | {self.p99_ms:.0f} | **{self.max_ms:.0f}** | {self.extra} |"
        )


def median_of(label: str, runs: list[Result]) -> Result:
    """One row for repeated runs: assignments received and wrong rooms in all, medians of the
    figures."""
    p99s = [r.p99_ms for r in runs]
    return Result(
        label,
        runs[0].n,
        sum(r.got for r in runs),
        sum(r.wrong for r in runs),
        statistics.median(r.p50_ms for r in runs),
        statistics.median(p99s),
        statistics.median(r.max_ms for r in runs),
        f"p99 {min(p99s):.0f}-{max(p99s):.0f} ms over {len(runs)}",
        expected=sum(r.n for r in runs),
    )
