"""A chapter's own code for an exercise: the starter cell and the hidden solution.

Exercise tests run the very function a student starts from (it must fail the check) and the
one the chapter's ``<details>`` solution gives (it must pass), so a chapter edit that breaks
either is caught.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat


def exercise_function(chapter: Path, name: str, *, solution: bool,
                      scope: dict[str, Any] | None = None) -> Any:
    """The function ``name`` as ``chapter`` defines it: in the code cell that starts with
    ``def name`` (the starter) or, with ``solution``, in the ```` ```python ```` block of the
    cell that defines it inside ``<details>``. ``scope`` holds names the code needs."""
    cells = nbformat.read(chapter, as_version=4).cells
    if solution:
        source = next(c.source for c in cells
                      if f"def {name}" in c.source and "<details>" in c.source)
        source = source.split("```python")[1].split("```")[0]
    else:
        source = next(c.source for c in cells
                      if c.cell_type == "code" and c.source.startswith(f"def {name}"))
    namespace = dict(scope or {})
    exec(source, namespace)
    return namespace[name]
