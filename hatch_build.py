"""Build hook: install plotly's widget bundle where Jupyter and Voila serve it as a static file.

plotly 7's FigureWidget sends its whole plotly.js bundle (about 5 MB) in every
figure's comm message. The course's figure (``widgets/apps/figure.py``) imports
the same bundle from a URL instead, so the bundle must be a static file of the
Jupyter server and of Voila. This hook copies ``plotly/package_data/widgetbundle.js``
from the plotly the build runs with (``[build-system] requires`` pins the same
plotly range as the runtime dependency) into the course's Voila template's
``static`` folder, which Voila standalone and Voila's Jupyter server extension
both serve at ``<base_url>voila/templates/social_selling/static/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "share/jupyter/voila/templates/social_selling/static/plotly-widget.js"


class PlotlyBundleHook(BuildHookInterface):
    """Add plotly's widget bundle to the wheel's shared data."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        import plotly  # only inside the build environment ([build-system] requires)

        bundle = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
        if not bundle.is_file():
            raise RuntimeError(f"plotly {plotly.__version__} has no widget bundle at {bundle}")
        build_data["shared_data"][str(bundle)] = TARGET
