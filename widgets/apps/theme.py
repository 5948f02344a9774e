"""One plotly look for every chart in the course, with a colour-blind-safe palette.

The palette is Okabe & Ito's (2008) eight colours, distinguishable under the
common colour-vision deficiencies. Importing :mod:`widgets.apps` registers the
template as ``"social_selling"`` and makes it the default.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
GOOD, BAD, NEUTRAL = "#009E73", "#D55E00", "#999999"
FONT_FAMILY = ("Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, Arial, "
               "sans-serif")
TEMPLATE_NAME = "social_selling"


def course_template() -> go.layout.Template:
    """The course's plotly template (Okabe–Ito colours, CJK-capable font, white background)."""
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.colorway = list(OKABE_ITO)
    template.layout.font = {"family": FONT_FAMILY, "size": 13}
    template.layout.title = {"x": 0.01, "xanchor": "left", "font": {"size": 15}}
    template.layout.margin = {"l": 60, "r": 20, "t": 60, "b": 50}
    template.layout.legend = {"orientation": "h", "y": -0.2}
    return template


def register_template() -> None:
    """Register the template and make it plotly's default."""
    pio.templates[TEMPLATE_NAME] = course_template()
    pio.templates.default = TEMPLATE_NAME
