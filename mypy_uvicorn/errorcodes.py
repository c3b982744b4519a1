"""The mypy ErrorCode of each code in codes.py: one object per code, made when mypy loads the
plugin (mypy registers a code when its ErrorCode is created, and only then accepts its name in
`disable_error_code` and `# type: ignore[...]`)."""

from __future__ import annotations

from typing import Final

from mypy.errorcodes import ARG_TYPE, ErrorCode

from mypy_uvicorn import codes

_CATEGORY: Final = "uvicorn"

# uvicorn-web-concurrency is off by default. mypy 1.19 and newer turn it on with
# `enable_error_code`; the plugin setting `web_concurrency = true` (settings.py) reports it
# through this twin instead, which is on by default. mypy compares error codes by their name
# only, so both are the same code to `# type: ignore[...]` and `disable_error_code`.
WEB_CONCURRENCY_ON: Final = ErrorCode(
    codes.WEB_CONCURRENCY.name, codes.WEB_CONCURRENCY.description, _CATEGORY
)
# Made after the twin: mypy's table of codes by name keeps the last one made, and what mypy
# looks up by name (its options, its cache) must find the code that is off by default.
OWN: Final = {
    code: ErrorCode(code.name, code.description, _CATEGORY, default_enabled=code.default_enabled)
    for code in codes.OWN
}


def for_findings(*, web_concurrency: bool) -> dict[codes.Code, ErrorCode]:
    """The ErrorCode to report each code with, under the plugin's settings."""
    by_code = {**OWN, codes.ARG_TYPE: ARG_TYPE}
    if web_concurrency:
        by_code[codes.WEB_CONCURRENCY] = WEB_CONCURRENCY_ON
    return by_code
