"""Update FigureWidget traces so the browser sees exactly what Python holds.

Within one ``fig.batch_update()`` plotly collects every edited key for every
edited trace, and a key edited on one trace but not another (including an edit
skipped because the value did not change) is filled with plotly's ``Undefined``.
plotly 7's anywidget FigureWidget sends that to the browser, which then *resets*
the key there: a legend entry becomes "trace 0", an x axis turns into indices,
while the Python-side figure (and any headless test) still looks right.

:func:`restyle` therefore edits one trace per batch, so no key can be undefined.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


def restyle(fig: go.FigureWidget, index: int, **props: Any) -> None:
    """Set ``props`` on trace ``index`` in a batch of its own (one message, one trace)."""
    with fig.batch_update():
        fig.data[index].update(**props)
