"""What the code shows, in the edition's language (`hizones.sources.i18n`): a chart's spec and a
table's labels and cells are translated as they are shown, so a chapter is written once, in
English, and executes into either edition.

A chart's text is its titles (chart, axes, legends, tooltips), its descriptions and the values of
its data that it shows as categories; the same translation is applied to the data, to the lists
that order or colour them (``sort``, ``domain``, legend ``values``) and to the string literals of
its expressions (``datum.kind == 'derived'``), so the chart stays what it was. Field names are
never translated: an encoding that has no title of its own is given its field's name, translated.
"""
from __future__ import annotations

import re
from contextvars import ContextVar

from ..sources.i18n import _, chinese, recording

#: Keys whose string value is text a reader sees.
TEXT = {"title", "subtitle", "description", "text"}
#: Keys whose value is a list of data values (kept in step with the data).
VALUES = {"domain", "sort", "values"}
#: Keys whose value is an expression: its quoted literals are data values.
EXPRESSIONS = {"test", "filter", "calculate", "expr", "labelExpr"}
QUOTED = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")
#: Encoding channels whose definitions a reader sees named (axis, legend or tooltip titles).
#: Whether the chart being translated is a single view (its axes take their fields' names).
SINGLE: ContextVar[bool] = ContextVar("single", default=True)
CHANNELS = {"x", "y", "x2", "y2", "color", "fill", "stroke", "size", "shape", "opacity", "fillOpacity",
            "column", "row", "facet", "theta", "radius", "tooltip", "text"}


def _expression(expr: str) -> str:
    return QUOTED.sub(lambda m: f"'{_(m.group(1))}'" if m.group(1) is not None else f'"{_(m.group(2))}"',
                      expr)


def _channel(defn, named: bool):
    """A channel's definition translated; where a reader would see its field's name (a tooltip
    line; an axis or legend of a single view: in a layered chart Vega-Lite merges the layers'
    titles, and an implicit one gives way to an explicit one), that name, translated."""
    if isinstance(defn, list):
        return [_channel(d, named) for d in defn]
    if isinstance(defn, dict):
        out = _walk(defn, "")
        field = defn.get("field")
        if named and isinstance(field, str) and "title" not in defn and "value" not in defn:
            out["title"] = _(field)
        return out
    return defn


def _walk(node, key: str):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "encoding" and isinstance(v, dict):
                out[k] = {c: _channel(d, c == "tooltip" or (SINGLE.get() and c not in ("x2", "y2")))
                          if c in CHANNELS else _walk(d, c) for c, d in v.items()}
            elif k == "datasets" and isinstance(v, dict):
                out[k] = {name: [_row(r) for r in rows] for name, rows in v.items()}
            elif k == "values" and isinstance(v, list) and v and isinstance(v[0], dict):
                out[k] = [_row(r) for r in v]        # inline data
            elif k in ("field", "type", "aggregate", "timeUnit", "name", "as", "groupby", "fields"):
                out[k] = v
            else:
                out[k] = _walk(v, k)
        return out
    if isinstance(node, list):
        if key in VALUES or key in TEXT:
            return [_(x) if isinstance(x, str) else _walk(x, key) for x in node]
        return [_walk(x, key) for x in node]
    if isinstance(node, str):
        if key in TEXT:
            return _(node)
        if key in EXPRESSIONS:
            return _expression(node)
    return node


def _row(row: dict) -> dict:
    return {k: _(v) if isinstance(v, str) else v for k, v in row.items()}


#: What `hizones.analysis.charts.titled` has already put in the edition's language.
TITLED = ("title", "description", "usermeta")


def chart_spec(spec: dict) -> dict:
    """``spec`` with every text a reader sees in the edition's language."""
    if not chinese() and not recording():
        return spec
    SINGLE.set(not any(k in spec for k in ("layer", "concat", "hconcat", "vconcat", "facet", "repeat")))
    out = {k: v if k in TITLED else _walk({k: v}, "")[k] for k, v in spec.items()}
    return out if chinese() else spec


def keys(mapping: dict | None) -> dict:
    """A column → setting mapping for a translated frame."""
    return {(_(k) if isinstance(k, str) else k): v for k, v in (mapping or {}).items()}


def outcome(text: str) -> str:
    """The outcome (``holds`` …) whose word, in the edition's language, begins ``text``."""
    from .verdicts import OUTCOMES

    words = {_(o): o for kind in OUTCOMES.values() for o in kind}
    return next((o for w, o in words.items() if str(text).startswith(w)), "")


def frame(df):
    """A copy of ``df`` for display: column names, row labels and text cells translated."""
    if not chinese() and not recording():
        return df
    out = df.copy()
    names = [_(c) if isinstance(c, str) else c for c in out.columns]
    # two columns may translate alike (指标 for "indicator_zh" and "indicator"): keep them apart
    out.columns = [f"{n}（{c}）" if names.count(n) > 1 and n != c else n for n, c in zip(names, df.columns)]
    out.index = out.index.map(lambda i: _(i) if isinstance(i, str) else i)
    if isinstance(out.index.name, str):
        out.index.name = _(out.index.name)
    for i in range(out.shape[1]):
        if out.iloc[:, i].dtype == object:
            out.iloc[:, i] = [_(x) if isinstance(x, str) else x for x in out.iloc[:, i]]
    return out if chinese() else df
