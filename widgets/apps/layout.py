"""One screen per app: controls in a side column (tabs when there are many), the main chart beside.

Every app builds its children with :func:`app_children`, so at 1366×768 and 1280×720
(JupyterLab, Voila and the slides) the first control and the main chart are on screen
together::

    [ header: message / KPI cards                                   ]
    [ controls column (tabs) | main chart (a FigureWidget in a VBox) ]
    [ footer: more charts, captions, tables                          ]

The column is ``CONTROLS_WIDTH`` wide; a label longer than the column wraps above its
slider instead of being cut (the ``ssl-app`` style below), so both halves of a
bilingual label stay readable. When the notebook is narrower than
``CONTROLS_WIDTH + CHART_MIN_WIDTH`` the row wraps: controls on top, chart below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as w

CONTROLS_WIDTH = "22em"
CHART_MIN_WIDTH = "24em"
CONTROLS_MAX_HEIGHT = "430px"  # a tab's controls scroll inside the column, never the page
MAIN_CHART_HEIGHT = 400  # px: fits beside the controls under JupyterLab's bars at 720 px

# Scoped to apps: labels wrap (both languages visible) and take the column's width.
APP_CSS = """<style>
.ssl-app .widget-label { text-overflow: clip !important; }
.ssl-app .widget-text > .widget-label, .ssl-app .widget-dropdown > .widget-label {
  width: auto !important; min-width: max-content; }
.ssl-app .ssl-controls .widget-label {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  width: 100% !important; max-width: 100% !important; height: auto !important;
  line-height: 1.25; margin-bottom: 2px; min-width: 0 !important;
}
.ssl-app .ssl-controls .widget-inline-hbox, .ssl-app .ssl-controls .widget-hslider {
  flex-wrap: wrap !important; width: 100% !important; max-width: 100% !important;
  height: auto !important;
}
.ssl-app .ssl-controls .widget-toggle-button { width: auto !important; }
.ssl-app .ssl-controls .widget-checkbox label { white-space: normal !important; }
.ssl-app .ssl-controls .lm-TabBar { height: auto !important; min-height: 0 !important; }
.ssl-app .ssl-controls .lm-TabBar-content { flex-wrap: wrap !important; height: auto !important; }
.ssl-app .ssl-controls .lm-TabBar-tab { flex: 0 0 auto !important; min-width: 0 !important;
  max-width: none !important; padding: 0 8px !important; }
.ssl-app .ssl-controls .lm-TabBar-tabLabel { overflow: visible !important;
  text-overflow: clip !important; }
.ssl-app .ssl-controls button { white-space: normal !important; height: auto !important;
  min-height: var(--jp-widgets-inline-height); }
</style>"""

ControlGroups = Sequence[w.Widget] | Mapping[str, Sequence[w.Widget]]


def controls_column(groups: ControlGroups) -> w.Box:
    """The side column: one list of controls, or tabs ``{title: controls}`` (first tab shown)."""
    if isinstance(groups, Mapping):
        pages = [w.VBox(list(controls), layout=w.Layout(width="100%")) for controls in
                 groups.values()]
        tabs = w.Tab(pages, layout=w.Layout(width="100%"))
        for index, title in enumerate(groups):
            tabs.set_title(index, title)
        inner: w.Widget = tabs
    else:
        inner = w.VBox(list(groups), layout=w.Layout(width="100%"))
    column = w.VBox([inner], layout=w.Layout(
        width=CONTROLS_WIDTH, min_width=CONTROLS_WIDTH, max_height=CONTROLS_MAX_HEIGHT,
        overflow="hidden auto", flex="0 0 auto"))
    column.add_class("ssl-controls")
    return column


def app_children(controls: ControlGroups, main: w.Widget, *, header: Sequence[w.Widget] = (),
                 footer: Sequence[w.Widget] = (), side: Sequence[w.Widget] = ()
                 ) -> list[w.Widget]:
    """Children of an app's VBox: ``header``, then controls beside ``main``, then ``footer``.

    ``main`` is the app's main chart, already in a VBox (see ``controls.boxed``);
    ``side`` adds widgets under it in the same column (e.g. its caption).
    """
    # A fixed share of the row, not "whatever is left": plotly sizes a chart once, when it
    # is first drawn, which can be before the controls column is on the page.
    chart_column = w.VBox([main, *side], layout=w.Layout(
        flex="0 0 auto", min_width=CHART_MIN_WIDTH, width=f"calc(100% - {CONTROLS_WIDTH} - 1em)"))
    chart_column.add_class("ssl-main-chart")
    row = w.HBox([controls_column(controls), chart_column], layout=w.Layout(
        width="100%", flex_flow="row wrap", align_items="flex-start"))
    return [w.HTML(APP_CSS), *header, row, *footer]


def mark_app(app: w.Box) -> w.Box:
    """Give an app the ``ssl-app`` class the layout's style is scoped to; returns the app."""
    app.add_class("ssl-app")
    return app


def control_tabs(app: w.Box) -> w.Tab | None:
    """The tabs of an app's controls column (None when its controls are one list)."""
    for child in app.children:
        if isinstance(child, w.HBox) and child.children and "ssl-controls" in (
                child.children[0]._dom_classes):
            inner = child.children[0].children[0]
            return inner if isinstance(inner, w.Tab) else None
    return None
