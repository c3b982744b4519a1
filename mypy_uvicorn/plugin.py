"""The mypy plugin: its settings, and the callee fullnames it hooks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from mypy.options import Options
from mypy.plugin import FunctionContext, FunctionSigContext, Plugin, ReportConfigContext
from mypy.types import FunctionLike, Type

from mypy_uvicorn import errorcodes, settings

if TYPE_CHECKING:
    from mypy_uvicorn.hooks import Hooks

RUN: Final = "uvicorn.main.run"
CONFIG: Final = "uvicorn.config.Config"


class UvicornPlugin(Plugin):
    # No instance __dict__: mypy looks up a hook method on every plugin for each name it
    # analyses (tens of thousands of times), and an instance with a __dict__ costs one more
    # dictionary lookup each time (0.1 points of a 30-module run; benchmarks/overhead.py).
    __slots__ = ("_function_hooks", "_hooks", "codes", "settings")

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        try:
            self.settings = settings.load(options.config_file)
        except settings.SettingsError as error:
            # A configuration mistake, not a crash: one line, the exit status of mypy's own
            # configuration errors, no traceback.
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        self.codes = errorcodes.by_name(web_concurrency=self.settings.web_concurrency)
        self._hooks: Hooks | None = None
        self._function_hooks: dict[str, Callable[[FunctionContext], Type]] = {
            RUN: self.check_run,
            CONFIG: self.check_config,
        }

    def report_config_data(self, ctx: ReportConfigContext) -> dict[str, Any]:
        return self.settings.as_config_data()

    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return self.widen_run_signature if fullname == RUN else None

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return self._function_hooks.get(fullname)

    def hooks(self) -> Hooks:
        # Made with the first uvicorn call, with the rest of the rule book (see hooks.py).
        if self._hooks is None:
            from mypy_uvicorn.hooks import Hooks

            self._hooks = Hooks(self.codes)
        return self._hooks

    def widen_run_signature(self, ctx: FunctionSigContext) -> FunctionLike:
        return self.hooks().widen_run_signature(ctx)

    def check_run(self, ctx: FunctionContext) -> Type:
        return self.hooks().check_run(ctx)

    def check_config(self, ctx: FunctionContext) -> Type:
        return self.hooks().check_config(ctx)
