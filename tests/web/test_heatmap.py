"""The meeting matrix behind the heatmap: counts, symmetry, and readable text on every shade."""

from __future__ import annotations

from app.web import heatmap


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_counts_are_symmetric_and_group_rooms_count_every_pair() -> None:
    rooms = [["NL", "DK"], ["NL", "PT", "DK"], ["PT", "NL"]]
    built = heatmap.build(rooms)
    cell = {(c.row, c.col): c.count for c in built.cells}
    assert built.countries == ["DK", "NL", "PT"]
    assert cell[("NL", "DK")] == cell[("DK", "NL")] == 2
    assert cell[("NL", "PT")] == 2
    assert cell[("DK", "DK")] == 0
    assert built.total_meetings == 1 + 3 + 1


def test_every_shade_keeps_text_contrast_above_aa() -> None:
    rooms = [["NL", "DK"]] * 8 + [["NL", "PT"]] * 3 + [["DK", "PT"]] * 5  # all four shades
    for cell in heatmap.build(rooms).cells:
        assert _contrast(cell.fill, cell.text_fill) >= 4.5, cell
