"""Import strings, `"pkg.module:attr.path"`, as uvicorn reads them, in four modules (each module
file costs every mypy run that reads a string its import, so the questions share them):

- `text`: what the text alone says (no mypy): whether uvicorn's importer accepts the string's
  form, the closest-name search every correction is chosen with, and the module-level names a
  source does not bind when it is imported.
- `dependencies`: which modules of the program a source's strings may name, read from its text:
  mypy's extra dependencies, the modules the hook may read, the cache fingerprint.
- `roots`: the file a module name gives from each root a launch could put on `sys.path`, and
  whether a module is certainly missing; the folders a project installs its own packages from
  (`src/`, what its pyproject.toml, setup.cfg or setup.py declares).
- `verdict`: the answer for one literal string of a call (`StringResolver`): unresolved with a
  correction, what it names, or unknown; and what the attribute path names in a module mypy
  analysed (`walk`).

The package is imported whole, with the first module that imports uvicorn (the plugin's
`get_additional_deps`) or the first uvicorn call: a check without either pays nothing for it.
Whole, because a later import of one submodule must never find the package loaded without it: a
host that runs mypy in-process and restores `sys.modules` between runs (pytest-mypy-plugins'
same-process mode) leaves Python's import cache with the package and without the submodule, and
the import then fails.
"""

from __future__ import annotations

from mypy_uvicorn.import_strings import dependencies, roots, text, verdict

__all__ = ["dependencies", "roots", "text", "verdict"]
