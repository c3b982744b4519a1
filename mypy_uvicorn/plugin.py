"""The mypy plugin: callee fullnames mapped to hooks, and the hooks themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from mypy.errorcodes import CALL_ARG
from mypy.nodes import ARG_NAMED, ARG_STAR, ARG_STAR2, CallExpr
from mypy.plugin import FunctionContext, FunctionSigContext, Plugin
from mypy.types import AnyType, CallableType, FunctionLike, NoneType, Type, TypeOfAny, UnionType

from mypy_uvicorn import errorcodes, facts, messages, rules

RUN: Final = "uvicorn.main.run"


def widen_run_signature(ctx: FunctionSigContext) -> FunctionLike:
    """Let every call that fits uvicorn's own signature match an overload of the stubs.

    mypy applies this to each overload item before matching, so the object-app overload accepts
    any reload and workers and the function hook below can report one precise error instead of
    mypy's "No overload variant" listing. Calls the real signature rejects still fail as usual.
    """
    api = ctx.api
    sig = ctx.default_signature
    any_callable = CallableType(
        [AnyType(TypeOfAny.special_form)] * 2,
        [ARG_STAR, ARG_STAR2],
        [None, None],
        AnyType(TypeOfAny.special_form),
        api.named_generic_type("builtins.function", []),
    )
    # uvicorn's own annotations: `app: ASGIApplication | Callable[..., Any] | str`,
    # `reload: bool`, `workers: int | None`.
    real: dict[str | None, Type] = {
        "app": UnionType([api.named_generic_type("builtins.str", []), any_callable]),
        "reload": api.named_generic_type("builtins.bool", []),
        "workers": UnionType([api.named_generic_type("builtins.int", []), NoneType()]),
    }
    arg_types = [
        real.get(name, typ) for name, typ in zip(sig.arg_names, sig.arg_types, strict=True)
    ]
    sig = sig.copy_modified(arg_types=arg_types)
    if _passes_debug(ctx) and "debug" not in sig.arg_names:
        sig = _accept_debug(ctx, sig)
    return sig


def _passes_debug(ctx: FunctionSigContext) -> bool:
    return isinstance(ctx.context, CallExpr) and "debug" in ctx.context.arg_names


def _accept_debug(ctx: FunctionSigContext, sig: CallableType) -> CallableType:
    # uvicorn 0.19 removed `debug` without a deprecation: keep mypy's own error, explain it, and
    # let the call match so that its reload and workers are still checked. mypy runs this hook
    # once per overload item and drops the repeated identical error and note.
    ctx.api.fail(messages.DEBUG_UNEXPECTED, ctx.context, code=CALL_ARG)
    ctx.api.msg.note(messages.DEBUG_NOTE, ctx.context, code=CALL_ARG)
    return sig.copy_modified(
        arg_types=[*sig.arg_types, AnyType(TypeOfAny.special_form)],
        arg_kinds=[*sig.arg_kinds, ARG_NAMED],
        arg_names=[*sig.arg_names, "debug"],
    )


def check_run(ctx: FunctionContext) -> Type:
    for finding in rules.check_run(facts.run_call(ctx)):
        ctx.api.fail(finding.message, ctx.context, code=errorcodes.BY_NAME[finding.code])
    return ctx.default_return_type


_SIGNATURE_HOOKS: Final[dict[str, Callable[[FunctionSigContext], FunctionLike]]] = {
    RUN: widen_run_signature,
}
_FUNCTION_HOOKS: Final[dict[str, Callable[[FunctionContext], Type]]] = {
    RUN: check_run,
}


class UvicornPlugin(Plugin):
    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return _SIGNATURE_HOOKS.get(fullname)

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return _FUNCTION_HOOKS.get(fullname)
