"""What the book found, generated from the checks the chapters record, so no summary can
disagree with the chapter that makes the check:

- the findings page (``{hz-findings}``): the claims that do not add up, what official statistics
  confirm, what the printed figures cannot decide and what holds together, one finding each
  with a link to its arithmetic, and a chart of the verdicts by chapter;
- each chapter's "In short" box (``{hz-in-short}``): three to five of its own findings;
- the index of every check on the data appendix (``{hz-checks}``);
- the rules behind the verdicts on the conventions page (``{hz-rules}``), from the constants
  the arithmetic uses.
"""
from __future__ import annotations

import html

from docutils import nodes
from sphinx.util import logging

from ...analysis import charts, text
from ...sources.i18n import N_, _, chinese, translated
from ...analysis.checks import MARK, SYMBOL, in_short, read_marks
from ...analysis.intervals import ABOUT_TOLERANCE, NEARLY_TOLERANCE
from ...analysis.verdicts import OUTCOMES, VERDICTS
from .annotated import section_of
from .nodes import chapter_docs

logger = logging.getLogger(__name__)
esc = html.escape
#: The findings page's sections: (title, which records belong).
GROUPS = [
    (N_("Claims that do not add up"), lambda r: r["verdict"] in ("fails", "disagree")),
    (N_("What official statistics confirm"), lambda r: r["verdict"] in ("holds", "agree") and r["against"] == "official"),
    (N_("What the printed figures cannot decide"), lambda r: r["verdict"] == "undecidable"),
    (N_("What holds together"), lambda r: r["verdict"] in ("holds", "agree") and r["against"] != "official"),
]
#: The verdicts in Chinese, for the chart's tooltip.
VERDICT_ZH = {"holds": "成立", "fails": "不成立", "undecidable": "无法判定", "agree": "一致", "disagree": "不一致"}


#: Marks of each chapter, read once per build (several pages gather them).
_read: dict[str, list] = {}


def forget(app, *args):
    """A new build (or a re-read chapter) reads the marks afresh."""
    _read.clear()


def marks(env, doc: str, doctree=None) -> list[tuple[dict, str]]:
    """Every record marked in a chapter, with the title of the section it is made in."""
    if doctree is None and doc in _read:
        return _read[doc]
    found = []
    for raw in (doctree or env.get_doctree(doc)).findall(nodes.raw):
        text = raw.astext()
        if MARK not in text:      # most raw nodes are charts and tables: skip them unparsed
            continue
        for record in read_marks(text):
            section = section_of(raw)
            found.append((record, section.next_node(nodes.title).astext() if section is not None else ""))
    if doctree is None:
        _read[doc] = found
    return found


def all_verdicts(env) -> list[tuple[str, dict, str]]:
    """(chapter doc, record, section title) of every claim and agreement in the book."""
    return [(doc, r, where) for doc in chapter_docs(env) for r, where in marks(env, doc)
            if r["kind"] in ("claim", "agreement")]


def counts_sentence(rows) -> str:
    n = {v: sum(r["verdict"] == v for _, r, _ in rows) for v in VERDICTS}
    claims = sum(n[v] for v in OUTCOMES["claim"])
    agreements = sum(n[v] for v in OUTCOMES["agreement"])
    chapters = len({d for d, _, _ in rows})
    return translated(
        "{verdicts} verdicts on the briefing in {chapters} chapters. Of {claims} claims tested, {holds} hold "
        "for every value the printed figures allow, {fails} fail for every value and {undecidable} cannot be "
        "decided at the printed precision; of {agreements} pairs of estimates that must agree, {agree} agree "
        "and {disagree} do not. Internal checks (identities, tests of the book's own data) are not counted.",
        verdicts=claims + agreements, chapters=chapters, claims=claims, agreements=agreements, **n)


