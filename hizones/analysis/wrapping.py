"""Chart titles broken into lines that fit the chart: Vega does not wrap titles. The same
estimate of text width is in ``hydrate.js``, which wraps again for a narrower chart (phones)."""
from __future__ import annotations

import re

#: A chart's width in px (`hizones.analysis.charts.WIDTH`), less its padding.
LINE = 680 - 16


def text_width(text: str, size: float = 12, latin: float = 0.5) -> float:
    """Roughly how wide ``text`` is in px: a Chinese character is a square, a Latin one ``latin``
    of the size (about half; more in a bold title)."""
    return sum(size if ord(c) > 0x2E80 else size * latin for c in text)


def wrap(text: str, width: float = LINE, size: float = 12, latin: float = 0.5) -> list[str]:
    """``text`` broken at spaces (and, in Chinese, between characters) into lines no wider than
    ``width``: Vega does not wrap titles, and a line wider than the chart would be cut or would
    squeeze the plot. Pieces are joined back as they were written (with or without a space)."""
    lines, line = [], ""
    for space, piece in _pieces(text):
        joined = f"{line}{' ' if space else ''}{piece}"
        if line and text_width(joined, size, latin) > width:
            lines.append(line)
            line = piece
        else:
            line = joined if line else piece
    return lines + [line]


#: A run of Latin letters and digits (a word, a number with its decimals, a date), or a single
#: character; closing punctuation stays with what precedes it.
_PIECE = re.compile(r"[A-Za-z0-9.,%–\-/()'’:;&+]+|\S")
_CLOSING = re.compile(r"[、。，）：；！？」”』》]")


def _pieces(text: str) -> list[tuple[bool, str]]:
    """(preceded by a space, piece): the places a line may break."""
    out: list[tuple[bool, str]] = []
    for i, chunk in enumerate(text.split(" ")):
        for j, p in enumerate(_PIECE.findall(chunk)):
            if out and j and _CLOSING.match(p):
                out[-1] = (out[-1][0], out[-1][1] + p)
            else:
                out.append((i > 0 and j == 0, p))
    return out or [(False, text)]
