"""The text analysis: turns are separated right, and segmentation is deterministic: the same text
gives the same tokens in every process (whatever its hash seed) and on every machine."""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from hizones.analysis import policy, text
from hizones.sources import paths
from hizones.sources.validate import validate

SENTENCE = "支持国家高新区企业参与未来产业创新任务揭榜挂帅工作,加快形成新质生产力。"
EXPECTED = ["支持", "国家高新区", "企业", "参与", "未来产业", "创新", "任务", "揭榜挂帅", "工作", ",",
            "加快", "形成", "新质生产力", "。"]
# SHA-256 of the tokens of the whole briefing, one per line: any change of jieba, its dictionary,
# the user dictionary or the errata changes it. Update it only on purpose, after reading the diff.
BRIEFING_TOKENS_SHA256 = "f0abbe7c355e9d34d874b4b20aa087dad2862a84d3669d8b76d59aebb40c9bde"

_SCRIPT = (
    "import json; from hizones.analysis import text; "
    "tu = text.turns(); "
    "print(json.dumps([text.segment(t) for t in tu['text']], ensure_ascii=False))"
)


def briefing_tokens() -> list[list[str]]:
    return [text.segment(t) for t in text.turns()["text"]]


def digest(turn_tokens: list[list[str]]) -> str:
    return hashlib.sha256("\n".join("\n".join(t) for t in turn_tokens).encode("utf-8")).hexdigest()


def test_fixed_sentence_gives_the_checked_in_tokens():
    assert text.segment(SENTENCE) == EXPECTED


def test_whole_briefing_gives_the_checked_in_tokens():
    assert digest(briefing_tokens()) == BRIEFING_TOKENS_SHA256


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_same_tokens_in_a_fresh_process(seed):
    env = dict(os.environ, PYTHONHASHSEED=seed)
    run = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env,
                         cwd=paths.ROOT, check=True)
    assert run.stderr == ""  # jieba's "Building prefix dict…" must not reach stderr
    assert json.loads(run.stdout) == briefing_tokens()


def test_every_user_word_is_kept_whole():
    for word in text.user_words():
        assert text.segment(word) == [word], word


def test_stop_words_are_not_terms():
    assert not any(text.is_term(w) for w in text.stopwords())
    assert text.is_term("新质生产力") and text.is_term("5G")
    assert not text.is_term("12.33") and not text.is_term("的")


def test_turns_alternate_question_and_answer():
    tu = text.turns()
    assert list(tu["role"]) == ["question", "answer"] * 8
    assert list(tu.loc[tu["role"] == "answer", "speaker"]) == [
        "吴家喜", "李有平", "李有平", "李有平", "吴家喜", "吴家喜", "张宇蕾", "刘燮"]
    assert list(tu["question"].unique()) == list(range(1, 9))
    # no speaker's name is left inside the text, and the editor's note is not a turn
    assert not tu["text"].str.contains("编者按|^记者:", regex=True).any()


def test_kwic_finds_the_keyword_inside_compounds():
    tu = text.turns()
    k = text.kwic(tu, "创新")
    assert len(k) == sum(t.count("创新") for t in tu["text"])
    assert "科技创新" in text.compounds(text.tokens(tu), "创新")["token"].tolist()


def test_every_figure_is_found_in_its_answer():
    from hizones import facts

    s = text.figures_and_goals(text.turns(), facts())
    assert s["figures"].sum() == len(facts())


def test_measures_key_phrase_and_verb_are_in_their_quote():
    with open(paths.DATA / "measures.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        assert r["key_phrase_zh"] in r["quote"] and r["verb_zh"] in r["quote"], r["id"]
    ordinals = {(r["question"], r["part"]): set() for r in rows}
    for r in rows:
        ordinals[(r["question"], r["part"])].add(int(r["ordinal"]))
    assert ordinals[("4", "directions")] == {1, 2, 3, 4}
    assert ordinals[("5", "measures")] == {1, 2, 3}
    assert ordinals[("2", "next_steps")] == {1, 2, 3}


def test_instrument_codes_match_the_schema():
    package = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: r["schema"]["fields"] for r in package["resources"] if "schema" in r}
    enum = next(f for f in fields["measures"] if f["name"] == "instrument")["constraints"]["enum"]
    assert set(enum) == set(policy.INSTRUMENTS)


def test_validator_stops_a_measure_quote_not_in_the_source(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    p = data / "measures.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("揭榜挂帅工作", "揭榜挂帅工程", 1), encoding="utf-8")
    problems = [str(x) for x in validate(data)]
    assert any("measures.csv" in x and "'quote'" in x and "does not occur in the source" in x for x in problems), problems
