"""Chapter helpers: one module per chapter, ``widgets.chapters.chNN``.

A chapter's own bets, tables and exercise checks live here, wired to the models and the data
(answers are computed, never typed in). Apps live in ``widgets.apps`` and only build apps;
models live in ``widgets.models``. A notebook cell calls one short public function of its
chapter's module, e.g. ``from widgets.chapters.ch02 import build_mask_bet``.
"""
