"""`python -m mypy_uvicorn PATH...`: mypy with the plugin, printing only this project's findings.

mypy calls no plugin hook inside functions without annotations unless `check_untyped_defs` is on,
so this command turns it on, with the plugin, and needs no configuration. Exit status: 1 when
there are findings, 0 when there are none, 2 on a usage error or when mypy itself cannot run.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mypy import api as mypy_api

from mypy_uvicorn import messages

_CONFIG: Final = "[mypy]\nplugins = mypy_uvicorn\ncheck_untyped_defs = True\n"
_LINE: Final = re.compile(
    r"^(?P<where>.+?:\d+(?::\d+)?): (?P<severity>error|note|warning): (?P<text>.*?)"
    r"(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)


@dataclass(frozen=True)
class Line:
    where: str
    severity: str
    text: str
    code: str | None
    raw: str

    @property
    def is_own_error(self) -> bool:
        return self.severity == "error" and (self.code or "").startswith("uvicorn-")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # argparse exits with status 2 on a usage error
    missing = [path for path in args.paths if not os.path.exists(path)]
    if missing:
        print(f"mypy-uvicorn: error: no such file or directory: {missing[0]}", file=sys.stderr)
        return 2
    stdout, stderr, status = _run_mypy(args.paths, args.cache_dir)
    if status == 2:
        sys.stderr.write(stdout + stderr)
        return 2
    own = own_lines(_parse(stdout.splitlines()))
    for line in own:
        print(line.raw)
    count = sum(line.severity == "error" for line in own)
    files = len({line.where.split(":")[0] for line in own})
    if count:
        print(
            f"Found {count} uvicorn finding{'s' * (count != 1)} in {files} file{'s' * (files != 1)}"
        )
        return 1
    print("Success: no uvicorn findings")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mypy-uvicorn",
        description="Check uvicorn calls with mypy and the mypy_uvicorn plugin, including in "
        "functions without annotations. Prints only mypy-uvicorn's findings.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to check")
    parser.add_argument(
        "--cache-dir",
        default=os.path.join(".mypy_cache", "mypy-uvicorn"),
        help="mypy's incremental cache (default: %(default)s)",
    )
    return parser


def _run_mypy(paths: Sequence[str], cache_dir: str) -> tuple[str, str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "mypy.ini"
        config.write_text(_CONFIG)
        return mypy_api.run(
            [
                "--config-file", str(config),
                "--cache-dir", cache_dir,
                "--show-error-codes",
                "--no-pretty",
                "--no-color-output",
                "--no-error-summary",
                *paths,
            ]
        )  # fmt: skip


def _parse(raw_lines: Iterable[str]) -> list[Line]:
    lines = []
    for raw in raw_lines:
        match = _LINE.match(raw)
        if match:
            lines.append(Line(raw=raw, **match.groupdict()))
    return lines


def own_lines(lines: Sequence[Line]) -> list[Line]:
    """This project's errors, the notes that follow them, and mypy errors this project explains."""
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if line.is_own_error:
            keep[i] = True
        elif line.severity == "note" and i > 0 and lines[i - 1].where == line.where:
            if keep[i - 1]:
                keep[i] = True
            elif line.text in messages.OWN_NOTES or line.text.endswith(messages.OWN_NOTE_ENDINGS):
                keep[i - 1] = keep[i] = True
    return [line for line, kept in zip(lines, keep, strict=True) if kept]
