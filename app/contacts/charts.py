"""Inline SVG charts for the event report: no JavaScript, no external files, printable.

Every label is XML-escaped here; the template inserts the SVG as trusted markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1f4e79", "#2e75b6", "#5b9bd5", "#9dc3e6", "#c55a11", "#f4b183", "#548235", "#a9d18e")


def bar_chart(items: Sequence[tuple[str, int]], title: str, width: int = 560) -> str:
    """Horizontal bars, one per label, with the count written at the end of each bar."""
    bar_h, gap, label_w, top = 22, 6, 150, 28
    height = top + len(items) * (bar_h + gap) + 10
    most = max((n for _, n in items), default=0) or 1
    span = width - label_w - 60
    parts = [_open(width, height, title)]
    parts.append(f'<text x="0" y="18" font-weight="bold">{escape(title)}</text>')
    for i, (label, n) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = round(span * n / most)
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 16}">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(labels: Sequence[str], matrix: Sequence[Sequence[int]], title: str) -> str:
    """Square matrix heatmap (country x country meetings); darker cell = more meetings."""
    cell, left, top = 40, 60, 60
    size = len(labels)
    # Wide enough for the title too (about 8 px per character at 13 px bold).
    width = max(left + size * cell + 10, 8 * len(title) + 20)
    height = top + size * cell + 10
    most = max((v for row in matrix for v in row), default=0) or 1
    parts = [_open(width, height, title)]
    parts.append(f'<text x="0" y="18" font-weight="bold">{escape(title)}</text>')
    for j, label in enumerate(labels):
        x = left + j * cell + cell // 2
        parts.append(f'<text x="{x}" y="{top - 8}" text-anchor="middle">{escape(label)}</text>')
    for i, label in enumerate(labels):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell // 2 + 5}" text-anchor="end">{escape(label)}</text>'
        )
        for j in range(size):
            v = matrix[i][j]
            shade = round(255 - 200 * v / most)
            fill = f"rgb({shade},{min(255, shade + 20)},255)" if v else "#f4f4f4"
            # White text only on the darkest cells, so every number keeps enough contrast.
            ink = "#fff" if v and v / most > 0.7 else "#222"
            x = left + j * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{escape(label)} x {escape(labels[j])}: {v}</title></rect>"
                f'<text x="{x + cell // 2 - 1}" y="{y + cell // 2 + 4}" text-anchor="middle" '
                f'fill="{ink}">{v}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">'
        f"<title>{escape(title)}</title>"
    )
