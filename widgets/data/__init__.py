"""Data layer: load and validate ``datasets/``; save students' work safely."""

from widgets.data.loader import (
    DatasetError,
    dataset_info,
    datasets_dir,
    list_datasets,
    load_dataset,
    source_note,
)
from widgets.data.storage import StoreError, load_student_table, save_student_table

__all__ = [
    "DatasetError",
    "StoreError",
    "dataset_info",
    "datasets_dir",
    "list_datasets",
    "load_dataset",
    "load_student_table",
    "save_student_table",
    "source_note",
]
