"""The table `make bench` prints (and writes to ``_build/bench/bench.txt``), from the results
that go to ``_build/bench/bench.json``: each figure against its target."""
from __future__ import annotations

from pathlib import Path

KB = 1000

TARGETS = {
    "clean_ratio": 1.0,          # clean build no slower than the bare baseline
    "nochange_of_clean": 0.3,    # rebuild with nothing changed, as a share of the clean build
    "page_own_kb": 150,          # a chapter page's HTML (its charts' SVG included) + assets only it loads, raw
    "visible_ms": 300,           # every chart visible, from navigation start, first visit
    "interactive_ms": 1000,      # every chart live (hydrated), from navigation start, first visit
    "test_s": 180,               # make test
    "pdf_of_before": 0.7,        # make pdf, as a share of PDF_BEFORE_S
}
#: `make pdf` before charts were drawn at build time (it waited for every chart to draw in the
#: browser): 17 s, the README's Performance section, last full run of 29 Nov 2026 (2 cores).
PDF_BEFORE_S = 17.0


def fmt_s(x):
    return "—" if x is None else f"{x:.1f} s"


def f0(x):
    return "—" if x is None else f"{x:.0f}"


def status(ok, missed: str) -> str:
    if ok is None:
        return "n/a"
    return "met" if ok else f"MISSED by {missed}"


def spread(xs: list, unit: str) -> str:
    """The range of a figure over the chapters ("—" where none was measured)."""
    xs = [x for x in xs if x is not None]
    if not xs:
        return "—"
    lo, hi = f0(min(xs)), f0(max(xs))
    return f"{lo} {unit}" if lo == hi else f"{lo}–{hi} {unit}"


def under(x, target: float) -> str:
    return "n/a (not measured)" if x is None else status(x <= target, f"{x - target:.0f} ms")


def against(xs: list, target: float, unit: str) -> str:
    """Every chapter's figure against an upper limit; a chapter with no figure counts as missed."""
    over = [x - target for x in xs if x is not None and x > target]
    missing = sum(x is None for x in xs)
    if not xs or (not over and not missing):
        return "met" if xs else "n/a"
    what = spread(over, unit) if over else ""
    return (f"MISSED on {len(over) + missing} of {len(xs)}" + (f", by {what}" if what else "")
            + (f"; {missing} not measured" if missing else ""))


