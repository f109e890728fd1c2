"""`oncall cover`, `oncall check` of the cover section and `oncall letters`, on the regional cover sample.

The rota is tests/data/regional-roster.json (the regional sample's solved roster; regional_cover.yaml has
the same doctors, districts and period). The cover solve runs to its proven optimum on one worker.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from oncall.cli import app
from oncall.cover.facts import clinic_km, panels
from oncall.io import load_scenario
from oncall.roster import load_roster, save_roster

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "regional_cover.yaml"
ROTA = ROOT / "tests" / "data" / "regional-roster.json"
runner = CliRunner()


def invoke(*args: object) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cover") / "roster.json"
    result = invoke("cover", SAMPLE, ROTA, "-o", out)
    assert result.exit_code == 0, result.output
    assert "対応医なし 0件" in result.output
    return out


def test_regional_sample_every_absence_hour_answered_within_distance_and_capacity(planned: Path) -> None:
    s, roster = load_scenario(SAMPLE), load_roster(planned)
    plan = roster.cover
    assert plan is not None and plan.status == "optimal" and not plan.unpaired
    staffing = panels(s)
    hours = {p: 0.0 for p in staffing}
    for a in plan.answers:
        assert a.answerer is not None, a
        hours[a.principal] += (a.end - a.start).total_seconds() / 3600
    assert sum(hours.values()) > 100  # the sample's 主治医 are away for many weekday hours
    for pair in plan.pairs:
        for district in staffing[pair.principal].districts:
            km = clinic_km(s, pair.deputy, pair.principal, district)
            assert km is not None and km <= 16
    for doc in s.cover.doctors if s.cover else []:
        mine = [p.principal for p in plan.pairs if p.deputy == doc.physician]
        assert len(mine) <= (doc.max_colleagues or 99)
        assert sum(staffing[p].patients for p in mine) <= (doc.max_patients or 10**6)
        assert doc.takes_cover or not mine
    assert {p: sum(1 for q in plan.pairs if q.principal == p) for p in staffing} == {
        p: st.deputies for p, st in staffing.items()
    }
    assert invoke("check", SAMPLE, planned).exit_code == 0


def test_check_rejects_a_pair_over_16_km_naming_the_rule(planned: Path, tmp_path: Path) -> None:
    s, roster = load_scenario(SAMPLE), load_roster(planned)
    assert roster.cover is not None
    principal = roster.cover.pairs[0].principal
    far = next(
        p.id
        for p in s.physicians
        if (km := clinic_km(s, p.id, principal, s.clinic_of(s.physician(principal)).district)) and km > 16
    )
    roster.cover.pairs[0] = roster.cover.pairs[0].model_copy(update={"deputy": far})
    save_roster(roster, tmp_path / "bad.json")
    result = invoke("check", SAMPLE, tmp_path / "bad.json", "--lang", "en")
    assert result.exit_code == 1
    assert "Visit distance" in result.output and "km" in result.output


def test_cover_without_a_cover_section_is_one_clear_line(tmp_path: Path) -> None:
    result = invoke("cover", ROOT / "samples" / "regional.yaml", ROTA, "-o", tmp_path / "x.json")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {ROOT / 'samples' / 'regional.yaml'}: cover: the scenario has no cover section (see docs/scenario.md)"
    ]
    assert not (tmp_path / "x.json").exists()


def test_letters_need_a_clinic_or_all(planned: Path, tmp_path: Path) -> None:
    assert invoke("letters", SAMPLE, planned, "-o", tmp_path / "l.pdf").exit_code == 2
    result = invoke("letters", SAMPLE, planned, "--clinic", "nowhere", "-o", tmp_path / "l.pdf")
    assert result.exit_code == 2 and "--clinic: unknown clinic 'nowhere'" in result.output
    result = invoke("letters", SAMPLE, ROTA, "--all", "-o", tmp_path / "l.pdf")
    assert result.exit_code == 2 and "oncall cover" in result.output
    assert not (tmp_path / "l.pdf").exists()


@pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils absent")
def test_letters_hold_names_phones_and_cover_dates_with_fonts_embedded(planned: Path, tmp_path: Path) -> None:
    s, roster = load_scenario(SAMPLE), load_roster(planned)
    assert roster.cover is not None
    answer = next(a for a in roster.cover.answers if a.answerer)
    principal = s.physician(answer.principal)
    pdf = tmp_path / "letters.pdf"
    result = invoke("letters", SAMPLE, planned, "--clinic", principal.clinic, "-o", pdf)
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    deputies = [s.physician(p.deputy) for p in roster.cover.pairs if p.principal == principal.id]
    answerer = s.physician(str(answer.answerer))
    for doctor in [principal, *deputies, answerer]:
        assert doctor.name in text and str(doctor.phone) in text
    local = answer.start.astimezone(s.zone)
    assert f"{local.month}月{local.day}日" in text and f"{local:%H:%M}" in text
    district = s.clinic_of(principal).district
    phone = next(d.phone for d in s.districts if d.id == district)
    assert phone and phone in text
    night = next(d for d in roster.duties if d.district == district and d.primary)
    assert s.physician(str(night.primary)).name in text
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
    every = invoke("letters", SAMPLE, planned, "--all", "-o", tmp_path / "all.pdf")
    assert every.exit_code == 0 and f"（{len(panels(s))}通）" in every.output


def test_sample_file_matches_its_script() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.regional_cover().model_dump() == load_scenario(SAMPLE).model_dump()
    assert module.regional().model_dump() == load_scenario(ROOT / "samples" / "regional.yaml").model_dump()


def test_json_schema_validates_the_cover_sample() -> None:
    import jsonschema
    import yaml

    from oncall.model import Scenario

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    jsonschema.validate(data, Scenario.model_json_schema())
    data["cover"]["doctors"][0]["max_patients"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, Scenario.model_json_schema())
