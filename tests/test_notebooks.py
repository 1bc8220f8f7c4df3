"""Every chapter's stored outputs are what its code produces now, by nbval's rules: what a reader
sees in the notebook they download, or in JupyterLab before running it, is what the book shows.

The code runs once per session, in the English build (`hizones.build.execute`: in the chapter's
folder, in book mode, as myst-nb would); each cell's outputs are then compared with the stored
ones by nbval itself: its collector (so its ``NBVAL_*`` markers and tags), its sanitising, its
comparison and its diff. ``pytest --nbval chapters/`` re-runs the chapters cell by cell in a
kernel of its own, for the same verdict at the cost of executing them again."""
import pytest

from hizones.build.execute import executed

from .conftest import ROOT, toc_pages

CHAPTERS = [p for p in toc_pages() if p.startswith("chapters/")]


def differences(request, path, ran) -> list[str]:
    """nbval's verdict on each code cell of the notebook at ``path``, given the outputs of the
    executed notebook ``ran``: what differs, cell by cell (empty if nothing does)."""
    from nbval.plugin import IPyNbFile, coalesce_streams

    stored = list(IPyNbFile.from_parent(request.session, path=path).collect())
    code = [c for c in ran.cells if c.cell_type == "code"]
    assert len(code) == len(stored), f"{path.name}: {len(code)} code cells executed, {len(stored)} stored"
    found = []
    for cell, run in zip(stored, code):
        if cell.options["skip"]:
            continue
        outputs = coalesce_streams(run.outputs)
        errors = [o for o in outputs if o.output_type == "error"]
        unrun = cell.cell.execution_count is None
        if errors and not cell.options["check_exception"]:
            found.append(f"Cell {cell.cell_num}: execution raised {errors[0].ename}: {errors[0].evalue}")
        elif unrun and cell.cell.outputs:
            found.append(f"Cell {cell.cell_num}: unrun reference cell has outputs")
        elif cell.options["check"] and not unrun and not cell.compare_outputs(
                outputs, coalesce_streams(cell.cell.outputs)):
            found.append(f"Cell {cell.cell_num}: outputs differ\n" + "\n".join(cell.comparison_traceback))
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stored_outputs_are_what_the_code_produces(chapter, built_book, request):
    path = ROOT / f"{chapter}.ipynb"
    found = differences(request, path, executed(path, built_book.parent / ".jupyter_cache"))
    assert not found, f"{chapter}.ipynb (run `make execute` if the change is meant):\n" + "\n\n".join(found)


def test_a_changed_output_is_found(built_book, request, tmp_path):
    """The comparison can fail: a figure changed in a stored output, a stored output dropped and
    an error in an executed cell are each reported with their cell."""
    import copy

    import nbformat

    chapter = ROOT / f"{CHAPTERS[0]}.ipynb"
    ran = executed(chapter, built_book.parent / ".jupyter_cache")
    nb = nbformat.read(chapter, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.outputs]
    text = next(i for i in code if any("text/plain" in o.get("data", {}) or o.get("text") for o in nb.cells[i].outputs))
    out = next(o for o in nb.cells[text].outputs if "text/plain" in o.get("data", {}) or o.get("text"))
    if "text" in out:
        out["text"] = out["text"] + " 42"
    else:
        out["data"]["text/plain"] = out["data"]["text/plain"] + " 42"
    dropped = next(i for i in code if i != text)
    nb.cells[dropped].outputs = []
    broken = copy.deepcopy(ran)
    last = [c for c in broken.cells if c.cell_type == "code"][-1]
    last.outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[])]
    stored = tmp_path / chapter.name
    nbformat.write(nb, stored)
    found = differences(request, stored, broken)
    number = {i: n for n, i in enumerate(i for i, c in enumerate(nb.cells) if c.cell_type == "code")}
    assert any(f.startswith(f"Cell {number[text]}: outputs differ") and "42" in f for f in found), found
    assert any(f.startswith(f"Cell {number[dropped]}: outputs differ") for f in found), found
    assert any("raised ValueError: bad" in f for f in found), found
