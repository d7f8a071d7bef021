"""What the benchmarks' command lines share: comma-separated options in, markdown tables out."""

from __future__ import annotations

from collections.abc import Sequence


def comma_separated_ints(text: str) -> list[int]:
    """An argparse type for options such as `--sizes 60,200,1000` (empty items are skipped)."""
    return [int(item) for item in text.split(",") if item]


def markdown_header(columns: Sequence[str]) -> str:
    """A markdown table's header and separator lines, for rows printed one by one below."""
    return "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)
