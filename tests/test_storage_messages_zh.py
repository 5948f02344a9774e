"""In ``zh`` mode the messages about a student's own saved files are Chinese.

Real files in a temporary folder, damaged the way a student's files get damaged; each
message must name the file (and the copy holding the damage) and carry no run of three
English words (``tools.zh_scan.english_prose``, the scanner the apps are checked with).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tools.zh_scan import english_prose
from widgets.data.storage import (
    StoreError,
    corrupt_copies,
    load_student_document,
    load_student_table,
    save_student_document,
    save_student_table,
    save_student_text,
    update_student_table,
)

COLUMNS = ["name", "score"]


def assert_chinese(message: str, *names: str) -> None:
    assert message and not english_prose(message), f"English prose in {message!r}"
    assert any("\u4e00" <= c <= "\u9fff" for c in message), message
    for name in names:
        assert name in message, f"{name!r} not named in {message!r}"


def test_a_normal_load_says_so_in_chinese(tmp_path: Path, chinese: None) -> None:
    table, plan = tmp_path / "my_products.csv", tmp_path / "my_plan.json"
    save_student_table(pd.DataFrame([["绿茶", 4]], columns=COLUMNS), table)
    save_student_document(plan, {"product": "面膜"})
    frame, message = load_student_table(table, COLUMNS, key="name")
    assert list(frame["name"]) == ["绿茶"]
    assert_chinese(message, "my_products.csv", "已载入", "UTF-8（带 BOM）")
    document, message = load_student_document(plan)
    assert document == {"product": "面膜"}
    assert_chinese(message, "my_plan.json", "已载入", "UTF-8")


def test_a_cut_off_table_is_explained_in_chinese(tmp_path: Path, chinese: None) -> None:
    path = tmp_path / "my_products.csv"
    whole = "name,score\n绿茶,4\n面膜,3\n燕窝,2\n".encode()
    save_student_table(pd.DataFrame([["old", 1]], columns=COLUMNS), path)
    save_student_table(pd.DataFrame([["old", 1]], columns=COLUMNS), path, overwrite=True)
    path.write_bytes(whole[:-6])  # "燕窝,2\n" cut mid-character
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert list(frame["name"]) == ["绿茶", "面膜", "old"]
    aside = corrupt_copies(path)[0].name
    assert_chinese(message, "my_products.csv", aside, "第 4 行", "截断", "my_products.csv.bak")


def test_set_aside_rows_are_explained_in_chinese(tmp_path: Path, chinese: None) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes("name,score\n绿茶,4\n面膜,3,extra\n燕窝,2\n绿茶,5\n,1\n".encode("gb18030"))
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert list(frame["name"]) == ["绿茶", "燕窝"]
    assert_chinese(message, "my_products.csv", corrupt_copies(path)[0].name,
                   "第 3 行", "第 5 行", "第 6 行", "GB18030/GBK")


def test_an_unreadable_plan_is_restored_from_its_backup_in_chinese(tmp_path: Path,
                                                                   chinese: None) -> None:
    path = tmp_path / "my_plan.json"
    save_student_document(path, {"v": 1})
    save_student_document(path, {"v": 2})  # the .bak holds {"v": 1}
    path.write_bytes(b'{"product": ')
    document, message = load_student_document(path)
    assert document == {"v": 1}
    assert_chinese(message, "my_plan.json", corrupt_copies(path)[0].name, "JSON",
                   "my_plan.json.bak")


@pytest.mark.parametrize("backup", [True, False])
def test_an_unreadable_plan_without_a_good_backup_says_so(tmp_path: Path, chinese: None,
                                                          backup: bool) -> None:
    path = tmp_path / "my_plan.json"
    save_student_document(path, {"v": 1})
    if backup:
        save_student_document(path, {"v": 2})
        (tmp_path / "my_plan.json.bak").write_bytes(b"[1, 2]")
    path.write_bytes(b"")
    document, message = load_student_document(path)
    assert document is None
    assert_chinese(message, "my_plan.json", corrupt_copies(path)[0].name, "备份")


def test_saving_reports_damage_and_refusals_in_chinese(tmp_path: Path, chinese: None) -> None:
    plan = tmp_path / "my_plan.json"
    save_student_document(plan, {"v": 1})
    plan.write_bytes(b"{broken")
    assert_chinese(save_student_document(plan, {"v": 2}).message, "my_plan.json")
    table = tmp_path / "my_products.csv"
    save_student_table(pd.DataFrame([["绿茶", 4]], columns=COLUMNS), table)
    with pytest.raises(StoreError) as refused:
        save_student_table(pd.DataFrame([["绿茶", 5]], columns=COLUMNS), table)
    assert_chinese(str(refused.value), "my_products.csv.bak")
    with pytest.raises(StoreError) as refused:
        save_student_text(table, "x")
    assert_chinese(str(refused.value), "my_products.csv.bak")
    # a clean file gives no note in Chinese either (the note used to test for "Loaded")
    result = update_student_table(table, pd.DataFrame([["面膜", 3]], columns=COLUMNS),
                                  COLUMNS, key="name")
    assert result.message == "" and list(result.frame["name"]) == ["绿茶", "面膜"]
