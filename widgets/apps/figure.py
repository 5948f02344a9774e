"""The course's one plotly figure: :class:`CourseFigure` (and :func:`course_figure`).

Every chart of every app is a :class:`CourseFigure`. It *is* a plotly
``FigureWidget`` (same Python API: ``.data``, ``.layout``, ``batch_update()``,
``add_trace``, ``update_layout`` …) with two changes, both about what reaches
the browser:

1. **plotly.js over the wire once, cached.** plotly 7's FigureWidget is an
   anywidget whose ``_esm`` is the whole plotly.js bundle (about 5 MB), sent in
   every figure's comm message over the kernel websocket. A CourseFigure's
   ``_esm`` is a small module (:data:`LOADER_ESM`, about 2 kB) that imports
   plotly's own widget bundle from a URL the Jupyter server and Voila serve
   locally (:data:`BUNDLE_PATH`, installed with the course; see
   ``hatch_build.py``). The browser fetches it once per page, keeps it in its
   module map, and caches it (``?v=<plotly version>`` gives a 10-year
   ``Cache-Control`` from tornado's static file handler).

2. **The first state reaches the front end, however late it is**
   (plotly/plotly.py#4998). A FigureWidget sends each edit as a one-off event
   (``_py2js_*``); the plotly.js model only hears the events that arrive after
   it was initialised, and it draws its first view from the synced
   ``_widget_data``/``_widget_layout`` traits, which plotly refreshes only when
   the figure is displayed on its own. So:

   - whenever a front end asks for the full state (a page opens or reloads,
     Voila connects to the kernel that ran the dashboard), :meth:`get_state`
     sends the *current* figure;
   - until a front end reports that plotly.js is loaded and listening
     (message ``{"course_figure": "ready"}`` from :data:`LOADER_ESM`), every
     edit is followed by one full-state sync, coalesced per cell run or
     callback (:meth:`_flush_first_state`); a view already drawn from an
     older state is drawn again when such a sync arrives (the output of a
     cell can be shown before the cell's sync, which is sent when it ends).

   Invariant: the browser's figure equals Python's after every message, for a
   front end that appears at any time.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import Any

import plotly
import plotly.graph_objects as go

# Where the course installs plotly's widget bundle (a copy of
# plotly/package_data/widgetbundle.js): the static folder of the course's Voila
# template, which Voila (standalone) and Voila's Jupyter server extension both
# serve, so JupyterLab, Voila and a JupyterHub user server all have it.
BUNDLE_PATH = "voila/templates/social_selling/static/plotly-widget.js"
BUNDLE_VERSION = plotly.__version__

READY = "ready"
LOADING = "loading"

LOADER_ESM = """
// Social Selling Lab: load plotly's widget bundle once, from the local server.
const BUNDLE_PATH = __BUNDLE_PATH__;
const VERSION = __VERSION__;

function baseUrl() {
  const el = document.getElementById("jupyter-config-data");
  let base = "/";
  if (el) {
    try { base = JSON.parse(el.textContent).baseUrl || "/"; } catch (e) { base = "/"; }
  }
  return base.endsWith("/") ? base : base + "/";
}

export function bundleUrl() {
  const url = new URL(baseUrl() + BUNDLE_PATH, window.location.origin);
  url.searchParams.set("v", VERSION);
  return url.href;
}

// Time spent in plotly's handlers of Python's edits, for the browser benchmark.
const STATS = (globalThis.__courseFigureStats ??= {ms: 0, calls: 0});

function afterPaint(fn) {
  // after the next frame is painted: requestAnimationFrame runs before the paint, the timeout after
  requestAnimationFrame(() => setTimeout(fn, 0));
}

// A copy Plotly.react can diff against the last one (typed arrays are replaced, never edited).
function copyOf(value) {
  if (Array.isArray(value)) return value.map(copyOf);
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const out = {};
    for (const key of Object.keys(value)) out[key] = copyOf(value[key]);
    return out;
  }
  return value;
}

