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
from mypy_uvicorn.import_strings.text import UNREAD_BINDINGS
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
    in_class = False  # looking up in a class itself, not in an instance
    for i, attribute in enumerate(attributes):
        if touched is not None:
            touched.extend(f"{scope.fullname}.{attribute}" for scope in scopes)
        symbol = names.get(attribute)
        if symbol is None:
            public = [name for name in names if not name.startswith("_")]
            rest = attributes[i + 1 :]
            return Missing(owner, attributes[:i], attribute, rest, public, scopes)
        node = symbol.node
        if in_class and _for_instances_only(scopes, attribute):
            public = [name for name in names if not name.startswith("_") and name != attribute]
            rest = attributes[i + 1 :]
            return Missing(owner, attributes[:i], attribute, rest, public, scopes, FOR_INSTANCES)
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
        in_class = isinstance(node, TypeInfo)
    return node


# The reason of a `Missing` name that the class declares for its instances only (checked against
# the source: bound_unreachably).
FOR_INSTANCES: Final = "it is an attribute of the instances, which the class itself does not have"


def _for_instances_only(classes: Sequence[MypyFile | TypeInfo], name: str) -> bool:
    """Whether `name`, looked up in a class (`classes`: its MRO), is declared only for the
    instances: annotated without a value in the class body (`inst: App`) or assigned through
    `self` in a method, in every class that has it. getattr on the class then raises
    AttributeError. Not when a class makes a descriptor of the declaration (`__slots__`, a
    dataclass or attrs class with slots, a named tuple) or its metaclass answers any name."""
    declared = False
    for info in classes:
        if not isinstance(info, TypeInfo) or info.slots is not None or info.tuple_type:
            return False
        if info.typeddict_type is not None or info.is_enum:
            return False
        metaclass = info.metaclass_type
        if metaclass is not None and _answers_any_name(
            [base for base in metaclass.type.mro if base.fullname != "builtins.type"]
        ):
            return False
        symbol = info.names.get(name)
        if symbol is None:
            continue
        if not isinstance(symbol.node, Var) or symbol.node.has_explicit_value:
            return False
        declared = True
    return declared


def owner_kind(module: MypyFile, attributes: list[str]) -> str:
    """What the last attribute of a path is looked up in: "module", "class" (a method reached
    through its class is a plain function, a classmethod is bound) or "instance" (a method is
    bound, a property gives its getter's value)."""
    if len(attributes) == 1:
        return "module"
    owner = walk(module, attributes[:-1], "")
    if isinstance(owner, MypyFile):
        return "module"
    return "class" if isinstance(owner, TypeInfo) else "instance"


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
    if _answers_any_name(info.mro):
        return None  # answers any name
    members: dict[str, SymbolTableNode] = {}
    for base in reversed(info.mro):
        members.update(base.names)
    return members, tuple(base for base in info.mro if base.fullname != "builtins.object")


def _answers_any_name(mro: list[TypeInfo]) -> bool:
    """Whether a class of the MRO (not `object`) defines `__getattr__` or `__getattribute__`."""
    return any(
        "__getattr__" in base.names or "__getattribute__" in base.names
        for base in mro
        if base.fullname != "builtins.object"
    )


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
    if any(isinstance(node, UNREAD_BINDINGS) for s in body for node in ast.walk(s)):
        return None
    names: set[str] = set()
    for statement in _statements(body):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).partition(".")[0] for a in statement.names)
        elif isinstance(statement, ast.AnnAssign) and statement.value is None:
            continue  # `name: T` binds nothing
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
