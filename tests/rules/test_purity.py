"""The rules package never reads the clock: time comes in as an argument."""

import ast
from pathlib import Path

import nir.rules

RULES_DIR = Path(nir.rules.__file__).parent
CLOCK_CALLS = {"today", "now", "utcnow", "time", "monotonic", "perf_counter"}


def test_no_module_of_the_rules_package_calls_the_clock():
    offenders = []
    for path in sorted(RULES_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLOCK_CALLS
            ):
                offenders.append(f"{path.relative_to(RULES_DIR)}:{node.lineno} .{node.func.attr}()")
    assert offenders == []
