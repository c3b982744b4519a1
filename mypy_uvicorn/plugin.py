"""The mypy plugin: its settings, and the callee fullnames it hooks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from mypy.options import Options
from mypy.plugin import FunctionContext, FunctionSigContext, Plugin, ReportConfigContext
from mypy.types import CallableType, FunctionLike, Type

from mypy_uvicorn import errorcodes, settings

if TYPE_CHECKING:
    from mypy_uvicorn.state import State

RUN: Final = "uvicorn.main.run"
CONFIG: Final = "uvicorn.config.Config"


class UvicornPlugin(Plugin):
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
        self._state: State | None = None
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

    def state(self) -> State:
        # Made on first use, with the rest of the rule book (see hooks.py).
        if self._state is None:
            from mypy_uvicorn.state import State

            self._state = State()
        return self._state

    def widen_run_signature(self, ctx: FunctionSigContext) -> FunctionLike:
        from mypy_uvicorn import hooks  # loaded with the first uvicorn call, see hooks.py

        if hooks.passes_debug(ctx):
            return hooks.widen_run_signature(ctx)
        # mypy asks once per overload item and call; the answer depends only on the item.
        widened: dict[int, tuple[CallableType, FunctionLike]]
        widened = self.state().per_module(ctx.api, "widened", dict)
        item = ctx.default_signature
        cached = widened.get(id(item))
        if cached is None or cached[0] is not item:
            cached = widened[id(item)] = (item, hooks.widen_run_signature(ctx))
        return cached[1]

    def check_run(self, ctx: FunctionContext) -> Type:
        from mypy_uvicorn import hooks

        return hooks.check_run(ctx, self.codes, self.state())

    def check_config(self, ctx: FunctionContext) -> Type:
        from mypy_uvicorn import hooks

        return hooks.check_config(ctx, self.codes, self.state())
