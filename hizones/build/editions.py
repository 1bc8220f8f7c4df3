"""The book's editions in each language, from the same notebooks and data.

``python -m hizones build zh_CN [--builder html|singlehtml] [--student]`` builds the Chinese
edition with Jupyter Book 1's own Sphinx entry point (its command line cannot set the
language): the same ``_config.yml``, with ``language: zh_CN``, the catalogues compiled from
``locales/`` (`hizones.build.catalogues`), Chinese search (jieba) and the Chinese title; strict
(``-W -n --keep-going``) like the English build. Its chapters execute with ``HIZONES_LANG=zh_CN``
into their own cache, so what the code prints is Chinese too.

Output (English beside it, as ``make book`` writes it):

============================  =====================================
English                        Chinese
============================  =====================================
``_build/html``                ``_build/zh/html``
``_build/singlehtml``          ``_build/zh/singlehtml``
``_build/student/_build/html`` ``_build/student/zh/html``
============================  =====================================
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..sources.i18n import CHINESE, ENGLISH
from ..sources.paths import ROOT

TITLES = {ENGLISH: "国家高新区 in numbers", CHINESE: "数说国家高新区"}
AUTHORS = {ENGLISH: "The 国家高新区 book contributors", CHINESE: "《数说国家高新区》编写组"}


def output(base: Path, lang: str, builder: str = "html", student: bool = False) -> Path:
    """Where an edition is written, under ``base`` (the book, or ``jupyter-book build
    --path-output``'s folder)."""
    if lang == ENGLISH:
        return base / "_build" / ("student/_build/" if student else "") / builder
    return base / "_build" / ("student/zh" if student else "zh") / builder


def base_of(outdir: Path, lang: str, builder: str = "html", student: bool = False) -> Path:
    """The ``base`` an edition's output folder was placed under (the inverse of `output`)."""
    depth = len(output(Path("."), lang, builder, student).parts)
    return Path(outdir).resolve().parents[depth - 1]


def overrides(base: Path, lang: str) -> dict:
    if lang == ENGLISH:
        return {}
    from .catalogues import compile_catalogues

    compiled = compile_catalogues(base / "_build" / "locales", lang)
    return {"language": lang, "locale_dirs": [str(compiled)], "gettext_compact": False,
            "html_search_language": "zh", "html_title": TITLES[lang],
            # jieba keeps the briefing's terms whole (新质生产力), as the text-analysis chapter does
            "html_search_options": {"dict": str(ROOT / "data" / "text" / "userdict.txt")},
            # myst-nb's toggles of hidden code
            "nb_code_prompt_show": "显示代码", "nb_code_prompt_hide": "隐藏代码", "project": TITLES[lang],
            "author": AUTHORS[lang], "gettext_auto_build": False}


def sphinx_build(root: Path, out: Path, *, builder: str = "html", lang: str = ENGLISH,
                 overrides: dict | None = None, cache: Path | None = None, toc: Path | None = None,
                 strict: bool = True, student: bool = False) -> int:
    """One Sphinx build of the book, as ``jupyter-book build`` runs it, into ``out``."""
    from jupyter_book.sphinx import build_sphinx

    os.environ["HIZONES_LANG"] = lang
    if student:
        os.environ["HIZONES_EDITION"] = "student"
    conf = {"latex_individualpages": False, **(overrides or {})}
    if cache:
        conf["nb_execution_cache_path"] = str(cache)
    if toc:
        conf["external_toc_path"] = str(toc)
    result = build_sphinx(str(root), str(out), noconfig=True, path_config=str(root / "_config.yml"),
                          confoverrides=conf, doctreedir=str(out.parent / f".doctrees-{builder}"),
                          builder=builder, warningiserror=strict, keep_going=strict,
                          verbosity=0, quiet=False, jobs=None)
    return result if isinstance(result, int) else 1


def build(root: Path, lang: str, builder: str = "html", student: bool = False, base: Path | None = None) -> int:
    out = output(base or root, lang, builder, student)
    toc = None
    if student:
        from .notebooks import student_toc

        toc = student_toc(root, out.parent / "_toc.yml")
    # every build of one language shares one cache: kernels do not depend on the edition
    cache = output(base or root, lang, "html").parent / ".jupyter_cache" if lang != ENGLISH else None
    code = sphinx_build(root, out, builder=builder, lang=lang, overrides=overrides(base or root, lang),
                        toc=toc, student=student, cache=cache)
    if code == 0:
        print(f"{'学生版' if student else '中文版'} written to {out / 'index.html'}")
    return code


def main(args: list[str]) -> int:
    if not args or args[0] not in (ENGLISH, CHINESE):
        print("usage: python -m hizones build zh_CN [--builder html|singlehtml] [--student] [--path-output DIR]",
              file=sys.stderr)
        return 2
    builder = args[args.index("--builder") + 1] if "--builder" in args else "html"
    base = Path(args[args.index("--path-output") + 1]).resolve() if "--path-output" in args else None
    return build(ROOT, args[0], builder, student="--student" in args, base=base)
