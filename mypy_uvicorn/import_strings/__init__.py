"""Import strings, `"pkg.module:attr.path"`, as uvicorn reads them: one module per question.

- `form`: whether uvicorn's importer accepts the string's form (no mypy).
- `dependencies`: which modules of the program a source's strings may name, read from its text:
  mypy's extra dependencies, the modules the hook may read, the cache fingerprint.
- `roots`: the file a module name gives from each root a launch could put on `sys.path`, and
  whether a module is certainly missing.
- `attributes`: what the attribute path names in a module mypy analysed.
- `verdict`: the answer for one literal string of a call (`StringResolver`): unresolved with a
  correction, what it names, or unknown.

`form` and `dependencies` are imported with the first module that imports uvicorn, the others
with the first literal string a call passes: a check without one pays nothing for them.
"""

from __future__ import annotations


def closest(name: str, candidates: list[str], count: int) -> list[str]:
    """The candidates closest to `name`, best first (difflib's ratio of at least 0.6): what a
    correction of a module, a sibling file or an attribute is chosen from."""
    import difflib

    return difflib.get_close_matches(name, candidates, n=count, cutoff=0.6)
