"""Input errors in Japanese by default and English on request (issue 17, item 17, input errors): one
catalogue of codes (oncall/i18n.py), pydantic's errors translated by their type, the project's own by theirs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from oncall.errors import InvalidScenario
from oncall.i18n import MESSAGES, Message, pick_lang, text
from oncall.io import parse_scenario
from tests.factories import make_scenario
from tests.strategies import Broken, broken_scenario_dicts

FIELD = re.compile(r"\{(\w+)\}")


def test_every_text_of_the_catalogue_has_both_languages_and_no_field_the_english_lacks() -> None:
    for code, (ja, en) in MESSAGES.items():
        assert ja and en, code
        assert re.search(r"[\u3000-\u30ff\u4e00-\u9fff]", ja), f"{code}: no Japanese in {ja!r}"
        # pydantic's English detail ({error}: "month value is outside expected range") is left out in Japanese
        assert set(FIELD.findall(ja)) <= set(FIELD.findall(en)), code


@settings(max_examples=4 * settings().max_examples)
@given(broken_scenario_dicts())
def test_every_problem_with_broken_data_is_a_known_code(broken: Broken) -> None:
    """Whatever breaks a scenario, each problem has a Japanese text (not pydantic's English fallback)."""
    try:
        parse_scenario(broken.data)
    except InvalidScenario as exc:
        for message in exc.messages:
            assert isinstance(message, Message), message
            assert message.code in MESSAGES, (message.code, message.text("en"))
            ja = message.text("ja")
            assert ja.startswith("scenario: ") and "\n" not in ja


@pytest.mark.parametrize(
    ("edit", "ja", "en"),
    [
        (
            lambda d: d["physicians"][0].update(clinic="x"),
            "scenario: physicians[0].clinic: 不明な診療所 'x' です",
            "scenario: physicians[0].clinic: unknown clinic 'x'",
        ),
        (
            lambda d: d["period"].update(end="2027-01-01"),
            "scenario: period: 終了 2027-01-01 が開始 2027-01-04 より前です",
            "scenario: period: end 2027-01-01 before start 2027-01-04",
        ),
        (
            lambda d: d["hospitals"][0].update(capacity_per_day=0),
            "scenario: hospitals[0].capacity_per_day: 1 以上にしてください（入力値: 0）",
            "scenario: hospitals[0].capacity_per_day: Input should be greater than or equal to 1 (got 0)",
        ),
        (
            lambda d: d.update(extra=1),
            "scenario: extra: この項目は使えません（綴りを確かめてください）（入力値: 1）",
            "scenario: extra: Extra inputs are not permitted (got 1)",
        ),
        (
            lambda d: d["physicians"][0].update(roles=["doctor"]),
            "scenario: physicians[0].roles[0]: 次のいずれかにしてください: 'primary' or 'secondary'"
            "（入力値: 'doctor'）",
            "scenario: physicians[0].roles[0]: Input should be 'primary' or 'secondary' (got 'doctor')",
        ),
    ],
)
def test_one_problem_in_both_languages(edit: object, ja: str, en: str) -> None:
    doc = make_scenario(days=2).model_dump(mode="json")
    edit(doc)  # type: ignore[operator]
    with pytest.raises(InvalidScenario) as info:
        parse_scenario(doc)
    assert info.value.lines("ja") == [ja]
    assert info.value.lines("en") == info.value.problems == [en]


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "ja"),
        ("", "ja"),
        ("en", "en"),
        ("en-GB", "en"),
        ("ja-JP,en;q=0.8", "ja"),
        ("en;q=0.5, ja;q=0.9", "ja"),
        ("de, en;q=0.3", "en"),
        ("de", "ja"),
        ("*", "ja"),
        ("en;q=0", "ja"),
        ("en;q=abc, ja", "ja"),
        ("garbage;;;", "ja"),
    ],
)
def test_pick_lang_reads_accept_language(header: str | None, lang: str) -> None:
    assert pick_lang(header) == lang


def test_text_fills_the_fields() -> None:
    assert text("scenario.unknown_clinic", "en", id="'x'") == "unknown clinic 'x'"
    assert Message("input.too_deep").source("a.json").text("ja") == "a.json: 入れ子が深すぎます"
