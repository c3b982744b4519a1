"""The floor plan holds: every import of the package (at module level, inside functions and under
`if TYPE_CHECKING:`) points down the layer order written in docs/architecture.md, and no import
cycle exists. The package's sources are read as text: nothing is imported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from harness import ROOT

PACKAGE = "mypy_uvicorn"
SOURCES = ROOT / PACKAGE
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# The block of docs/architecture.md that lists the layers, top to bottom: one line a layer,
# "<number> <name>: <module>, <module>, ...", module names relative to the package
# ("__init__" for the package itself, "import_strings" for that package's __init__).
_BLOCK = re.compile(r"<!-- layers -->\n```\n(?P<lines>.*?)```\n<!-- /layers -->", re.DOTALL)
_LAYER = re.compile(r"(?P<number>\d+) [^:]+: (?P<modules>.+)")


def layers(text: str) -> dict[str, int]:
    """The layer of each module, from the architecture document's block."""
    block = _BLOCK.search(text)
    assert block is not None, "docs/architecture.md has no <!-- layers --> block"
    found: dict[str, int] = {}
    for line in block["lines"].splitlines():
        match = _LAYER.fullmatch(line.strip())
        assert match is not None, f"not a layer line: {line!r}"
        for module in match["modules"].split(","):
            name = module.strip()
            assert name not in found, f"{name} is in two layers"
            found[name] = int(match["number"])
    return found


def modules(root: Path) -> dict[str, Path]:
    """Each module of the package under `root`, by its name relative to the package."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """The modules of the package each module imports, anywhere in its text. `from pkg import
    name` imports the module `pkg.name` when there is one, and the subpackage `pkg`; the top
    package is not counted (every module would import `__init__`)."""
    known = modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        here = [] if name == "__init__" else name.split(".")
        package = here if is_package else here[:-1]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - (node.level - 1)]
                    absolute = ".".join([PACKAGE, *base, *([node.module] if node.module else [])])
                else:
                    absolute = node.module or ""
                # `from pkg import name`: the module pkg.name when there is one, and a
                # subpackage pkg itself always (Python runs its __init__ first; the top package
                # is the namespace every module names, and its __init__ only loads the plugin).
                targets = [
                    f"{absolute}.{alias.name}"
                    for alias in node.names
                    if _relative(f"{absolute}.{alias.name}") in known
                ]
                if absolute != PACKAGE:
                    targets.append(absolute)
            else:
                continue
            for target in targets:
                if target == PACKAGE or target.startswith(PACKAGE + "."):
                    relative = _relative(target)
                    if relative in known:
                        edges.add(relative)
        edges.discard(name)
        graph[name] = edges
    return graph


def _relative(module: str) -> str:
    return module[len(PACKAGE) + 1 :] or "__init__"


def violations(graph: dict[str, set[str]], order: dict[str, int]) -> list[str]:
    """Each import that points up the layer order or sideways, and each module without a
    layer."""
    found = [f"{name} has no layer in docs/architecture.md" for name in graph if name not in order]
    found += [
        f"{name} is in docs/architecture.md but not in the package"
        for name in order
        if name not in graph
    ]
    for name, edges in sorted(graph.items()):
        for target in sorted(edges):
            if name in order and target in order and order[target] <= order[name]:
                found.append(
                    f"{name} (layer {order[name]}) imports {target} (layer {order[target]})"
                )
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles, each as the path that closes it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_every_import_points_down_the_documented_layers() -> None:
    graph = imports(SOURCES)
    assert violations(graph, layers(ARCHITECTURE.read_text(encoding="utf-8"))) == []


def test_no_import_cycle() -> None:
    assert cycles(imports(SOURCES)) == []


def test_the_graph_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    # plugin.py imports hooks inside a function and under TYPE_CHECKING only.
    assert "hooks" in imports(SOURCES)["plugin"]
    assert "import_strings.verdict" in imports(SOURCES)["call_reader"]


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        # An import back up inside a function, as a lazy import would be written.
        ("def f():\n    from mypy_uvicorn import plugin\n", "constants (layer 3) imports plugin"),
        ("from . import plugin\n", "constants (layer 3) imports plugin"),
        ("import mypy_uvicorn.plugin\n", "constants (layer 3) imports plugin"),
    ],
)
def test_a_planted_back_import_is_found(tmp_path: Path, planted: str, expected: str) -> None:
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text("from mypy_uvicorn import plugin\n")
    (root / "plugin.py").write_text("from mypy_uvicorn.constants import X\n")
    (root / "constants.py").write_text("X = 1\n" + planted)
    graph = imports(root)
    order = {"__init__": 1, "plugin": 2, "constants": 3}
    assert [v for v in violations(graph, order) if expected in v]
    assert cycles(graph) == [["constants", "plugin", "constants"]] or cycles(graph) == [
        ["plugin", "constants", "plugin"]
    ]


def test_a_module_without_a_layer_is_found(tmp_path: Path) -> None:
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "extra.py").write_text("")
    assert violations(imports(root), {"__init__": 1}) == [
        "extra has no layer in docs/architecture.md"
    ]
