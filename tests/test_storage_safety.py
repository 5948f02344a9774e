"""A student's work is never lost: concurrent saves, killed writers, Excel encodings, damage.

Every test here works on real files in a temporary folder, and the concurrency tests run
real separate Python processes (as two kernels would).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from widgets.data.storage import (
    KEEP_CORRUPT,
    StoreError,
    corrupt_copies,
    load_student_document,
    load_student_table,
    save_student_document,
    save_student_table,
    temp_files,
    update_student_table,
)

COLUMNS = ["name", "score"]
WRITER = textwrap.dedent("""
    import sys
    import pandas as pd
    from widgets.data.storage import update_student_table
    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        row = pd.DataFrame([[f"{prefix}-{i:03d}", i]], columns=["name", "score"])
        result = update_student_table(path, row, ["name", "score"], key="name")
        assert (result.frame["name"] == f"{prefix}-{i:03d}").any()
    print("done", flush=True)
""")


def start_writer(path: Path, prefix: str, count: int, extra: str = "") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", extra + WRITER, str(path), prefix,
                             str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def rows(path: Path) -> pd.DataFrame:
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert "could not" not in message, message
    return frame


@pytest.mark.parametrize("trial", range(3))
def test_two_processes_saving_200_items_each_lose_nothing(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "my_products.csv"
    writers = [start_writer(path, prefix, 200) for prefix in ("kernel_a", "kernel_b")]
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0 and out.strip() == "done", err
    frame = rows(path)
    assert len(frame) == 400
    assert sorted(frame["name"]) == sorted(f"{p}-{i:03d}" for p in ("kernel_a", "kernel_b")
                                           for i in range(200))
    assert temp_files(path) == []


KILLED_WRITER = textwrap.dedent("""
    import os, time
    real_replace = os.replace
    def stall(src, dst):
        if str(src).endswith(".tmp"):
            print("stalled", flush=True)
            time.sleep(600)  # killed here: its temp file stays behind
        real_replace(src, dst)
    os.replace = stall
