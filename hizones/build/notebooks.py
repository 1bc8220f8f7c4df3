"""Which notebooks a book has, how ``_config.yml`` says to execute them, and where their cache is."""
from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path


@dataclass
class Settings:
    """What ``_config.yml`` says about execution, with Jupyter Book's defaults."""
    mode: str = "auto"
    timeout: int = 30
    allow_errors: bool = False
    in_temp: bool = False
    cache: str = ""
    exclude: list = field(default_factory=list)


def read_settings(book: Path) -> Settings:
    import yaml

    conf = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    ex = conf.get("execute") or {}
    mode = ex.get("execute_notebooks", "auto")
    return Settings(mode="off" if mode is False else str(mode), timeout=int(ex.get("timeout", 30)),
                    allow_errors=bool(ex.get("allow_errors", False)), in_temp=bool(ex.get("run_in_temp", False)),
                    cache=str(ex.get("cache", "") or ""), exclude=list(ex.get("exclude_patterns", []) or []))


def toc_notebooks(book: Path, toc: Path | None = None) -> list[Path]:
    """The ``.ipynb`` files that ``_toc.yml`` lists, in its order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(toc or book / "_toc.yml")
    found = []
    for docname in site:
        path = book / docname
        for candidate in (path, path.with_name(path.name + ".ipynb")):
            if candidate.suffix == ".ipynb" and candidate.is_file():
                found.append(candidate.resolve())
                break
    return found


def cache_dir(book: Path, path_output: Path | None, settings: Settings) -> Path:
    """Where myst-nb keeps the cache: ``execute.cache`` if set, else ``<output>/_build/.jupyter_cache``
    (myst_nb.sphinx_ext: the parent of the html output folder)."""
    if settings.cache:
        return Path(settings.cache).resolve()
    return ((path_output or book) / "_build" / ".jupyter_cache").resolve()


def excluded(path: Path, book: Path, patterns: list) -> bool:
    rel = path.relative_to(book.resolve()).as_posix()
    return any(fnmatch(rel, p) for p in patterns)
