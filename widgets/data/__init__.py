"""Data layer: load and validate ``datasets/``; save students' work safely."""

from widgets.data.loader import (
    DatasetError,
    dataset_info,
    datasets_dir,
    list_datasets,
    load_dataset,
    source_note,
)
from widgets.data.storage import (
    SaveResult,
    StoreError,
    load_student_document,
    load_student_table,
    save_student_document,
    save_student_table,
    save_student_text,
    update_student_table,
)

__all__ = [
    "DatasetError",
    "SaveResult",
    "StoreError",
    "dataset_info",
    "datasets_dir",
    "list_datasets",
    "load_dataset",
    "load_student_document",
    "load_student_table",
    "save_student_document",
    "save_student_table",
    "save_student_text",
    "source_note",
    "update_student_table",
]
