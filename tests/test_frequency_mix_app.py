"""Headless tests of the frequency-mix app: presets, portfolio and sliders drive the figures."""

from __future__ import annotations

import numpy as np
import pytest

from widgets import load_dataset
from widgets.apps.frequency_mix import PRESETS, build_frequency_mix
from widgets.models.frequency_mix import frequency_mix


@pytest.fixture
def app():
    return build_frequency_mix()


def test_opening_view_is_the_bird_nest_alone(app):
    assert list(app.portfolio.value) == ["bird_nest"]
    assert len(app.fig_margin.data) == 1
    table = load_dataset("product_frequency").set_index("product_id")
    expected = frequency_mix(table, ["bird_nest"]).margin.loc["bird_nest"].to_numpy()
    np.testing.assert_allclose(app.fig_margin.data[0].y, expected)
    assert "12" in app.kpis.value  # twelve thin months


def test_preset_sets_the_portfolio_and_the_traces(app):
    app.preset.value = "combination"
    assert set(app.portfolio.value) == set(PRESETS["combination"])
    assert len(app.fig_margin.data) == 3
    assert app.result.summary["thin_months"] == 0


def test_changing_the_portfolio_switches_to_my_own_mix(app):
    app.portfolio.value = ("rice", "bird_nest")
    assert app.preset.value == "custom"
    names = {t.name.split(" · ")[0] for t in app.fig_margin.data}
    assert names == {app.names["rice"].split(" · ")[0], "Bird's nest"}


def test_retention_slider_changes_the_customer_line(app):
    before = np.asarray(app.fig_customers.data[0].y).copy()
    app.idle_retention.value = 0.3
    after = np.asarray(app.fig_customers.data[0].y)
    assert after[-1] < before[-1]
    assert after[0] == before[0] == app.customers.value


def test_empty_portfolio_shows_zero_not_an_error(app):
    app.portfolio.value = ()
    assert len(app.fig_margin.data) == 0
    assert "0 元" in app.kpis.value


def test_the_first_view_starts_from_the_full_figure(app):
    for fig in (app.fig_margin, app.fig_customers):
        assert len(fig._widget_data) == len(fig.data) > 0
        assert fig._widget_layout.get("title", {}).get("text") == fig.layout.title.text


def _shown(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _shown(child)


def test_every_control_is_on_screen(app):
    shown = set(map(id, _shown(app)))
    assert all(id(c) in shown for c in (app.preset, app.portfolio, app.customers,
                                         app.idle_retention, app.kpis))
