"""The mypy plugin: its settings, and the callee fullnames it hooks."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from mypy.nodes import Import, ImportAll, ImportFrom, MypyFile
from mypy.options import Options
from mypy.plugin import FunctionContext, FunctionSigContext, Plugin, ReportConfigContext
from mypy.types import FunctionLike, Type

from mypy_uvicorn import errorcodes, settings

if TYPE_CHECKING:
    from mypy_uvicorn import targets
    from mypy_uvicorn.hooks import Hooks

# The callees the plugin hooks, as mypy names them (`uvicorn.run` is re-exported from
# uvicorn.main).
RUN_FULLNAME: Final = "uvicorn.main.run"
CONFIG_FULLNAME: Final = "uvicorn.config.Config"


class UvicornPlugin(Plugin):
    # No instance __dict__: mypy looks up a hook method on every plugin for each name it
    # analyses, and an instance with a __dict__ costs one more dictionary lookup each time.
    __slots__ = ("_function_hooks", "_hooks", "_search_", "error_codes", "settings")

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
        # mypy's module search for the modules import strings name (targets.py), made on first
        # use. It caches directory listings: kept for the run, but made anew for each module
        # under the daemon, which lives while files come and go.
        self._search_: targets.Search | None = None
        self._function_hooks: dict[str, Callable[[FunctionContext], Type]] = {
            RUN_FULLNAME: self.run_call_hook,
            CONFIG_FULLNAME: self.config_call_hook,
        }

    def report_config_data(self, ctx: ReportConfigContext) -> dict[str, Any]:
        data = self.settings.as_config_data()
        if ctx.path.endswith(".py"):
            from mypy_uvicorn import targets

            names = targets.fingerprint(ctx.id, ctx.path, self._search)
            if names:
                return {**data, "import_strings": names}
        return data

    def get_additional_deps(self, file: MypyFile) -> list[tuple[int, str, int]]:
        # mypy asks this for every module it parses, the standard library and installed
        # packages too: one pass over the module's imports decides, and only a module that
        # imports uvicorn has its source read (targets.py).
        # Only a source file of the program gets dependencies (targets.additional_deps); most
        # modules mypy parses are typeshed's stubs or installed packages: answered before
        # their imports are read.
        if file.is_stub or outside_program(file.path):
            return []
        # Plain loops and an inlined name test, no generator: this runs for every import of
        # every module.
        for node in file.imports:
            if isinstance(node, Import):
                for name, _ in node.ids:
                    if name.startswith("uvicorn") and (len(name) == 7 or name[7] == "."):
                        break
                else:
                    continue
                break
            if isinstance(node, _FROM_IMPORTS) and not node.relative:
                name = node.id
                if name.startswith("uvicorn") and (len(name) == 7 or name[7] == "."):
                    break
        else:
            return []
        from mypy_uvicorn import targets

        return targets.additional_deps(file, self._search())

    def _search(self) -> targets.Search:
        from mypy_uvicorn import targets

        search = self._search_
        if search is None or self.options.fine_grained_incremental:
            search = self._search_ = targets.Search(self.options)
        return search

    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return self.run_signature_hook if fullname == RUN_FULLNAME else None

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return self._function_hooks.get(fullname)

    def hooks(self) -> Hooks:
        # Made with the first uvicorn call, with the rest of the rule book (see hooks.py).
        if self._hooks is None:
            from mypy_uvicorn.hooks import Hooks

            self._hooks = Hooks(self.error_codes, self._search)
        return self._hooks

    def run_signature_hook(self, ctx: FunctionSigContext) -> FunctionLike:
        return self.hooks().run_signature(ctx)

    def run_call_hook(self, ctx: FunctionContext) -> Type:
        return self.hooks().report_run_call(ctx)

    def config_call_hook(self, ctx: FunctionContext) -> Type:
        return self.hooks().report_config_call(ctx)


_FROM_IMPORTS: Final = (ImportFrom, ImportAll)

# The directories whose files are not the program's: a path with one of them as a component.
_TYPESHED, _SITE, _DIST = (
    f"{os.sep}{part}{os.sep}" for part in ("typeshed", "site-packages", "dist-packages")
)


def outside_program(path: str) -> bool:
    """A file of typeshed or of the installed packages, not of the checked program. Asked for
    every module mypy parses: substring tests, no split."""
    marked = f"{os.sep}{path}{os.sep}"
    return _SITE in marked or _TYPESHED in marked or _DIST in marked
