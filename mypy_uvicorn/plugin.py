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
    from mypy_uvicorn.bindings import Bindings

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
        self._binding_index: Bindings | None = None
        self._widened_for: object = None
        self._widened: dict[int, tuple[CallableType, FunctionLike]] = {}
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

    def _bindings(self) -> Bindings:
        # One index per plugin instance (per process in parallel mode), made on first use.
        if self._binding_index is None:
            from mypy_uvicorn.bindings import Bindings

            self._binding_index = Bindings()
        return self._binding_index

    def widen_run_signature(self, ctx: FunctionSigContext) -> FunctionLike:
        from mypy_uvicorn import hooks  # loaded with the first uvicorn call, see hooks.py

        if hooks.passes_debug(ctx):
            return hooks.widen_run_signature(ctx)
        # mypy asks once per overload item and call; the answer depends only on the item.
        # Kept while one module is checked (the daemon may load new items for the next).
        tree = getattr(ctx.api, "tree", None)
        if tree is not self._widened_for:
            self._widened_for, self._widened = tree, {}
        item = ctx.default_signature
        cached = self._widened.get(id(item))
        if cached is None or cached[0] is not item:
            cached = (item, hooks.widen_run_signature(ctx))
            self._widened[id(item)] = cached
        return cached[1]

    def check_run(self, ctx: FunctionContext) -> Type:
        from mypy_uvicorn import hooks

        return hooks.check_run(ctx, self.codes, self._bindings())

    def check_config(self, ctx: FunctionContext) -> Type:
        from mypy_uvicorn import hooks

        return hooks.check_config(ctx, self.codes, self._bindings())
