"""The plugin's settings, read from the configuration file mypy itself uses.

    # pyproject.toml                      # mypy.ini or setup.cfg
    [tool.mypy_uvicorn]                   [mypy.plugins.mypy_uvicorn]
    web_concurrency = true                web_concurrency = true

A key this plugin does not know or a value of the wrong type is a SettingsError whose text is
one line naming the file, the section and the key.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path
from typing import Any

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


def toml() -> Any:
    # Imported only for a TOML configuration: mypy itself loads it only then, and the import
    # costs more than the rest of the plugin's start-up.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # mypy itself depends on tomli before Python 3.11
        import tomli as tomllib
    return tomllib


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
