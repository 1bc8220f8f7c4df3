"""`make lab`: a chapter downloaded from the rendered book re-executes in JupyterLab, from the
same environment, and its charts render there with no network; a student's notebook reads there
without MyST (numbers in the prose, exercises as headings) and its self-checks run."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from contextlib import contextmanager

import pytest

from .conftest import SCREENSHOTS, record_outside


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(built_book, student_book, tmp_path_factory):
    """JupyterLab, as `make lab` starts it (HIZONES_OUTPUT unset), on a folder holding the
    economy chapter exactly as the book offers it for download (``book/``) and as the student
    edition does (``student/``)."""
    chapter = Path("_sources") / "chapters" / "01_economy.ipynb"
    with jupyterlab({"book": built_book / chapter, "student": student_book / chapter},
                    tmp_path_factory.mktemp("lab")) as base:
        yield base


@contextmanager
def jupyterlab(notebooks: dict[str, Path], tmp_path: Path):
    work = tmp_path / "downloads"
    for folder, notebook in notebooks.items():
        (work / folder).mkdir(parents=True)
        (work / folder / notebook.name).write_bytes(notebook.read_bytes())
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Draw every cell, not only those on screen, so every chart is in the page to be checked.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "HIZONES_OUTPUT"}
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "workspaces")   # no layout kept from another run
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         "--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True", *(["--allow-root"] if os.geteuid() == 0 else []),
         f"--ServerApp.root_dir={work}", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=open(tmp_path / "lab.log", "w"), stderr=subprocess.STDOUT)  # a pipe would fill and block it
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
            time.sleep(0.5)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def window(lab, browser):
    """One JupyterLab window for the module's tests, as a reader keeps one open: each test opens
    its notebook in it (`opened`). Requests outside the server and page errors are recorded."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside, errors = [], []
    record_outside(ctx, lab, outside)
    pg = ctx.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{lab}/lab/workspaces/hz", wait_until="load")
    pg.wait_for_function("() => !!window.jupyterapp", timeout=60_000)
    pg.evaluate("window.jupyterapp.restored.then(() => true)")
    yield pg, outside, errors
    ctx.close()


@contextmanager
def opened(pg, path: str):
    """The notebook at ``path`` open in the window, its kernel started; closed afterwards (its
    kernel shut down), unsaved changes dropped."""
    pg.evaluate("path => window.jupyterapp.commands.execute('docmanager:open', {path})"
                ".then(w => w.context.ready.then(() => w.sessionContext.ready)).then(() => true)", path)
    pg.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    try:
        yield
    finally:
        pg.evaluate("() => { const w = window.jupyterapp.shell.currentWidget;"
                    " return w.sessionContext.shutdown().then(() => { w.dispose(); return true; }); }")


def test_downloaded_chapter_reexecutes_in_jupyterlab_with_charts(lab, window, browser, tmp_path):
    """A reader's re-execution (no HIZONES_OUTPUT) draws every chart in JupyterLab with no
    network; saved, its outputs carry the chart library themselves (in the first chart only),
    so the charts also draw in a bare page with no book and no notebook around them."""
    pg, outside, errors = window
    with opened(pg, "book/01_economy.ipynb"):
        # The stored outputs are the book's (they load the chart library from the book's
        # _static): clear them, so everything seen afterwards comes from this re-execution.
        pg.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs').then(() => true)")
        assert pg.locator(".hz-chart").count() == 0
        # Started, not awaited: the charts appearing is what the test waits for.
        pg.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }")
        try:
            pg.wait_for_function(
                "() => document.querySelectorAll('.hz-chart').length >= 4 && "
                "[...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg.marks'))",
                timeout=120_000)
        finally:
            pg.screenshot(path=str(SCREENSHOTS / "jupyterlab.economy.png"))
            state = pg.evaluate("() => [document.querySelectorAll('.hz-chart').length, "
                                "document.querySelectorAll('.hz-chart svg.marks').length, "
                                "document.querySelectorAll('.jp-OutputArea-output').length]")
            print("charts, drawn, outputs:", state, "page errors:", errors)
        assert not pg.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        assert not pg.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").count()
        pg.evaluate("window.jupyterapp.commands.execute('docmanager:save').then(() => true)")
    saved = json.loads(urllib.request.urlopen(f"{lab}/api/contents/book/01_economy.ipynb").read())["content"]
    assert not outside, outside
    assert not [e for e in errors if "hz" in e or "vega" in e.lower()], errors
    html = [o["data"]["text/html"] for c in saved["cells"] if c["cell_type"] == "code"
            for o in c.get("outputs", []) if "hz-chart" in o.get("data", {}).get("text/html", "")]
    html = ["".join(h) if isinstance(h, list) else h for h in html]
    assert len(html) >= 3 and "window.vegaEmbed" in html[0] and "window.vegaEmbed=" not in html[1]
    page = tmp_path / "bare.html"
    page.write_text("<!doctype html><meta charset=utf-8><body>" + "\n".join(html), encoding="utf-8")
    ctx = browser.new_context()
    outside, errors = [], []
    record_outside(ctx, "file://", outside)
    bare = ctx.new_page()
    bare.on("pageerror", lambda e: errors.append(str(e)))
    bare.goto(page.as_uri())
    bare.wait_for_function("() => [...document.querySelectorAll('.hz-chart')].every(e => e.querySelector('svg'))",
                           timeout=15000)
    ctx.close()
    assert not errors and not outside, (errors, outside)


def test_a_student_notebook_reads_in_jupyterlab_and_checks_answers(window):
    pg, outside, _ = window
    with opened(pg, "student/01_economy.ipynb"):
        pg.wait_for_selector(".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown", timeout=60_000)
        pg.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }")
        pg.wait_for_function("() => document.querySelectorAll('.hz-self-check').length >= 4", timeout=120_000)
        text = pg.inner_text(".jp-Notebook")
        pg.screenshot(path=str(SCREENSHOTS / "jupyterlab.student.png"))
        checks = pg.eval_on_selector_all(".hz-self-check", "els => els.map(e => e.textContent)")
    for left in ("{glue", "{exercise", "{solution", "{cite", "{hz-"):
        assert left not in text, left
    assert "Exercise ex-eco-1" in text and "12.33万亿元" in text
    # every check ran, and with no answer given each says what form the answer takes
    assert checks and all("no answer yet" in c for c in checks), checks
    assert not outside, outside
