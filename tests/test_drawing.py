"""Kept drawings (`hizones.analysis.drawing`): a chart is drawn again whenever anything that
decides its drawing changed, and only then."""
import pytest

from hizones.analysis import drawing

SPEC = {"title": {"text": "a"}, "data": {"values": [{"x": 1}]}, "mark": "bar",
        "encoding": {"x": {"field": "x", "type": "quantitative"}}}


@pytest.fixture
def drawn(tmp_path, monkeypatch):
    """vl-convert replaced by a counter; drawings kept in a folder of the test's own."""
    import vl_convert

    calls = []

    def fake(spec, vl_version):
        calls.append((spec["title"]["text"], vl_version))
        return f"<svg>{spec['title']['text']} {vl_version} {len(calls)}</svg>"

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", fake)
    monkeypatch.setattr(drawing, "folder", lambda: tmp_path / "kept")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    monkeypatch.setattr(drawing, "font_folders", lambda: [fonts])
    monkeypatch.delenv("HIZONES_DRAWINGS", raising=False)
    drawing.fonts.cache_clear()
    yield calls, fonts
    drawing.fonts.cache_clear()


def test_an_unchanged_chart_is_drawn_once(drawn):
    calls, _ = drawn
    first = drawing.draw(SPEC, "6.4")
    assert drawing.draw(dict(SPEC), "6.4") == first and len(calls) == 1


def test_a_changed_spec_version_or_font_is_drawn_again(drawn):
    calls, fonts = drawn
    drawing.draw(SPEC, "6.4")
    drawing.draw({**SPEC, "title": {"text": "b"}}, "6.4")
    drawing.draw(SPEC, "6.3")
    assert len(calls) == 3
    (fonts / "NotoSansCJK-Regular.ttc").write_bytes(b"a font installed since")
    drawing.fonts.cache_clear()      # as in the next kernel or build
    assert drawing.draw(SPEC, "6.4").endswith(" 4</svg>") and len(calls) == 4


def test_a_damaged_drawing_is_drawn_again(drawn, tmp_path):
    calls, _ = drawn
    drawing.draw(SPEC, "6.4")
    (kept,) = (tmp_path / "kept" / "drawings").glob("*.svg")
    kept.write_text("<svg>cut short")
    assert drawing.draw(SPEC, "6.4") == "<svg>a 6.4 2</svg>" and kept.read_text() == "<svg>a 6.4 2</svg>"


def test_another_vl_convert_draws_again(drawn, monkeypatch):
    calls, _ = drawn
    drawing.draw(SPEC, "6.4")
    monkeypatch.setattr(drawing, "_converter", lambda: "9.9.9")
    drawing.draw(SPEC, "6.4")
    assert len(calls) == 2


def test_another_time_zone_draws_again(drawn, monkeypatch):
    calls, _ = drawn
    drawing.draw(SPEC, "6.4")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    drawing.draw(SPEC, "6.4")
    assert len(calls) == 2


def test_a_folder_that_cannot_keep_drawings_only_costs_time(drawn, monkeypatch, tmp_path):
    calls, _ = drawn
    (tmp_path / "a file").write_text("")
    monkeypatch.setattr(drawing, "folder", lambda: tmp_path / "a file")
    drawn_twice = [drawing.draw(SPEC, "6.4"), drawing.draw(SPEC, "6.4")]
    assert drawn_twice == ["<svg>a 6.4 1</svg>", "<svg>a 6.4 2</svg>"] and len(calls) == 2


def test_drawings_off_draws_every_time_and_keeps_nothing(drawn, monkeypatch, tmp_path):
    calls, _ = drawn
    monkeypatch.setenv("HIZONES_DRAWINGS", "off")
    drawing.draw(SPEC, "6.4")
    drawing.draw(SPEC, "6.4")
    assert len(calls) == 2 and not (tmp_path / "kept").exists()


def test_the_least_recently_used_are_removed_beyond_the_limit(tmp_path):
    import os

    for i, name in enumerate(["first", "second", "third"]):
        (tmp_path / f"{name}.svg").write_text("x" * 100)
        os.utime(tmp_path / f"{name}.svg", (1000 + i, 1000 + i))
    os.utime(tmp_path / "first.svg", (5000, 5000))      # made first, used last
    removed = drawing.prune(tmp_path, limit=250)
    assert [p.name for p in removed] == ["second.svg"]
    assert sorted(p.name for p in tmp_path.glob("*.svg")) == ["first.svg", "third.svg"]
