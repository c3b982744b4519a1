"""Where a module calls uvicorn, read from its syntax tree (no mypy).

Used twice: to find the modules worth checking in a project without a mypy configuration, and
to tell mypy's own errors on a uvicorn call (a wrong argument type, an unknown keyword) from its
errors elsewhere. Names are followed through imports and plain assignments
(`run = uvicorn.run`), flow-insensitively: a name bound to uvicorn anywhere in the module counts.
"""

from __future__ import annotations

import ast
from typing import Final

from mypy_uvicorn.constants import CHECKED_CALLS, is_module_of


class Calls:
    """What one module does with uvicorn."""

    __slots__ = ("imports_uvicorn", "positions")

    def __init__(self, *, imports_uvicorn: bool, positions: frozenset[tuple[int, int]]) -> None:
        self.imports_uvicorn = imports_uvicorn
        # (line, column) of each checked call and of each of its arguments, as Python's `ast`
        # and mypy both count them: line from 1, column from 0 in UTF-8 bytes.
        self.positions = positions

    def at(self, line: int, column: int) -> bool:
        return (line, column) in self.positions


NONE: Final = Calls(imports_uvicorn=False, positions=frozenset())


def read(source: bytes | str) -> Calls | None:
    """The uvicorn calls of a module's source; None when Python cannot parse it."""
    if "uvicorn" not in (source if isinstance(source, str) else source.decode("utf-8", "replace")):
        return NONE
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: a null byte in the source
        return None
    names = _bindings(tree)
    if not names:
        return NONE
    positions: set[tuple[int, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _qualified(node.func, names) in CHECKED_CALLS:
            positions.add((node.lineno, node.col_offset))
            positions.update((arg.lineno, arg.col_offset) for arg in node.args)
            positions.update((kw.value.lineno, kw.value.col_offset) for kw in node.keywords)
    return Calls(imports_uvicorn=True, positions=frozenset(positions))


def _bindings(tree: ast.Module) -> dict[str, str]:
    """Each local name bound to uvicorn or to something of it, with its full name."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_module_of(alias.name):
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:  # `import uvicorn.main` binds `uvicorn`
                        names["uvicorn"] = "uvicorn"
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module is not None
            and is_module_of(node.module)
        ):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    if not names:
        return names
    assignments = [
        (node.targets[0].id, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ]
    assignments += [
        (node.target.id, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value
    ]
    # Aliases of aliases: a chain of n assignments needs n rounds. Bounded, because a name
    # rebound to an attribute of itself (`u = u.main`) would grow forever.
    for _ in range(len(assignments)):
        changed = False
        for name, value in assignments:
            full = _qualified(value, names)
            if full is not None and names.get(name) != full:
                names[name] = full
                changed = True
        if not changed:
            break
    return names


def _qualified(expr: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(expr, ast.Name):
        return names.get(expr.id)
    if isinstance(expr, ast.Attribute):
        base = _qualified(expr.value, names)
        return None if base is None else f"{base}.{expr.attr}"
    return None
