"""Chapter 03 presented as slides, in English and in Chinese, as a trainer at a 1280×720
projector sees it.

The deck is jupyterlab-slideshow's in-place deck, started with the course's
"Present" toolbar button after Run All. It must:

- open on slide 1 (the title), whatever cell was active;
- show widgets live, not as their Python repr: a bet can be locked and revealed,
  and moving a slider of the tier simulator changes its chart;
- keep body text at 24 px or more, and no slide taller than the screen;
- show the "ladder that does not rise" error as a short box, not a traceback;
- request nothing outside 127.0.0.1 and get no 4xx for a style sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lab_server
import notebook_page as nb
import pytest

pytestmark = pytest.mark.browser

# (notebook, words on the "ladder that does not rise" slide, the word a revealed bet shows)
EDITIONS = {
    "en": ("chapters/03_four_stages.ipynb", "does not rise", "Answer"),
    "zh": ("chapters/zh/03_four_stages.ipynb", "级差，模型不收", "答案"),
}
WIDTH, HEIGHT = 1280, 720
MIN_BODY_PX = 24
MAX_STEPS = 90

# The cells on screen now (deck mode hides the others), their extent and text.
SLIDE_JS = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).filter(c => {
    const r = c.getBoundingClientRect(), s = getComputedStyle(c);
    return r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden' && c.offsetParent;
  });
  const rects = cells.map(c => c.getBoundingClientRect());
  const fonts = cells.flatMap(c => Array.from(
      c.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li')))
    .map(p => parseFloat(getComputedStyle(p).fontSize));
  return {
    cells: cells.map(c => Array.from(c.parentNode.children).indexOf(c)),
    top: Math.min(...rects.map(r => r.top)), bottom: Math.max(...rects.map(r => r.bottom)),
    fonts, text: cells.map(c => c.innerText).join('\\n'),
    apps: cells.filter(c => c.querySelector('.ssl-app')).length,
    bets: cells.filter(c => c.querySelector('.ssl-bet, button')).length,
    mode: document.body.dataset.jpDeckMode || '',
  };
}"""

REPR_MARKERS = ("App(children=", "Bet(children=", "ExerciseCheck(", "VBox(children=")


def _step(page: Any) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute("
                  "'deck:go', {direction: 'down', alternate: 'forward'})")
    page.wait_for_timeout(400)


def _visible_cell(page: Any, selector: str) -> Any:
    """The first element matching ``selector`` inside a cell on screen."""
    return page.locator(f".jp-Notebook .jp-Cell:visible {selector}").first


@pytest.mark.timeout(900)
@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_chapter_03_deck_is_live_readable_and_offline(edition: str, lab: lab_server.Server,
                                                      page: Any,
                                                      network: lab_server.NetworkLog,
                                                      screenshots: Path) -> None:
    chapter, error_words, answer_word = EDITIONS[edition]
    shot = f"deck_ch03_{edition}"
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    bad_responses: list[str] = []
    page.on("response", lambda r: bad_responses.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    already_outside = len(network.outside)
    nb.open_notebook(page, lab, chapter)
    report = nb.run_all(page, timeout_s=600)
    assert not nb.cell_problems(report.cells), nb.cell_problems(report.cells)

    present = page.locator('[data-jp-item-name="ssl-present"]')
    assert present.count() == 1, "the notebook toolbar has no Present button"
    present.first.click()
    page.wait_for_function("() => document.body.dataset.jpDeckMode === 'presenting'",
                           timeout=30_000)
    page.wait_for_timeout(1500)
    first = page.evaluate(SLIDE_JS)
    page.screenshot(path=str(screenshots / f"{shot}_slide1.png"))
    assert first["cells"] == [0], f"the deck opened on cells {first['cells']}, not the title"

    problems: list[str] = []
    seen: list[tuple[int, ...]] = []
    app_checked = bet_checked = error_checked = False
    for step in range(MAX_STEPS):
        slide = page.evaluate(SLIDE_JS)
        key = tuple(slide["cells"])
        if seen and key == seen[-1] and step > 1 and len(seen) > 2 and key == seen[-2]:
            break  # the last slide: going on changes nothing
        seen.append(key)
        where = f"slide of cells {list(key)}"
        if slide["bottom"] - slide["top"] > HEIGHT + 1 or slide["bottom"] > HEIGHT + 1:
            problems.append(f"{where} is {slide['bottom'] - slide['top']:.0f} px high "
                            f"(top {slide['top']:.0f}, bottom {slide['bottom']:.0f})")
            page.screenshot(path=str(screenshots / f"{shot}_tall_{step}.png"))
        small = [f for f in slide["fonts"] if f < MIN_BODY_PX]
        if small:
            problems.append(f"{where} has body text at {min(small)} px")
        for marker in REPR_MARKERS:
            if marker in slide["text"]:
                problems.append(f"{where} shows a widget as text: {marker}")
        if "Traceback" in slide["text"]:
            problems.append(f"{where} shows a traceback")
        if error_words in slide["text"] and "⚠" in slide["text"]:
            error_checked = True
        if slide["apps"] and not app_checked:
            app = _visible_cell(page, ".ssl-app")
            page.screenshot(path=str(screenshots / f"{shot}_app.png"))
            change = nb.exercise_app(page, app, 0)
            assert change.changed, f"in the deck, {change.control} did not change the chart"
            app_checked = True
        lock = _visible_cell(page, "button:has(i.fa-lock)")
        if not bet_checked and lock.count() and lock.is_visible():
            # a choice bet: click an option's label (the output prompt overlays the left edge,
            # where the radio input itself sits)
            radio = _visible_cell(page, ".widget-radio-box label")
            if radio.count():
                radio.click()
            lock.click()
            reveal = _visible_cell(page, "button:has(i.fa-eye)")
            page.wait_for_function("(b) => !b.disabled", arg=reveal.element_handle(),
                                   timeout=10_000)
            reveal.click()
            page.wait_for_timeout(1000)
            text = page.evaluate(SLIDE_JS)["text"]
            assert answer_word in text, "revealing the bet in the deck showed no answer"
            page.screenshot(path=str(screenshots / f"{shot}_bet.png"))
            bet_checked = True
        _step(page)
    page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")

    assert len(seen) > 10, f"the deck showed only {len(seen)} steps"
    assert app_checked, "no slide showed a live app"
    assert bet_checked, "no slide showed a bet that could be locked"
    assert error_checked, "the 'ladder that does not rise' slide shows no short error box"
    assert not problems, "\n".join(problems)
    outside = network.outside[already_outside:]
    assert not outside, f"the deck requested outside 127.0.0.1: {outside}"
    styles = [r for r in bad_responses if ".css" in r]
    assert not styles, f"style sheets not found: {styles}"
