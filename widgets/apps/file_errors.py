"""Short, friendly messages for file-system errors met by the apps' save and export buttons.

A button must never show a student a traceback: :func:`file_error_message` says what
failed, where, and what to do next, and :data:`FILE_ERRORS` is what the buttons catch.
"""

from __future__ import annotations

import errno
import html
from pathlib import Path

from widgets.apps.labels import prose
from widgets.data.storage import StoreError
from widgets.report import ExportError

#: What a save or export button catches (OSError covers PermissionError,
#: NotADirectoryError, FileNotFoundError, a full disk …).
FILE_ERRORS = (OSError, UnicodeEncodeError, StoreError, ExportError)


def _reason(exc: BaseException) -> tuple[str, str]:
    """(what went wrong, what to do) for one error, in the current language."""
    if isinstance(exc, UnicodeEncodeError):
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        return (prose(f"your text holds a character that cannot be stored ({bad!r} at position "
                      f"{exc.start}, often half an emoji)",
                      f"你的文字里有一个存不下的字符（第 {exc.start} 位的 {bad!r}，"
                      "常常是半个表情）"),
                prose("delete that character (retype the emoji) and press the button again",
                      "删掉这个字符（重新输入表情），再按一次按钮"))
    if isinstance(exc, PermissionError):
        return (prose("the folder or file is read-only for you", "这个文件夹或文件对你是只读的"),
                prose("choose another folder you can write to, or ask your trainer",
                      "换一个你能写入的文件夹，或者问讲师"))
    if isinstance(exc, NotADirectoryError | FileExistsError):  # a file where a folder goes
        return (prose("part of the path is a file, not a folder", "路径里有一段是文件，不是文件夹"),
                prose("choose a plain file name (no folders) or another folder",
                      "只写文件名（不带文件夹），或者换一个文件夹"))
    if isinstance(exc, IsADirectoryError):
        return (prose("a folder already has that name", "已经有一个文件夹叫这个名字"),
                prose("choose another file name", "换一个文件名"))
    if isinstance(exc, FileNotFoundError):
        return (prose("the folder does not exist", "这个文件夹不存在"),
                prose("choose an existing folder", "选一个已有的文件夹"))
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return (prose("the disk is full", "磁盘满了"),
                prose("free some space and press the button again", "腾出一些空间，再按一次按钮"))
    if isinstance(exc, StoreError | ExportError):
        return (str(exc), prose("press the button again; if it keeps failing, ask your trainer",
                                "再按一次按钮；如果一直失败，请问讲师"))
    return (f"{type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}",
            prose("press the button again; if it keeps failing, choose another folder",
                  "再按一次按钮；如果一直失败，换一个文件夹"))


_ACTIONS_ZH = {"read your plan from": "读取你的计划", "save your plan to": "保存你的计划到",
               "load a plan from": "载入计划", "export your plan to": "导出你的计划到",
               "read your products from": "读取你的产品", "save your product to": "保存你的产品到"}


def file_error_message(action: str, path: str | Path, exc: BaseException) -> str:
    """Plain text: ``Could not <action> <path>: <why>. <what to do>. Nothing was lost …``."""
    why, todo = _reason(exc)
    return prose(f"Could not {action} {path}: {why}. What to do: {todo}. Your work is still here "
                 "in the app; nothing was lost. 未能保存，你的内容仍在。",
                 f"没能{_ACTIONS_ZH.get(action, action)} {path}：{why}。怎么办：{todo}。"
                 "你的内容还在应用里，什么都没丢。")


def file_error_html(action: str, path: str | Path, exc: BaseException, colour: str) -> str:
    """:func:`file_error_message` as escaped HTML in ``colour``."""
    return (f'<span style="color:{colour}">'
            f"{html.escape(file_error_message(action, path, exc))}</span>")
