"""The code keeps a shape one engineer can read: no module over 500 lines, no function over 60,
and no import cycle between modules (import-linter's contracts keep the layers; this finds
any cycle, in any package, that a contract does not name).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(
        p for p in (SRC / "nir").rglob("*.py") if "migrations" not in p.relative_to(SRC).parts
    )


def _name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _long_modules() -> set[str]:
    return {
        _name(p)
        for p in _modules()
        if len(p.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES
    }


def _long_functions() -> set[str]:
    found = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    found.add(f"{_name(path)}:{node.name}")
    return found


def test_no_module_is_longer_than_500_lines():
    assert _long_modules() == set()


def test_no_function_is_longer_than_60_lines():
    assert _long_functions() == set()


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module: a module with those it
    imports, directly or not, that also import it."""
    components = set()
    for module in graph.modules:
        around = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if around:
            components.add(frozenset({module, *around}))
    return sorted(sorted(c) for c in components)


def test_no_two_modules_import_each_other_even_through_others():
    assert _cycles(grimp.build_graph("nir")) == []


def test_the_cycle_finder_finds_a_cycle_through_a_third_module():
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "d")]:
        graph.add_import(importer=importer, imported=imported)
    assert _cycles(graph) == [["a", "b", "c"]]
