"""Per-module statement indexes: the statements that bind each variable (to read names bound
once to a literal), and the statements that run when the module is imported (for the
`if __name__ == "__main__":` guard).

mypy's compiled TraverserVisitor cannot be subclassed from interpreted code (mypyc traits), so
this walks statements itself. It does not look inside expressions: a walrus `(name := ...)`
rebinding is not seen.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterator, Sequence

from mypy.nodes import (
    AssignmentStmt,
    Block,
    ClassDef,
    ComparisonExpr,
    Decorator,
    DelStmt,
    Expression,
    ForStmt,
    FuncDef,
    IfStmt,
    Import,
    ImportAll,
    ImportFrom,
    ListExpr,
    MatchStmt,
    MypyFile,
    NameExpr,
    OperatorAssignmentStmt,
    OverloadedFuncDef,
    StarExpr,
    Statement,
    StrExpr,
    TryStmt,
    TupleExpr,
    Var,
    WhileStmt,
    WithStmt,
)
from mypy.patterns import (
    AsPattern,
    ClassPattern,
    MappingPattern,
    OrPattern,
    Pattern,
    SequencePattern,
    StarredPattern,
)

_NOT_PLAIN = None  # a binding whose value is not one expression (augmented, loop, unpacking...)

# Tuples, not `A | B`: a union in isinstance() is built anew at each test, and these walks run
# once per statement of a module.
_FUNCTIONS = (FuncDef, OverloadedFuncDef, Decorator)
_COMPOUND = (Block, ClassDef, WhileStmt, ForStmt, WithStmt, TryStmt, MatchStmt)


class Bindings:
    """One module's statement indexes, each built in one walk on first use (the plugin keeps one
    per module being checked: walking the module for each call would make a module with many
    calls quadratic)."""

    def __init__(self, tree: MypyFile) -> None:
        self._tree = tree
        self._index: dict[Var, list[Expression | None]] | None = None
        self._unbound: set[Var] = set()  # missing from a fresh index: no statement binds it
        self._import_time: list[tuple[int, int]] | None = None

    def single(self, var: Var) -> Expression | None:
        """The value of `var = <value>` when that is the only statement of the module binding
        `var` (a function parameter is bound by every call: never)."""
        values = self._bound().get(var)
        if values is None and var not in self._unbound:
            # Once for a variable not seen: mypy's daemon re-analyses a changed function into
            # new Var objects.
            self._index = None
            values = self._bound().get(var)
            if values is None:
                self._unbound.add(var)
        return values[0] if values is not None and len(values) == 1 else None

    def _bound(self) -> dict[Var, list[Expression | None]]:
        if self._index is None:
            index: dict[Var, list[Expression | None]] = {}
            for statement in _walk(self._tree.defs):
                if isinstance(statement, FuncDef):
                    for argument in statement.arguments:
                        index.setdefault(argument.variable, []).append(_NOT_PLAIN)
                for target, value in _bindings(statement):
                    plain = isinstance(target, NameExpr)
                    for var in _bound_vars(target):
                        index.setdefault(var, []).append(value if plain else _NOT_PLAIN)
            self._index, self._unbound = index, set()
        return self._index

    def runs_at_import(self, line: int) -> bool:
        """Whether the statement on `line` runs whenever the module is imported: at module level
        or in a class body, and not under `if __name__ == "__main__":`."""
        if self._import_time is None:
            spans: list[tuple[int, int]] = []
            _import_time_spans(self._tree.defs, spans)  # in source order, never overlapping
            self._import_time = spans
        i = bisect.bisect_right(self._import_time, (line, sys.maxsize)) - 1
        return i >= 0 and line <= self._import_time[i][1]


def imported_modules(tree: MypyFile) -> set[str]:
    """The absolute module names the module imports: `import pkg.web`, `from pkg import web`
    (`pkg` and, as it may be a submodule, `pkg.web`), `from pkg import *`."""
    found: set[str] = set()
    for imported in tree.imports:
        if isinstance(imported, Import):
            found.update(name for name, _ in imported.ids)
        elif isinstance(imported, ImportFrom) and not imported.relative:
            found.add(imported.id)
            found.update(f"{imported.id}.{name}" for name, _ in imported.names)
        elif isinstance(imported, ImportAll) and not imported.relative:
            found.add(imported.id)
    return found


def _import_time_spans(
    statements: Sequence[Statement | None], spans: list[tuple[int, int]]
) -> None:
    for s in statements:
        if s is None or isinstance(s, _FUNCTIONS):
            continue  # a function body runs when called
        if isinstance(s, IfStmt):
            for condition, body in zip(s.expr, s.body, strict=True):
                guard = _main_guard(condition)
                if guard == "==":
                    continue  # only the main module runs this body
                _import_time_spans([body], spans)
                if guard == "!=":
                    break  # the else branch belongs to the main module only
            else:
                _import_time_spans([s.else_body], spans)
        elif isinstance(s, _COMPOUND):
            _import_time_spans(_children(s), spans)
        else:
            spans.append((s.line, s.end_line if s.end_line is not None else s.line))


def _main_guard(condition: Expression) -> str | None:
    """`__name__ == "__main__"` (either order) gives "==", `!=` gives "!="; else None."""
    if not isinstance(condition, ComparisonExpr) or len(condition.operators) != 1:
        return None
    operator = condition.operators[0]
    left, right = condition.operands
    name, text = (left, right) if isinstance(left, NameExpr) else (right, left)
    if (
        operator in ("==", "!=")
        and isinstance(name, NameExpr)
        and name.name == "__name__"
        and isinstance(text, StrExpr)
        and text.value == "__main__"
    ):
        return operator
    return None


def _walk(statements: Sequence[Statement | None]) -> Iterator[Statement]:
    for statement in statements:
        if statement is not None:
            yield statement
            yield from _walk(_children(statement))


def _children(s: Statement) -> Sequence[Statement | None]:
    if isinstance(s, Block):
        return s.body
    if isinstance(s, IfStmt):
        return [*s.body, s.else_body]
    if isinstance(s, WhileStmt | ForStmt):
        return [s.body, s.else_body]
    if isinstance(s, WithStmt | FuncDef):
        return [s.body]
    if isinstance(s, TryStmt):
        return [s.body, *s.handlers, s.else_body, s.finally_body]
    if isinstance(s, Decorator):
        return [s.func]
    if isinstance(s, OverloadedFuncDef):
        return [*s.items, s.impl]
    if isinstance(s, ClassDef):
        return [s.defs]
    if isinstance(s, MatchStmt):
        return s.bodies
    return []


def _bindings(s: Statement) -> Iterator[tuple[Expression, Expression | None]]:
    if isinstance(s, AssignmentStmt):
        for lvalue in s.lvalues:
            yield lvalue, s.rvalue
    elif isinstance(s, OperatorAssignmentStmt):
        yield s.lvalue, _NOT_PLAIN
    elif isinstance(s, ForStmt):
        yield s.index, _NOT_PLAIN
    elif isinstance(s, DelStmt):
        yield s.expr, _NOT_PLAIN
    elif isinstance(s, WithStmt | TryStmt):
        for target in s.target if isinstance(s, WithStmt) else s.vars:
            if target is not None:
                yield target, _NOT_PLAIN
    elif isinstance(s, MatchStmt):
        for pattern in s.patterns:
            for name in _pattern_names(pattern):
                yield name, _NOT_PLAIN


def _bound_vars(target: Expression) -> Iterator[Var]:
    if isinstance(target, NameExpr):
        if isinstance(target.node, Var):
            yield target.node
    elif isinstance(target, TupleExpr | ListExpr):
        for item in target.items:
            yield from _bound_vars(item)
    elif isinstance(target, StarExpr):
        yield from _bound_vars(target.expr)


def _pattern_names(p: Pattern) -> Iterator[NameExpr]:
    if isinstance(p, AsPattern):
        if p.name is not None:
            yield p.name
        if p.pattern is not None:
            yield from _pattern_names(p.pattern)
    elif isinstance(p, StarredPattern):
        if p.capture is not None:
            yield p.capture
    elif isinstance(p, OrPattern | SequencePattern):
        for sub in p.patterns:
            yield from _pattern_names(sub)
    elif isinstance(p, MappingPattern):
        if p.rest is not None:
            yield p.rest
        for sub in p.values:
            yield from _pattern_names(sub)
    elif isinstance(p, ClassPattern):
        for sub in [*p.positionals, *p.keyword_values]:
            yield from _pattern_names(sub)
