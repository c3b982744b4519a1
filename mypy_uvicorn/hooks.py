"""The hooks themselves: read the call (call_reader.py), decide (rules.py), report.

Imported by the plugin on the first uvicorn call it sees, so that a check without one never
pays for loading the rule book.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mypy.errorcodes import CALL_ARG, ErrorCode
from mypy.messages import format_type
from mypy.nodes import ARG_NAMED, ARG_NAMED_OPT, ARG_STAR, ARG_STAR2, CallExpr
from mypy.plugin import FunctionContext, FunctionSigContext
from mypy.subtypes import is_subtype
from mypy.types import AnyType, CallableType, FunctionLike, NoneType, Type, TypeOfAny, UnionType

from mypy_uvicorn import constants, mypy_internals, rules
from mypy_uvicorn.arguments import Actuals, actuals_of, given_types, names_read
from mypy_uvicorn.call_reader import CallReader
from mypy_uvicorn.constants import is_uvicorn_callee
from mypy_uvicorn.records import Finding
from mypy_uvicorn.state import State

if TYPE_CHECKING:
    from mypy_uvicorn.import_strings.dependencies import RootFinders


def widened_run_signature(
    ctx: FunctionSigContext, *, debug_is_a_parameter: bool = False
) -> FunctionLike:
    """Let every call that fits uvicorn's own signature match an overload of the stubs.

    mypy applies this to each overload item before matching, so the object-app overload accepts
    any reload and workers and the function hook below can report one precise error instead of
    mypy's "No overload variant" listing. `reload` and `workers` accept any value here: a call
    such as `run(app, reload=1)` must still reach the function hook (uvicorn exits on it), which
    then reports their type errors in mypy's own words (declared_type_errors). Calls the real
    signature rejects for another argument still fail as usual.

    With `debug=` it reports mypy's own error and a note itself, once per overload item: mypy
    drops a repeated identical error and note, so the user sees each once. Not where uvicorn
    before 0.19 is installed (`debug_is_a_parameter`): there `debug` is one of its parameters.
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
    arg_kinds = list(sig.arg_kinds)
    for name, typ in widened.items():
        if name in sig.arg_names:
            index = sig.arg_names.index(name)
            arg_types[index] = typ
            if name != "app":  # required in the stubs' reload + workers overload
                arg_kinds[index] = ARG_NAMED_OPT
    sig = sig.copy_modified(arg_types=arg_types, arg_kinds=arg_kinds)
    if passes_debug(ctx):
        return _accept_debug(ctx, sig, report=not debug_is_a_parameter)
    if "debug" in sig.arg_names:
        # The stubs' `debug` (see _accept_debug) is not uvicorn's: not in mypy's listing of the
        # overloads either. With it gone the widened items are alike, and mypy lists one. No
        # definition: mypy would print the parameter list from it (and name the one dropped).
        index = sig.arg_names.index("debug")
        sig = sig.copy_modified(
            arg_types=sig.arg_types[:index] + sig.arg_types[index + 1 :],
            arg_kinds=sig.arg_kinds[:index] + sig.arg_kinds[index + 1 :],
            arg_names=sig.arg_names[:index] + sig.arg_names[index + 1 :],
            definition=None,
        )
    return sig


def passes_debug(ctx: FunctionSigContext) -> bool:
    return isinstance(ctx.context, CallExpr) and "debug" in ctx.context.arg_names


def passes_star_args(ctx: FunctionSigContext) -> bool:
    return isinstance(ctx.context, CallExpr) and ARG_STAR in ctx.context.arg_kinds


def _accept_debug(ctx: FunctionSigContext, sig: CallableType, *, report: bool) -> CallableType:
    # uvicorn 0.19 removed `debug` without a deprecation: report mypy's own wording for an unknown
    # keyword, explain it, and let the call match so that its reload and workers are still
    # checked. The stubs declare `debug` with a type no value fits (its name is the message for
    # the other checkers): here it accepts anything, and the error above is the one reported.
    if report:
        from mypy_uvicorn import messages

        ctx.api.fail(messages.DEBUG_UNEXPECTED, ctx.context, code=CALL_ARG)
        ctx.api.msg.note(messages.DEBUG_NOTE, ctx.context, code=CALL_ARG)
    anything = AnyType(TypeOfAny.special_form)
    if "debug" in sig.arg_names:
        arg_types = list(sig.arg_types)
        arg_types[sig.arg_names.index("debug")] = anything
        return sig.copy_modified(arg_types=arg_types)
    return sig.copy_modified(
        arg_types=[*sig.arg_types, anything],
        arg_kinds=[*sig.arg_kinds, ARG_NAMED],
        arg_names=[*sig.arg_names, "debug"],
    )