// plotly's view draws each edit from Python at once (Plotly.restyle/relayout/update, each a
// full redraw), then answers it with two deltas, each a deep merge of the whole drawn figure
// (getFullData/getFullLayout), before the next edit is drawn. The course's view instead:
// - the layout delta goes out as "_js2py_widget_layoutDelta", a key Python's FigureWidget
//   never reads (it listens to "_js2py_layoutDelta"), so it is skipped;
// - the trace deltas (Python applies only those of its latest edit id) are sent once, after
//   the frame is painted, for the latest edit id.
// - every edit from Python (restyle, relayout, update) is drawn with Plotly.react from the
//   model's figure (which plotly's FigureModel has already updated): the first edit of an
//   animation frame at once, the ones after it together at the next frame, so the N messages
//   of one app update cost a figure two redraws at most, not N;
function speedUp(FigureView) {
  const proto = FigureView.prototype;
  if (proto.__courseFigure) return;
  proto.__courseFigure = true;
  const sendTraceDeltas = proto._sendTraceDeltas;
  const drawModel = (view) => {
    const plotly = globalThis.Plotly;
    if (!plotly || !view.el || !view.el._fullLayout) return;
    const layout = copyOf(view.model.get("_widget_layout"));
    if (!layout.height) layout.height = 360;  // as plotly's view draws it first
    const config = copyOf(view.model.get("_config") || {});
    config.editSelection = false;
    plotly.react(view.el, copyOf(view.model.get("_widget_data")), layout, config).then(() => {
      const editId = view.__pendingTraceEdit;
      view.__pendingTraceEdit = undefined;
      if (editId !== undefined) view._sendTraceDeltas(editId);
    });
  };
  const reactSoon = function (message) {
    if (message === null) return;
    if (message.trace_edit_id !== undefined) this.__pendingTraceEdit = message.trace_edit_id;
    if (this.__framePending) { this.__redrawAtFrame = true; return; }
    this.__framePending = true;
    drawModel(this);  // the first edit in a frame is drawn at once, later ones at the frame
    requestAnimationFrame(() => {
      this.__framePending = false;
      if (this.__redrawAtFrame) { this.__redrawAtFrame = false; drawModel(this); }
    });
  };
  proto.do_restyle = function () { reactSoon.call(this, this.model.get("_py2js_restyle")); };
  proto.do_update = function () { reactSoon.call(this, this.model.get("_py2js_update")); };
  proto.do_relayout = function () {
    const message = this.model.get("_py2js_relayout");
    // an edit that came from this view (a zoom) is drawn already
    if (message !== null && message.source_view_id !== this.viewID) reactSoon.call(this, message);
  };
  proto._sendLayoutDelta = function () {};
  proto._sendTraceDeltas = function (editId) {
    this.__traceEditId = editId;
    if (this.__deltasQueued) return;
    this.__deltasQueued = true;
    afterPaint(() => {
      this.__deltasQueued = false;
      if (this.el && this.el._fullData) sendTraceDeltas.call(this, this.__traceEditId);
    });
  };
}

function loadBundle() {
  // One import per page: the module map keeps it, the HTTP cache keeps it across pages.
  if (!globalThis.__courseFigureBundle) {
    globalThis.__courseFigureBundle = import(bundleUrl()).then((mod) => {
      // __courseFigurePlain: plotly's own view code, for the benchmark's before/after pairs
      if (mod.FigureView && !globalThis.__courseFigurePlain) speedUp(mod.FigureView);
      return mod;
    });
  }
  return globalThis.__courseFigureBundle;
}

// plotly's view sizes a chart to its box when it draws it, and plotly 7's anywidget never
// again (its window-resize listener belongs to the old ipywidgets view); a view drawn while
// detached or in a hidden tab even gets plotly's default 700 px. So follow the box's width.
function followWidth(el, layout) {
  let queued = false;
  const observer = new ResizeObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const full = el._fullLayout;
      const width = el.clientWidth;
      if (!full || !width || (layout() || {}).width || Math.abs(full.width - width) <= 1) return;
      const plotly = globalThis.Plotly;
      if (plotly) plotly.Plots.resize(el).catch(() => {});
    });
  });
  observer.observe(el);
  return observer;
}

function timed(name, callback) {
  if (!name.startsWith("change:_py2js_")) return callback;
  return function (...args) {
    const start = performance.now();
    try { return callback.apply(this, args); } finally {
      STATS.ms += performance.now() - start; STATS.calls += 1;
    }
  };
}

