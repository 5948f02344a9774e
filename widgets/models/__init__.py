"""Models layer: pure numpy/pandas, no UI, deterministic under a seed, validated inputs.

Each module carries its equation in its docstring. Shared validation lives in
:mod:`widgets.models.validation`.
"""
