"""Students' saved tables: atomic writes, no silent overwrite, backups, recovery, reload."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from widgets.data.storage import StoreError, load_student_table, save_student_table

COLUMNS = ["product", "score"]


def table(*rows: tuple[str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def leftovers(folder: Path) -> list[str]:
    """Temporary files a save might have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_saved_table_reloads_in_a_fresh_call(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    saved = table(("面膜", 32), ("燕窝", 18))
    assert save_student_table(saved, path) == path
    frame, message = load_student_table(path, COLUMNS)
    pd.testing.assert_frame_equal(frame, saved)
    assert message == "Loaded your saved work from my_products.csv (UTF-8 with BOM)."
    assert leftovers(tmp_path) == []


def test_a_saved_table_survives_a_restart(tmp_path: Path) -> None:
    """A new Python process (a restarted kernel) reads back what the old one saved."""
    path = tmp_path / "my_products.csv"
    save_student_table(table(("面膜", 32), ("燕窝", 18)), path)
    script = ("import json, sys; from widgets.data import load_student_table; "
              "frame, message = load_student_table(sys.argv[1], ['product', 'score']); "
              "print(json.dumps([frame.to_dict('records'), message], ensure_ascii=False))")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, encoding="utf-8", check=True, timeout=120)
    records, message = json.loads(result.stdout)
    assert records == [{"product": "面膜", "score": 32}, {"product": "燕窝", "score": 18}]
    assert message.startswith("Loaded")


def test_a_missing_file_gives_an_empty_table(tmp_path: Path) -> None:
    frame, message = load_student_table(tmp_path / "my_products.csv", COLUMNS)
    assert frame.empty and list(frame.columns) == COLUMNS and message == ""


def test_an_existing_file_is_never_overwritten_silently(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    save_student_table(table(("面膜", 32)), path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="overwrite=True"):
        save_student_table(table(("女包", 10)), path)
    assert path.read_bytes() == before
    assert not (tmp_path / "my_products.csv.bak").exists()
    assert leftovers(tmp_path) == []


def test_overwriting_keeps_the_previous_version_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    save_student_table(table(("面膜", 32)), path)
    first = path.read_bytes()
    save_student_table(table(("面膜", 32), ("女包", 10)), path, overwrite=True)
    assert (tmp_path / "my_products.csv.bak").read_bytes() == first
    assert len(load_student_table(path, COLUMNS)[0]) == 2
    second = path.read_bytes()
    save_student_table(table(("卫生巾", 5)), path, overwrite=True)
    assert (tmp_path / "my_products.csv.bak").read_bytes() == second


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "my_products.csv"
    save_student_table(table(("面膜", 32)), path)
    before = path.read_bytes()

    def half_written(self: pd.DataFrame, handle, **_: object) -> None:
        handle.write("product,score\n半")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_written)
    with pytest.raises(OSError, match="disk full"):
        save_student_table(table(("女包", 10)), path, overwrite=True)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "my_products.csv.bak").exists()


def test_a_saved_file_is_readable_by_others(tmp_path: Path) -> None:
    path = save_student_table(table(("面膜", 32)), tmp_path / "my_products.csv")
    assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044  # not the private 0600 of mkstemp
    path.chmod(0o640)
    save_student_table(table(("女包", 10)), path, overwrite=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("damage", [
    b"\xff\xfe\x00garbage",                 # not UTF-8
    "name,price\n面膜,32\n".encode(),        # wrong columns
    b"",                                     # empty
    b'product,score\n"unclosed,1\n',         # broken quoting
])
def test_a_corrupt_file_is_moved_aside_and_the_backup_restored(tmp_path: Path,
                                                                damage: bytes) -> None:
    path = tmp_path / "my_products.csv"
    good = table(("面膜", 32), ("燕窝", 18))
    save_student_table(good, path)
    save_student_table(good, path, overwrite=True)  # now my_products.csv.bak holds `good`
    path.write_bytes(damage)

    frame, message = load_student_table(path, COLUMNS)
    pd.testing.assert_frame_equal(frame, good)
    assert "could not be read" in message and "Restored the last good version" in message
    asides = list(tmp_path.glob("my_products.csv.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_bytes() == damage  # nothing deleted
    assert asides[0].name in message
    pd.testing.assert_frame_equal(load_student_table(path, COLUMNS)[0], good)  # restored on disk


def test_a_validator_can_reject_a_file(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    save_student_table(table(("面膜", 3)), path)
    save_student_table(table(("面膜", 3), ("女包", 99)), path, overwrite=True)

    def scores_up_to_40(frame: pd.DataFrame) -> None:
        if (frame["score"] > 40).any():
            raise ValueError("score above 40")

    frame, message = load_student_table(path, COLUMNS, validate=scores_up_to_40)
    assert list(frame["product"]) == ["面膜"] and "score above 40" in message


def test_without_a_good_backup_the_table_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    path.write_bytes(b"\xff\xfe")
    frame, message = load_student_table(path, COLUMNS)
    assert frame.empty and list(frame.columns) == COLUMNS
    assert "No backup was found" in message

    path.write_bytes(b"\xff\xfe")
    (tmp_path / "my_products.csv.bak").write_bytes(b"wrong,columns\n1,2\n")
    frame, message = load_student_table(path, COLUMNS)
    assert frame.empty and "backup was damaged too" in message


def test_repeated_corruption_keeps_every_damaged_copy(tmp_path: Path) -> None:
    path = tmp_path / "my_products.csv"
    for damage in (b"\xff first", b"\xff second", b"\xff third"):  # within one second
        path.write_bytes(damage)
        load_student_table(path, COLUMNS)
    kept = sorted(p.read_bytes() for p in tmp_path.glob("my_products.csv.corrupt-*"))
    assert kept == sorted([b"\xff first", b"\xff second", b"\xff third"])
