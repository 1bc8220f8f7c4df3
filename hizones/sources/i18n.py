"""The language an edition is written in, and the package's message catalogue.

One setting selects the language: ``HIZONES_LANG`` (``en``, the default, or ``zh_CN``), which
the Chinese edition's build sets for itself and for the kernels that execute its chapters.

Everything the code puts on a page in words (chart titles, axis titles, legends and tooltips,
table headers, check labels and findings, verdict words, the pages generated at build time) goes
through `_`, which looks the English text up in ``locales/zh_CN/LC_MESSAGES/hizones.po``. Text
with no Latin letter (a number with its unit, a Chinese name) needs no translation and passes as
it is. In the Chinese edition, English text that the catalogue does not have is written to
stderr, which the strict build turns into an error naming the chapter: no English sentence
reaches a Chinese page unnoticed. ``python -m hizones catalogues`` gathers every such text into
the catalogue (`hizones.build.catalogues`); with ``HIZONES_I18N_RECORD`` set to a file, every text
looked up is appended to it.
"""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

from .paths import ROOT

ENGLISH, CHINESE = "en", "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
LOCALES = ROOT / "locales"
DOMAIN = "hizones"
LATIN = re.compile(r"[A-Za-z]")
_reported: set[str] = set()


def language() -> str:
    """The edition's language, from ``HIZONES_LANG``."""
    lang = os.environ.get("HIZONES_LANG", ENGLISH) or ENGLISH
    if lang not in LANGUAGES:
        raise ValueError(f"HIZONES_LANG={lang!r}: the book is written in {' or '.join(LANGUAGES)}")
    return lang


def chinese() -> bool:
    return language() == CHINESE


def catalogue_path(lang: str = CHINESE):
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def catalogue(lang: str = CHINESE) -> dict[str, str]:
    """msgid → msgstr of the package's catalogue, translated and not fuzzy entries only."""
    from babel.messages.pofile import read_po

    path = catalogue_path(lang)
    if not path.exists():
        return {}
    with path.open("rb") as f:
        cat = read_po(f)
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}


def _record(text: str) -> None:
    path = os.environ.get("HIZONES_I18N_RECORD")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text.replace("\\", "\\\\").replace("\n", "\\n") + "\n")


def recording() -> bool:
    """Whether the texts looked up are being gathered for the catalogue (in either language)."""
    return bool(os.environ.get("HIZONES_I18N_RECORD"))


#: A figure's id (``zgc.firms_revenue_over_100bn``): a name in the data, never shown as words.
ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")


CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[a-z]{2,}|Q[1-4]")


def needs_translation(text: object) -> bool:
    """Whether ``text`` has English in it: a word in lower case or a quarter (``Q1–Q3``), or Latin
    letters with no Chinese beside them (``GDP``); not a figure's id, nor Chinese with an acronym in it
    (``AI三类医疗器械``)."""
    if not isinstance(text, str) or not LATIN.search(text) or ID.match(text):
        return False
    return bool(WORD.search(text)) or not CJK.search(text)


#: A run of Latin words inside a text that also holds a number (``"10家 (derived)"``).
WORDS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z](?:[A-Za-z'’ -]*[A-Za-z])?(?![A-Za-z0-9])")
#: Up to this many Latin letters, in runs of one or two words, a text with a number in it is a
#: label, translated run by run (``"13.14万亿元 (derived)"``); anything longer is looked up whole.
SHORT = 40
DIGIT = re.compile(r"\d")


class Translated(str):
    """Text already in the edition's language: `_` passes it on as it is (a table's title made by
    `translated` and then shown by `hizones.analysis.tables.collapsed` is translated once)."""


#: Who is told of a text the catalogue lacks: stderr (which the strict build turns into an error
#: naming the chapter); the Sphinx extension adds a warning of its own for the pages it makes.
REPORTERS = [lambda message: print(message, file=sys.stderr)]


def _missing(text: str) -> str:
    if text not in _reported:
        _reported.add(text)
        for report in REPORTERS:
            report(f"untranslated ({catalogue_path().relative_to(ROOT)}): {text!r}")
    return text


def _lookup(text: str) -> str:
    _record(text)
    if not chinese():
        return text
    found = catalogue().get(text)
    return _missing(text) if found is None else found


@lru_cache(maxsize=None)
def _period_entries() -> tuple[tuple[str, str], ...]:
    """Short entries with a number and no Chinese (``Q1–Q3 2023``, ``Jan–Oct 2023``), longest
    first: inside a label they are translated whole before its words are."""
    return tuple(sorted(((k, v) for k, v in catalogue().items() if DIGIT.search(k) and not CJK.search(k)
                         and len(k) <= 16), key=lambda kv: -len(kv[0])))


def _periods(text: str) -> str:
    if not chinese():
        return text
    for k, v in _period_entries():
        text = text.replace(k, v)
    return text


def _(text: str) -> str:
    """``text`` in the edition's language. A short label with a number in it
    (``"13.14万亿元 (derived)"``) is translated by its runs of Latin words, so that a changed
    number needs no new translation; any other text is looked up whole (a text with computed
    figures in it should be a template, `translated`, so that its translation never goes stale)."""
    if isinstance(text, Translated) or not needs_translation(text):
        return text
    runs = WORDS.findall(text)
    label = sum(c.isascii() and c.isalpha() for c in text) <= SHORT and all(len(r.split()) <= 2 for r in runs)
    if DIGIT.search(text) and label and not (chinese() and text in catalogue()):
        replaced = _periods(text)
        if WORDS.search(replaced):
            return Translated(WORDS.sub(lambda m: _lookup(m.group(0)), replaced))
        if replaced != text:
            return Translated(replaced)
    return Translated(_lookup(text))


def N_(text: str) -> str:
    """Marks ``text`` for the catalogue where it is defined (a constant), translated where shown."""
    return text


def translated(text: str, **values) -> str:
    """``_(text).format(**values)``: the template is translated whole; the values are put in as
    they are given (translate a value that is words with `_` first)."""
    return Translated(_(text).format(**values))
