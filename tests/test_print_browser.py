"""The print view in a real browser (Debian's chromium driven by Playwright): every text at least 9 pt,
each district's table within the printable width of A4, a PDF of a plausible number of A4 pages.

The regional sample's roster is ``tests/data/regional-roster.json``, written by
``oncall solve samples/regional.yaml -o tests/data/regional-roster.json --workers 1 --seed 0 --time-limit 120``.
The screenshot and the PDF are kept under ``test-artefacts/`` (not committed).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from api.pages.print import render_print_html
from oncall.io import load_scenario
from oncall.printing import PRINTABLE_MM
from oncall.roster import load_roster
from tests import browser as chromium
from tests.factories import greedy_roster, make_scenario

ROOT = Path(__file__).resolve().parents[1]
browser = chromium.browser  # the module's chromium, a fixture
needs_chromium = chromium.needs_chromium
ARTEFACTS = ROOT / "test-artefacts"
PRINTABLE_PX = PRINTABLE_MM / 25.4 * 96

pytestmark = needs_chromium

# Every text node's computed size, with a sample of the text, so a failure names what is too small.
TEXT_SIZES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const style = getComputedStyle(node.parentElement);
    if (style.display === "none" || style.visibility === "hidden") continue;
    out.push([parseFloat(style.fontSize), node.textContent.trim().slice(0, 20)]);
  }
  return out;
}"""
TABLE_WIDTHS = "() => [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)"
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def _regional_html(lang: str) -> str:
    scenario = load_scenario(ROOT / "samples" / "regional.yaml")
    scenario.phone = "0263-12-3456"
    for i, district in enumerate(scenario.districts):
        district.phone = f"0120-100-{i:03d}"
    return render_print_html(scenario, load_roster(ROOT / "tests" / "data" / "regional-roster.json"), lang)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_print_view_of_the_regional_sample(browser: Any, lang: str) -> None:
    html = _regional_html(lang)
    # The viewport is the page box inside its margins: what does not fit there spills past them in print.
    page = browser.new_page(viewport={"width": int(PRINTABLE_PX), "height": 1000})
    try:
        page.set_content(html)
        page.emulate_media(media="print")
        sizes = page.evaluate(TEXT_SIZES)
        widths = page.evaluate(TABLE_WIDTHS)
        scroll_width = page.evaluate(PAGE_WIDTH)
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"print-{lang}.png"), full_page=True)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    (ARTEFACTS / f"print-{lang}.pdf").write_bytes(pdf)

    small = [(size, text) for size, text in sizes if size < 12]  # 9 pt = 12 CSS px
    assert len(sizes) > 500 and small == []
    districts = html.count('<section class="page"')
    assert len(widths) == districts == 4  # the regional sample's four districts, one page each
    assert max(widths) <= int(PRINTABLE_PX) and scroll_width <= int(PRINTABLE_PX), (widths, scroll_width)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert districts <= pages <= 2 * districts
    width, height = (float(x) for x in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())  # type: ignore[union-attr]
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points


# Cells whose lines wrapped: more line tops among their spans than lines (a <br> between lines).
WRAPPED_CELLS = """() => [...document.querySelectorAll('td')].filter(td => {
  const tops = new Set([...td.querySelectorAll('span')].map(s => Math.round(s.getBoundingClientRect().top)));
  return tops.size > td.querySelectorAll('br').length + 1;
}).length"""


def test_two_districts_on_one_page_fit_its_width(browser: Any) -> None:
    """The estimate that lets two districts share a page holds in the browser: no cell wraps, none spills."""
    scenario = make_scenario(days=7)
    for blocks in scenario.calendar.blocks.values():  # one-character labels, as in tests/test_printing.py
        for block in blocks:
            block.name = "夜" if block.night else "昼"
    html = render_print_html(scenario, greedy_roster(scenario), "ja")
    assert html.count('<section class="page"') == 1 and html.count('colspan="3"') == 2
    page = browser.new_page(viewport={"width": int(PRINTABLE_PX), "height": 1000})
    try:
        page.set_content(html)
        page.emulate_media(media="print")
        widths, wrapped, sizes = (page.evaluate(js) for js in (TABLE_WIDTHS, WRAPPED_CELLS, TEXT_SIZES))
    finally:
        page.close()
    assert widths[0] <= int(PRINTABLE_PX) and wrapped == 0
    assert min(size for size, _ in sizes) >= 12
