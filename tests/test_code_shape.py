"""The code keeps a shape one engineer can read: no module over 500 lines, no function over 60,
no service entry point with more than five parameters (what a use case needs travels in its
request dataclass or the WriteContext), and no import cycle between modules (import-linter's
contracts keep the layers; this finds any cycle, in any package, that a contract does not
name).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_SERVICE_PARAMETERS = 5


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


def _service_modules() -> list[Path]:
    """Every module of a services package or module: nir/<app>/services.py and
    nir/<app>/services/**."""
    return [
        p
        for p in _modules()
        if p.relative_to(SRC / "nir").parts[1:2] in (("services.py",), ("services",))
    ]


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    starred = [a for a in (args.vararg, args.kwarg) if a is not None]
    return len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs) + len(starred)


def _wide_functions(source: str) -> set[str]:
    """The module's public functions with more than five parameters."""
    return {
        node.name
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and _parameters(node) > MAX_SERVICE_PARAMETERS
    }


def test_no_service_entry_point_takes_more_than_five_parameters():
    wide = {
        f"{_name(path)}:{name}"
        for path in _service_modules()
        for name in _wide_functions(path.read_text(encoding="utf-8"))
    }
    assert wide == set()


def test_the_service_modules_are_the_register_services_and_support():
    names = {_name(p) for p in _service_modules()}
    assert "nir/support/services.py" in names
    assert "nir/register/services/participations.py" in names
    assert "nir/register/services/upsert/upsert.py" in names
    assert "nir/register/selectors.py" not in names


def test_a_sixth_parameter_is_found():
    source = (
        "def register(*, actor, participation_id, a, b, expected_version=None, at=None): ...\n"
        "def _private(a, b, c, d, e, f): ...\n"
        "def five(actor, /, a, *rest, at=None, **more): ...\n"
    )
    assert _wide_functions(source) == {"register"}


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
