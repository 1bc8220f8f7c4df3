"""Text analysis of the briefing: speakers' turns, reproducible word segmentation, term
frequencies, distinguishing terms (weighted log-odds, tf-idf), keyword in context, and how often
an answer names figures rather than goals.

Segmentation is jieba's, with the dictionary jieba ships plus the book's user dictionary
``data/text/userdict.txt`` (policy vocabulary such as 国家高新区, 新质生产力, 揭榜挂帅);
``data/text/stopwords.txt`` lists the words left out of term counts. Both are read explicitly,
the prefix dictionary is built afresh (no cache from another run is ever loaded) and nothing in
jieba's cut is random, so the same text gives the same tokens on every run and machine
(``tests/test_text.py`` proves it).
"""
from __future__ import annotations

import logging
import math
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..sources import paths
from ..sources.briefing import corrected_text
from ..sources.schema import squeeze

TEXT = paths.DATA / "text"
USERDICT = TEXT / "userdict.txt"
STOPWORDS = TEXT / "stopwords.txt"

#: Who speaks at the press conference; 记者 (the reporter) asks every question.
SPEAKERS = {
    "记者": "reporter",
    "吴家喜": "Wu Jiaxi (MIIT Planning Department)",
    "李有平": "Li Youping (MIIT Torch Center)",
    "张宇蕾": "Zhang Yulei (Zhongguancun)",
    "刘燮": "Liu Xie (Zhangjiang)",
}
REPORTER = "记者"
#: The editor's note that opens the write-up: not a turn of the press conference.
EDITOR_NOTE = "编者按"

#: The eight questions, in order: (theme, 主题).
THEMES = [
    ("economy", "经济运行"),
    ("digitalisation", "数字化智能化"),
    ("green", "绿色低碳"),
    ("new_productive_forces", "新质生产力"),
    ("innovation_link", "科技创新与产业创新对接"),
    ("regional", "区域协调发展"),
    ("zhongguancun", "中关村"),
    ("zhangjiang", "张江"),
]

#: Tokens that mark a sentence as stating an intention or a direction of policy rather than a
#: result: future (将, 要, 力争, 下一步) and directive verbs (支持, 鼓励, 引导, 推动, 加快).
GOAL_MARKERS = frozenset({"将", "要", "力争", "下一步", "支持", "鼓励", "引导", "推动", "加快"})

_TURN = re.compile(r"^(?P<name>[^\s:#*]{2,4}):(?P<text>.*)$")
_SENTENCE_END = re.compile(r"(?<=[。!?;！？；])")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")


# ----- turns ----------------------------------------------------------------------------------
def turns() -> pd.DataFrame:
    """The press conference as turns: each question and each answer, with speaker and theme.

    A turn starts at a line ``名字:`` (记者 for a question) and runs to the next one; headings,
    the byline and the editor's note are not speech and are left out.
    """
    rows: list[dict] = []
    question, in_note = 0, False
    for line in corrected_text().split("\n"):
        line = line.strip()
        if not line or line.startswith(("#", "本报记者")):
            continue
        m = _TURN.match(line)
        if m and m["name"] == EDITOR_NOTE:
            in_note = True
            continue
        if m:
            name = m["name"]
            if name not in SPEAKERS:
                raise ValueError(f"unknown speaker {name!r} in the source text: add it to SPEAKERS")
            in_note = False
            if name == REPORTER:
                question += 1
            theme, theme_zh = THEMES[question - 1]
            rows.append({"turn": len(rows) + 1, "question": question, "theme": theme, "theme_zh": theme_zh,
                         "speaker": name, "speaker_en": SPEAKERS[name],
                         "role": "question" if name == REPORTER else "answer", "paragraphs": [m["text"]]})
        elif in_note:
            continue
        elif not rows:
            raise ValueError(f"text before the first turn: {line[:30]!r}")
        else:
            rows[-1]["paragraphs"].append(line)
    df = pd.DataFrame(rows)
    df["text"] = ["\n".join(p) for p in df.pop("paragraphs")]
    df["chars"] = [len(squeeze(t)) for t in df["text"]]
    return df


# ----- segmentation ---------------------------------------------------------------------------
def _jieba():
    with warnings.catch_warnings():
        # jieba 0.42.1 imports pkg_resources, which recent setuptools deprecate with a warning
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import jieba
    jieba.setLogLevel(logging.WARNING)  # at DEBUG, jieba logs "Building prefix dict…" to stderr
    return jieba


