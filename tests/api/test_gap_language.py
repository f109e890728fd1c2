"""Gap reasons are stored as codes and read in the reader's language (Accept-Language), whatever the
language of the solve that wrote them."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from oncall.model import Absence, Scenario
from oncall.roster import Roster
from oncall.storage import Store
from tests.api.helpers import english, solve, upload
from tests.factories import make_scenario


def _everyone_away_on_the_first_day() -> Scenario:
    """The two-day network with every doctor absent on its first date: that date's duties are gaps whose
    reason is the same in every solve (all absent), so it is what the test may assert."""
    sc = make_scenario(days=2)
    day = sc.period.start
    for p in sc.physicians:
        p.absences = [Absence(start=day, end=day)]
    return Scenario.model_validate(sc.model_dump())


def test_an_english_client_reads_english_gap_reasons_of_a_roster_solved_in_japanese(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str], store: Store
) -> None:
    sid = upload(client, staff, _everyone_away_on_the_first_day())["id"]
    job = solve(client, staff, sid)  # the API solves in Japanese
    assert job["state"] == "succeeded", job
    rid = job["revision_id"]

    stored = json.loads(store.get_roster(rid)[1])
    doctors = [g for g in stored["gaps"] if g["role"] != "backup_hospital"]
    assert doctors and all(g["causes"][0]["code"] == "gap.doctors" for g in doctors)
    assert all("不在" in g["reasons"][0] for g in doctors)  # the text of the solve's language, kept too

    en = Roster.model_validate_json(client.get(f"/revisions/{rid}", headers=english(hospital)).content)
    ja = Roster.model_validate_json(
        client.get(f"/revisions/{rid}", headers={**hospital, "Accept-Language": "ja"}).content
    )
    assert [(g.duty, g.role) for g in en.gaps] == [(g.duty, g.role) for g in ja.gaps]
    for gap_en, gap_ja in zip(en.gaps, ja.gaps, strict=True):
        if gap_en.role == "backup_hospital":
            continue
        (reason_en,) = gap_en.reasons
        (reason_ja,) = gap_ja.reasons
        # `2027-01-04 Night North primary (01-04 17:30–): 7 doctors cover North; 7 absent`
        m = re.search(
            r": (\d+) doctors cover (North|South); (?:(\d+) do not take this role, )?(\d+) absent$", reason_en
        )
        assert m is not None and int(m.group(1)) == int(m.group(3) or 0) + int(m.group(4)) > 0, reason_en
        assert f" {m.group(2)} {gap_en.role} (" in reason_en, reason_en
        assert "を担当する医師" in reason_ja and "不在" in reason_ja and "absent" not in reason_ja, reason_ja
        assert not any("\u3040" <= ch <= "\u30ff" for ch in reason_en), reason_en  # no kana in English
    # ?lang= overrides the header; a roster read in the language it was solved in is the stored text.
    assert (
        client.get(f"/revisions/{rid}?lang=en", headers=hospital).content
        == client.get(f"/revisions/{rid}", headers=english(hospital)).content
    )
    assert client.get(f"/revisions/{rid}", headers=hospital).content == store.get_roster(rid)[1].encode()
