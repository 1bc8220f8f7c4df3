"""What a chapter reads besides its own cells, as one digest.

jupyter-cache keys an executed notebook on its code and kernel only. A chapter also reads every
file under ``data/``, the ``hizones`` code it imports (the sources and analysis layers) and the
pinned environment (``requirements.txt``, ``constraints.txt``). `execution_digest` covers all of
them, so a change to any one re-executes the chapters (`hizones.build.execute`), and
`page_digest` adds the build layer, which renders the pages generated from the data.
"""
from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent          # hizones/
ENVIRONMENT = ("requirements.txt", "constraints.txt")


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.startswith("."))


def _digest(files: list[tuple[str, Path]]) -> str:
    h = hashlib.sha256()
    for name, path in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _inputs(book: Path, layers: tuple[str, ...]) -> list[tuple[str, Path]]:
    book = Path(book).resolve()
    files = [(f"data/{p.relative_to(book / 'data').as_posix()}", p) for p in _files(book / "data")]
    files += [(name, book / name) for name in ENVIRONMENT if (book / name).is_file()]
    code = [PACKAGE / "__init__.py"] + [p for layer in layers for p in _files(PACKAGE / layer)]
    files += [(f"hizones/{p.relative_to(PACKAGE).as_posix()}", p) for p in code]
    return files


def _language(book: Path) -> list[tuple[str, Path]]:
    """The package's catalogue, in the Chinese edition (whose chapters print through it)."""
    from ..sources.i18n import ENGLISH, catalogue_path, language

    po = catalogue_path(language())
    return [] if language() == ENGLISH or not po.exists() else [(f"locales/{language()}", po)]


def execution_digest(book: Path) -> str:
    """Of everything an executing chapter reads outside its notebook (in the edition's language)."""
    return _digest(_inputs(book, ("sources", "analysis")) + _language(book))


def page_digest(book: Path) -> str:
    """Of everything a page generated at build time reads: the same, and the build layer."""
    return _digest(_inputs(book, ("sources", "analysis", "build")) + _language(book))


def repository_files(root: Path) -> list[str]:
    """What a fresh clone of the repository at ``root`` would hold once committed: tracked files
    and untracked, unignored ones (outside a git checkout: every file but builds, environments
    and caches). Paths relative to ``root``."""
    root = Path(root)
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=root, capture_output=True, check=True).stdout
        return [f for f in out.decode().split("\0") if f and (root / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".jupyter_cache", ".ipynb_checkpoints"}
        return [p.relative_to(root).as_posix() for p in root.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(root).parts)]