@lru_cache(maxsize=None)
def _prefix_dictionary() -> tuple[dict, int]:
    """jieba's own dictionary as jieba's prefix dictionary: built from the file, once a process
    (a second of work; no cache from another run is read)."""
    tk = _jieba().Tokenizer(dictionary=str(_dictionary()))
    return tk.gen_pfdict(tk.get_dict_file())


def _dictionary() -> Path:
    return Path(_jieba().__file__).with_name("dict.txt")


@lru_cache(maxsize=None)
def tokenizer(user: bool = True):
    """A jieba tokenizer with jieba's own dictionary and, unless ``user`` is false, the book's
    user dictionary."""
    tk = _jieba().Tokenizer(dictionary=str(_dictionary()))
    freq, total = _prefix_dictionary()
    tk.FREQ, tk.total, tk.initialized = dict(freq), total, True   # a copy: the user's words add to it
    if user:
        tk.load_userdict(str(USERDICT))
    return tk


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    lines = STOPWORDS.read_text(encoding="utf-8").split("\n")
    return frozenset(w.strip() for w in lines if w.strip())


def user_words() -> list[str]:
    """The words of the user dictionary, in file order."""
    lines = USERDICT.read_text(encoding="utf-8").split("\n")
    return [ln.split()[0] for ln in lines if ln.strip()]


def segment(text: str, user: bool = True) -> list[str]:
    """The tokens of ``text``, in order, whitespace dropped. Deterministic. ``user=False``
    segments with jieba's own dictionary only, to show what the user dictionary changes."""
    return [t for t in tokenizer(user).lcut(text, HMM=True) if t.strip()]


def is_term(token: str) -> bool:
    """A token that counts as a term: two characters or more, a word (not a number or
    punctuation), and not a stop word."""
    return len(token) >= 2 and bool(_WORDLIKE.search(token)) and token not in stopwords()


def tokens(tu: pd.DataFrame) -> pd.DataFrame:
    """One row per token of each turn: its position, and whether it counts as a term."""
    rows = []
    for t in tu.itertuples():
        for i, tok in enumerate(segment(t.text), start=1):
            rows.append((t.turn, t.question, t.theme, t.speaker, t.role, i, tok))
    df = pd.DataFrame(rows, columns=["turn", "question", "theme", "speaker", "role", "position", "token"])
    df["term"] = [is_term(x) for x in df["token"]]
    return df


# ----- term statistics ------------------------------------------------------------------------
def counts(tok: pd.DataFrame, by: str) -> pd.DataFrame:
    """How often each term occurs in each group (``by`` a column of ``tokens``)."""
    out = (tok[tok["term"]].groupby([by, "token"]).size().rename("n").reset_index()
           .rename(columns={by: "group", "token": "term"}))
    return out.sort_values(["group", "n", "term"], ascending=[True, False, True], ignore_index=True)


