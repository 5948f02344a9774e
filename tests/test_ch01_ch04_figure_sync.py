"""The chapter 1/4 apps never send a batch that leaves a key undefined for some traces.

plotly 7's FigureWidget sends such keys to the browser as "undefined", which
resets them there (a legend entry turns into "trace 0", an x axis into indices),
while the Python figure still looks right. The apps therefore edit one trace per
batch (``widgets.apps.restyle``); this test watches the messages actually sent.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import Undefined

from widgets.apps.ab_test import build_ab_test
from widgets.apps.retention import build_retention
from widgets.apps.tie_strength import build_tie_strength
from widgets.apps.word_of_mouth import build_word_of_mouth


@pytest.fixture
def sent(monkeypatch):
    messages: list[dict] = []
    original = go.FigureWidget._send_update_msg

    def spy(self, restyle_data, relayout_data, trace_indexes=None, source_view_id=None):
        messages.append(restyle_data)
        return original(self, restyle_data, relayout_data, trace_indexes, source_view_id)

    monkeypatch.setattr(go.FigureWidget, "_send_update_msg", spy)
    return messages


MOVES = {
    "word_of_mouth": (build_word_of_mouth, [("q_wom", 0.4), ("market_size", 20_000),
                                            ("periods", 40)]),
    "tie_strength": (build_tie_strength, [("hours", 12.0), ("threshold", 0.4)]),
    "retention": (build_retention, [("retention", 0.8), ("horizon", 36), ("cac", 50.0)]),
    "ab_test": (build_ab_test, [("outcome", "ordered"), ("recipients", 200),
                                ("confidence", 0.9)]),
}


@pytest.mark.parametrize("name", sorted(MOVES))
def test_no_batch_leaves_a_trace_key_undefined(name, sent):
    build, moves = MOVES[name]
    app = build()
    for control, value in moves:
        getattr(app, control).value = value
    restyles = [m for m in sent if m]
    assert restyles, "the app sent no trace updates at all"
    for message in restyles:
        for key, values in message.items():
            assert all(v is not Undefined for v in values), \
                f"{name}: key {key!r} is undefined for some traces of one batch"
