"""The print view's data and HTML: names not ids, holidays and 年末年始 marked, gaps, pages of one or two
districts, phone numbers, standalone HTML. (The browser measures it in tests/test_print_browser.py.)"""

from __future__ import annotations

import datetime as dt

import pytest

from api.pages.print import render_print_html
from oncall.errors import InvalidScenario
from oncall.io import parse_scenario
from oncall.printing import build_print_view
from tests.factories import greedy_roster, make_scenario


def _texts(view_rows: list) -> set[str]:  # type: ignore[type-arg]
    return {line.text for row in view_rows for district in row.cells for lines in district for line in lines}


def test_names_not_ids_and_two_narrow_districts_share_a_page() -> None:
    scenario = make_scenario(days=7)
    for blocks in scenario.calendar.blocks.values():  # one-character labels (夜, 昼): two districts fit A4
        for block in blocks:
            block.name = "夜" if block.night else "昼"
    view = build_print_view(scenario, greedy_roster(scenario))
    assert len(view.pages) == 1 and [d.id for d in view.pages[0].districts] == ["north", "south"]
    texts = _texts(view.pages[0].rows)
    names = {p.name for p in scenario.physicians} | {h.name for h in scenario.hospitals}
    assert texts and texts <= names | {"—"}
    assert not texts & {p.id for p in scenario.physicians}


def test_a_district_too_wide_to_share_gets_its_own_page() -> None:
    scenario = make_scenario(days=7)
    scenario.hospitals[0].name = "地域医療機能推進機構やまなみ総合医療センター"  # 22 characters a line
    view = build_print_view(scenario, greedy_roster(scenario))
    assert [[d.id for d in page.districts] for page in view.pages] == [["north"], ["south"]]
    assert all(len(r.cells) == 1 for page in view.pages for r in page.rows)


def test_holidays_and_year_end_are_marked() -> None:
    scenario = make_scenario(start=dt.date(2026, 12, 28), days=8)
    rows = {r.day: r for r in build_print_view(scenario, greedy_roster(scenario)).pages[0].rows}
    assert rows[dt.date(2026, 12, 28)].day_type == "weekday" and not rows[dt.date(2026, 12, 28)].year_end
    assert rows[dt.date(2026, 12, 29)].year_end and rows[dt.date(2026, 12, 29)].holiday == "年末年始"
    assert rows[dt.date(2027, 1, 1)].holiday == "元日・年末年始" and rows[dt.date(2027, 1, 1)].day_type == "holiday"
    assert rows[dt.date(2027, 1, 4)].day_type == "weekday" and not rows[dt.date(2027, 1, 4)].year_end


def test_a_gap_is_marked() -> None:
    scenario = make_scenario(days=2)
    roster = greedy_roster(scenario)
    roster.duties[0].primary = None
    view = build_print_view(scenario, roster)
    gaps = [line for r in view.pages[0].rows for d in r.cells for lines in d for line in lines if line.gap]
    assert [g.text for g in gaps] == ["（欠員）"]


def test_html_is_standalone_a4_with_phone_numbers_in_each_language() -> None:
    scenario = make_scenario(days=3)
    scenario.phone = "0263-12-3456"
    scenario.districts[0].phone = "0120-111-222"
    roster = greedy_roster(scenario)
    html = render_print_html(scenario, roster, "ja")
    assert "size: A4" in html and "counter(pages)" in html
    assert "http" not in html and "<link" not in html and "<script" not in html  # loads nothing
    assert "当番電話: <strong>0120-111-222</strong>" in html and "0263-12-3456" in html
    assert "青木一郎" in html and "主当番" in html
    english = render_print_html(scenario, roster, "en")
    assert "Ichiro Aoki" in english and "Primary" in english and 'lang="en"' in english


@pytest.mark.parametrize("phone", ["03-1234-5678", "+81 3 1234 5678", "0120-123-456", "(03) 1234-5678"])
def test_phone_numbers_are_optional_and_checked(phone: str) -> None:
    data = make_scenario(days=1).model_dump(mode="json", exclude_defaults=True)
    data["districts"][0]["phone"] = phone
    data["phone"] = phone
    assert parse_scenario(data).districts[0].phone == phone


@pytest.mark.parametrize("phone", ["call me", "03-1234-5678 ext", "", "1" * 40])
def test_a_bad_phone_number_names_its_field(phone: str) -> None:
    data = make_scenario(days=1).model_dump(mode="json", exclude_defaults=True)
    data["districts"][1]["phone"] = phone
    with pytest.raises(InvalidScenario, match=r"districts\[1\]\.phone"):
        parse_scenario(data)
