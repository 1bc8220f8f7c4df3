"""The package's layout: three layers whose imports run one way (build → analysis → sources),
no import cycle (function-level imports included), no private name used outside its module,
and modules and functions small enough to read."""
import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "hizones"
#: Lower layers may not import higher ones; the package's own namespace (hizones, its command
#: line) sits on top.
LAYERS = {"hizones.sources": 0, "hizones.analysis": 1, "hizones.build": 2}
MAX_MODULE_LINES, MAX_FUNCTION_LINES, MAX_BENCH_LINES = 300, 60, 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    return next((n for prefix, n in LAYERS.items() if module == prefix or module.startswith(prefix + ".")), 3)


def resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of what ``from <node.module> import …`` imports from, in ``module``."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str) -> set[str]:
    """Every hizones module ``module`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            found |= {f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names}
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: imports(m) for m in MODULES}


def test_the_graph_sees_the_layers():
    """The test would pass on an empty graph: make sure it reads real imports."""
    assert "hizones.sources.validate" in GRAPH["hizones.analysis.figures"]
    assert "hizones.analysis.checks" in GRAPH["hizones.build.sphinx.findings"]
    assert {layer(m) for m in MODULES} == {0, 1, 2, 3}


def test_imports_run_one_way():
    upward = [f"{m} → {n}" for m, targets in GRAPH.items() for n in targets if layer(n) > layer(m)]
    assert not upward, upward


def test_no_import_cycle():
    state: dict[str, int] = {}

    def visit(m, path):
        if state.get(m) == 1:
            raise AssertionError("import cycle: " + " → ".join(path[path.index(m):] + [m]))
        if state.get(m) == 2:
            return
        state[m] = 1
        for n in sorted(GRAPH[m]):
            visit(n, path + [m])
        state[m] = 2

    for m in sorted(GRAPH):
        visit(m, [])


def test_no_private_name_is_used_outside_its_module():
    offenders = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and resolve(module, node).startswith("hizones"):
                for a in node.names:
                    # `_` alone is gettext's public name for "translate" (hizones.sources.i18n)
                    if a.name.startswith("_") and not a.name.startswith("__") and a.name != "_":
                        offenders.append(f"{module} imports {a.name}")
                    if f"{resolve(module, node)}.{a.name}" in MODULES:
                        aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.Import):
                aliases.update({(a.asname or a.name): a.name for a in node.names if a.name.startswith("hizones")})
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                offenders.append(f"{module} uses {node.value.id}.{node.attr}")
    assert not offenders, offenders


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_modules_and_functions_are_short(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines"
    long = {name: n for name, n in _functions(path) if n > MAX_FUNCTION_LINES}
    assert not long, long


def test_the_benchmark_is_split_by_what_it_measures():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "bench").glob("*.py")}
    assert len(sizes) > 2 and max(sizes.values()) < MAX_BENCH_LINES, sizes
