"""What the text alone says, without mypy: an import string's form, and the module-level names a
source does not bind when it is imported.

1. The form. uvicorn's importer reads "<module>:<attribute>" by splitting at the first ":",
   importing the left side with importlib and walking the right side with getattr, one dotted
   name at a time; both sides must be non-empty and nothing is stripped (`format_problem`).
   `closest` is the one closest-name search of every correction.
2. The names unbound at import. uvicorn imports the module of an import string by its name, in a
   new process or afresh: a name bound only under `if __name__ == "__main__":` or
   `if TYPE_CHECKING:`, only annotated, or deleted is not there, while mypy's symbol table has
   it. Read from the source text with `ast`, so that the answer does not depend on mypy's cache:
   the hook judges strings with it (verdict.py), and the warm cache keeps it with the calling
   module (dependencies.fingerprint).

One module for both: each module file costs its import (about 0.4 million instructions), and
both are read with the first module that imports uvicorn.
"""

from __future__ import annotations

import ast
import functools
import keyword
from typing import Final

# --- 1. the form of an import string


class Problem:
    __slots__ = ("fix", "names", "reason")

    def __init__(self, reason: str, fix: str | None = None, *, names: bool = False) -> None:
        self.reason = reason  # what uvicorn does with the string at start-up
        self.fix = fix  # a string that passes these checks, when one can be derived
        # Only a side is not a dotted Python name; uvicorn still imports a module file of any
        # name ("my-app:app" from my-app.py): the readers decide.
        self.names = names


@functools.lru_cache(maxsize=512)
def format_problem(target: str) -> Problem | None:
    """Why uvicorn would fail to import `target`, or None when its form is valid (kept for the
    strings seen last: one string is read for the facts and again by the rules)."""
    module, sep, attrs = target.partition(":")
    if sep and _dotted(module) and _dotted(attrs) and not module.endswith(".py"):
        return None  # the usual string: the texts (messages.py) are imported for a problem
    from mypy_uvicorn import messages

    if "".join(target.split()) != target:  # any whitespace
        return Problem(messages.STRING_WHITESPACE, _valid("".join(target.split())))
    if not sep or not module or not attrs:
        return Problem(messages.STRING_FORMAT.format(target=target))
    if module.endswith(".py") or "/" in module or "\\" in module:
        # Only "main.py" has an obvious module name; for "src/pkg/main.py" it depends on the
        # directory uvicorn starts in (or app_dir=), so no string is guessed.
        fix = None if "/" in module or "\\" in module else _valid(f"{module[:-3]}:{attrs}")
        return Problem(messages.STRING_FILE_PATH.format(module=module), fix)
    if module.startswith("."):
        # importlib.import_module(".main") raises TypeError: uvicorn passes no package. The
        # absolute name depends on the package the caller meant, so none is guessed.
        return Problem(messages.STRING_RELATIVE.format(module=module))
    if attrs.endswith("()"):
        return Problem(messages.STRING_CALL, _valid(f"{module}:{attrs[:-2]}"))
    if not _dotted(module) or not _dotted(attrs):
        return Problem(messages.STRING_NAMES.format(target=target), names=_dotted(attrs))
    return None


def _dotted(path: str) -> bool:
    return all(part.isidentifier() for part in path.split("."))


def _valid(candidate: str) -> str | None:
    module, sep, attrs = candidate.partition(":")
    return candidate if sep and _dotted(module) and _dotted(attrs) else None


def closest(name: str, candidates: list[str], count: int) -> list[str]:
    """The candidates closest to `name`, best first (difflib's ratio of at least 0.6): what a
    correction of a module, a sibling file or an attribute is chosen from."""
    import difflib

    return difflib.get_close_matches(name, candidates, n=count, cutoff=0.6)


# --- 2. the module-level names a source does not bind when it is imported

