"""Small building blocks every app uses: bilingual sliders, KPI cards, figure boxes."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from widgets.apps.figure import CourseFigure
from widgets.apps.labels import bind

_WIDE = {"description_width": "16em"}
_ROW = w.Layout(width="100%", max_width="34em")


def float_slider(key: str, value: float, min: float, max: float, step: float,
                 *, continuous_update: bool = True, readout_format: str = ".2f") -> w.FloatSlider:
    """A float slider whose description is the bilingual label ``key``."""
    slider = w.FloatSlider(value=value, min=min, max=max, step=step, style=_WIDE, layout=_ROW,
                           continuous_update=continuous_update, readout_format=readout_format)
    return bind(slider, key)


def int_slider(key: str, value: int, min: int, max: int, step: int = 1,
               *, continuous_update: bool = True) -> w.IntSlider:
    """An integer slider whose description is the bilingual label ``key``."""
    slider = w.IntSlider(value=value, min=min, max=max, step=step, style=_WIDE, layout=_ROW,
                         continuous_update=continuous_update)
    return bind(slider, key)


def dropdown(key: str, options: Any, value: Any = None) -> w.Dropdown:
    """A dropdown whose description is the bilingual label ``key``."""
    menu = w.Dropdown(options=options, style=_WIDE, layout=_ROW)
    if value is not None:
        menu.value = value
    return bind(menu, key)


def toggle(key: str, options: Any, value: Any = None) -> w.ToggleButtons:
    """Toggle buttons whose description is the bilingual label ``key``."""
    buttons = w.ToggleButtons(options=options, style={"description_width": "initial"})
    if value is not None:
        buttons.value = value
    return bind(buttons, key)


def kpi_html(title: str, value: str, note: str = "", tone: str = "neutral") -> str:
    """HTML for one KPI card; ``tone`` is ``good``, ``bad`` or ``neutral``."""
    colours = {"good": "#009E73", "bad": "#D55E00", "neutral": "#0072B2"}
    colour = colours.get(tone, colours["neutral"])
    return (
        f'<div class="ssl-kpi" style="border-left:4px solid {colour};padding:4px 10px;'
        f'margin:2px;min-width:11em">'
        f'<div style="font-size:12px;color:#555">{html.escape(title)}</div>'
        f'<div class="ssl-kpi-value" style="font-size:20px;font-weight:600;color:{colour}">'
        f"{html.escape(value)}</div>"
        f'<div style="font-size:11px;color:#777">{html.escape(note)}</div></div>'
    )


def kpi_row(cards: list[str]) -> str:
    """Lay KPI cards out in a wrapping row."""
    return '<div style="display:flex;flex-wrap:wrap;gap:4px">' + "".join(cards) + "</div>"


def legend_below(margin: int = 95, **legend: Any) -> dict[str, Any]:
    """Layout that pins a horizontal legend to the figure's bottom, under the x-axis title.

    A legend placed in plot fractions (the template's ``y = -0.2``) slides over the axis
    title on short figures; anchored to the container it never does. ``margin`` (px)
    must hold the tick labels, the axis title and the legend's rows; ``legend`` adds
    other legend settings (e.g. ``x=0``).
    """
    return {"legend": {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                       **legend},
            "margin": {"b": margin}}


def figure(title: str, x_title: str = "", y_title: str = "", height: int = 360,
           **layout: Any) -> CourseFigure:
    """An empty course figure (:class:`CourseFigure`) with a title and axis labels."""
    fig = CourseFigure()
    fig.update_layout(title=title, height=height, **layout)
    # the primary axes only: a second y axis passed in ``layout`` keeps its own title
    if x_title:
        fig.layout.xaxis.title = x_title
    if y_title:
        fig.layout.yaxis.title = y_title
    return fig


def boxed(fig: go.FigureWidget) -> w.VBox:
    """Wrap a FigureWidget in a VBox (a FigureWidget cannot sit directly in AppLayout)."""
    return w.VBox([fig], layout=w.Layout(width="100%"))


def note(text_html: str) -> w.HTML:
    """A small grey caption, e.g. the source or 'illustrative' label under a chart."""
    return w.HTML(f'<div style="font-size:12px;color:#555">{text_html}</div>')
