"""In ``zh`` mode a student reads Chinese: labels keep their units, content has a Chinese text."""

from __future__ import annotations

import importlib
import pkgutil
import re

import widgets.apps
from widgets.apps import labels


def _all_labels() -> dict[str, tuple[str, str]]:
    for module in pkgutil.iter_modules(widgets.apps.__path__):
        importlib.import_module(f"widgets.apps.{module.name}")
    return dict(labels._labels)


def test_chinese_labels_keep_the_units_and_qualifiers_of_the_english() -> None:
    """An English "(unit)" needs a Chinese one; "(中文 term)" glosses are not units."""
    unit_en, unit_zh = r"\([^)\u4e00-\u9fff]*\)", r"[（(][^）)]*[）)]"
    lost = {key: pair for key, pair in _all_labels().items()
            if re.search(unit_en, pair[0]) and not re.search(unit_zh, pair[1])}
    assert not lost, f"Chinese labels without the English label's (unit): {lost}"


def test_unit_labels_name_the_unit_in_chinese() -> None:
    every = _all_labels()
    for key, unit in (("tier_demand", "盒/周/千人"), ("tier_restock", "盒/4 周"),
                      ("td_asymmetry", "坏 ÷ 好"), ("tier_retail", "元/盒")):
        assert unit in every[key][1], f"{key}: {every[key][1]!r} lacks {unit!r}"
