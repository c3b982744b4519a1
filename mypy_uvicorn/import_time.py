"""Which statements of a module run whenever it is imported: at module level or in a class body,
and not under `if __name__ == "__main__":` (for uvicorn-main-guard)."""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence

from mypy.nodes import (
    Block,
    ClassDef,
    ComparisonExpr,
    Decorator,
    Expression,
    ForStmt,
    FuncDef,
    IfStmt,
    MatchStmt,
    MypyFile,
    NameExpr,
    OpExpr,
    OverloadedFuncDef,
    Statement,
    StrExpr,
    TryStmt,
    UnaryExpr,
    WhileStmt,
    WithStmt,
)
from mypy.patterns import ValuePattern

from mypy_uvicorn.bindings import children

# Tuples, not `A | B`: a union in isinstance() is built anew at each test, and this walk runs
# once per statement of a module.
_FUNCTIONS = (FuncDef, OverloadedFuncDef, Decorator)
_COMPOUND = (Block, ClassDef, WhileStmt, ForStmt, WithStmt, TryStmt, MatchStmt)


class ImportTime:
    """The lines of one module that run at import, as spans found in one walk on first use."""

    __slots__ = ("_spans", "_tree")

    def __init__(self, tree: MypyFile) -> None:
        self._tree = tree
        self._spans: list[tuple[int, int]] | None = None

    def runs_at_import(self, line: int) -> bool:
        """Whether the statement on `line` runs whenever the module is imported."""
        if self._spans is None:
            spans: list[tuple[int, int]] = []
            _import_time_spans(self._tree.defs, spans)  # in source order, never overlapping
            self._spans = spans
        i = bisect.bisect_right(self._spans, (line, sys.maxsize)) - 1
        return i >= 0 and line <= self._spans[i][1]


def _import_time_spans(
    statements: Sequence[Statement | None], spans: list[tuple[int, int]]
) -> None:
    for s in statements:
        if s is None:
            continue
        if isinstance(s, _FUNCTIONS):
            # The body runs when called; the decorators and default values run at the `def`.
            _definition_spans(s, spans)
        elif isinstance(s, IfStmt):
            for condition, body in zip(s.expr, s.body, strict=True):
                guard = _main_guard(condition)
                if guard == "==":
                    continue  # only the main module runs this body
                _import_time_spans([body], spans)
                if guard == "!=":
                    break  # the else branch belongs to the main module only
            else:
                _import_time_spans([s.else_body], spans)
        elif isinstance(s, MatchStmt) and _is_name(s.subject):
            for pattern, body in zip(s.patterns, s.bodies, strict=True):
                # `case "__main__":` (a case guard only narrows it further)
                if not (isinstance(pattern, ValuePattern) and _is_main(pattern.expr)):
                    _import_time_spans([body], spans)
        elif isinstance(s, ClassDef):
            _expression_spans(s.decorators, spans)
            _import_time_spans([s.defs], spans)
        elif isinstance(s, _COMPOUND):
            _import_time_spans(children(s), spans)
        else:
            spans.append((s.line, s.end_line if s.end_line is not None else s.line))


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


def _main_guard(condition: Expression) -> str | None:
    """When the condition holds: "==" if only in the main module, "!=" if whenever it is not
    the main module (so its else branch runs only in the main module); else None.
    `__name__ == "__main__"` (either order) and `!=`, through `and`, `or` and `not`."""
    if isinstance(condition, OpExpr) and condition.op in ("and", "or"):
        sides = (_main_guard(condition.left), _main_guard(condition.right))
        # `A and B` holds only when both do; `A or B` fails only when both do.
        narrow, wide = ("==", "!=") if condition.op == "and" else ("!=", "==")
        if narrow in sides:
            return narrow
        return wide if sides == (wide, wide) else None
    if isinstance(condition, UnaryExpr) and condition.op == "not":
        return {"==": "!=", "!=": "=="}.get(_main_guard(condition.expr) or "")
    if not isinstance(condition, ComparisonExpr) or len(condition.operators) != 1:
        return None
    operator = condition.operators[0]
    left, right = condition.operands
    if operator in ("==", "!=") and (
        (_is_name(left) and _is_main(right)) or (_is_name(right) and _is_main(left))
    ):
        return operator
    return None


def _is_name(e: Expression) -> bool:
    return isinstance(e, NameExpr) and e.name == "__name__"


def _is_main(e: Expression) -> bool:
    return isinstance(e, StrExpr) and e.value == "__main__"
