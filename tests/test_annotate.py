"""The annotated source: every fact is placed on its printed number, and every number in the
text is a fact or a listed non-figure (coverage both ways)."""
import pytest

from hizones import facts
from hizones.build.sphinx.annotated import render_html
from hizones.sources import briefing, locate
from hizones.sources.validate import validate

from .conftest import rows, write


def test_every_fact_is_placed_on_its_printed_value():
    spans = briefing.fact_spans()
    placed = {fid for s in spans for fid in s.facts}
    assert placed == set(facts().index)
    text = locate.lines(briefing.raw_text())
    for s in spans:
        shown = text[s.line - 1][s.start:s.end].replace(" ", "")
        for fid in s.facts:
            assert shown == str(facts().loc[fid, "value_printed"]), fid


def test_every_number_in_the_text_is_accounted_for():
    assert briefing.uncovered() == []


@pytest.mark.parametrize("fid", sorted(facts().index))
def test_removing_any_fact_leaves_its_number_unaccounted(fid):
    without = tuple(s for s in briefing.fact_spans() if fid not in s.facts)
    missing = briefing.uncovered(without)
    assert missing, f"{fid}: its number would still count as covered"


def test_a_fact_removed_from_facts_csv_stops_validation(data):  # noqa: F811
    table = rows(data / "facts.csv")
    gone = [r for r in table if r[0] == "eco.gdp_growth"]
    write(data / "facts.csv", [r for r in table if r[0] != "eco.gdp_growth"])
    messages = [str(p) for p in validate(data)]
    assert any("briefing-zh.txt" in m and "line 13" in m and "'7.11'" in m for m in messages), messages
    assert gone


def test_a_number_added_to_the_text_needs_a_fact_or_a_reason():
    text = briefing.raw_text().replace("发展总体向好。", "发展总体向好,新增99个项目。", 1)
    spans = locate.spans_of(text, facts().iterrows())
    nf = rows(briefing.paths.DATA / "source" / "non_figures.csv")[1:]
    covering = spans + locate.non_figure_spans_of(text, [(n, r[0], r[1]) for n, r in enumerate(nf, start=1)])
    assert (11, "99") in locate.uncovered_in(text, covering)


def test_a_non_figure_not_on_its_line_stops_validation(data):  # noqa: F811
    table = rows(data / "source" / "non_figures.csv")
    table[1][1] = "九十九"
    write(data / "source" / "non_figures.csv", table)
    messages = [str(p) for p in validate(data)]
    assert any("non_figures.csv" in m and "row 1" in m and "'text'" in m for m in messages), messages


def test_an_ambiguous_quote_is_refused():
    row = facts().loc["eco.gdp"].copy()
    row["quote"] = "国家高新区"
    with pytest.raises(LookupError, match="field 'quote': occurs"):
        locate.locate("eco.gdp", row, briefing.raw_text())


def test_rendered_text_marks_every_fact_and_shows_corrections():
    html = render_html(lambda fid: (f"x.html#{fid}", "section"))
    assert html.count('class="hz-fact"') == len(briefing.fact_spans())
    assert html.count('role="tooltip"') == len(briefing.fact_spans())
    for e in briefing.line_errata():
        assert f">{e['id']}" in html or f", {e['id']}" in html or e["kind"] == "layout_space", e["id"]
    # a correction shows what is printed, struck out, and then what is meant
    assert "<del>主动融人国家</del><ins>主动融入国家</ins>" in html
    assert html.count("<del>主动融人国家</del>") == 1