# Bindings that neither walk of a source (here, and verdict.py) reads: match captures, `:=`,
# `type X = ...`. A source with one of them binds any name.
UNREAD_BINDINGS: tuple[type[ast.AST], ...] = (
    ast.Match,
    ast.NamedExpr,
    *((ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ()),  # Python 3.12+
)


def unbound_at_import(path: str) -> dict[str, str]:
    """The module-level names of a source that mypy knows but that are certainly not bound once
    uvicorn has imported the module, each with the reason: bound only under
    `if __name__ == "__main__":` (uvicorn imports the module by its name, so that block does not
    run) or `if TYPE_CHECKING:`, only annotated (`app: App`), or deleted by a `del` at module
    level after its last binding. Empty when the source cannot be read, or may bind names in
    ways this does not follow (`global`, `globals()`, `setattr`, `exec`, a star import, ...)."""
    walk = _walk(path, only_if_unbound=True)
    if walk is None:
        return {}
    unbound: dict[str, str] = {}
    for name, where in walk.guarded.items():
        if name not in walk.runs:
            unbound[name] = _REASONS[where]
    for name in walk.annotated:
        if name not in walk.runs and name not in walk.guarded:
            unbound[name] = _ONLY_ANNOTATED
    for name, line in walk.deleted.items():
        if name in walk.runs and max(walk.runs[name]) < line:
            unbound[name] = f"it is deleted with `del` on line {line}"
    return unbound


def first_bound_at_import(path: str) -> dict[str, int] | None:
    """The first line on which each module-level name is bound when the module is imported
    (not under a guard), or None when the source cannot be read or may bind names in ways the
    walk does not follow."""
    walk = _walk(path, only_if_unbound=False)
    return None if walk is None else {name: min(lines) for name, lines in walk.runs.items()}


def _walk(path: str, *, only_if_unbound: bool) -> _ImportBindings | None:
    """The walk of a source's top-level statements; None when it cannot be read, binds names
    in ways the walk does not follow, or (`only_if_unbound`) its text has nothing that may
    leave a name unbound."""
    try:
        with open(path, encoding="utf-8") as source:
            text = source.read()
        if only_if_unbound and not _may_leave_names_unbound(text):
            return None  # most modules: no parse (it would cost more than the rest of the check)
        body = ast.parse(text).body
    except (OSError, SyntaxError, ValueError):
        return None
    if any(marker in text for marker in _DYNAMIC_BINDINGS) or any(
        isinstance(node, _UNFOLLOWED) or _star_import(node) for s in body for node in ast.walk(s)
    ):
        return None
    walk = _ImportBindings()
    walk.block(body, _RUNS, top=True)
    return walk


_UNFOLLOWED: tuple[type[ast.AST], ...] = (*UNREAD_BINDINGS, ast.Global)
# Text that may bind a module-level name in a way the walk below does not follow.
_DYNAMIC_BINDINGS: Final = ("globals(", "setattr(", "exec(", "vars(", "__dict__", "sys.modules")
_RUNS, _MAIN, _TYPING = "runs", "main", "typing"
_REASONS: Final = {
    _MAIN: 'it is bound only under `if __name__ == "__main__":`, which does not run when uvicorn'
    " imports the module by its name",
    _TYPING: "it is bound only under `if TYPE_CHECKING:`, which never runs",
}
_ONLY_ANNOTATED: Final = "it is only annotated, never assigned"


class _ImportBindings:
    """One walk of a module's top-level statements: where each name is bound."""

    __slots__ = ("annotated", "deleted", "guarded", "runs")

    def __init__(self) -> None:
        self.runs: dict[str, list[int]] = {}  # bound where the import runs: the lines
        self.guarded: dict[str, str] = {}  # bound only under a guard: which
        self.annotated: set[str] = set()  # `name: T` without a value
        self.deleted: dict[str, int] = {}  # `del name` at module level, unconditionally

    def block(self, body: list[ast.stmt], where: str, *, top: bool = False) -> None:
        for statement in body:
            self.statement(statement, where, top=top)

    def statement(self, s: ast.stmt, where: str, *, top: bool) -> None:
        if isinstance(s, ast.If):
            guard = _guard(s.test) if where == _RUNS else None
            if guard is None:
                self.block(s.body, where)
                self.block(s.orelse, where)
            else:
                kind, negated = guard
                self.block(s.body, where if negated else kind)
                self.block(s.orelse, kind if negated else where)
        elif isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.bind(s.name, where, s.lineno)
        elif isinstance(s, ast.Import | ast.ImportFrom):
            for alias in s.names:
                self.bind((alias.asname or alias.name).partition(".")[0], where, s.lineno)
        elif isinstance(s, ast.AnnAssign) and s.value is None:
            if isinstance(s.target, ast.Name):
                self.annotated.add(s.target.id)
        elif isinstance(s, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets: list[ast.expr] = s.targets if isinstance(s, ast.Assign) else [s.target]
            self.bind_targets(targets, where, s.lineno)
        elif isinstance(s, ast.For | ast.AsyncFor):
            self.bind_targets([s.target], where, s.lineno)
            self.block(s.body, where)
            self.block(s.orelse, where)
        elif isinstance(s, ast.While):
            self.block(s.body, where)
            self.block(s.orelse, where)
        elif isinstance(s, ast.With | ast.AsyncWith):
            for item in s.items:
                if item.optional_vars is not None:
                    self.bind_targets([item.optional_vars], where, s.lineno)
            self.block(s.body, where)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            for part in ("body", "orelse", "finalbody"):
                self.block(getattr(s, part), where)
            for handler in getattr(s, "handlers", ()):
                self.block(handler.body, where)
        elif isinstance(s, ast.Delete) and top and where == _RUNS:
            for target in s.targets:
                if isinstance(target, ast.Name):
                    self.deleted[target.id] = s.lineno

    def bind_targets(self, targets: list[ast.expr], where: str, line: int) -> None:
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    self.bind(node.id, where, line)

    def bind(self, name: str, where: str, line: int) -> None:
        if where == _RUNS:
            self.runs.setdefault(name, []).append(line)
        else:
            self.guarded.setdefault(name, where)


def _may_leave_names_unbound(text: str) -> bool:
    """Whether the text has what the walk looks for: a guard, a `del`, or a line that may only
    annotate a name (`app: App`, no `=`)."""
    if "__main__" in text or "TYPE_CHECKING" in text or "del " in text:
        return True
    for line in text.split("\n"):
        head, colon, rest = line.partition(":")
        name = head.strip()
        if (
            colon
            and "=" not in rest
            and rest.strip()
            and name.isidentifier()
            and not keyword.iskeyword(name)
        ):
            return True
    return False


def _star_import(node: ast.AST) -> bool:
    return isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)


def _guard(test: ast.expr) -> tuple[str, bool] | None:
    """(the guard, negated) for `__name__ == "__main__"`, `__name__ in ("__main__",)`,
    `TYPE_CHECKING` / `typing.TYPE_CHECKING`, their negations (`not`, `!=`, `not in`), and an
    `and` with one of them; None for any other test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _guard(test.operand)
        return None if inner is None else (inner[0], not inner[1])
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            inner = _guard(value)
            if inner is not None and not inner[1]:
                return inner
        return None
    if isinstance(test, ast.Name | ast.Attribute):
        name = test.id if isinstance(test, ast.Name) else test.attr
        return (_TYPING, False) if name == "TYPE_CHECKING" else None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.Eq | ast.NotEq) and (_is_main(left, right) or _is_main(right, left)):
            return (_MAIN, isinstance(op, ast.NotEq))
        if (
            isinstance(op, ast.In | ast.NotIn)
            and isinstance(left, ast.Name)
            and left.id == "__name__"
            and isinstance(right, ast.Tuple | ast.List | ast.Set)
            and [_constant(e) for e in right.elts] == ["__main__"]
        ):
            return (_MAIN, isinstance(op, ast.NotIn))
    return None


def _is_main(name: ast.expr, value: ast.expr) -> bool:
    return isinstance(name, ast.Name) and name.id == "__name__" and _constant(value) == "__main__"


def _constant(expr: ast.expr) -> object:
    return expr.value if isinstance(expr, ast.Constant) else None
