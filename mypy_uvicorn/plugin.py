"""The mypy plugin: its settings, the mypy ErrorCode of each code, and which hook answers each
callee it hooks.

The settings are read from the configuration file mypy itself uses:

    # pyproject.toml                      # mypy.ini or setup.cfg
    [tool.mypy_uvicorn]                   [mypy.plugins.mypy_uvicorn]
    web_concurrency = true                web_concurrency = true

A key this plugin does not know or a value of the wrong type is a SettingsError whose text is
one line naming the file, the section and the key.

One module, not three: mypy imports it at every start, and each module file costs its import
(about 0.4 million instructions) whether or not a program calls uvicorn.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mypy.errorcodes import ARG_TYPE, ErrorCode
from mypy.nodes import AssignmentStmt, Import, ImportAll, ImportFrom, MypyFile, StrExpr
from mypy.options import Options
from mypy.plugin import FunctionContext, FunctionSigContext, Plugin, ReportConfigContext
from mypy.types import FunctionLike, Type, UnboundType

from mypy_uvicorn import constants
from mypy_uvicorn.constants import (
    CONFIG_FULLNAME,
    DEBUG_REMOVED_IN,
    RUN_FULLNAME,
    is_module_of,
    outside_program,
    toml,
    uvicorn_release,
)

if TYPE_CHECKING:
    from mypy_uvicorn.hooks import Hooks
    from mypy_uvicorn.import_strings.dependencies import RootFinders


# --- the settings

TOML_SECTION = "tool.mypy_uvicorn"
INI_SECTION = "mypy.plugins.mypy_uvicorn"


# A plain class: made in a few thousand instructions at every mypy start (a NamedTuple takes
# 0.8 million, a frozen dataclass 2.8 million).
class Settings:
    __slots__ = ("web_concurrency",)

    def __init__(self, web_concurrency: bool = False) -> None:
        # Report `uvicorn-web-concurrency` (off by default). With mypy 1.19 or newer
        # `enable_error_code = uvicorn-web-concurrency` does the same.
        self.web_concurrency = web_concurrency

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and other.web_concurrency == self.web_concurrency

    def __hash__(self) -> int:
        return hash(self.web_concurrency)

    def __repr__(self) -> str:
        return f"Settings(web_concurrency={self.web_concurrency!r})"

    def as_config_data(self) -> dict[str, Any]:
        """What mypy stores with its cache: a change of setting re-checks the modules."""
        return {"web_concurrency": self.web_concurrency}


KNOWN = ("web_concurrency",)


class SettingsError(Exception):
    pass


def load(config_file: str | None) -> Settings:
    if not config_file:
        return Settings()
    path = Path(config_file)
    try:
        if path.suffix == ".toml":
            return _from_toml(path)
        return _from_ini(path)
    # tomllib.TOMLDecodeError is a ValueError.
    except (OSError, ValueError, configparser.Error) as error:
        reason = " ".join(str(error).split())  # one line, whatever the parser said
        raise SettingsError(f"{path}: cannot read the mypy_uvicorn settings: {reason}") from None


def _from_toml(path: Path) -> Settings:
    data = toml().loads(path.read_text(encoding="utf-8"))
    tool = data.get("tool", {})
    section = tool.get("mypy_uvicorn", {}) if isinstance(tool, dict) else {}
    where = f"{path}: [{TOML_SECTION}]"
    if not isinstance(section, dict):
        raise SettingsError(f"{where}: must be a table")
    values: dict[str, bool] = {}
    for key, value in section.items():
        _check_key(where, key)
        if not isinstance(value, bool):
            raise SettingsError(f'{where}: "{key}" must be true or false, not {value!r}')
        values[key] = value
    return Settings(**values)


def _from_ini(path: Path) -> Settings:
    parser = configparser.RawConfigParser()
    with path.open(encoding="utf-8") as file:
        parser.read_file(file)
    if not parser.has_section(INI_SECTION):
        return Settings()
    where = f"{path}: [{INI_SECTION}]"
    values: dict[str, bool] = {}
    for key, text in parser.items(INI_SECTION):
        _check_key(where, key)
        state = parser.BOOLEAN_STATES.get(text.strip().lower())
        if state is None:
            raise SettingsError(f'{where}: "{key}" must be true or false, not "{text}"')
        values[key] = state
    return Settings(**values)


def _check_key(where: str, key: str) -> None:
    if key not in KNOWN:
        known = ", ".join(KNOWN)
        raise SettingsError(f'{where}: unknown key "{key}" (known keys: {known})')


# --- the mypy ErrorCode of each code of constants.py: one object per code, made when mypy loads
# the plugin (mypy registers a code when its ErrorCode is created, and only then accepts its name in
# `disable_error_code` and `# type: ignore[...]`).

_CATEGORY: Final = "uvicorn"

# uvicorn-web-concurrency is off by default. mypy 1.19 and newer turn it on with
# `enable_error_code`; the plugin setting `web_concurrency = true` (Settings above) reports it
# through this twin instead, which is on by default. mypy compares error codes by their name
# only, so both are the same code to `# type: ignore[...]` and `disable_error_code`.
WEB_CONCURRENCY_ON: Final = ErrorCode(
    constants.WEB_CONCURRENCY.name, constants.WEB_CONCURRENCY.description, _CATEGORY
)
# Made after the twin: mypy's table of codes by name keeps the last one made, and what mypy
# looks up by name (its options, its cache) must find the code that is off by default.
ERROR_CODES: Final = {
    code: ErrorCode(code.name, code.description, _CATEGORY, default_enabled=code.default_enabled)
    for code in constants.OWN
}


def for_findings(*, web_concurrency: bool) -> dict[constants.Code, ErrorCode]:
    """The ErrorCode to report each code with, under the plugin's settings."""
    by_code = {**ERROR_CODES, constants.ARG_TYPE: ARG_TYPE}
    if web_concurrency:
        by_code[constants.WEB_CONCURRENCY] = WEB_CONCURRENCY_ON
    return by_code


# --- the plugin


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
            self.settings = load(options.config_file)
        except SettingsError as error:
            # A configuration mistake, not a crash: one line, the exit status of mypy's own
            # configuration errors, no traceback.
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        self.error_codes = for_findings(web_concurrency=self.settings.web_concurrency)
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

            # mypy names a cache entry by the module's name and takes it for a file of the same
            # name, size and content elsewhere, with the path it was written for: two services
            # of a monorepo checked with one cache (`app/web.py` copied into each) then gave the
            # second the first's `app.web`, and its strings were judged from the first's folder
            # (the finding lost). The file's own path keeps each entry to its file.
            data = {**data, "path": os.path.abspath(ctx.path)}
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
