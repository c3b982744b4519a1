"""The hooks themselves: read the call (facts), decide (rules), report.

Imported by the plugin on the first uvicorn call it sees, so that a check without one never
pays for loading the rule book.
"""

from __future__ import annotations

from mypy.errorcodes import ARG_TYPE, CALL_ARG, ErrorCode
from mypy.messages import format_type
from mypy.nodes import ARG_NAMED, ARG_STAR, ARG_STAR2, CallExpr
from mypy.plugin import FunctionContext, FunctionSigContext
from mypy.subtypes import is_subtype
from mypy.types import AnyType, CallableType, FunctionLike, NoneType, Type, TypeOfAny, UnionType

from mypy_uvicorn import facts, messages, rules
from mypy_uvicorn.state import State


def widen_run_signature(ctx: FunctionSigContext) -> FunctionLike:
    """Let every call that fits uvicorn's own signature match an overload of the stubs.

    mypy applies this to each overload item before matching, so the object-app overload accepts
    any reload and workers and the function hook below can report one precise error instead of
    mypy's "No overload variant" listing. `reload` and `workers` accept any value here: a call
    such as `run(app, reload=1)` must still reach the function hook (uvicorn exits on it), which
    then reports their type errors in mypy's own words (check_declared_types). Calls the real
    signature rejects for another argument still fail as usual.
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
    anything = api.named_generic_type("builtins.object", [])
    # uvicorn's own annotation: `app: ASGIApplication | Callable[..., Any] | str`.
    widened: dict[str | None, Type] = {
        "app": UnionType([api.named_generic_type("builtins.str", []), any_callable]),
        "reload": anything,
        "workers": anything,
    }
    arg_types = list(sig.arg_types)
    for name, typ in widened.items():
        if name in sig.arg_names:
            arg_types[sig.arg_names.index(name)] = typ
    sig = sig.copy_modified(arg_types=arg_types)
    if passes_debug(ctx) and "debug" not in sig.arg_names:
        sig = _accept_debug(ctx, sig)
    return sig


def passes_debug(ctx: FunctionSigContext) -> bool:
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


def check_declared_types(ctx: FunctionContext, state: State) -> None:
    """The type errors of `reload` and `workers` that the widened signature no longer reports,
    against uvicorn's annotations (`reload: bool`, `workers: int | None`), as mypy words them."""
    api = ctx.api
    declared: dict[str, Type] = state.per_module(
        api,
        "declared",
        lambda: {
            "reload": api.named_generic_type("builtins.bool", []),
            "workers": UnionType([api.named_generic_type("builtins.int", []), NoneType()]),
        },
    )
    for name, expected in declared.items():
        for given in facts.given_types(ctx, name):
            if not is_subtype(given, expected):
                api.fail(
                    f'Argument "{name}" to "run" has incompatible type'
                    f" {format_type(given, api.options)}; expected"
                    f" {format_type(expected, api.options)}",
                    ctx.context,
                    code=ARG_TYPE,
                )


def check_run(ctx: FunctionContext, codes: dict[str, ErrorCode], state: State) -> Type:
    check_declared_types(ctx, state)
    _report(ctx, rules.check_run(facts.run_call(ctx, state)), codes)
    return ctx.default_return_type


def check_config(ctx: FunctionContext, codes: dict[str, ErrorCode], state: State) -> Type:
    _report(ctx, rules.check_config(facts.config_call(ctx, state)), codes)
    return ctx.default_return_type


def _report(
    ctx: FunctionContext, findings: list[rules.Finding], codes: dict[str, ErrorCode]
) -> None:
    for finding in findings:
        if finding.note:
            ctx.api.msg.note(finding.message, ctx.context, code=codes[finding.code])
        else:
            ctx.api.fail(finding.message, ctx.context, code=codes[finding.code])
