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


# --- no text a reader sees outside the catalogue -------------------------------------------------------

# Kana and kanji: a literal holding them is Japanese text. Punctuation alone (（）・〜　) is not.
JAPANESE = re.compile(r"[\u3041-\u30fa\u30fc-\u30ff\u3400-\u9fff]")
# Keyword arguments, dictionary keys and module constants whose value is documentation for developers
# and API clients, written in English and naming the Japanese terms of the trade (当番表, 主治医): CLI help,
# pydantic and OpenAPI descriptions.
DOCUMENTATION = {"description", "help", "title", "summary", "doc", "DESCRIPTION"}
# Modules that hold Japanese as data rather than as texts to translate, each with its reason.
DATA = {
    "oncall/generate.py": "fictional Japanese names of doctors, clinics, hospitals and places for the samples",
    "oncall/rules.py": "each rule's title sits beside the rule in the registry (ja, en), so a new rule is one place",
    "oncall/calendar.py": "年末年始, the name of the year-end period as the calendar reports it, like a holiday name",
    "oncall/xlsx.py": "the names of Japanese public holidays (data, with English names beside them)",
    "oncall/importing/columns.py": "column headings read from the office's spreadsheets (医師ID, 氏名 …)",
    "oncall/importing/physicians.py": "column headings and cell values read from the physicians sheet (開業, はい …)",
    "oncall/importing/requests.py": "column headings and date forms read from the request sheet (備考, 1月5日 …)",
    "oncall/importing/marks.py": "the marks people type into the request sheet (×, 前, 後, 休 …)",
    "oncall/importing/templates.py": "the values the templates offer in their cells, read back by the import",
}


def _japanese_literals(path: Path) -> list[tuple[int, str]]:
    """The Japanese string literals of a module that are neither docstrings nor documentation arguments."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
        documentation: list[ast.AST] = []
        if isinstance(node, ast.keyword) and node.arg in DOCUMENTATION:
            documentation.append(node.value)
        if isinstance(node, ast.Dict):
            documentation += [v for k, v in zip(node.keys, node.values, strict=True) if _named(k)]
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in DOCUMENTATION for t in node.targets
        ):
            documentation.append(node.value)
        skipped.update(id(n) for value in documentation for n in ast.walk(value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
        if JAPANESE.search(node.value)
    ]


def _named(key: object) -> bool:
    import ast

    return isinstance(key, ast.Constant) and key.value in DOCUMENTATION


def test_no_module_outside_the_catalogue_holds_japanese_text() -> None:
    found: dict[str, list[tuple[int, str]]] = {}
    for package in ("oncall", "solver", "api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if name == "oncall/i18n.py" or name.startswith("oncall/texts/") or name in DATA:
                continue
            literals = _japanese_literals(path)
            if literals:
                found[name] = literals
    assert not found, found


def test_every_module_allowed_japanese_data_still_holds_some() -> None:
    for name in DATA:
        assert _japanese_literals(ROOT / name), f"{name} holds no Japanese any more: take it off DATA"
