"""The Chinese edition's catalogues: one per page (Sphinx's gettext, ``gettext_compact: False``)
and one for the package (`hizones.sources.i18n`), all under ``locales/zh_CN/LC_MESSAGES/``.

`update` brings one up to date with the English (``python -m hizones catalogues`` extracts the
English: `hizones.build.extract`), with Babel, as ``sphinx-intl update`` does: a new text gets an
empty entry, a changed one becomes *fuzzy* (its old translation kept for the translator), a
removed one is dropped. A text already translated in another catalogue is filled in from there.

`compile_catalogues` writes the ``.mo`` files the Chinese build reads, rewriting each glue role
to the form that renders inside translated text (``{glue:text}`01_economy.ipynb::key:s```), and
refuses a catalogue with `problems`: an untranslated or fuzzy entry, or a translation whose glue
roles or numbers differ from the English (numbers are glued, never typed).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from ..sources.i18n import CHINESE, LOCALES, catalogue_path
from ..sources.paths import ROOT, rel

GLUE = re.compile(r"\{glue:text\}`([^`]+)`")
#: A template's placeholders (``{derived}``), which the code fills in.
PLACEHOLDER = re.compile(r"(?<!{)\{(\w+)\}(?![}`])")
#: Numbers outside glue roles and code: a translation may only repeat those of the English.
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: Code, roles, links and addresses: they carry no language (the page check and the number check).
CODE = re.compile(r"`[^`]*`|\{[a-z:-]+\}`[^`]*`|\]\([^)]*\)|<[^>]*>|https?://\S+")


def messages_dir(lang: str = CHINESE) -> Path:
    return LOCALES / lang / "LC_MESSAGES"


def page_catalogues(lang: str = CHINESE) -> list[Path]:
    """Every page's catalogue (the package's is not one)."""
    return sorted(p for p in messages_dir(lang).rglob("*.po") if p != catalogue_path(lang))


def read(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=CHINESE)


def write(path: Path, cat) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, cat, width=0, omit_header=False, ignore_obsolete=True, include_previous=True)


def glue_keys(text: str) -> list[str]:
    return sorted(m.group(1).split("::")[-1].split(":")[0] for m in GLUE.finditer(text))


def numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(CODE.sub(" ", text)))


def entry_problems(msgid: str, msgstr: str, fuzzy: bool) -> str | None:
    if not msgstr:
        return "untranslated"
    if fuzzy:
        return "fuzzy: the English changed after it was translated"
    if sorted(set(PLACEHOLDER.findall(msgid))) != sorted(set(PLACEHOLDER.findall(msgstr))):
        return (f"placeholders differ: English {sorted(set(PLACEHOLDER.findall(msgid)))}, "
                f"Chinese {sorted(set(PLACEHOLDER.findall(msgstr)))}")
    if glue_keys(msgid) != glue_keys(msgstr):
        return f"glued values differ: English {glue_keys(msgid)}, Chinese {glue_keys(msgstr)}"
    # a day or a month (10月18日 for "18 October") may be written as Chinese writes dates
    if ("**" in msgstr or "*" in msgstr) and _unrendered_emphasis(msgstr) > _unrendered_emphasis(msgid):
        return "emphasis that CommonMark leaves as asterisks (a ** or * next to Chinese punctuation or a role)"
    extra = sorted(n for n in set(numbers(msgstr)) - set(numbers(msgid)) if not (n.isdigit() and 1 <= int(n) <= 31))
    if extra:
        return f"typed numbers {extra} that the English does not have (glue them)"
    return None


def _unrendered_emphasis(text: str) -> int:
    """How many asterisks stay on the page when ``text`` is rendered as CommonMark (a role is its
    ``{name}`` and a code span, as CommonMark sees it: punctuation on either side)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").renderInline(text)
    return re.sub(r"<code>.*?</code>", "", html).count("*")


def problems(paths: list[Path] | None = None) -> list[str]:
    """Every entry that would put English or a typed number on a Chinese page, as
    ``file, line N: problem: "start of the English"``."""
    found = []
    for path in paths if paths is not None else [*page_catalogues(), catalogue_path()]:
        for m in read(path):
            if not m.id:
                continue
            why = entry_problems(m.id, m.string, m.fuzzy)
            if why:
                found.append(f'{rel(path)}, line {m.lineno}: {why}: "{m.id[:80]}"')
    return found


def notebook_of(po: Path, lang: str = CHINESE) -> str | None:
    """The notebook a page's catalogue belongs to, relative to the page (for glue roles)."""
    doc = po.relative_to(messages_dir(lang)).with_suffix("")
    return f"{doc.name}.ipynb" if (ROOT / doc.with_suffix(".ipynb")).exists() else None


def pending_glue(text: str, notebook: str | None) -> str:
    """Glue roles in the form that renders in translated text (myst-nb resolves it later)."""
    if not notebook:
        return text

    def one(m):
        body = m.group(1)
        if "::" in body:
            return m.group(0)
        key, _, fmt = body.partition(":")
        return f"{{glue:text}}`{notebook}::{key}:{fmt or 's'}`"

    return GLUE.sub(one, text)


def compile_catalogues(out: Path, lang: str = CHINESE) -> Path:
    """The ``.mo`` files of every page's catalogue under ``out/<lang>/LC_MESSAGES``; stops with
    the list of problems if there is any."""
    from babel.messages.mofile import write_mo

    pages = page_catalogues(lang)
    wrong = problems(pages)
    if wrong and os.environ.get("HIZONES_DRAFT") == "1":     # a translator's preview, never published
        print(f"draft: {len(wrong)} catalogue entries to translate or review", file=sys.stderr)
    elif wrong:
        raise SystemExit("the Chinese catalogues are not complete (python -m hizones catalogues, "
                         "then translate):\n  " + "\n  ".join(wrong))
    for po in pages:
        cat, notebook = read(po), notebook_of(po, lang)
        for m in cat:
            if m.id:
                m.string = pending_glue(m.string, notebook)
        mo = out / lang / "LC_MESSAGES" / po.relative_to(messages_dir(lang)).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        data = _mo_bytes(cat, write_mo)
        if not mo.exists() or mo.read_bytes() != data:     # unchanged files keep their time
            mo.write_bytes(data)
    return out


def _mo_bytes(cat, write_mo) -> bytes:
    import io

    buf = io.BytesIO()
    write_mo(buf, cat)
    return buf.getvalue()


def memory(lang: str = CHINESE) -> dict[str, str]:
    """Every translated, not fuzzy entry of every catalogue: msgid → msgstr."""
    found = {}
    for po in [*page_catalogues(lang), catalogue_path(lang)]:
        if po.exists():
            found.update({m.id: m.string for m in read(po) if m.id and m.string and not m.fuzzy})
    return found


def update(template, po: Path, known: dict[str, str]) -> tuple[int, int]:
    """Bring ``po`` up to date with ``template`` (a Babel catalogue); (new, fuzzy) counts."""
    from babel.messages.catalog import Catalog

    cat = read(po) if po.exists() else Catalog(locale=CHINESE, domain=po.stem)
    cat.update(template, no_fuzzy_matching=False)
    new = fuzzy = 0
    for m in cat:
        if not m.id or m.string and not m.fuzzy:
            continue
        if m.id in known:
            m.string, m.flags = known[m.id], m.flags - {"fuzzy"}
        elif m.fuzzy:
            fuzzy += 1
        else:
            new += 1
    write(po, cat)
    return new, fuzzy
