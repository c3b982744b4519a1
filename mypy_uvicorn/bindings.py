"""What a module's statements bind: the statements that bind each variable (to read names
bound once to a literal), and the modules it imports.

mypy's compiled TraverserVisitor cannot be subclassed from interpreted code (mypyc traits), so
this walks statements itself (import_time.py walks them too). It does not look inside
expressions: a walrus `(name := ...)` rebinding is not seen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mypy.nodes import (
    AssignmentStmt,
    Block,
    ClassDef,
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


class Bindings:
    """Which statements bind each variable of one module, indexed in one walk on first use (the
    plugin keeps one per module being checked: walking the module for each call would make a
    module with many calls quadratic)."""

    def __init__(self, tree: MypyFile) -> None:
        self._tree = tree
        self._index: dict[Var, list[Expression | None]] | None = None
        self._unbound: set[Var] = set()  # missing from a fresh index: no statement binds it

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


def _walk(statements: Sequence[Statement | None]) -> Iterator[Statement]:
    for statement in statements:
        if statement is not None:
            yield statement
            yield from _walk(children(statement))


def children(s: Statement) -> Sequence[Statement | None]:
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