// plotly's FigureModel/FigureView register listeners on the model they get; the
// course records them per view, so a view can be redrawn (or dropped) cleanly.
function trackedModel(model) {
  const subscriptions = [];
  let owner = null;
  const wrapper = {
    get: (key) => model.get(key),
    set: (key, value) => model.set(key, value),
    save_changes: () => model.save_changes(),
    send: (...args) => model.send(...args),
    on: (name, callback) => {
      const handler = owner === "model" ? callback : timed(name, callback);
      subscriptions.push({ name, callback: handler, owner });
      model.on(name, handler);
    },
    off: (name, callback) => model.off(name, callback),
    widget_manager: model.widget_manager,
  };
  return {
    wrapper,
    as(who, fn) { owner = who; try { return fn(); } finally { owner = null; } },
    detach(who) {
      for (let i = subscriptions.length - 1; i >= 0; i--) {
        if (subscriptions[i].owner === who) {
          model.off(subscriptions[i].name, subscriptions[i].callback);
          subscriptions.splice(i, 1);
        }
      }
    },
  };
}

export default () => {
  let inner = null;        // plotly's own widget for this model, once initialised
  let tracked = null;
  const views = new Set(); // {el, cleanup}
  let redrawQueued = false;

  async function draw(widget, view) {
    const args = { model: tracked.wrapper, el: view.el };
    view.cleanup = await tracked.as(view, () => widget.render(args));
  }
  function undraw(view) {
    tracked.detach(view);
    if (typeof view.cleanup === "function") view.cleanup();
    view.el.replaceChildren();
  }
  async function redraw() {
    // Python sent the whole figure (it does so only until this front end said "ready"):
    // a view drawn from an older state is drawn again from the model's current state.
    redrawQueued = false;
    const widget = await inner;
    for (const view of views) { undraw(view); await draw(widget, view); }
  }

  return {
    initialize({ model }) {
      // Do not wait for the bundle here: anywidget gives initialize 2 s.
      tracked = trackedModel(model);
      model.send({ course_figure: "__LOADING__" });
      inner = loadBundle().then(async (mod) => {
        const widget = mod.default();
        await tracked.as("model", () => widget.initialize({ model: tracked.wrapper }));
        model.send({ course_figure: "__READY__" });
        return widget;
      });
      inner.catch((error) => console.error("[course figure] plotly.js failed to load", error));
      model.on("change:_widget_data change:_widget_layout", () => {
        if (!redrawQueued && views.size) { redrawQueued = true; queueMicrotask(redraw); }
      });
    },
    async render({ model, el }) {
      const widget = await inner;
      const view = { el, cleanup: null };
      views.add(view);
      await draw(widget, view);
      const sizing = globalThis.__courseFigurePlain ? null
        : followWidth(el, () => model.get("_widget_layout"));
      return () => { if (sizing) sizing.disconnect(); views.delete(view); undraw(view); };
    },
  };
};
""".replace("__BUNDLE_PATH__", json.dumps(BUNDLE_PATH)).replace(
    "__VERSION__", json.dumps(BUNDLE_VERSION)).replace(
    "__LOADING__", LOADING).replace("__READY__", READY)
# What goes over the websocket per figure: the module without its comment lines and indents.
LOADER_ESM = "\n".join(re.sub(r"\s+// .*$", "", line).strip() for line in LOADER_ESM.splitlines()
                       if line.strip() and not line.strip().startswith("//"))


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop of an IPython kernel, or None outside one.

    Only a kernel drives its loop after each cell; another library's loop in plain Python
    (Playwright's, in the browser tests) may never run a callback scheduled on it.
    """
    try:
        from ipykernel.kernelbase import Kernel
    except ImportError:
        return None
    if not Kernel.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class CourseFigure(go.FigureWidget):
    """A plotly ``FigureWidget`` whose first state always reaches the browser.

    Construct it like ``go.FigureWidget`` (``CourseFigure(make_subplots(...))``,
    ``CourseFigure(data=[...], layout={...})``); everything else is plotly's API.
    """

    _esm = LOADER_ESM

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._front_end_ready = False
        self._first_state_due = False
        self._added_in_batch: list[dict[str, Any]] = []
        super().__init__(*args, **kwargs)
        self.on_msg(self._on_front_end_msg)

    @contextmanager
    def batch_update(self) -> Iterator[None]:
        """plotly's ``batch_update``; traces added inside it also go out as one message.

        plotly sends each ``add_trace`` at once, and plotly.js redraws the whole figure
        for each (``fig.data = ()`` and N ``add_bar`` calls: N + 1 redraws). Here the
        added traces are held until the next other edit or the end of the batch and
        sent as one ``addTraces``: two redraws, same result.
        """
        with super().batch_update():
            yield
        self._send_added_traces()

    def _send_added_traces(self) -> None:
        if self._added_in_batch:
            traces, self._added_in_batch = self._added_in_batch, []
            super()._send_addTraces_msg(traces)
            self._edited()

    # -- the first state ----------------------------------------------------------------------
    def _current_state(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return deepcopy(self._data), deepcopy(self._layout_obj._props)

    def get_state(self, key: Any = None) -> dict[str, Any]:
        """The synced state, with the figure as it is *now* when the full state is asked for."""
        if key is None and getattr(self, "_layout_obj", None) is not None:
            data, layout = self._current_state()
            # set without a change event: this state is about to be sent anyway
            self._trait_values["_widget_data"] = data
            self._trait_values["_widget_layout"] = layout
        return super().get_state(key)

    def _on_front_end_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or "course_figure" not in content:
            return
        if content["course_figure"] == READY:
            self._front_end_ready = True
        elif content["course_figure"] == LOADING:
            self._front_end_ready = False

    def _edited(self) -> None:
        """An edit went out as a one-off event; make sure a late front end also gets it."""
        if self._front_end_ready or self._first_state_due:
            return
        self._first_state_due = True
        loop = _kernel_loop()
        if loop is None:  # plain Python or tests (even with another library's loop): sync now
            self._flush_first_state()
        else:  # in a kernel: once the running cell or callback has finished
            loop.call_soon(self._flush_first_state)

    def _flush_first_state(self) -> None:
        self._first_state_due = False
        if self._front_end_ready or self.comm is None:
            return
        data, layout = self._current_state()
        with self.hold_sync():
            self._widget_data = data
            self._widget_layout = layout

    # every Python -> browser edit of plotly's FigureWidget goes through one of these
    def _send_addTraces_msg(self, new_traces_data: list[dict[str, Any]]) -> None:
        if self._in_batch_mode:
            self._added_in_batch.extend(new_traces_data)
            return
        self._send_added_traces()
        super()._send_addTraces_msg(new_traces_data)
        self._edited()

    def _send_relayout_msg(self, *args: Any, **kwargs: Any) -> None:
        self._send_added_traces()
        super()._send_relayout_msg(*args, **kwargs)
        self._edited()

    def _send_restyle_msg(self, *args: Any, **kwargs: Any) -> None:
        self._send_added_traces()
        super()._send_restyle_msg(*args, **kwargs)
        self._edited()

    def _send_moveTraces_msg(self, *args: Any, **kwargs: Any) -> None:
        self._send_added_traces()
        super()._send_moveTraces_msg(*args, **kwargs)
        self._edited()

    def _send_update_msg(self, *args: Any, **kwargs: Any) -> None:
        self._send_added_traces()
        super()._send_update_msg(*args, **kwargs)
        self._edited()

    def _send_animate_msg(self, *args: Any, **kwargs: Any) -> None:
        self._send_added_traces()
        super()._send_animate_msg(*args, **kwargs)
        self._edited()

    def _send_deleteTraces_msg(self, *args: Any, **kwargs: Any) -> None:
        self._send_added_traces()
        super()._send_deleteTraces_msg(*args, **kwargs)
        self._edited()


def course_figure(figure: Any = None, **layout: Any) -> CourseFigure:
    """A :class:`CourseFigure` from a plotly figure or dict (or empty), with ``layout`` applied."""
    fig = CourseFigure(figure)
    if layout:
        fig.update_layout(**layout)
    return fig
