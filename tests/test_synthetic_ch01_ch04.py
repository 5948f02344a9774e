"""The committed synthetic CSVs of chapters 1 and 4 equal a fresh run of their generator."""

import importlib.util
from pathlib import Path

import pytest

from widgets import dataset_info, load_dataset

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
SCRIPT = DATASETS / "make_synthetic_ch01_ch04.py"
NAMES = {"synthetic_contacts.csv": "synthetic_contacts",
         "synthetic_community.csv": "synthetic_community",
         "synthetic_ab_posts.csv": "synthetic_ab_posts"}


def _generator():
    spec = importlib.util.spec_from_file_location("make_synthetic_ch01_ch04", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("fresh")
    _generator().write_all(out)
    return out


@pytest.mark.parametrize("filename", sorted(NAMES))
def test_committed_csv_equals_a_fresh_run(fresh, filename):
    assert (DATASETS / filename).read_bytes() == (fresh / filename).read_bytes()


@pytest.mark.parametrize("filename", sorted(NAMES))
def test_resource_is_marked_synthetic_and_loads(filename):
    name = NAMES[filename]
    info = dataset_info(name)
    assert info["provenance"] == "synthetic"
    assert info["path"] == filename
    assert any("make_synthetic_ch01_ch04.py" in s.get("path", "") for s in info["sources"])
    assert len(load_dataset(name)) > 0


def test_generator_tables_cover_the_script():
    assert set(_generator().TABLES) == set(NAMES)


def test_an_order_always_comes_with_a_reply():
    posts = load_dataset("synthetic_ab_posts")
    assert not (posts["ordered"] & ~posts["replied"]).any()
