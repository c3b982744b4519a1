"""mypy's messages as records, and the ones the command reports."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from mypy_uvicorn import constants, messages
from mypy_uvicorn.command.calls import Calls
from mypy_uvicorn.constants import CONFIG_FULLNAME, RUN_FULLNAME

# mypy's own errors on a uvicorn call that the command reports, at the call or at one of its
# arguments: those that keep the call from being judged, each also a TypeError when uvicorn
# starts: no overload of the stubs matched (`call-overload`, also an unknown keyword of the
# overloaded `run`), an unknown or missing argument such as `debug=` (`call-arg`). A value of
# the wrong type on a call the plugin judged (`arg-type`: `host=os.getenv("HOST")`) is not a
# start-up failure of this kind: `mypy .` reports it, the command does not.
MYPY_CODES_ON_A_CALL: Final = frozenset({"call-overload", "call-arg"})

# One message as mypy formats it with column numbers and error ends. mypy hands each message
# over as one string: a message that holds a newline is still one match (DOTALL), and the code
# is read from the end only.
_MESSAGE: Final = re.compile(
    r"(?P<file>.+?):(?P<line>\d+)"
    r"(?::(?P<column>\d+)(?::(?P<end_line>\d+):(?P<end_column>\d+))?)?"
    r": (?P<severity>error|note|warning): (?P<message>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?",
    re.DOTALL,
)


@dataclass(frozen=True)
class Message:
    file: str
    line: int
    # 1-based, as mypy prints them; None where mypy gives none.
    column: int | None
    end_line: int | None
    end_column: int | None
    severity: str
    message: str
    code: str | None

    @property
    def location(self) -> tuple[str, int, int | None]:
        return (self.file, self.line, self.column)

    def shown_from(self, cwd: str) -> Message:
        """The same message with its file relative to `cwd` when it lies below it."""
        path = os.path.abspath(self.file)
        relative = os.path.relpath(path, cwd)
        shown = path if relative.startswith(os.pardir) else relative
        return Message(**{**self.__dict__, "file": shown})


def parse(text: str) -> Message | None:
    match = _MESSAGE.fullmatch(text)
    if match is None:
        return None
    return Message(
        file=match["file"],
        line=int(match["line"]),
        column=_number(match["column"]),
        end_line=_number(match["end_line"]),
        end_column=_number(match["end_column"]),
        severity=match["severity"],
        message=match["message"],
        code=match["code"],
    )


def _number(text: str | None) -> int | None:
    return None if text is None else int(text)


def select(found: Iterable[Message], calls_in: Callable[[str], Calls]) -> list[Message]:
    """This project's errors and notes (with the notes that follow one of its errors at the same
    place), and mypy's own errors on the arguments of a uvicorn call (without mypy's notes: its
    list of overload variants)."""
    kept: list[Message] = []
    previous: Message | None = None
    for message in found:
        if _own(message) or _on_a_uvicorn_call(message, calls_in):
            kept.append(message)
        elif (
            message.severity == "note"
            and previous is not None
            and _own(previous)
            and previous.location == message.location
        ):
            kept.append(message)
            continue  # a note that belongs to an error of this project, like the next ones
        previous = message
    return sorted(kept, key=lambda message: (message.file, message.line, message.column or 0))


# The codes of this project's findings (constants.py): what mypy prints after an error.
OWN_CODES: Final = frozenset(code.name for code in constants.OWN)


def is_own_note(text: str) -> bool:
    """Whether a note's text is one the plugin reports (messages.NOTES)."""
    return text in messages.OWN_NOTES or text.endswith(messages.OWN_NOTE_ENDINGS)


def _own(message: Message) -> bool:
    if message.code in OWN_CODES:
        return True
    return message.severity == "note" and is_own_note(message.message)


def _on_a_uvicorn_call(message: Message, calls_in: Callable[[str], Calls]) -> bool:
    if message.severity != "error" or message.code not in MYPY_CODES_ON_A_CALL:
        return False
    if message.column is None:
        return False
    # An error of another call written as an argument (`run(make(1))`) starts at the same
    # place: mypy names that callee (`Too many arguments for "make"`). Through an alias mypy may
    # name none (`No overload variant matches`).
    callee = _CALLEE.search(message.message)
    if callee is not None and callee[1] not in _CALLEES:
        return False
    return calls_in(message.file).at(message.line, message.column - 1)


# How mypy names the callee of a call in its messages: `Argument 1 to "run"`, `... for "run"`,
# `No overload variant of "run"`, `in call to "run"`.
_CALLEE: Final = re.compile(r' (?:to|for|of) "([^"]+)"')
_CALLEES: Final = frozenset(name.rpartition(".")[2] for name in (RUN_FULLNAME, CONFIG_FULLNAME))