class Hooks:
    """The plugin's hooks, made with the first uvicorn call (see plugin.py).

    mypy may run a function hook several times for one call: once per overload item it tries
    (with errors filtered; an error there means the item does not match), and once more for the
    item it picks. The reports of a call are computed once and replayed while the call is
    checked with the same argument types (mypy's union math checks a call once per member of a
    union argument: those are computed anew).
    """

    def __init__(
        self,
        error_codes: dict[constants.Code, ErrorCode],
        root_finders: Callable[[], RootFinders],
        *,
        debug_is_a_parameter: bool = False,
    ) -> None:
        self.error_codes = error_codes  # what each finding is reported with (plugin.for_findings)
        self.state = State(root_finders)
        # uvicorn before 0.19 is installed: `debug=` is valid, and reloads an import string.
        self.debug_is_a_parameter = debug_is_a_parameter

    def run_signature(self, ctx: FunctionSigContext) -> FunctionLike:
        if passes_star_args(ctx):
            # `run(*args, ...)`: the application is not known, so the function hook cannot judge
            # the call; the stubs' own overloads still can, and reject what uvicorn rejects.
            return ctx.default_signature
        item = ctx.default_signature
        if passes_debug(ctx) and is_uvicorn_callee(item.arg_names):
            # Reports mypy's error: never from a cache.
            return widened_run_signature(ctx, debug_is_a_parameter=self.debug_is_a_parameter)
        # mypy asks once per overload item and call; the answer depends only on the item, and on
        # the builtins it is built from (a daemon may analyse either anew: then new objects).
        widened = self.state.session(ctx.api).widened
        cached = widened.get(id(item))
        if cached is None or cached[0] is not item:
            sig = widened_run_signature(ctx) if is_uvicorn_callee(item.arg_names) else item
            cached = widened[id(item)] = (item, sig)
        return cached[1]

    def report_run_call(self, ctx: FunctionContext) -> Type:
        mypy_internals.reopen_errors_of_checked_file(ctx.api)
        self._replay(ctx, self._findings(ctx, self._run_findings))
        return ctx.default_return_type

    def report_config_call(self, ctx: FunctionContext) -> Type:
        mypy_internals.reopen_errors_of_checked_file(ctx.api)
        self._replay(ctx, self._findings(ctx, self._config_findings))
        return ctx.default_return_type

    def _findings(
        self,
        ctx: FunctionContext,
        compute: Callable[[FunctionContext, Actuals], list[Finding]],
    ) -> list[Finding]:
        memo = self.state.module(ctx.api).reports
        entry = memo.get(id(ctx.context))
        if entry is None or entry[0] is not ctx.context or entry[1] != ctx.arg_types:
            if not is_uvicorn_callee(ctx.callee_arg_names):
                entry = memo[id(ctx.context)] = (ctx.context, ctx.arg_types, [])
                return entry[2]
            given = actuals_of(ctx)
            for name in names_read(given):
                mypy_internals.add_plugin_dependency(ctx.api, mypy_internals.name_trigger(name))
            # Only what the module reports (uvicorn-web-concurrency is off by default): see
            # mypy_internals.code_enabled.
            findings = [
                f
                for f in compute(ctx, given)
                if mypy_internals.code_enabled(ctx.api, self.error_codes[f.code])
            ]
            entry = memo[id(ctx.context)] = (ctx.context, ctx.arg_types, findings)
        return entry[2]

    def _run_findings(self, ctx: FunctionContext, given: Actuals) -> list[Finding]:
        findings = self._declared_type_errors(ctx, given)
        reader = CallReader(ctx, self.state, given, debug_reloads=self.debug_is_a_parameter)
        api = ctx.api
        error_codes = self.error_codes
        findings += rules.run_findings(
            reader.run_call(),
            lambda code: mypy_internals.code_enabled(api, error_codes[code]),
        )
        return findings

    def _config_findings(self, ctx: FunctionContext, given: Actuals) -> list[Finding]:
        reader = CallReader(ctx, self.state, given, debug_reloads=self.debug_is_a_parameter)
        return rules.config_findings(reader.config_call())

    def _declared_type_errors(self, ctx: FunctionContext, given: Actuals) -> list[Finding]:
        """The type errors of `reload` and `workers` that the widened signature no longer
        reports, against uvicorn's annotations (`reload: bool`, `workers: int | None`), as mypy
        words them."""
        api = ctx.api
        session = self.state.session(api)
        if session.declared is None:
            session.declared = {
                "reload": api.named_generic_type("builtins.bool", []),
                "workers": UnionType([api.named_generic_type("builtins.int", []), NoneType()]),
            }
        findings: list[Finding] = []
        for name, expected in session.declared.items():
            for typ in given_types(given, name):
                if not is_subtype(typ, expected):
                    from mypy_uvicorn import messages

                    message = messages.arg_type(
                        name, format_type(typ, api.options), format_type(expected, api.options)
                    )
                    findings.append(Finding(constants.ARG_TYPE, message))
        return findings

    def _replay(self, ctx: FunctionContext, findings: list[Finding]) -> None:
        for finding in findings:
            code = self.error_codes[finding.code]
            if finding.note:
                ctx.api.msg.note(finding.message, ctx.context, code=code)
            else:
                ctx.api.fail(finding.message, ctx.context, code=code)
