"""``python -m hizones catalogues``: the English text of the book extracted, and the Chinese
catalogues (`hizones.build.catalogues`) brought up to date with it.

Every paragraph, heading and list item of the book comes from Sphinx's ``gettext`` builder (the
chapters' executed outputs are read from the English build's cache, so ``make book-en`` first);
every text the package shows comes from its ``_("…")`` and ``N_("…")`` calls, the data's texts
that pages show, the chapters' exercise titles, and what the chapters pass to the package,
recorded while they execute afresh.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ..sources.i18n import DOMAIN, ENGLISH, catalogue_path
from ..sources.paths import ROOT, rel
from .catalogues import memory, messages_dir, problems, update
from .editions import sphinx_build


def extract_pages(root: Path, out: Path) -> Path:
    """The English book's messages, one ``.pot`` per page, via Sphinx's gettext builder (the
    chapters' executed outputs are read from the English build's cache)."""
    code = sphinx_build(root, out, builder="gettext", lang="en",
                        overrides={"gettext_compact": False, "gettext_uuid": False,
                                   "gettext_location": True},
                        cache=root / "_build" / ".jupyter_cache", strict=False)
    if code:
        raise SystemExit("extracting the book's messages failed")
    return out


#: ``_("…")``, ``N_("…")``, ``translated("…", …)`` with a single literal, anywhere in a line.
INLINE = re.compile(r"""(?<![\w.])(?:N_|_|translated)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]""")


def extract_package(root: Path, recorded: Path):
    """The package's messages: its ``_("…")`` literals and what the chapters passed to it."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    cat = Catalog(domain=DOMAIN)
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
            str(root / "hizones"), method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "translated": (1,)}):
        if isinstance(message, str) and message:
            cat.add(message, locations=[(f"hizones/{filename}", lineno)])
    # calls inside f-strings, which Babel's extractor does not see
    for path in sorted((root / "hizones").rglob("*.py")):
        for m in INLINE.finditer(path.read_text(encoding="utf-8")):
            text = (m.group(1) or m.group(2) or "").replace('\\"', '"').replace("\\'", "'")
            if text and text not in cat:
                cat.add(text, locations=[(path.relative_to(root).as_posix(), 0)])
    for text, where in _data_messages(root):
        if text not in cat:
            cat.add(text, locations=[(where, 0)])
    if recorded.exists():
        for line in recorded.read_text(encoding="utf-8").splitlines():
            text = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), line)
            if text and text not in cat:
                cat.add(text, locations=[("chapters", 0)])
    return cat


def _data_messages(root: Path) -> list[tuple[str, str]]:
    """Texts of the data that pages show through the catalogue: the data dictionary's titles and
    descriptions, the periods of the figures, the words of the verdicts."""
    import csv
    import json

    from ..analysis.verdicts import OUTCOMES
    from ..sources.i18n import needs_translation

    found = [(w, "hizones/analysis/verdicts.py") for kind, words in OUTCOMES.items() for w in (kind, *words)]

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("title", "description") and isinstance(v, str):
                    found.append((v, "data/datapackage.json"))
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8")))
    with (root / "data" / "facts.csv").open(encoding="utf-8") as f:
        found += [(r["period"], "data/facts.csv") for r in csv.DictReader(f)]
    with (root / "data" / "source" / "errata.csv").open(encoding="utf-8") as f:
        found += [(r["kind"], "data/source/errata.csv") for r in csv.DictReader(f)]
    found.append(("Solution", "sphinx-exercise"))
    for nb in sorted((root / "chapters").glob("*.ipynb")):       # exercise titles, which gettext misses
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
            found += [(m, f"chapters/{nb.name}") for m in re.findall(r"^```\{exercise\}\s*(.+)$", text, re.M)]
    return [(t, w) for t, w in dict(found).items() if needs_translation(t)]


def record_package_messages(root: Path, recorded: Path) -> None:
    """Execute every chapter afresh, recording each text it passes to the package's catalogue
    (`hizones.sources.i18n`), into ``recorded``."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "HIZONES_LANG": ENGLISH, "HIZONES_I18N_RECORD": str(recorded)}
        run = subprocess.run([sys.executable, "-m", "hizones", "execute", str(root), "--cache", cache],
                             env=env, capture_output=True, text=True)
    if run.returncode:          # a chapter that stops records only part of its texts
        raise SystemExit("executing the chapters to gather their texts failed:\n" + run.stderr[-4000:])


def main(args: list[str]) -> int:
    from babel.messages.pofile import read_po

    root = Path(args[0]).resolve() if args else ROOT
    known = memory()
    with tempfile.TemporaryDirectory() as tmp:
        pot = extract_pages(root, root / "_build" / "gettext")
        for template in sorted(pot.rglob("*.pot")):
            with template.open("rb") as f:
                cat = read_po(f)
            po = messages_dir() / template.relative_to(pot).with_suffix(".po")
            new, fuzzy = update(cat, po, known)
            if new or fuzzy:
                print(f"{rel(po)}: {new} new, {fuzzy} fuzzy")
        recorded = Path(tmp) / "recorded.txt"
        record_package_messages(root, recorded)
        new, fuzzy = update(extract_package(root, recorded), catalogue_path(), known)
        print(f"{rel(catalogue_path())}: {new} new, {fuzzy} fuzzy")
    left = problems()
    print(f"{len(left)} entries to translate or review" if left else "every entry is translated",
          file=sys.stderr)
    return 0
