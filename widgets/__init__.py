"""Social Selling Lab: the shared helper package behind the course's chapters.

Three layers, one module per idea in each:

- ``widgets.models``: pure numpy/pandas models, seeded and validated, no UI;
- ``widgets.apps``: thin ipywidgets + plotly apps, each built by a ``build_…()``;
- ``widgets.data``: loading and validating ``datasets/`` and saving students' work.

Notebooks call one short public function from here; logic never lives in a cell.
"""

from widgets.data import DatasetError, dataset_info, list_datasets, load_dataset

__all__ = ["DatasetError", "dataset_info", "list_datasets", "load_dataset"]
__version__ = "0.1.0"
