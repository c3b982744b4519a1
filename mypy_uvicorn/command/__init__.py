"""The `mypy-uvicorn` command's parts; `mypy_uvicorn.cli` puts them together."""