def log_odds(tok: pd.DataFrame, by: str) -> pd.DataFrame:
    """Weighted log-odds of each term in each group against all other groups, with an
    informative Dirichlet prior from the whole text (Monroe, Colaresi and Quinn 2008).

    ``z`` is the log-odds ratio divided by its standard deviation: large and positive for a
    term that a group uses much more than the others, allowing for how rare the term is.
    """
    c = counts(tok, by)
    prior = c.groupby("term")["n"].sum()  # alpha_w: the term's count in the whole text
    a0 = prior.sum()
    table = c.pivot_table(index="term", columns="group", values="n", fill_value=0, aggfunc="sum")
    size = table.sum()
    rows = []
    for g in table.columns:
        y_i, y_j = table[g], table.drop(columns=g).sum(axis=1)
        n_i, n_j = size[g], size.drop(g).sum()
        a = prior.reindex(table.index)
        delta = (((y_i + a) / (n_i + a0 - y_i - a)).map(math.log)
                 - ((y_j + a) / (n_j + a0 - y_j - a)).map(math.log))
        z = delta / (1 / (y_i + a) + 1 / (y_j + a)).map(math.sqrt)
        rows.append(pd.DataFrame({"group": g, "term": table.index, "n": y_i.to_numpy(), "z": z.to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    out = out[out["n"] > 0]
    return out.sort_values(["group", "z", "term"], ascending=[True, False, True], ignore_index=True)


def tf_idf(tok: pd.DataFrame, by: str) -> pd.DataFrame:
    """tf-idf of each term in each group, the groups being the documents: tf = share of the
    group's terms, idf = ln(groups ÷ groups using the term)."""
    c = counts(tok, by)
    groups = c["group"].nunique()
    df_w = c.groupby("term")["group"].nunique()
    c["tf"] = c["n"] / c.groupby("group")["n"].transform("sum")
    c["idf"] = [math.log(groups / df_w[t]) for t in c["term"]]
    c["tf_idf"] = c["tf"] * c["idf"]
    return c.sort_values(["group", "tf_idf", "term"], ascending=[True, False, True], ignore_index=True)


def top(table: pd.DataFrame, score: str, n: int) -> pd.DataFrame:
    """The ``n`` highest-scoring terms of each group (ties broken by the term, so stable)."""
    ordered = table.sort_values(["group", score, "term"], ascending=[True, False, True])
    return ordered.groupby("group", sort=True).head(n).reset_index(drop=True)


# ----- keyword in context ---------------------------------------------------------------------
def kwic(tu: pd.DataFrame, keyword: str, width: int = 12) -> pd.DataFrame:
    """Every occurrence of ``keyword`` in the turns, with ``width`` characters either side.

    Searched in the text, not among tokens, so 创新 is found inside 科技创新 as well.
    """
    rows = []
    for t in tu.itertuples():
        flat = t.text.replace("\n", " ")
        for m in re.finditer(re.escape(keyword), flat):
            rows.append({"turn": t.turn, "question": t.question, "theme": t.theme, "speaker": t.speaker,
                         "left": flat[max(0, m.start() - width):m.start()], "keyword": keyword,
                         "right": flat[m.end():m.end() + width]})
    return pd.DataFrame(rows, columns=["turn", "question", "theme", "speaker", "left", "keyword", "right"])


def compounds(tok: pd.DataFrame, keyword: str) -> pd.DataFrame:
    """The tokens that contain ``keyword`` (创新 → 科技创新, 创新联合体 …), with counts."""
    hits = tok[tok["token"].str.contains(keyword, regex=False)]
    out = hits.groupby("token").size().rename("n").reset_index()
    return out.sort_values(["n", "token"], ascending=[False, True], ignore_index=True)


# ----- figures and goals ----------------------------------------------------------------------
def sentences(tu: pd.DataFrame) -> pd.DataFrame:
    """Each turn split into sentences (at 。!?; and paragraph ends)."""
    rows = []
    for t in tu.itertuples():
        k = 0
        for para in t.text.split("\n"):
            for s in _SENTENCE_END.split(para):
                if s.strip():
                    k += 1
                    rows.append({"turn": t.turn, "question": t.question, "theme": t.theme,
                                 "speaker": t.speaker, "role": t.role, "sentence_no": k, "sentence": s.strip()})
    return pd.DataFrame(rows)


def figures_and_goals(tu: pd.DataFrame, facts: pd.DataFrame, markers=GOAL_MARKERS) -> pd.DataFrame:
    """Every sentence of every answer: does it state a figure, a goal, both or neither?

    A sentence *states a figure* when it contains the quote of a figure of ``facts`` (the
    book's list of every figure in the briefing) from the same question. It *states a goal*
    when one of its tokens is a ``markers`` word, or when it belongs to the answer's plan: the
    paragraphs from the one that opens with 下一步 (next) on. Raises if a figure's quote is found
    in no sentence of its answer, so every figure is counted.
    """
    s = sentences(tu[tu["role"] == "answer"]).copy()
    flat = [squeeze(x) for x in s["sentence"]]
    s["figures"] = 0
    for fid, f in facts.iterrows():
        q = squeeze(f["quote"])
        where = [i for i in range(len(s)) if s["question"].iat[i] == f["question"] and q in flat[i]]
        if not where:
            raise ValueError(f"the quote of {fid} is in no sentence of answer {f['question']}")
        s.iloc[where[0], s.columns.get_loc("figures")] += 1
    s["states_figure"] = s["figures"] > 0
    s["marker"] = [bool(markers & set(segment(x))) for x in s["sentence"]]
    s["in_plan"] = s.groupby("turn")["sentence"].transform(lambda x: x.str.startswith("下一步").cummax())
    s["states_goal"] = s["marker"] | s["in_plan"]
    return s
