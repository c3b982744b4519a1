"""What the attribute path of an import string names in a module mypy analysed.

uvicorn walks the part after ":" with getattr, one name at a time: through modules, classes and
the classes of instances. A name that is certainly missing is a `Missing`; anything mypy cannot
answer for every name (a module `__getattr__`, a class with `__getattr__`, an attribute typed
`Any`, an enum member) is unknown (None).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

from mypy.nodes import VAR_NO_INFO, MypyFile, SymbolNode, SymbolTableNode, TypeInfo, Var
from mypy.plugin import CheckerPluginInterface
from mypy.types import Instance, get_proper_type

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.state import ModuleValues


class Missing:
    """A name the attribute path certainly lacks: where, which, and the names there are."""

    __slots__ = ("candidates", "name", "owner", "prefix", "reason", "rest", "scopes")

    def __init__(
        self,
        owner: str,
        prefix: list[str],
        name: str,
        rest: list[str],
        candidates: list[str],
        scopes: Sequence[MypyFile | TypeInfo],
        reason: str | None = None,
    ) -> None:
        self.owner = owner  # 'module "main"' or '"Api"'
        self.prefix = prefix  # the attributes that resolved
        self.name = name
        self.rest = rest  # the attributes after the missing one
        self.candidates = candidates
        # Where the name was looked up: the module, or the class and its bases.
        self.scopes = scopes
        # Why a name mypy knows is not there when uvicorn imports the module (unbound_at_import).
        self.reason = reason


def walk(
    module: MypyFile, attributes: list[str], spelt: str, touched: list[str] | None = None
) -> SymbolNode | Missing | None:
    """What `attributes` name in `module` (which the string spells `spelt`). `touched` gets the
    fullname of each name looked up (in each class of the MRO for a member)."""
    if "__name__" not in module.names:
        return None  # parsed, not analysed: nothing is known of its names
    if "__getattr__" in module.names:
        return None  # a module __getattr__ answers any name
    names: Mapping[str, SymbolTableNode] = module.names
    scopes: Sequence[MypyFile | TypeInfo] = (module,)
    owner = f'module "{spelt}"'
    node: SymbolNode | None = None
    for i, attribute in enumerate(attributes):
        if touched is not None:
            touched.extend(f"{scope.fullname}.{attribute}" for scope in scopes)
        symbol = names.get(attribute)
        if symbol is None:
            public = [name for name in names if not name.startswith("_")]
            rest = attributes[i + 1 :]
            return Missing(owner, attributes[:i], attribute, rest, public, scopes)
        node = symbol.node
        if i == len(attributes) - 1:
            return node
        members: Mapping[str, SymbolTableNode]
        if isinstance(node, MypyFile):
            members, scopes = node.names, (node,)
        else:
            found = members_of(node)
            if found is None:
                return None  # not a module or a class we can read: unknown
            members, scopes = found
        owner = f'"{".".join(attributes[: i + 1])}"'
        names = members
    return node


def members_of(
    node: SymbolNode | None,
) -> tuple[dict[str, SymbolTableNode], tuple[TypeInfo, ...]] | None:
    """The members of a class, or of the class of an instance, and the classes of its MRO that
    define them (not `object`)."""
    info: TypeInfo | None = None
    if isinstance(node, TypeInfo):
        info = node
    elif isinstance(node, Var) and node.type is not None:
        if node.info is not VAR_NO_INFO and node.info.is_enum:
            return None  # an enum member: its type is its value's, not the member's
        proper = get_proper_type(node.type)
        if isinstance(proper, Instance):
            info = proper.type
    if info is None or any(base.fallback_to_any for base in info.mro):
        return None
    if any(
        "__getattr__" in base.names or "__getattribute__" in base.names
        for base in info.mro
        if base.fullname != "builtins.object"
    ):
        return None  # answers any name
    members: dict[str, SymbolTableNode] = {}
    for base in reversed(info.mro):
        members.update(base.names)
    return members, tuple(base for base in info.mro if base.fullname != "builtins.object")


def bound_unreachably(api: CheckerPluginInterface, values: ModuleValues, missing: Missing) -> bool:
    """Whether the source binds the missing name where mypy looked for it (at module level, or
    in the body of the class or of one of its bases) in code mypy does not analyse (the `else:`
    of `if TYPE_CHECKING:`, a platform check): read from the files, so that the answer is the
    same when mypy loads the modules from its cache."""
    for scope in missing.scopes:
        if isinstance(scope, MypyFile):
            module, qualname = scope, ""
        else:
            module_or_none = mypy_internals.get_module(api, scope.module_name)
            if module_or_none is None:
                return True  # its source is not known: any name
            module, qualname = module_or_none, scope.fullname[len(scope.module_name) + 1 :]
        if not module.path or not module.path.endswith(".py"):
            continue
        key = f"{module.path}:{qualname}"
        if key not in values.source_names:
            values.source_names[key] = _source_names(module.path, qualname)
        bound = values.source_names[key]
        if bound is None or missing.name in bound:  # a source that cannot be read: any name
            return True
    return False


_UNREAD_BINDINGS: tuple[type[ast.AST], ...] = (
    ast.Match,
    ast.NamedExpr,
    *((ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ()),  # Python 3.12+
)


def _source_names(path: str, qualname: str) -> frozenset[str] | None:
    """The names the source binds at module level (`qualname` "") or in the body of the class
    `qualname` ("Api", "Api.Inner"; every definition of it); None for any name (a source that
    cannot be read, or that binds names in ways the walk below does not read)."""
    try:
        with open(path, encoding="utf-8") as source:
            body = ast.parse(source.read()).body
    except (OSError, SyntaxError, ValueError):
        return None
    for name in qualname.split(".") if qualname else ():
        classes = [c for c in _statements(body) if isinstance(c, ast.ClassDef) and c.name == name]
        body = [statement for c in classes for statement in c.body]
    # Bindings the walk below does not read (match captures, `:=`, `type X = ...`): any name.
    if any(isinstance(node, _UNREAD_BINDINGS) for s in body for node in ast.walk(s)):
        return None
    names: set[str] = set()
    for statement in _statements(body):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).partition(".")[0] for a in statement.names)
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(statement, ast.With | ast.AsyncWith):
            for item in statement.items:
                if item.optional_vars is not None:
                    names.update(
                        n.id for n in ast.walk(item.optional_vars) if isinstance(n, ast.Name)
                    )
    return frozenset(names)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a body and of the blocks inside it (if, try, with, loops, match), not
    the bodies of the functions and classes it defines."""
    pending: list[ast.stmt] = list(body)
    while pending:
        statement = pending.pop()
        yield statement
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.iter_child_nodes(statement):
            if isinstance(node, ast.stmt):
                pending.append(node)
            elif isinstance(node, ast.ExceptHandler):
                pending.extend(node.body)


def unbound_at_import(path: str) -> dict[str, str]:
    """The module-level names of a source that mypy knows but that are certainly not bound once
    uvicorn has imported the module, each with the reason: bound only under
    `if __name__ == "__main__":` (uvicorn imports the module by its name, so that block does not
    run) or `if TYPE_CHECKING:`, only annotated (`app: App`), or deleted by a `del` at module
    level after its last binding. Empty when the source cannot be read, or may bind names in
    ways this does not follow (`global`, `globals()`, `setattr`, `exec`, a star import, ...)."""
    try:
        with open(path, encoding="utf-8") as source:
            text = source.read()
        body = ast.parse(text).body
    except (OSError, SyntaxError, ValueError):
        return {}
    if any(marker in text for marker in _DYNAMIC_BINDINGS) or any(
        isinstance(node, _UNFOLLOWED) for s in body for node in ast.walk(s)
    ):
        return {}
    walk = _ImportBindings()
    walk.block(body, _RUNS, top=True)
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


_UNFOLLOWED: tuple[type[ast.AST], ...] = (*_UNREAD_BINDINGS, ast.Global)
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
