"""Charts drawn to SVG by vl-convert, each drawing kept in the environment under what decides it.

vl-convert takes a quarter to a third of a second per chart (it measures every glyph of every
label in the CJK font) and a second more to start in each kernel; a build draws 31 charts. What
it draws depends only on the spec, the Vega-Lite version, vl-convert's own version, the fonts in
the folders vl-convert reads (`font_folders`) and, for dates, the time zone. A drawing is kept
under the SHA-256 of these (`key`), so a chapter whose charts did not change (its code did, or
the data another chart reads) is not drawn again, and a changed spec, font, version or zone is
always drawn afresh: a kept drawing is never an old one.

Drawings are kept in ``<environment>/share/hizones/drawings`` (or the temporary folder, if the
environment is read-only), beside the chart library's bundle; the least recently used beyond
``KEEP_BYTES`` are removed. ``HIZONES_DRAWINGS=off`` draws every chart afresh.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

#: How much the kept drawings may take (about a thousand charts).
KEEP_BYTES = 64 * 2**20
_state = {"pruned": False}


def folder() -> Path:
    """Where this environment keeps what it makes once: ``<prefix>/share/hizones``, or the
    temporary folder's ``hizones`` in a read-only environment."""
    target = Path(sys.prefix) / "share" / "hizones"
    nearest = next(p for p in (target, target.parent, Path(sys.prefix)) if p.exists())
    return target if os.access(nearest, os.W_OK) else Path(tempfile.gettempdir()) / "hizones"


def keep(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` whole or not at all, even with builds running side by side."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False) as f:
        try:
            f.write(text)
        except BaseException:
            f.close()
            os.unlink(f.name)                 # a full disk leaves no half-written file behind
            raise
    os.replace(f.name, target)
    return target


def font_folders() -> list[Path]:
    """The folders vl-convert reads fonts from (fontdb's system folders, per platform)."""
    home = Path.home()
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    if sys.platform == "win32":
        return [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
                Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft" / "Windows" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
            Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "fonts"]


@lru_cache(maxsize=None)
def fonts() -> str:
    """Every font file vl-convert can see, by path, size and time of change, as one digest."""
    h = hashlib.sha256()
    for top in font_folders():
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(root, name))
                except OSError:
                    continue                  # a broken link is no font
                h.update(f"{root}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@lru_cache(maxsize=None)
def _converter() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def key(spec: dict, vl_version: str) -> str:
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    zone = f"{os.environ.get('TZ', '')}/{'/'.join(time.tzname)}"     # dates are drawn in local time
    made = f"{_converter()}\0{vl_version}\0{fonts()}\0{zone}\0{text}"
    return hashlib.sha256(made.encode("utf-8")).hexdigest()


def draw(spec: dict, vl_version: str) -> str:
    """The chart ``spec`` as vl-convert draws it with Vega-Lite ``vl_version``."""
    import vl_convert as vlc

    if os.environ.get("HIZONES_DRAWINGS") == "off":
        return vlc.vegalite_to_svg(spec, vl_version=vl_version)
    kept = folder() / "drawings" / f"{key(spec, vl_version)}.svg"
    try:
        svg = kept.read_text(encoding="utf-8")
        if not (svg.startswith("<svg") and svg.rstrip().endswith("</svg>")):
            raise OSError(f"{kept} is not a whole drawing")
    except OSError:
        svg = vlc.vegalite_to_svg(spec, vl_version=vl_version)
        with suppress(OSError):               # keeping it saves time later; not keeping it loses nothing
            keep(kept, svg)
            if not _state["pruned"]:
                _state["pruned"] = True
                prune(kept.parent)
        return svg
    with suppress(OSError):                   # removed meanwhile by another build's pruning
        os.utime(kept)                        # used: the last to be removed
    return svg


def prune(where: Path, limit: int = KEEP_BYTES) -> list[Path]:
    """Remove the least recently used drawings beyond ``limit`` bytes; the ones removed."""
    found = []
    for p in where.glob("*.svg"):
        try:
            st = p.stat()
        except OSError:
            continue                          # removed meanwhile by another build
        found.append((st.st_mtime, st.st_size, p))
    found.sort(reverse=True)
    total, removed = 0, []
    for _, size, p in found:
        total += size
        if total > limit:
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed
