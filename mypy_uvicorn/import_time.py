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
    OverloadedFuncDef,
    Statement,
    StrExpr,
    TryStmt,
    WhileStmt,
    WithStmt,
)

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
            _import_time_spans(children(s), spans)
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
