"""Which statements of a module run whenever it is imported: at module level or in a class body,
and not under `if __name__ == "__main__":` (for uvicorn-main-guard)."""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Sequence

from mypy.nodes import (
    Block,
    CallExpr,
    ClassDef,
    ComparisonExpr,
    Decorator,
    Expression,
    ExpressionStmt,
    ForStmt,
    FuncDef,
    IfStmt,
    ListExpr,
    MatchStmt,
    MypyFile,
    NameExpr,
    OpExpr,
    OverloadedFuncDef,
    SetExpr,
    Statement,
    StrExpr,
    TryStmt,
    TupleExpr,
    UnaryExpr,
    Var,
    WhileStmt,
    WithStmt,
)
from mypy.patterns import ValuePattern

from mypy_uvicorn.bindings import children

# Tuples, not `A | B`: a union in isinstance() is built anew at each test, and this walk runs
# once per statement of a module.
_FUNCTIONS = (FuncDef, OverloadedFuncDef, Decorator)
_DEFINITIONS = (*_FUNCTIONS, ClassDef)
_COMPOUND = (Block, ClassDef, WhileStmt, ForStmt, WithStmt, TryStmt, MatchStmt)
_SEQUENCES = (TupleExpr, ListExpr, SetExpr)

# The value a variable of the module is bound to, when that is its only binding
# (Bindings.single): `is_main = __name__ == "__main__"` then `if is_main:`.
BoundValue = Callable[[Var], Expression | None]


class ImportTime:
    """The lines of one module that run at import, as spans found in one walk on first use."""

    __slots__ = ("_bound_value", "_spans", "_tree")

    def __init__(self, tree: MypyFile, bound_value: BoundValue) -> None:
        self._tree = tree
        self._bound_value = bound_value
        self._spans: list[tuple[int, int]] | None = None

    def runs_at_import(self, line: int) -> bool:
        """Whether the statement on `line` runs whenever the module is imported."""
        if self._spans is None:
            spans: list[tuple[int, int]] = []
            # In source order, never overlapping.
            _import_time_spans(self._tree.defs, spans, self._bound_value)
            self._spans = spans
        i = bisect.bisect_right(self._spans, (line, sys.maxsize)) - 1
        return i >= 0 and line <= self._spans[i][1]

    def line_calling(self, func: FuncDef) -> int | None:
        """The first line that runs at import and calls the module-level function `func`: a
        statement `func()`, or one whose call takes `func()` as an argument
        (`sys.exit(func())`, `asyncio.run(func())`); None when there is none."""
        pending: list[Statement | None] = list(self._tree.defs)
        found: list[int] = []
        while pending:
            s = pending.pop()
            if s is None or isinstance(s, _DEFINITIONS):
                continue
            if isinstance(s, ExpressionStmt):
                if _calls(s.expr, func) and self.runs_at_import(s.line):
                    found.append(s.line)
            else:
                pending.extend(children(s))
        return min(found, default=None)


def _import_time_spans(
    statements: Sequence[Statement | None], spans: list[tuple[int, int]], bound: BoundValue
) -> None:
    for s in statements:
        if s is None:
            continue
        if isinstance(s, _FUNCTIONS):
            # The body runs when called; the decorators and default values run at the `def`.
            _definition_spans(s, spans)
        elif isinstance(s, IfStmt):
            for condition, body in zip(s.expr, s.body, strict=True):
                guard = _main_guard(condition, bound)
                if guard == "==":
                    continue  # only the main module runs this body
                _import_time_spans([body], spans, bound)
                if guard == "!=":
                    break  # the else branch belongs to the main module only
            else:
                _import_time_spans([s.else_body], spans, bound)
        elif isinstance(s, MatchStmt) and _is_name(s.subject):
            for pattern, body in zip(s.patterns, s.bodies, strict=True):
                # `case "__main__":` (a case guard only narrows it further)
                if not (isinstance(pattern, ValuePattern) and _is_main(pattern.expr)):
                    _import_time_spans([body], spans, bound)
        elif isinstance(s, ClassDef):
            _expression_spans(s.decorators, spans)
            _import_time_spans([s.defs], spans, bound)
        elif isinstance(s, _COMPOUND):
            _import_time_spans(children(s), spans, bound)
        else:
            spans.append((s.line, s.end_line if s.end_line is not None else s.line))


def _calls(expr: Expression, func: FuncDef) -> bool:
    if not isinstance(expr, CallExpr):
        return False
    callee = expr.callee
    if isinstance(callee, NameExpr):
        node = callee.node
        if node is func or (isinstance(node, Decorator) and node.func is func):
            return True
    return any(_calls(arg, func) for arg in expr.args)


def _definition_spans(
    s: FuncDef | OverloadedFuncDef | Decorator, spans: list[tuple[int, int]]
) -> None:
    if isinstance(s, OverloadedFuncDef):
        for item in [*s.items, s.impl]:
            if item is not None:
                _definition_spans(item, spans)
        return
    if isinstance(s, Decorator):
        _expression_spans(s.decorators, spans)  # above the `def`: in source order
        s = s.func
    _expression_spans([a.initializer for a in s.arguments if a.initializer is not None], spans)


def _expression_spans(expressions: Sequence[Expression], spans: list[tuple[int, int]]) -> None:
    for e in expressions:
        spans.append((e.line, e.end_line if e.end_line is not None else e.line))


def _main_guard(condition: Expression, bound: BoundValue, depth: int = 0) -> str | None:
    """When the condition holds: "==" if only in the main module, "!=" if whenever it is not
    the main module (so its else branch runs only in the main module); else None.
    `__name__ == "__main__"` (either order) and `!=`, `__name__ in ("__main__",)` and `not in`,
    through `and`, `or` and `not`, and a variable bound once to such a condition."""
    if depth > 8:  # names bound to names: far enough
        return None
    if isinstance(condition, NameExpr) and isinstance(condition.node, Var):
        value = bound(condition.node)
        return None if value is None else _main_guard(value, bound, depth + 1)
    if isinstance(condition, OpExpr) and condition.op in ("and", "or"):
        sides = (
            _main_guard(condition.left, bound, depth + 1),
            _main_guard(condition.right, bound, depth + 1),
        )
        # `A and B` holds only when both do; `A or B` fails only when both do.
        narrow, wide = ("==", "!=") if condition.op == "and" else ("!=", "==")
        if narrow in sides:
            return narrow
        return wide if sides == (wide, wide) else None
    if isinstance(condition, UnaryExpr) and condition.op == "not":
        return {"==": "!=", "!=": "=="}.get(_main_guard(condition.expr, bound, depth + 1) or "")
    if not isinstance(condition, ComparisonExpr) or len(condition.operators) != 1:
        return None
    operator = condition.operators[0]
    left, right = condition.operands
    if operator in ("==", "!=") and (
        (_is_name(left) and _is_main(right)) or (_is_name(right) and _is_main(left))
    ):
        return operator
    if (
        operator in ("in", "not in")
        and _is_name(left)
        and isinstance(right, _SEQUENCES)
        and len(right.items) == 1
        and _is_main(right.items[0])
    ):
        return "==" if operator == "in" else "!="
    return None


def _is_name(e: Expression) -> bool:
    return isinstance(e, NameExpr) and e.name == "__name__"


def _is_main(e: Expression) -> bool:
    return isinstance(e, StrExpr) and e.value == "__main__"
