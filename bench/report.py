"""The table `make bench` prints (and writes to ``_build/bench/bench.txt``), from the results
that go to ``_build/bench/bench.json``: each figure against its target."""
from __future__ import annotations

from pathlib import Path

KB = 1000

TARGETS = {
    "clean_ratio": 1.0,          # clean build no slower than the bare baseline
    "nochange_of_clean": 0.3,    # rebuild with nothing changed, as a share of the clean build
    "page_own_kb": 150,          # a chapter page's HTML plus the assets only it loads, raw
    "render_ms": 500,            # every chart drawn, from navigation start
    "test_s": 180,               # make test
}


def fmt_s(x):
    return "—" if x is None else f"{x:.1f} s"


def f0(x):
    return "—" if x is None else f"{x:.0f}"


def status(ok, missed: str) -> str:
    if ok is None:
        return "n/a"
    return "met" if ok else f"MISSED by {missed}"


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
    if pdf and pdf.get("available"):
        rows.append(["make pdf (after make book: chapters cached)",
                     fmt_s(pdf["wall"]) + f" (cpu {pdf['cpu']:.1f})" + ("" if pdf["rc"] == 0 else f" exit {pdf['rc']}"),
                     "—", "—", "(none)", "measured"])
    elif pdf is not None:
        rows.append(["make pdf", "not available", "—", "—", "(none)", pdf.get("why", "")[:60]])
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
def weight_lines(br: dict, chapter_pages: list[str]) -> list[str]:
    prow = [["page", "HTML raw", "HTML gzip", "own assets raw", "own total raw", "own total gzip",
             "of which chart specs / code inputs", "target (chapters)"]]
    for page, w in br["pages"].items():
        kb = w["total_own_raw"] / KB
        prow.append([page, f"{w['html_raw'] / KB:.0f}", f"{w['html_gzip'] / KB:.0f}", f"{w['own_raw'] / KB:.0f}",
                     f"{kb:.0f}", f"{w['total_own_gzip'] / KB:.0f}",
                     f"{w['breakdown']['chart_specs'] / KB:.0f} / {w['breakdown']['code_inputs'] / KB:.0f}",
                     status(kb <= TARGETS["page_own_kb"], f"{kb - 150:.0f} KB") if page in chapter_pages else ""])
    return ["", "Pages: own weight = HTML + assets only that page loads (KB = 1000 bytes)", table(prow)]


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


def render_lines(br: dict) -> list[str]:
    rrow = [["page", "charts", "cold (nothing cached)", "warm (second visit)", "cold: DOMContentLoaded",
             "cold: chart library in", "cold: KB fetched", "target ≤ 500 ms"]]
    for page, r in br["render"].items():
        worst = r["cold_ms"]
        rrow.append([page, r["charts"], f0(r["cold_ms"]), f0(r["warm_ms"]), f0(r.get("dom_content_loaded_ms")),
                     f0(r.get("library_loaded_ms")), f0(r.get("transfer_kb")),
                     status(worst <= TARGETS["render_ms"], f"{worst - 500:.0f} ms")])
    return ["", "Charts drawn (every .hz-chart has its svg), ms from navigation start, headless Chromium", table(rrow)]


def report(res: dict) -> str:
    o, b = res["builds"]["ours"], res["builds"]["baseline"]
    lines = [f"make bench: {res['machine']['cores']} cores, load average {res['machine']['load_start']} at start, "
             f"{res['runs']} run(s) per build figure (median), {res['notebooks']} notebooks "
             f"(baseline: {res['notebooks']} notebooks that print a number)", ""]
    rows = [["figure", "ours", "baseline", "ratio", "target", "status"]]
    notes: list[str] = []
    build_rows(o, b, rows, notes)
    target_rows(res, rows, notes)
    lines.append(table(rows))
    lines += [f"- {n}" for n in notes]
    if res.get("chapters"):
        lines += chapter_lines(res["chapters"], o.get("notebook_seconds_in_clean_build", {}))
    br = res.get("browser")
    if br and br.get("available"):
        lines += weight_lines(br, res["chapter_pages"]) + asset_lines(br) + render_lines(br)
    elif br is not None:
        lines += ["", f"browser figures: not available ({br.get('why')})"]
    return "\n".join(lines)
