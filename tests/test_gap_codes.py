"""Gap reasons kept as codes: one solve in Japanese reads in either language, from the file too; a roster
written before codes keeps showing its stored text."""

from __future__ import annotations

import json

from oncall.model import Absence, Scenario
from oncall.roster import Roster
from solver import solve
from tests.factories import make_scenario
from tests.solving import steady


def _solved_in_japanese() -> Roster:
    sc = make_scenario(days=2)
    for p in sc.physicians:  # nobody on the first date: its duties are gaps whatever the search does
        p.absences = [Absence(start=sc.period.start, end=sc.period.start)]
    result = solve(Scenario.model_validate(sc.model_dump()), steady(2, lang="ja"))
    assert result.roster.gaps
    return result.roster


def test_gap_reasons_are_codes_shown_in_the_readers_language() -> None:
    roster = _solved_in_japanese()
    doctors = [g for g in roster.gaps if g.role != "backup_hospital"]
    assert doctors and all(g.causes and g.causes[0]["code"] == "gap.doctors" for g in doctors)
    again = Roster.model_validate_json(roster.to_json())  # what a file or the database keeps
    for gap in (g for g in again.gaps if g.role != "backup_hospital"):
        (ja,) = gap.texts("ja")
        (en,) = gap.texts("en")
        assert ja == gap.reasons[0] and "不在" in ja and "を担当する医師" in ja
        assert "doctors cover" in en and " absent" in en and "不在" not in en
    english = again.in_language("en")
    assert [g.reasons for g in english.gaps] == [g.texts("en") for g in again.gaps]
    assert english.in_language("ja").to_json() == again.to_json()
    assert again.in_language("ja") is again  # nothing to change: the very roster


def test_a_roster_written_before_codes_shows_its_stored_text() -> None:
    data = json.loads(_solved_in_japanese().to_json())
    for gap in data["gaps"]:
        gap.pop("causes", None)
        gap["reasons"] = ["北部の医師が全員学会で不在"]
    old = Roster.model_validate(data)
    assert all(g.texts("en") == ["北部の医師が全員学会で不在"] for g in old.gaps)
    assert old.in_language("en") is old
    assert '"causes"' not in old.to_json()  # the document keeps the shape it had
