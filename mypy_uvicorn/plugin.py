"""The mypy plugin: its settings, and which hook answers each callee it hooks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from mypy.nodes import AssignmentStmt, Import, ImportAll, ImportFrom, MypyFile, StrExpr
from mypy.options import Options
from mypy.plugin import FunctionContext, FunctionSigContext, Plugin, ReportConfigContext
from mypy.types import FunctionLike, Type, UnboundType

from mypy_uvicorn import errorcodes, settings
from mypy_uvicorn.constants import (
    CONFIG_FULLNAME,
    DEBUG_REMOVED_IN,
    RUN_FULLNAME,
    is_module_of,
    outside_program,
    uvicorn_release,
)

if TYPE_CHECKING:
    from mypy_uvicorn.hooks import Hooks
    from mypy_uvicorn.import_strings.dependencies import RootFinders


def _may_pass_strings(file: MypyFile, parallel: bool) -> bool:
    """Whether a module that does not import uvicorn may still hold an import string that
    reaches it: it imports a `run` or `Config` (re-exported: `from runner import run`), or binds
    a `Final` string with a ":" at module level (`APP: Final = "web:app"`, read by a module that
    passes `settings.APP`). In mypy 2's parallel mode the coordinator's trees hold only the
    imports: the source text tells there (dependencies.may_pass_strings)."""
    for node in file.imports:
        if isinstance(node, ImportFrom):
            for name, _ in node.names:
                if name in _REEXPORTED:
                    return True
    if parallel and file.path:
        from mypy_uvicorn.import_strings import dependencies

        return dependencies.may_pass_strings(file.path)
    for statement in file.defs:
        if (
            isinstance(statement, AssignmentStmt)
            and isinstance(statement.rvalue, StrExpr)
            and ":" in statement.rvalue.value
            and isinstance(statement.unanalyzed_type, UnboundType)
            and statement.unanalyzed_type.name.rpartition(".")[2] == "Final"
        ):
            return True
    return False


_REEXPORTED: Final = ("run", "Config")


class UvicornPlugin(Plugin):
    # No instance __dict__: mypy looks up a hook method on every plugin for each name it
    # analyses, and an instance with a __dict__ costs one more dictionary lookup each time.
    __slots__ = (
        "_hooks",
        "_root_finders_",
        "debug_is_a_parameter",
        "error_codes",
        "get_function_hook",
        "get_function_signature_hook",
        "settings",
    )

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        try:
            self.settings = settings.load(options.config_file)
        except settings.SettingsError as error:
            # A configuration mistake, not a crash: one line, the exit status of mypy's own
            # configuration errors, no traceback.
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        self.error_codes = errorcodes.for_findings(web_concurrency=self.settings.web_concurrency)
        self._hooks: Hooks | None = None
        # mypy's module search for the modules import strings name (import_strings/
        # dependencies.py), made on first use. It caches directory listings: kept for the run,
        # but made anew for each module under the daemon, which lives while files come and go.
        self._root_finders_: RootFinders | None = None
        # uvicorn before 0.19 is installed where mypy looks for packages: `debug=` is one of its
        # parameters (read once: one file of the project's environment).
        release = uvicorn_release(options.python_executable)
        self.debug_is_a_parameter = release is not None and release < DEBUG_REMOVED_IN
        function_hooks: dict[str, Callable[[FunctionContext], Type]] = {
            RUN_FULLNAME: self.run_call_hook,
            CONFIG_FULLNAME: self.config_call_hook,
        }
        signature_hooks: dict[str, Callable[[FunctionSigContext], FunctionLike]] = {
            RUN_FULLNAME: self.run_signature_hook,
        }
        # mypy asks these of every callee it checks (a thousand times in a small program): the
        # instance's slots, which come before Plugin's methods, answer with a dictionary's own
        # `get`, with no Python frame for each question (a method here cost 1.7 million
        # instructions on the benchmark's application-shaped project).
        object.__setattr__(self, "get_function_hook", function_hooks.get)
        object.__setattr__(self, "get_function_signature_hook", signature_hooks.get)

    def report_config_data(self, ctx: ReportConfigContext) -> dict[str, Any]:
        data = self.settings.as_config_data()
        if self.debug_is_a_parameter:
            # Findings on `debug=` depend on the installed uvicorn: an upgrade past 0.19 (or a
            # downgrade) makes mypy check every module again instead of keeping cached errors.
            data = {**data, "debug_is_a_parameter": True}
        if ctx.path.endswith(".py") and not outside_program(ctx.path):
            from mypy_uvicorn import factory_files
            from mypy_uvicorn.import_strings import dependencies

            names = dependencies.fingerprint(ctx.id, ctx.path, self.root_finders)
            if names:
                data = {**data, "import_strings": names}
            factories = factory_files.cache_data(self.options, ctx.id)
            if factories:
                data = {**data, "factories": factories}
        return data

    def get_additional_deps(self, file: MypyFile) -> list[tuple[int, str, int]]:
        # mypy asks this for every module it parses, the standard library and installed
        # packages too. Only a source file of the program gets dependencies: typeshed's stubs
        # and installed packages, most of what mypy parses, are answered from their path before
        # their imports are read; for the others one pass over the imports decides, and only a
        # module that imports uvicorn has its source read (import_strings/dependencies.py).
        # Plain loops, no generator: this runs for every import of every module of the program.
        if file.is_stub or outside_program(file.path):
            return []
        for node in file.imports:
            if isinstance(node, Import):
                for name, _ in node.ids:
                    if is_module_of(name):
                        break
                else:
                    continue
                break
            if isinstance(node, _FROM_IMPORTS) and not node.relative and is_module_of(node.id):
                break
        else:
            if not _may_pass_strings(file, getattr(self.options, "num_workers", 0) > 0):
                return []
        from mypy_uvicorn.import_strings import dependencies

        return dependencies.additional_deps(file, self.root_finders())

    def root_finders(self) -> RootFinders:
        from mypy_uvicorn.import_strings.dependencies import RootFinders

        finders = self._root_finders_
        if finders is None or self.options.fine_grained_incremental:
            finders = self._root_finders_ = RootFinders(self.options)
        return finders

    def hooks(self) -> Hooks:
        # Made with the first uvicorn call, with the rest of the rule book (see hooks.py).
        if self._hooks is None:
            from mypy_uvicorn.hooks import Hooks

            self._hooks = Hooks(
                self.error_codes,
                self.root_finders,
                debug_is_a_parameter=self.debug_is_a_parameter,
            )
        return self._hooks

    def run_signature_hook(self, ctx: FunctionSigContext) -> FunctionLike:
        return self.hooks().run_signature(ctx)

    def run_call_hook(self, ctx: FunctionContext) -> Type:
        return self.hooks().report_run_call(ctx)

    def config_call_hook(self, ctx: FunctionContext) -> Type:
        return self.hooks().report_config_call(ctx)


_FROM_IMPORTS: Final = (ImportFrom, ImportAll)
