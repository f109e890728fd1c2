"""The one message catalogue: every code in both languages with the same fields, kept texts that render
in either language, one language type."""

from __future__ import annotations

import re
from pathlib import Path

from oncall.i18n import MESSAGES, both, coded, joined, render
from oncall.texts import AREAS

# A field with its conversion and format (`{name!r}`, `{km:.1f}`).
FIELD = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")
ROOT = Path(__file__).parents[1]

# Fields only English needs: a plural ending, and pydantic's English detail of a date it cannot read.
ENGLISH_ONLY = {"s", "error"}


def test_every_code_has_both_languages_non_empty_with_the_same_fields() -> None:
    for code, pair in MESSAGES.items():
        assert isinstance(pair, tuple) and len(pair) == 2, code
        ja, en = pair
        assert ja.strip() and en.strip(), code
        fields_ja, fields_en = set(FIELD.findall(ja)), set(FIELD.findall(en))
        assert fields_ja <= fields_en and fields_en - fields_ja <= ENGLISH_ONLY, (code, ja, en)


def test_every_area_is_merged_and_no_code_is_defined_twice() -> None:
    seen: dict[str, str] = {}
    for area in AREAS:
        for code in area.MESSAGES:
            assert code not in seen, f"{code} in {area.__name__} and {seen[code]}"
            seen[code] = area.__name__
            assert MESSAGES[code] == area.MESSAGES[code], code


def test_a_kept_text_renders_in_either_language_and_survives_json() -> None:
    import json

    kept = coded(
        "gap.doctors",
        where=joined(" ", ["2027-01-05", both("北部", "North"), coded("role.primary")]),
        district=both("北部", "North"),
        n=3,
        parts=joined(", ", [coded("gap.absent", n=2), coded("gap.cap_zero", n=1)]),
    )
    again = json.loads(json.dumps(kept))
    assert render(again, "en") == "2027-01-05 North primary: 3 doctors cover North; 2 absent, 1 with a cap of zero"
    assert render(again, "ja") == "2027-01-05 北部 主当番: 北部を担当する医師3名; 不在2名, 上限0回1名"
    # A code this version does not know shows the code rather than failing.
    assert render({"code": "gap.from_the_future", "params": {"n": 1}}, "en") == "gap.from_the_future"


def test_one_language_type() -> None:
    definitions = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("oncall", "solver", "api")
        for path in sorted((ROOT / package).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(class Lang\b|Lang\s*=|Lang:\s*TypeAlias)", line)
    ]
    assert len(definitions) == 1 and definitions[0].startswith("oncall/i18n.py:"), definitions
