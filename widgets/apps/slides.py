"""Slides: every chapter is presented as an in-place deck (jupyterlab-slideshow).

The deck shows the notebook's own cells and outputs, so widgets stay live (they keep
JupyterLab's widget manager). ``slide_style()``, shown by each chapter's hidden setup
cell, makes the deck readable on a projector: body text 24 px at 1280×720, headings
larger, each slide at most one screen high (an app is shown at 80 % and a cell's output
is at most half the screen, scrolling inside itself instead of running off the
screen). Outside deck mode the style
changes nothing: every rule is scoped to ``body[data-jp-deck-mode='presenting']``.
"""

from __future__ import annotations

from IPython.display import HTML

DECK = "body[data-jp-deck-mode='presenting']"
BODY_FONT_PX = 24

DECK_CSS = f"""
{DECK} .jp-Notebook .jp-RenderedMarkdown {{ font-size: {BODY_FONT_PX}px; line-height: 1.35; }}
{DECK} .jp-Notebook .jp-RenderedMarkdown p,
{DECK} .jp-Notebook .jp-RenderedMarkdown li,
{DECK} .jp-Notebook .jp-RenderedMarkdown td,
{DECK} .jp-Notebook .jp-RenderedMarkdown th {{ font-size: {BODY_FONT_PX}px; }}
{DECK} .jp-Notebook .jp-RenderedMarkdown h1 {{ font-size: 40px; margin-top: 0; }}
{DECK} .jp-Notebook .jp-RenderedMarkdown h2 {{ font-size: 34px; margin-top: 0; }}
{DECK} .jp-Notebook .jp-RenderedMarkdown h3 {{ font-size: 30px; margin-top: 0; }}
{DECK} .jp-Notebook .jp-RenderedMarkdown code {{ font-size: 0.9em; }}
{DECK} .jp-Notebook .jp-CodeCell .jp-OutputArea {{ max-height: 50vh; overflow: auto; }}
{DECK} .jp-Notebook .ssl-app {{ zoom: 0.8; }}
{DECK} .jp-Notebook .jp-CodeCell .jp-InputArea {{ display: none; }}
{DECK} .jp-Notebook .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr'] {{
  font-size: 22px; border-left: 6px solid #D55E00; padding: 8px 14px; }}
"""


def slide_style() -> HTML:
    """The deck's projector style (a ``<style>`` output; invisible in the notebook)."""
    return HTML(f"<style>{DECK_CSS}</style>")
