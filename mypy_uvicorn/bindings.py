"""What a module's statements bind: the statements that bind each variable (to read names
bound once to a literal). Imported on first use (checked_module.py, returns.py, import_time.py).

mypy's compiled TraverserVisitor cannot be subclassed from interpreted code (mypyc traits), so
this walks statements itself (import_time.py walks them too). It does not look inside
expressions: a walrus `(name := ...)` rebinding is not seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from mypy.nodes import (
    AssignmentStmt,
    Block,
    ClassDef,
    Decorator,
    DelStmt,
    Expression,
    ForStmt,
    FuncDef,
    GlobalDecl,
    IfStmt,
    Import,
    ImportAll,
    ImportFrom,
    ListExpr,
    MatchStmt,
    MypyFile,
    NameExpr,
    NonlocalDecl,
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
    module with many calls quadratic).

    An import binds a name too (`from local_settings import DEBUG` after `DEBUG = False`), but
    its name has no `Var` of its own: mypy keeps the first one. So an import is counted against
    the variables of that name in its scope: the module's symbol table at module level, the
    function's own variables in a function. `modules` are the modules mypy knows, for what a
    star import brings in.
    """

    def __init__(self, tree: MypyFile, modules: Mapping[str, MypyFile]) -> None:
        self._tree = tree
        self._modules = modules
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
            module = _Scope(None)
            self._index_block(self._tree.defs, module, index)
            for name in module.imported:
                symbol = self._tree.names.get(name)
                if symbol is not None and isinstance(symbol.node, Var):
                    index.setdefault(symbol.node, []).append(_NOT_PLAIN)
            self._index, self._unbound = index, set()
        return self._index

    def _index_block(
        self,
        statements: Sequence[Statement | None],
        scope: _Scope,
        index: dict[Var, list[Expression | None]],
    ) -> None:
        for statement in statements:
            if statement is None:
                continue
            if isinstance(statement, FuncDef):
                inner = _Scope(scope)
                for argument in statement.arguments:
                    index.setdefault(argument.variable, []).append(_NOT_PLAIN)
                    inner.add_local(argument.variable)
                self._index_block([statement.body], inner, index)
                for name in inner.imported:
                    for var in inner.locals.get(name, ()):
                        index.setdefault(var, []).append(_NOT_PLAIN)
                continue
            if isinstance(statement, ClassDef):
                # A class body's imports bind class attributes, which are never read as literals.
                self._index_block([statement.defs], _Scope(scope, is_class=True), index)
                continue
            if isinstance(statement, GlobalDecl):
                scope.globals.update(statement.names)
            elif isinstance(statement, NonlocalDecl):
                scope.nonlocals.update(statement.names)
            elif isinstance(statement, Import | ImportFrom):
                scope.imports(_imported_names(statement))
            elif isinstance(statement, ImportAll):
                scope.imports(self._star_names(statement))
            for target, value in _bindings(statement):
                plain = isinstance(target, NameExpr)
                for var in _bound_vars(target):
                    index.setdefault(var, []).append(value if plain else _NOT_PLAIN)
                    if scope.parent is not None and "." not in var.fullname:
                        scope.add_local(var)  # a function's own variable (its fullname is bare)
            self._index_block(children(statement), scope, index)

    def _star_names(self, star: ImportAll) -> Iterable[str]:
        """The names `from x import *` binds: what mypy's semantic analysis imports from `x`; when
        `x` is not known, any name of this module may be rebound."""
        module = self._modules.get(_absolute(self._tree, star.relative, star.id))
        if module is None:
            return list(self._tree.names)
        has_all = "__all__" in module.names
        return [
            name
            for name, symbol in module.names.items()
            if symbol.module_public and (has_all or not name.startswith("_"))
        ]


class _Scope:
    """A module, class or function body, while the index walks it."""

    __slots__ = ("globals", "imported", "is_class", "locals", "nonlocals", "parent")

    def __init__(self, parent: _Scope | None, *, is_class: bool = False) -> None:
        self.parent = parent  # None for the module
        self.is_class = is_class
        self.locals: dict[str, list[Var]] = {}  # a function's variables, by name
        self.imported: list[str] = []  # the names its imports bind
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()

    def add_local(self, var: Var) -> None:
        self.locals.setdefault(var.name, []).append(var)

    def imports(self, names: Iterable[str]) -> None:
        for name in names:
            scope: _Scope | None = self
            if name in self.globals:
                while scope is not None and scope.parent is not None:
                    scope = scope.parent
            elif name in self.nonlocals:
                scope = self.parent
                while scope is not None and scope.is_class:
                    scope = scope.parent
            if scope is not None and not scope.is_class:
                scope.imported.append(name)


def _imported_names(s: Import | ImportFrom) -> list[str]:
    if isinstance(s, Import):
        # `import a.b` binds `a`; `import a.b as c` binds `c`.
        return [alias or name.partition(".")[0] for name, alias in s.ids]
    return [alias or name for name, alias in s.names]


def _absolute(tree: MypyFile, relative: int, name: str) -> str:
    """The absolute name of a module imported as `from <relative dots><name> import ...`."""
    if not relative:
        return name
    parts = tree.fullname.split(".")
    up = relative - 1 if tree.is_package_init_file() else relative
    base = parts[: len(parts) - up] if up else parts
    return ".".join([*base, name] if name else base)


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
