"""The verdict on one literal import string of a call: certainly unresolved (with a correction
that itself resolves), what it names, or unknown.

uvicorn imports `"pkg.module:attr.path"` with importlib (the part before ":") and getattr (each
part after it). mypy holds the symbol table of the modules it has analysed before the module
being checked: everything it imports, and the modules of the program its literal import strings
name (the plugin makes them dependencies: dependencies.py). A missing attribute of such a
module, or a module that no root uvicorn may import from has (roots.py), is known before
start-up. Anything else (an installed package, a module that means different files from
different roots) is unknown, and unknown is never reported.

What the attribute path names in a module mypy analysed (`walk`, below the verdict): uvicorn
walks the part after ":" with getattr, one name at a time, through modules, classes and the
classes of instances. A name that is certainly missing is a `Missing`; anything mypy cannot
answer for every name (a module `__getattr__`, a class with `__getattr__`, an attribute typed
`Any`, an enum member) is unknown (None). Here, not in a module of its own: each module file
costs every mypy run that reads a string its import (about 0.4 million instructions).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

from mypy.nodes import VAR_NO_INFO, MypyFile, SymbolNode, SymbolTableNode, TypeInfo, Var
from mypy.plugin import CheckerPluginInterface
from mypy.types import Instance, get_proper_type

from mypy_uvicorn import arguments, mypy_internals
from mypy_uvicorn.checked_module import CheckedModule
from mypy_uvicorn.import_strings.dependencies import dependency_names
from mypy_uvicorn.import_strings.roots import Roots, real_path
from mypy_uvicorn.import_strings.text import (
    UNREAD_BINDINGS,
    closest,
    first_bound_at_import,
    unbound_at_import,
)
from mypy_uvicorn.records import Target
from mypy_uvicorn.state import ModuleValues


class Unresolved:
    """A string uvicorn certainly cannot import: why, and a corrected string that itself
    resolves, if there is one."""

    __slots__ = ("fix", "reason")

    def __init__(self, reason: str, fix: str | None) -> None:
        self.reason = reason
        self.fix = fix


class NotFound:
    """A string naming a module of a package that neither the program nor the environment mypy
    reads has (a dependency missing where the check runs, such as a pre-commit hook's
    environment): not checked, rather than certainly failing."""

    __slots__ = ("package", "roots")

    def __init__(self, package: str, roots: list[str]) -> None:
        self.package = package
        self.roots = roots  # the roots looked in, as a message shows them


class StringResolver:
    """Judges the literal import strings of the calls of one module being checked."""

    __slots__ = ("api", "module", "roots", "state")

    def __init__(self, module: CheckedModule) -> None:
        self.module = module
        self.api = module.api
        self.state = module.state
        self.roots = Roots(module.api, module.state)

    def judge(
        self, string: str, *, factory: bool | None, app_dir: bool
    ) -> Unresolved | NotFound | Target | None:
        """`Unresolved` when the string certainly fails, its `Target` when mypy knows it,
        `NotFound` when its package is nowhere to be read, else None.

        `factory` (True, False, or None when not known) picks suggestions that fit; with
        `app_dir` the module search root is not known, so only the module itself and what it
        imports are looked into.
        """
        module_name, _, path = string.partition(":")
        attributes = path.split(".")
        if app_dir:
            module = mypy_internals.get_module(self.api, module_name)
            if module is None or not self.module.is_readable(module_name):
                return None
            return self._judge_in(module_name, module_name, attributes, string, factory, ())
        names = self.string_modules(module_name)
        mypy_name = self._module_named(module_name, names)
        if mypy_name is None:
            if not self.roots.missing(module_name) or self._edits_sys_path():
                return None
            fix = self._closest_module(module_name, path, factory)
            package, dot, _ = module_name.partition(".")
            if (
                fix is None
                and dot
                and package.isidentifier()
                and not self.roots.module_files(package)
                and not self._on_own_path(package)
            ):
                # A module of a package that no root has and that is not installed: a
                # dependency missing where mypy runs, not a certain failure. (A top-level
                # module name found nowhere is the program's own file, misspelt or misplaced.)
                return NotFound(package, self.roots.shown_roots())
            return Unresolved(f'uvicorn cannot import module "{module_name}"', fix)
        return self._judge_in(module_name, mypy_name, attributes, string, factory, names)

    def _edits_sys_path(self) -> bool:
        """Whether the calling module may change where imports are found (`sys.path.insert`,
        `site.addsitedir`): then no module is certainly missing. Asked only for a string whose
        module no root has."""
        tree = self.module.tree
        if tree is None or not tree.path:
            return False
        try:
            with open(tree.path, "rb") as handle:
                text = handle.read()
        except OSError:
            return True
        return b"sys.path" in text or b"addsitedir" in text

    def _on_own_path(self, package: str) -> bool:
        """Whether `package` names a folder the calling file is in: the program's own package,
        started from a folder that does not have it (`python proj/third` with "third.main:app"),
        not a dependency missing where mypy runs."""
        tree = self.module.tree
        if tree is None or not tree.path:
            return False
        return package in os.path.dirname(os.path.abspath(tree.path)).split(os.sep)

    def runs_before_binding(self, string: str, line: int) -> Unresolved | None:
        """For a call on `line` that runs whenever its module is imported: `Unresolved` when
        the string names that same module (from every root) and an attribute the module binds
        only after the call. uvicorn imports the module by its name, afresh or half-imported,
        and so runs this call again before the name is bound."""
        tree = self.module.tree
        module_name, _, path = string.partition(":")
        attribute = path.split(".")[0]
        if tree is None or not tree.path or not tree.path.endswith(".py"):
            return None
        program = self.state.program(self.api)
        if self.roots.module_files(module_name) != {real_path(program, tree.path)}:
            return None
        known = self.module.values.first_bound
        if tree.path not in known:
            known[tree.path] = first_bound_at_import(tree.path)
        first = known[tree.path]
        bound = None if first is None else first.get(attribute)
        if bound is None or bound <= line:
            return None
        return Unresolved(
            f'module "{module_name}" has no attribute "{attribute}" when this call runs: uvicorn'
            f" imports the module, which runs this call again before line {bound} binds"
            f' "{attribute}"; call uvicorn.run last, under if __name__ == "__main__":',
            None,
        )

    def file_exists(self, module_name: str) -> bool:
        """Whether some root has a file Python imports as `module_name` (any file name)."""
        return self.roots.file_exists(module_name)

    def _judge_in(
        self,
        module_name: str,
        mypy_name: str,
        attributes: list[str],
        string: str,
        factory: bool | None,
        names: Sequence[str],
    ) -> Unresolved | Target | None:
        """What `attributes` name in the mypy module `mypy_name` (spelt `module_name`)."""
        api = self.api
        module = mypy_internals.get_module(api, mypy_name)
        if module is None:
            return None
        touched: list[str] | None = [] if mypy_internals.keeps_plugin_deps(api) else None
        found = self._walk(module, attributes, module_name, touched)
        for fullname in touched or ():
            # The daemon re-checks this module when what the string walks through changes: a
            # name of the module, or a member of a class (`"main:service.asgi"`:
            # `main.Service.asgi`).
            mypy_internals.add_plugin_dependency(api, mypy_internals.name_trigger(fullname))
        if isinstance(found, Missing):
            if found.reason in (None, FOR_INSTANCES) and bound_unreachably(
                api, self.module.values, found
            ):
                # Bound in code mypy skips (`else:` of `if TYPE_CHECKING:`), or given a value
                # in the class body after an annotation.
                return None
            fix = self._closest_attribute(module_name, found, factory, names)
            reason = f'{found.owner} has no attribute "{found.name}"'
            if found.reason is not None:
                reason += f" when uvicorn imports it: {found.reason}"
            return Unresolved(reason, fix)
        if found is None:
            return None
        return arguments.callability_of_node(found, f'"{string}"', owner_kind(module, attributes))

    def string_modules(self, module_name: str) -> list[str]:
        """The modules of the program a string module may name from the module being checked,
        as mypy names them (dependencies.dependency_names: the plugin made mypy analyse them
        before this module). The daemon is told to re-check this module when any of them
        changes."""
        api, values = self.api, self.module.values
        cached = values.string_modules.get(module_name)
        if cached is not None:
            return cached
        tree = self.module.tree
        names: list[str] = []
        if tree is not None and tree.path:
            if values.root_finders is None:
                values.root_finders = self.state.root_finders()
            names = dependency_names(
                tree.path,
                tree.fullname,
                tree.is_package_init_file(),
                module_name,
                values.root_finders,
            )
            package = (
                tree.fullname if tree.is_package_init_file() else tree.fullname.rpartition(".")[0]
            )
            watched = {*names, module_name, f"{package}.{module_name}" if package else module_name}
            for name in sorted(watched):
                mypy_internals.add_plugin_dependency(api, mypy_internals.name_trigger(name))
                mypy_internals.add_plugin_dependency(
                    api, mypy_internals.name_trigger(f"{name}[wildcard]")
                )
        values.string_modules[module_name] = names
        return names

    def _module_named(self, module_name: str, names: Sequence[str]) -> str | None:
        """The mypy module the string module names, when it is the same file from every root
        uvicorn may import from and mypy has analysed it before this module; else None."""
        files = self.roots.module_files(module_name)
        if len(files) != 1:
            return None
        (file,) = files
        program = self.state.program(self.api)
        for name in (module_name, *names):
            module = mypy_internals.get_module(self.api, name)
            if (
                module is not None
                and module.path
                and real_path(program, module.path) == file
                and (name in names or self.module.is_readable(name))
            ):
                return name
        return None

    def resolves_usably(
        self, candidate: str, factory: bool | None, names: Sequence[str] | None = None
    ) -> bool:
        """Whether a suggested string names something uvicorn can start as asked (never a
        module or a class: what it makes is not known)."""
        module_name, _, path = candidate.partition(":")
        if names is None:
            names = self.string_modules(module_name)
        mypy_name = self._module_named(module_name, names)
        module = None if mypy_name is None else mypy_internals.get_module(self.api, mypy_name)
        if module is None:
            return False
        found = self._walk(module, path.split("."), module_name)
        if found is None or isinstance(found, Missing | MypyFile | TypeInfo):
            return False
        target = arguments.callability_of_node(
            found, candidate, owner_kind(module, path.split("."))
        )
        return arguments.usable(target, factory)

    def _walk(
        self, module: MypyFile, attributes: list[str], spelt: str, touched: list[str] | None = None
    ) -> SymbolNode | Missing | None:
        """What `attributes` name in `module` when uvicorn has imported it: as mypy's symbol
        table says (walk), less the module-level names its source does not bind at
        import (text.unbound_at_import)."""
        found = walk(module, attributes, spelt, touched)
        if found is None or not module.path or not module.path.endswith(".py"):
            return found
        if isinstance(found, Missing) and found.prefix == []:
            return found  # the first name is missing already
        unbound = self.module.values.unbound
        reasons = unbound.get(module.path)
        if reasons is None:
            reasons = unbound[module.path] = unbound_at_import(module.path)
        reason = reasons.get(attributes[0])
        if reason is None:
            return found
        public = [name for name in module.names if not name.startswith("_")]
        others = [name for name in public if name not in reasons]
        return Missing(
            f'module "{spelt}"', [], attributes[0], attributes[1:], others, (module,), reason
        )

    def _closest_attribute(
        self, module_name: str, missing: Missing, factory: bool | None, names: Sequence[str]
    ) -> str | None:
        # The rest of the path is kept: "main:servce.asgi" -> "main:service.asgi".
        for name in closest(missing.name, missing.candidates, 5):
            candidate = f"{module_name}:{'.'.join([*missing.prefix, name, *missing.rest])}"
            if self.resolves_usably(candidate, factory, names):
                return candidate
        return None

    def _closest_module(self, module_name: str, path: str, factory: bool | None) -> str | None:
        # A typo is matched against whole module names and against their last part
        # ("mian" -> "pkg.main" when the program has no top-level "main").
        by_key: dict[str, str] = {}
        for name in self.roots.program_modules():
            by_key.setdefault(name, name)
            by_key.setdefault(name.rpartition(".")[2], name)
        for key in closest(module_name, list(by_key), 5):
            candidate = f"{by_key[key]}:{path}"
            if self.resolves_usably(candidate, factory):  # the candidate's own names
                return candidate
        # A module of the same folder whose symbol table this module may not read (nothing
        # it imports, and not a dependency the plugin made: mypy may analyse it before or after
        # this module, or never): its source must bind the name at import.
        attribute = path.split(".")[0]
        for name, file in self.roots.close_on_disk(module_name):
            if not file.endswith(".py") or self._module_named(name, self.string_modules(name)):
                continue
            bound = first_bound_at_import(file)
            if bound is not None and attribute in bound:
                return f"{name}:{path}"
        return None


# --- what the attribute path names in a module mypy analysed


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
