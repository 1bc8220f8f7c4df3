"""What the pre-executor knows about each notebook, kept beside the cache: the file's SHA-256,
the cache key it was stored or matched under, the digest of the inputs it ran with, and how long
it took. A rebuild with nothing changed reads only this file and the notebooks' bytes."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path

FILE = "hizones-execute.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Stamps:
    """The stamps of the notebooks of the book at ``root``, keyed by their path relative to it,
    so a copy of the book with its cache is still up to date."""

    def __init__(self, cache: Path, root: Path):
        self.cache = Path(cache)
        self.root = Path(root).resolve()
        try:
            self.data: dict = json.loads((self.cache / FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def key(self, path: Path) -> str:
        return Path(path).resolve().relative_to(self.root).as_posix()

    def get(self, path: Path) -> dict:
        return self.data.get(self.key(path)) or {}

    def same_inputs(self, path: Path, digest: str) -> bool:
        return self.get(path).get("inputs") == digest

    def current(self, path: Path, digest: str) -> bool:
        """True if this exact file, with these inputs, was stored or matched under a cache entry
        that still exists. Byte for byte: any edit, even to markdown, sends the notebook to
        jupyter-cache's own match."""
        stamp = self.get(path)
        if not self.same_inputs(path, digest) or stamp.get("sha256") != sha256(path):
            return False
        key = stamp.get("hashkey", "")
        if not (self.cache / "executed" / key / "base.ipynb").is_file():
            return False
        try:
            with closing(sqlite3.connect(f"file:{self.cache / 'global.db'}?mode=ro", uri=True)) as db:
                return db.execute("SELECT 1 FROM nbcache WHERE hashkey = ?", (key,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def record(self, path: Path, hashkey: str, digest: str, file_sha: str | None = None,
               seconds: float | None = None) -> None:
        old = self.get(path)
        run = old.get("run", 0) + 1 if seconds is not None else old.get("run", 0)
        self.data[self.key(path)] = {"sha256": file_sha or sha256(path), "hashkey": hashkey, "inputs": digest,
                                "seconds": seconds if seconds is not None else old.get("seconds", 0.0),
                                "run": run}

    def seconds(self, path: Path) -> float:
        return float(self.get(path).get("seconds") or 0.0)

    def save(self) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = self.cache / (FILE + ".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.cache / FILE)

    def version(self, path: Path) -> tuple:
        """What identifies the outputs the cache now holds for ``path``: a page read with another
        version is stale."""
        stamp = self.get(path)
        return stamp.get("hashkey"), stamp.get("inputs"), stamp.get("run")