def _item(app, fromdoc, doc, r, where, uri) -> str:
    v = r["verdict"]
    chapter = app.env.titles[doc].astext()
    return (f'<li class="hz-{v}"><span class="hz-verdict">{SYMBOL[v]} {esc(r["phrase"])}</span>'
            f'{esc(r["finding"])}{"" if chinese() else " "}<a href="{esc(uri(app, fromdoc, doc, r["anchor"]))}">'
            f'{esc(chapter)} › {esc(where)}</a></li>')


def verdict_chart(rows) -> str:
    """Verdicts by chapter, stacked: drawn with the book's own chart renderer."""
    import altair as alt
    import pandas as pd

    theme_zh = dict(text.THEMES)
    data = pd.DataFrame([{"chapter": r["chapter"].replace("_", " "), "主题": theme_zh.get(r["chapter"], ""),
                          "verdict": r["verdict"], "结论": VERDICT_ZH[r["verdict"]]} for _, r, _ in rows])
    if chinese():       # one column each for the chapter and the verdict: the Chinese ones
        data = data.assign(chapter=data["主题"], verdict=data["结论"]).drop(columns=["主题", "结论"])
    table = data.value_counts().rename(N_("checks")).reset_index()
    order = [VERDICT_ZH[v] if chinese() else v for v in ["fails", "disagree", "undecidable", "agree", "holds"]]
    colours = [charts.ACCENT, charts.PALETTE[4], charts.SECOND, charts.PALETTE[2], charts.REPORTED]
    chart = alt.Chart(table).mark_bar().encode(
        y=alt.Y("chapter:N", title=None, sort=list(dict.fromkeys(data["chapter"]))),
        x=alt.X("checks:Q", title=N_("verdicts on the briefing (claims and agreements)"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("verdict:N", scale=alt.Scale(domain=order, range=colours), sort=order, title="verdict"),
        order=alt.Order("rank:Q"),
        tooltip=[f"{c}:N" for c in data.columns] + ["checks:Q"],
    ).transform_calculate(rank=f"indexof({order}, datum.verdict)")
    charts.setup("findings")
    spec = charts.titled(chart, N_("Verdicts on the briefing, by chapter"),
                         N_("Claims (hold, fail, undecidable) and pairs of estimates (agree, disagree)"),
                         source=charts.SOURCE_DERIVED).to_dict()
    return charts.render(spec)["text/html"]


def render_findings(app, docname: str, uri) -> str:
    rows = all_verdicts(app.env)
    if not rows:
        logger.warning("no check found in any chapter", location=docname)
        return ""
    silent = [app.env.titles[d].astext() for d in chapter_docs(app.env) if d not in {doc for doc, _, _ in rows}]
    named = ("、" if chinese() else " and ").join(f"“{t}”" for t in silent)
    note = ((" " if not chinese() else "") + translated(
        N_("The chapters {named} make no verdict: none of their figures can be tested against another figure or "
           "an official statistic.") if len(silent) > 1 else N_("The chapter {named} makes no verdict: none of "
                                                                 "its figures can be tested against another "
                                                                 "figure or an official statistic."),
        named=named) if silent else "")
    out = [f'<p class="hz-checks-summary">{esc(counts_sentence(rows) + note)}</p>', verdict_chart(rows)]
    for title, belongs in GROUPS:
        items = [_item(app, docname, doc, r, where, uri) for doc, r, where in rows if belongs(r)]
        slug = title.lower().replace(" ", "-")      # the same anchor in both editions
        count = f"（{len(items)}）" if chinese() else f" ({len(items)})"
        out.append(f'<section class="hz-findings" id="{slug}"><h2>{esc(_(title))}{count}</h2>'
                   f'<ul>{"".join(items) or "<li>" + _("None.") + "</li>"}</ul></section>')
    return "\n".join(out)


def render_key_findings(app, docname: str, uri) -> str:
    """The first screen of the book: the claims that fail, then what official statistics confirm,
    then what stays open; five at most."""
    rows = all_verdicts(app.env)
    order = [belongs for _, belongs in GROUPS[:3]]
    chosen = [x for belongs in order for x in rows if belongs(x[1])][:5]
    items = "".join(_item(app, docname, doc, r, where, uri) for doc, r, where in chosen)
    return f'<div class="hz-findings hz-key-findings"><ul>{items}</ul></div>'


def render_in_short(app, docname: str, doctree) -> str:
    chosen = in_short([r for r, _ in marks(app.env, docname, doctree)])
    if not chosen:
        logger.warning("a chapter with an In short box records no finding", location=docname)
    items = "".join(
        f'<li class="hz-{r["verdict"] or "note"}">{esc(r["finding"])}'
        + (f' <a href="#{r["anchor"]}">({esc(r["phrase"])})</a>' if r["anchor"] else "") + "</li>"
        for r in chosen)
    return (f'<aside class="hz-in-short" aria-label="{_("In short")}"><p class="hz-in-short-title">{_("In short")}</p>'
            f"<ul>{items}</ul></aside>")


def render_checks(app, docname: str, uri) -> str:
    env = app.env
    rows = [(doc, r, where) for doc in chapter_docs(env) for r, where in marks(env, doc) if r["kind"] != "note"]
    verdicts = [x for x in rows if x[1]["kind"] != "internal"]
    body = "".join(
        f'<tr class="hz-{r["verdict"]}"><td>{esc(env.titles[doc].astext())}</td><td>{_(r["kind"])}</td>'
        f'<td>{esc(r["name"])}</td><td class="hz-verdict">{esc(r["phrase"])}</td>'
        f'<td><a href="{esc(uri(app, docname, doc, r["anchor"]))}">{esc(where)}</a></td></tr>'
        for doc, r, where in rows)
    return (f'<p class="hz-checks-summary">{esc(counts_sentence(verdicts))}</p>'
            f'<table class="table hz-checks-index"><caption>{_("Every check in the book")}</caption>'
            + table_head(N_("chapter"), N_("kind"), N_("check"), N_("verdict"), N_("where it is made")) + f"<tbody>{body}</tbody></table>")


def table_head(*columns: str) -> str:
    return "<thead><tr>" + "".join(f'<th scope="col">{esc(_(c))}</th>' for c in columns) + "</tr></thead>"


def render_rules(app, docname: str, uri) -> str:
    rules = [
        ("claim", N_("the claim holds for every value the printed figures allow"), "holds"),
        ("claim", N_("the claim fails for every value the printed figures allow"), "fails"),
        ("claim", N_("it holds for some values and not for others; the share of the derived range for which it "
                  "holds is given when the range is bounded"), "undecidable"),
        ("agreement", N_("the two ranges share at least one value: the estimates may be of one quantity"), "agree"),
        ("agreement", N_("the two ranges share no value"), "disagree"),
        ("internal", N_("an identity, or a test of the book's own coding of the data: it must hold for every "
                     "value, or the chapter stops; never counted as a verdict"), "passes"),
    ]
    body = "".join(f"<tr><td>{_(k)}</td><td>{esc(_(w))}</td><td class=\"hz-verdict hz-{o}\">{SYMBOL[o]} {_(o)}</td>"
                   "</tr>" for k, w, o in rules)
    readings = [
        _("A decimal is good to half its last digit; a whole number of percent or money to half a unit; a count "
          "of zones or firms is exact."),
        translated("<b>约</b> (about) widens that by ±{about}.", about=f"{ABOUT_TOLERANCE:.0%}"),
        translated("<b>近</b> (nearly) means at most the printed value and no more than {nearly} below it.",
                   nearly=f"{NEARLY_TOLERANCE:.0%}"),
        _("<b>超过</b>, <b>以上</b>, <b>多</b> (over, above, more than) set a lower bound only."),
    ]
    return ("<ul>" + "".join(f"<li>{r}</li>" for r in readings) + '</ul><table class="table hz-checks-index">'
            + table_head(N_("kind of check"), N_("when"), N_("verdict")) + f"<tbody>{body}</tbody></table>")