def table(rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


# ----- the main table ---------------------------------------------------------------------------------
def build_rows(o: dict, b: dict, rows: list, notes: list) -> None:
    """Clean build, rebuild with nothing changed, rebuild after an edit: ours against the baseline."""
    def build_row(label, key, target_text, ok, missed):
        ow, bw = o[key]["wall"], b[key]["wall"]
        rows.append([label, f"{fmt_s(ow)} (cpu {o[key]['cpu']:.1f})", f"{fmt_s(bw)} (cpu {b[key]['cpu']:.1f})",
                     f"{ow / bw:.2f}" if ow and bw else "—", target_text, status(ok, missed)])

    ratio = o["clean"]["wall"] / b["clean"]["wall"]
    build_row("clean build (cache emptied)", "clean", "ratio ≤ 1.0", ratio <= TARGETS["clean_ratio"],
              f"{ratio - 1:.2f} ({o['clean']['wall'] - b['clean']['wall']:.1f} s)")
    share = o["nochange"]["wall"] / o["clean"]["wall"]
    build_row("rebuild, nothing changed", "nochange", f"≤ 0.3 × clean (is {share:.2f})",
              share <= TARGETS["nochange_of_clean"], f"{share - 0.3:.2f} of clean")
    checks = o["edit_checks"]
    one = all(c["only_the_edited_one"] and c["executed_by_jupyter_book"] == 0 for c in checks)
    build_row(f"rebuild after editing {Path(o['edited']).name}", "edit",
              "only that chapter re-executed", one,
              "; ".join(f"{len(c['newly_cached'])} newly cached, {c['executed_by_jupyter_book']} by jupyter-book"
                        for c in checks))
    notes.append("rebuild after an edit: " + ("verified in every run that jupyter-cache gained exactly the edited "
                 "notebook and jupyter-book executed none" if one else "NOT only the edited notebook: see edit_checks "
                 "in bench.json"))
    if any(o[k]["rc"] for k in ("clean", "nochange", "edit")) or any(b[k]["rc"] for k in ("clean", "nochange", "edit")):
        notes.append("a build exited non-zero: see _build/bench/logs")


def target_rows(res: dict, rows: list, notes: list) -> None:
    """make test, make pdf, and the growth line."""
    t = res.get("make_test")
    if t and t.get("available"):
        rows.append(["make test", fmt_s(t["wall"]) + f" (cpu {t['cpu']:.1f})", "—", "—", "< 180 s",
                     status(t["wall"] < TARGETS["test_s"], f"{t['wall'] - 180:.0f} s")])
        notes.append(f"make test {'TIMED OUT, ' if t.get('timed_out') else ''}exit {t['rc']}: {t.get('summary', '')}; slowest: "
                     + "; ".join(t.get("slowest", [])[:5]))
    elif t is not None:
        rows.append(["make test", "not available", "—", "—", "< 180 s", t.get("why", "")])
    pdf = res.get("make_pdf")
    limit = TARGETS["pdf_of_before"] * PDF_BEFORE_S
    target = f"≤ {TARGETS['pdf_of_before']} × before ({PDF_BEFORE_S:.0f} s) = {limit:.1f} s"
    if pdf and pdf.get("available"):
        ok = None if pdf["rc"] or pdf.get("timed_out") else pdf["wall"] <= limit
        rows.append(["make pdf (after make book: chapters cached)",
                     fmt_s(pdf["wall"]) + f" (cpu {pdf['cpu']:.1f})" + ("" if pdf["rc"] == 0 else f" exit {pdf['rc']}"),
                     "—", "—", target + f"; is {pdf['wall'] / PDF_BEFORE_S:.2f} × before",
                     status(ok, f"{pdf['wall'] - limit:.1f} s") if ok is not None else "n/a (did not finish)"])
    elif pdf is not None:
        rows.append(["make pdf", "not available", "—", "—", target, pdf.get("why", "")[:60]])
    sc = res.get("scaling")
    if sc:
        so, sb = sc["ours"]["slope"], sc["baseline"]["slope"]
        rows.append(["build time per added notebook (slope)", fmt_s(so), fmt_s(sb),
                     f"{so / sb:.1f}" if so and sb else "—", "(none)",
                     "points " + ", ".join(f"{p['notebooks']}:{p['wall']:.1f}/{q['wall']:.1f}"
                                           for p, q in zip(sc["ours"]["points"], sc["baseline"]["points"]))])


# ----- chapters ---------------------------------------------------------------------------------------
def chapter_lines(chapters: list[dict], par: dict) -> list[str]:
    crow = [["chapter", "kernel start", "first cell", "all cells", "in clean build*", "imports alone",
             "largest imports (cumulative)", "heavy packages loaded"]]
    for c in chapters:
        top = ", ".join(f"{k} {v:.2f}" for k, v in list(c["import_by_package"].items())[:3])
        p = par.get(c["chapter"])
        crow.append([c["chapter"], f"{c['kernel_start']:.2f}", f"{c['first_cell']:.2f}", f"{c['cells']:.2f}",
                     "—" if p is None else f"{p:.2f}", f"{c['import_seconds']:.2f}", top,
                     ", ".join(c["heavy_loaded"])])
    return ["", "Chapters, each executed alone (median): seconds", table(crow),
            "* kernel start to shutdown, as the pre-executor timed it with the other notebooks running "
            "beside it (median of the clean builds)"]


# ----- pages ------------------------------------------------------------------------------------------
def page_rows(br: dict, chapter_pages: list[str], rows: list) -> None:
    """The chapter pages' figures in the main table, over all chapters, beside the bare book's page."""
    bare, ch = br.get("bare") or {}, [br["charts"][p] for p in chapter_pages if p in br["charts"]]
    kb = [br["pages"][p]["total_own_raw"] / KB for p in chapter_pages if p in br["pages"]]
    gz = [br["pages"][p]["total_own_gzip"] / KB for p in chapter_pages if p in br["pages"]]
    un = br["unused"]

    def row(label, key, bare_key, target=None):
        xs = [c[key] for c in ch if c["charts"] or not key.startswith("interactive")]
        rows.append([label, spread(xs, "ms"), f0(bare.get(bare_key)) + " ms" if bare.get(bare_key) else "—", "",
                     f"≤ {target:,} ms" if target else "(none)", against(xs, target, "ms") if target else "measured"])

    rows.append(["chapter page weight (HTML with its charts' SVG + own assets)",
                 spread(kb, "KB raw") + ", " + spread(gz, "KB gzip"),
                 f"{bare['html_raw'] / KB:.0f} KB raw" if bare else "—", "", "≤ 150 KB raw",
                 against(kb, TARGETS["page_own_kb"], "KB")])
    row("every chart visible, first visit*", "visible_cold_ms", "visible_cold_ms", TARGETS["visible_ms"])
    row("every chart visible, later visit*", "visible_warm_ms", "visible_warm_ms")
    row("every chart interactive, first visit**", "interactive_cold_ms", None, TARGETS["interactive_ms"])
    row("every chart interactive, later visit**", "interactive_warm_ms", None)
    row("DOMContentLoaded, first visit", "dom_content_loaded_ms", "dom_content_loaded_ms")
    rows.append(["files in the site no page loads", f"{un['files']} files, {un['raw'] / KB:.0f} KB", "—", "", "none",
                 "met" if not un["files"] else "MISSED"])


def weight_lines(br: dict, chapter_pages: list[str]) -> list[str]:
    prow = [["page", "HTML raw", "HTML gzip", "own assets raw", "own total raw", "own total gzip",
             "of which chart SVGs / specs / code inputs", "target (chapters)"]]
    for page, w in br["pages"].items():
        kb, bd = w["total_own_raw"] / KB, w["breakdown"]
        prow.append([page, f"{w['html_raw'] / KB:.0f}", f"{w['html_gzip'] / KB:.0f}", f"{w['own_raw'] / KB:.0f}",
                     f"{kb:.0f}", f"{w['total_own_gzip'] / KB:.0f}",
                     " / ".join(f"{bd.get(k, 0) / KB:.0f}" for k in ("chart_svgs", "chart_specs", "code_inputs")),
                     status(kb <= TARGETS["page_own_kb"], f"{kb - 150:.0f} KB") if page in chapter_pages else ""])
    return ["", "Pages: own weight = HTML (charts' SVG included) + assets only that page loads (KB = 1000 bytes)",
            table(prow)]


def asset_lines(br: dict) -> list[str]:
    """Shared assets, the chart library's trips over the wire, unused files, requests elsewhere."""
    sh, cl, un = br["shared"], br["chart_library"], br["unused"]
    once = cl["full_downloads"] <= 1 and cl["same_url_on_every_page"]
    lines = [
        f"shared assets, once: {sh['files']} files, {sh['raw'] / KB:.0f} KB raw, {sh['gzip'] / KB:.0f} KB gzip; "
        "largest: " + ", ".join(f"{Path(a).name} {n / KB:.0f} KB" for a, n in sh["largest"][:4]),
        f"chart library {', '.join(Path(f).name for f in cl['files'])} ({cl['raw'] / KB:.0f} KB raw, "
        f"{cl['gzip'] / KB:.0f} KB gzip): visiting {cl['pages_visited']} chapters in one browser, "
        f"downloaded {cl['full_downloads']}×, revalidated (304) {cl['revalidations_304']}×, "
        f"from cache {cl['from_cache_without_request']}× — target once per visit and cacheable: "
        f"{'met' if once else 'MISSED'}",
        f"files no page loads or links to: {un['files']} ({un['raw'] / KB:.0f} KB) — target none: "
        + ("met" if not un["files"] else "MISSED: " + ", ".join(f"{g} {n} files {s / KB:.0f} KB"
                                                                 for g, n, s in un["groups"][:6]))]
    if br["outside_requests"]:
        lines.append(f"requests to anywhere but 127.0.0.1 (aborted): {len(br['outside_requests'])}")
    return lines


CHART_NOTES = [
    ("* visible: max(first contentful paint, every .hz-chart holding its svg), window 1280×720; first visit = "
     "new browser context (nothing cached), later = the same page again; the bare book's page has no chart"),
    ("** interactive: every .hz-chart has data-hz-state=\"live\", window 1280×30000 so that every chart hydrates "
     "without scrolling (such a window paints slower: its first contentful paint is in the chart table)")]


def chart_lines(br: dict) -> list[str]:
    """Each chapter: visible and interactive, cold and warm, and where the cold loads' time went."""
    rrow = [["page", "charts", "visible cold / warm", "interactive cold / warm", "cold: FCP / DOMContentLoaded",
             "cold, tall: FCP / library in", "cold: KB fetched", "load avg", "visible ≤ 300",
             "interactive ≤ 1,000"]]
    for page, r in br["charts"].items():
        nl = r["not_live"]
        rrow.append([page, r["charts"], f"{f0(r['visible_cold_ms'])} / {f0(r['visible_warm_ms'])}",
                     f"{f0(r['interactive_cold_ms'])} / {f0(r['interactive_warm_ms'])}"
                     + (f" ({nl['runs_not_all_live']} runs not all live: {nl['static']} static, "
                        f"{nl['out_of_reach']} out of reach)" if nl["runs_not_all_live"] else ""),
                     f"{f0(r['fcp_ms'])} / {f0(r['dom_content_loaded_ms'])}",
                     f"{f0(r['tall_fcp_ms'])} / {f0(r['library_loaded_ms'])}", f0(r["transfer_kb"]),
                     r.get("load", "—"), under(r["visible_cold_ms"], TARGETS["visible_ms"]),
                     under(r["interactive_cold_ms"], TARGETS["interactive_ms"]) if r["charts"] else "(no chart)"])
    bare = br.get("bare")
    if bare:
        rrow.append([f"bare book: {bare['page']}", 0, f"{f0(bare['visible_cold_ms'])} / {f0(bare['visible_warm_ms'])}",
                     "—", f"{f0(bare['visible_cold_ms'])} / {f0(bare['dom_content_loaded_ms'])}", "—", "—",
                     bare.get("load", "—"), "", ""])
    return ["", "Charts, ms from navigation start, headless Chromium, median of the runs", table(rrow), *CHART_NOTES]


def report(res: dict) -> str:
    o, b = res["builds"]["ours"], res["builds"]["baseline"]
    lines = [f"make bench: {res['machine']['cores']} cores, load average {res['machine']['load_start']} at start, "
             f"{res['runs']} run(s) per build figure (median), {res['notebooks']} notebooks "
             f"(baseline: {res['notebooks']} notebooks that print a number)", ""]
    rows = [["figure", "ours", "baseline", "ratio", "target", "status"]]
    notes: list[str] = []
    build_rows(o, b, rows, notes)
    target_rows(res, rows, notes)
    br = res.get("browser")
    if br and br.get("available"):
        page_rows(br, res["chapter_pages"], rows)
        notes += CHART_NOTES
    lines.append(table(rows))
    lines += [f"- {n}" for n in notes]
    if res.get("chapters"):
        lines += chapter_lines(res["chapters"], o.get("notebook_seconds_in_clean_build", {}))
    if br and br.get("available"):
        lines += weight_lines(br, res["chapter_pages"]) + asset_lines(br) + chart_lines(br)
    elif br is not None:
        lines += ["", f"browser figures: not available ({br.get('why')})"]
    return "\n".join(lines)
