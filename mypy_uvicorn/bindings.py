"""Find the statements that bind one variable, to read names bound once to a literal.

mypy's compiled TraverserVisitor cannot be subclassed from interpreted code (mypyc traits), so
this walks statements itself. It does not look inside expressions: a walrus `(name := ...)`
rebinding is not seen.
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


def single_binding(tree: MypyFile, var: Var) -> Expression | None:
    """The value of `var = <value>` when that is the only statement in `tree` binding `var`."""
    values: list[Expression | None] = []
    for statement in _walk(tree.defs):
        for target, value in _bindings(statement):
            if _names(target, var):
                values.append(value if isinstance(target, NameExpr) else _NOT_PLAIN)
    return values[0] if len(values) == 1 else None


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


def _names(target: Expression, var: Var) -> bool:
    if isinstance(target, NameExpr):
        return target.node is var
    if isinstance(target, TupleExpr | ListExpr):
        return any(_names(item, var) for item in target.items)
    if isinstance(target, StarExpr):
        return _names(target.expr, var)
    return False


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