""")


def test_a_killed_writer_leaves_nothing_that_the_next_save_does_not_clean(tmp_path: Path
                                                                          ) -> None:
    path = tmp_path / "my_products.csv"
    update_student_table(path, pd.DataFrame([["kept", 1]], columns=COLUMNS), COLUMNS, "name")
    for attempt in range(3):
        writer = start_writer(path, f"killed{attempt}", 1, extra=KILLED_WRITER)
        assert writer.stdout.readline().strip() == "stalled"
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
    # each writer cleaned its predecessors' leftovers under the lock; the last one's remain
    assert temp_files(path)
    result = update_student_table(path, pd.DataFrame([["after", 2]], columns=COLUMNS),
                                  COLUMNS, "name")
    assert temp_files(path) == []
    assert list(rows(path)["name"]) == ["kept", "after"] == list(result.frame["name"])


def test_saved_files_have_a_normal_mode_and_keep_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    update_student_table(path, pd.DataFrame([["a", 1]], columns=COLUMNS), COLUMNS, "name")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    first = path.read_bytes()
    update_student_table(path, pd.DataFrame([["b", 2]], columns=COLUMNS), COLUMNS, "name")
    assert (tmp_path / "my_products.csv.bak").read_bytes() == first
    update_student_table(path, pd.DataFrame([["a", 5]], columns=COLUMNS), COLUMNS, "name")
    assert rows(path).set_index("name")["score"].to_dict() == {"a": 5, "b": 2}


def test_a_save_that_does_not_read_back_is_not_reported(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "my_products.csv"
    real_replace = os.replace

    def replace_then_damage(src, dst):
        real_replace(src, dst)
        if str(dst) == str(path):
            Path(dst).write_bytes(b"name,score\nbroken")

    monkeypatch.setattr(os, "replace", replace_then_damage)
    with pytest.raises(StoreError, match="not saved"):
        update_student_table(path, pd.DataFrame([["a", 1]], columns=COLUMNS), COLUMNS, "name")


# --------------------------------------------------------------------------- Excel encodings

@pytest.mark.parametrize(("encoding", "label"), [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("gbk", "GB18030/GBK"),
    ("gb18030", "GB18030/GBK")])
def test_files_saved_by_excel_are_read_and_the_encoding_is_named(tmp_path: Path, encoding: str,
                                                                  label: str) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes("name,score\r\n绿茶,4\r\n面膜,3\r\n燕窝,2\r\n".encode(encoding))
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert list(frame["name"]) == ["绿茶", "面膜", "燕窝"] and list(frame["score"]) == [4, 3, 2]
    assert f"({label})" in message
    assert corrupt_copies(path) == []


def test_a_gbk_file_is_saved_back_without_losing_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes("name,score\r\n绿茶,4\r\n".encode("gbk"))
    update_student_table(path, pd.DataFrame([["面膜", 3]], columns=COLUMNS), COLUMNS, "name")
    assert list(rows(path)["name"]) == ["绿茶", "面膜"]
    assert (tmp_path / "my_products.csv.bak").read_bytes() == "name,score\r\n绿茶,4\r\n".encode(
        "gbk")


# --------------------------------------------------------------------------- damaged files

def test_a_file_cut_off_mid_row_keeps_every_intact_row(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    whole = "name,score\n绿茶,4\n面膜,3\n燕窝,2\n".encode()
    save_student_table(pd.DataFrame([["old", 1]], columns=COLUMNS), path)
    save_student_table(pd.DataFrame([["old", 1]], columns=COLUMNS), path, overwrite=True)
    path.write_bytes(whole[:-6])  # "燕窝,2\n" cut mid-character
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert list(frame["name"])[:2] == ["绿茶", "面膜"]
    assert "line 4" in message and "cut off" in message
    aside = corrupt_copies(path)
    assert len(aside) == 1 and aside[0].read_bytes() == whole[:-6] and aside[0].name in message
    # the old backup does not replace rows that can be read; it only adds what is missing
    assert "old" in list(frame["name"]) and "Recovered 1 row" in message
    assert list(rows(path)["name"]) == list(frame["name"])


def test_bad_rows_are_set_aside_by_line_number(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes("name,score\n绿茶,4\n面膜,3,extra\n燕窝,2\n绿茶,5\n,1\n红枣,1\n".encode())
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert list(frame["name"]) == ["绿茶", "燕窝", "红枣"]
    assert "line 3 (expected 2 fields (name, score), found 3" in message
    assert "line 5 (repeats the name '绿茶' of line 2)" in message
    assert "line 6 (the name is empty)" in message
    assert "line 2 " not in message and "line 4 " not in message and "line 7 " not in message
    assert corrupt_copies(path)[0].name in message


def test_a_validator_sets_aside_only_the_rows_it_rejects(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes("name,score\n绿茶,4\n面膜,abc\n燕窝,99\n".encode())

    def score_0_to_5(row: pd.DataFrame) -> None:
        value = pd.to_numeric(row["score"], errors="coerce").iloc[0]
        if not 0 <= value <= 5:
            raise ValueError(f"score must be in [0, 5], got {row['score'].iloc[0]!r}")

    frame, message = load_student_table(path, COLUMNS, score_0_to_5, key="name")
    assert list(frame["name"]) == ["绿茶"]
    assert "line 3 (score must be in [0, 5], got 'abc')" in message
    assert "line 4 (score must be in [0, 5], got '99')" in message


def test_a_line_in_no_known_encoding_is_set_aside_alone(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes("name,score\n绿茶,4\n".encode() + b"\xff\xfe,1\n" + "燕窝,2\n".encode())
    frame, message = load_student_table(path, COLUMNS, key="name")
    assert list(frame["name"]) == ["绿茶", "燕窝"]
    assert "line 3 (not readable" in message


def test_only_the_last_five_corrupt_copies_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    for i in range(KEEP_CORRUPT + 3):
        path.write_bytes(b"\xff damaged %d" % i)
        load_student_table(path, COLUMNS)
    kept = corrupt_copies(path)
    assert len(kept) == KEEP_CORRUPT
    assert sorted(p.read_bytes() for p in kept) == sorted(
        b"\xff damaged %d" % i for i in range(3, KEEP_CORRUPT + 3))


# --------------------------------------------------------------------------- JSON documents

def test_a_document_round_trips_with_backup_and_normal_mode(tmp_path: Path) -> None:
    path = tmp_path / "my_plan.json"
    first = {"product": "面膜", "notes": "第一版", "n": 2}
    result = save_student_document(path, first)
    assert result.path == path and result.message == ""
    assert load_student_document(path) == (first, "Loaded your saved work from my_plan.json "
                                                  "(UTF-8).")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    save_student_document(path, {**first, "n": 3})
    assert json.loads((tmp_path / "my_plan.json.bak").read_text(encoding="utf-8")) == first
    assert load_student_document(path)[0]["n"] == 3 and temp_files(path) == []


def test_a_lone_surrogate_is_saved_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "my_plan.json"
    save_student_document(path, {"notes": "half an emoji \ud83d"})
    assert load_student_document(path)[0] == {"notes": "half an emoji \ud83d"}


@pytest.mark.parametrize("damage", [b"", b"{\"product\": ", b"[1, 2]", b"\xff\xfe{}"])
def test_a_damaged_document_is_kept_and_the_backup_restored(tmp_path: Path,
                                                            damage: bytes) -> None:
    path = tmp_path / "my_plan.json"
    save_student_document(path, {"v": 1})
    save_student_document(path, {"v": 2})  # the .bak holds {"v": 1}
    path.write_bytes(damage)
    document, message = load_student_document(path)
    assert document == {"v": 1} and "Restored the last good version" in message
    aside = corrupt_copies(path)
    assert len(aside) == 1 and aside[0].read_bytes() == damage and aside[0].name in message


def test_saving_over_a_damaged_document_keeps_the_damage_not_as_backup(tmp_path: Path) -> None:
    path = tmp_path / "my_plan.json"
    save_student_document(path, {"v": 1})
    save_student_document(path, {"v": 2})
    path.write_bytes(b"{broken")
    result = save_student_document(path, {"v": 3})
    assert "could not be read" in result.message
    assert json.loads((tmp_path / "my_plan.json.bak").read_text(encoding="utf-8")) == {"v": 1}
    assert corrupt_copies(path)[0].read_bytes() == b"{broken"


def test_documents_are_saved_under_the_same_lock(tmp_path: Path) -> None:
    path = tmp_path / "my_plan.json"
    script = textwrap.dedent("""
        import sys
        from widgets.data.storage import save_student_document
        for i in range(100):
            save_student_document(sys.argv[1], {"writer": sys.argv[2], "i": i})
    """)
    writers = [subprocess.Popen([sys.executable, "-c", script, str(path), name],
                                stderr=subprocess.PIPE, text=True) for name in "ab"]
    deadline = time.monotonic() + 300
    for writer in writers:
        _, err = writer.communicate(timeout=max(1, deadline - time.monotonic()))
        assert writer.returncode == 0, err
    document, message = load_student_document(path)
    assert document is not None and document["i"] == 99 and message.startswith("Loaded")
    assert corrupt_copies(path) == [] and temp_files(path) == []
