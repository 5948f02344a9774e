"""The chapter registry: the one list of the course's chapters.

It is the dataset ``course_map`` (``datasets/course_map.csv``): one row per chapter, with its
number, notebook file, titles, time and question. Everything that lists chapters — the README's
chapter table (``tools/course_links.py``), the course map of chapter 00, the glossary's
chapter numbers (a foreign key in ``datapackage.json``), the trainer guide's sections and the
tests — reads it here instead of counting chapters itself. The Chinese edition,
``chapters/zh/``, mirrors it: the same file names, built from the English notebooks by
``tools/zh_chapters.py``; a Chinese notebook whose number the registry lacks is an error
(``tools/course_links.py``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from widgets.data.loader import DatasetError, load_dataset

__all__ = ["REGISTRY", "chapter_files", "chapter_numbers", "chapter_registry"]

REGISTRY = "course_map"


def chapter_registry(folder: str | Path | None = None) -> pd.DataFrame:
    """The registry's rows, ordered by chapter, checked to be numbered 0, 1, 2 … without gaps
    and to name each notebook ``NN_….ipynb`` after its own number."""
    frame = load_dataset(REGISTRY, folder).sort_values("chapter", ignore_index=True)
    numbers = frame["chapter"].tolist()
    if numbers != list(range(len(numbers))):
        raise DatasetError(f"course_map.csv, column 'chapter': chapters must be numbered "
                           f"0, 1, 2 … without gaps, got {numbers}")
    for row, (number, file) in enumerate(zip(numbers, frame["file"], strict=True), start=2):
        if not file.startswith(f"{number:02d}_"):
            raise DatasetError(f"course_map.csv, row {row}, column 'file': {file!r} must start "
                               f"with the chapter's number {number:02d}_")
    return frame


def chapter_numbers(folder: str | Path | None = None) -> list[int]:
    """The chapter numbers, 0 … n-1."""
    return chapter_registry(folder)["chapter"].tolist()


def chapter_files(folder: str | Path | None = None) -> list[str]:
    """The chapters' notebook files (in ``chapters/``), in order."""
    return chapter_registry(folder)["file"].tolist()
