"""Checks and their marks, and the book's table style: what a chapter records is what the pages
read back, a verdict with no finding written for it stops the chapter, and tables stay numbers
until shown."""
import pandas as pd
import pytest

from hizones.analysis import checks, tables
from hizones.analysis.checks import CheckChanged, Checks, read_marks
from hizones.analysis.intervals import INF, Bounds


def test_a_check_leaves_a_mark_the_pages_read_back(capsys):
    c = Checks("demo")
    v = c.claim("over a quarter", Bounds(0.2, 0.4), Bounds(0.25, INF), unit="%", how="a ÷ b",
                findings={"undecidable": "It is {derived}; over a quarter ({claim}) holds for {share} of it."})
    assert v == "undecidable" and v.share == pytest.approx(0.75)
    record = c.records[0]
    assert record["finding"] == "It is 20.00–40.00%; over a quarter (≥ 25.00%) holds for 75% of it."
    assert read_marks(checks.mark_html(record)) == [record]
    assert "hz-undecidable" in checks.mark_html(record) and record["anchor"] == "check-demo-1"


def test_an_outcome_with_no_finding_written_stops_the_chapter():
    c = Checks("demo")
    with pytest.raises(CheckChanged, match="came out 'fails'"):
        c.claim("over a quarter", Bounds(0.1, 0.2), Bounds(0.25, INF), unit="%", how="a ÷ b",
                findings={"holds": "It holds."})
    with pytest.raises(ValueError, match="cannot have"):
        c.agreement("same", Bounds(1, 2), Bounds(1, 2), unit="%", how="", findings={"holds": "x"})


def test_internal_checks_pass_or_stop_and_are_not_verdicts():
    c = Checks("demo")
    c.internal("identity", Bounds(1, 1), Bounds(0, 2), unit="%", how="")
    c.agreement("two estimates", Bounds(1, 2), Bounds(1.5, 3), unit="%", how="", findings={"agree": "They agree."})
    c.note("A note.")
    assert [r["kind"] for r in c.verdicts()] == ["agreement"]
    assert [r["number"] for r in c.records] == [1, 2, 0]
    assert "internal check passes" in checks.mark_html(c.records[0])
    with pytest.raises(ValueError, match="internal check failed"):
        c.internal("broken", Bounds(1, 3), Bounds(0, 2), unit="%", how="")


def test_a_figure_id_brings_its_label_and_whose_figure_it_is():
    assert checks.source_of("nbs.gdp_2023q1q3") == "official"
    assert checks.source_of("zgc_index.revenue_2022") == "other"
    assert checks.source_of("eco.gdp") == "briefing"
    c = Checks("demo")
    c.agreement("GDP", Bounds(9.12e13, 9.14e13, "yuan"), "nbs.gdp_2023q1q3", unit="亿元", digits=0, how="",
                findings={"agree": "{derived} contains {claim}."})
    assert c.records[0]["claim"] == "913,027亿元" and c.records[0]["against"] == "official"


def test_tables_stay_numbers_until_shown():
    tables.setup("demo")
    df = pd.DataFrame({"range": [Bounds(0.1, 0.2)], "count": [1234.0], "verdict": ["fails"], "id": ["eco.x"]},
                      index=["row"])
    html = tables.table(df, units={"range": "%", "count": "家"}, ids="id", verdict="verdict").to_html()
    assert "10.00–20.00%" in html and "1,234家" in html and "dtype" not in html
    assert 'class="col0 hz-num"' in html and "hz-v hz-fails" in html and "hz-id" in html
    assert df["count"].dtype == float          # the frame itself is untouched
    with pytest.raises(ValueError, match="needs its unit"):
        tables.table(df).to_html()
    folded = tables.collapsed(tables.table(df, units={"range": "%"}), "All of it")
    assert folded._repr_html_().startswith('<details class="hz-details"><summary>All of it</summary>')
