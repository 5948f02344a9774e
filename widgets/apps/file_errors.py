"""Short, friendly messages for file-system errors met by the apps' save and export buttons.

A button must never show a student a traceback: :func:`file_error_message` says what
failed, where, and what to do next, and :data:`FILE_ERRORS` is what the buttons catch.
"""

from __future__ import annotations

import errno
import html
from pathlib import Path

from widgets.data.storage import StoreError
from widgets.report import ExportError

#: What a save or export button catches (OSError covers PermissionError,
#: NotADirectoryError, FileNotFoundError, a full disk …).
FILE_ERRORS = (OSError, UnicodeEncodeError, StoreError, ExportError)


def _reason(exc: BaseException) -> tuple[str, str]:
    """(what went wrong, what to do) for one error."""
    if isinstance(exc, UnicodeEncodeError):
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        return (f"your text holds a character that cannot be stored ({bad!r} at position "
                f"{exc.start}, often half an emoji)",
                "delete that character (retype the emoji) and press the button again")
    if isinstance(exc, PermissionError):
        return ("the folder or file is read-only for you",
                "choose another folder you can write to, or ask your trainer")
    if isinstance(exc, NotADirectoryError | FileExistsError):  # a file where a folder goes
        return ("part of the path is a file, not a folder",
                "choose a plain file name (no folders) or another folder")
    if isinstance(exc, IsADirectoryError):
        return ("a folder already has that name", "choose another file name")
    if isinstance(exc, FileNotFoundError):
        return ("the folder does not exist", "choose an existing folder")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return ("the disk is full", "free some space and press the button again")
    if isinstance(exc, StoreError | ExportError):
        return (str(exc), "press the button again; if it keeps failing, ask your trainer")
    return (f"{type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}",
            "press the button again; if it keeps failing, choose another folder")


def file_error_message(action: str, path: str | Path, exc: BaseException) -> str:
    """Plain text: ``Could not <action> <path>: <why>. <what to do>. Nothing was lost …``."""
    why, todo = _reason(exc)
    return (f"Could not {action} {path}: {why}. What to do: {todo}. Your work is still here "
            "in the app; nothing was lost. 未能保存，你的内容仍在。")


def file_error_html(action: str, path: str | Path, exc: BaseException, colour: str) -> str:
    """:func:`file_error_message` as escaped HTML in ``colour``."""
    return (f'<span style="color:{colour}">'
            f"{html.escape(file_error_message(action, path, exc))}</span>")
