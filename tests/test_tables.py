"""Chapter tables: captioned with their source, numbers readable (no pandas six decimals)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from widgets.apps.tables import captioned, format_number
from widgets.chapters.ch03 import case_table


@pytest.mark.parametrize(("value", "shown"), [
    (2000.0, "2,000"), (33.333, "33.33"), (np.int64(150), "150"), (0.3, "0.30"),
    (math.nan, "–"), ("面膜", "面膜"), (True, "True"),
])
def test_format_number(value: object, shown: str) -> None:
    assert format_number(value) == shown


def test_captioned_formats_numbers_and_escapes_the_caption() -> None:
    table = pd.DataFrame({"name": ["a", "b"], "value": [2000.0, 33.333], "n": [1, 2]})
    html = captioned(table, "Source: <seed> & co").to_html()
    assert "2,000" in html and "33.33" in html and "2000.000000" not in html
    assert "Source: &lt;seed&gt; &amp; co" in html
    assert "caption-side: bottom" in html


def test_the_reported_case_shows_its_figures_as_reported() -> None:
    html = case_table().to_html()
    assert not re.search(r"\d\.\d{3,}", html), "a value is shown with pandas' six decimals"
    for figure in ("2,000", "5,000", "150", "80"):
        assert f">{figure}<" in html.replace(" ", "")


def test_captioned_left_aligns_text_and_hides_a_plain_index() -> None:
    table = pd.DataFrame({"cause": ["a long sentence"], "stars": [5]})
    html = captioned(table, "src").to_html()
    assert "text-align: left" in html
    assert 'class="row_heading' not in html, "a 0, 1, 2 index should not be shown"
    named = captioned(table.set_index("cause"), "src").to_html()
    assert 'class="row_heading' in named, "a meaningful index stays"


def test_table_html_is_the_course_table_with_escaped_cells_and_a_caption() -> None:
    import pandas as pd

    from widgets.apps.tables import table_html

    frame = pd.DataFrame({"name": ["<b>tea</b>"], "price": [2000]})
    shown = table_html(frame, "Source: illustrative & invented")
    assert 'class="ssl-table"' in shown and "&lt;b&gt;tea&lt;/b&gt;" in shown
    assert "2,000" in shown and "illustrative &amp; invented" in shown
    assert "<b>tea</b>" in table_html(frame, "x", escape=False)
