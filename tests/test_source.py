"""The errata are applied as recorded, and the received text is never changed."""
import re

from hizones.sources import paths
from hizones.sources.briefing import corrected_text, errata, raw_text


def test_received_text_is_untouched():
    assert raw_text() == paths.SOURCE_TEXT.read_text(encoding="utf-8")
    assert "融人" in raw_text() and "**李有平:**" in raw_text()


def test_every_line_specific_erratum_is_applied():
    # corrected_text raises if an erratum's as-printed text is not where the row says
    text = corrected_text()
    assert len(errata()) >= 30
    for meant in ("融入国家", "出入境", "高质量园区。", "竞争制高点。", "建设国家生态工业示范园区。"):
        assert meant in text
    for slip in ("融人", "出人境", "高质量层区", "**", "竞争制\n"):
        assert slip not in text


def test_duplicated_sentence_is_removed_once():
    assert corrected_text().count('始终坚持"生态优先、绿色发展"。') == 1


def test_no_layout_space_is_left_inside_running_text():
    body = [ln for ln in corrected_text().split("\n") if ln and not ln.startswith(("#", "本报记者"))]
    spaced = [m.group(0) for ln in body for m in re.finditer(r"\S\s+\S", ln)]
    assert spaced == ["用 加", "展 建"], spaced  # the two quoted titles keep their space
