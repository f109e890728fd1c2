"""Month boundaries: a January roster solved after a published December roster."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncall.boundary import BoundaryOptions, carry_over, months_before
from oncall.checker import CheckReport, check
from oncall.cli import app
from oncall.errors import InvalidRoster, InvalidScenario
from oncall.fairness import fair_share
from oncall.io import load_scenario, save_scenario
from oncall.model import CATEGORIES, Absence, CarriedPeriod, History, PatientGroup, Physician, Pin, Scenario
from oncall.roster import Roster, load_roster, save_roster
from oncall.timeline import Timeline
from solver import solve
from tests.factories import greedy_roster, make_scenario
from tests.solving import steady, steady_cli

OPTIONS = steady(3, lang="en")
DECEMBER = dt.date(2026, 12, 27)  # 12/27–12/31: a Sunday, two weekdays and 年末年始 from 12/29
JANUARY = dt.date(2027, 1, 1)  # 1/1–1/4


@functools.cache
def _solved_december() -> tuple[Scenario, Roster]:
    scenario = make_scenario(start=DECEMBER, days=5)
    result = solve(scenario, steady(3))
    assert result.status in ("optimal", "feasible") and not result.roster.gaps
    return scenario, result.roster


def _december() -> tuple[Scenario, Roster]:
    """The December scenario and its published roster (solved once; copies, so tests may change them)."""
    scenario, roster = _solved_december()
    return scenario.model_copy(deep=True), roster.model_copy(deep=True)


def _pieces(scenario: Scenario, roster: Roster) -> dict[str, list[tuple[dt.datetime, dt.datetime, str]]]:
    """Each physician's duties as (start, end, district-block-date), from the roster and its timeline."""
    tl = Timeline.build(scenario)
    out: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = defaultdict(list)
    for rd in roster.duties:
        duty = tl.by_id[rd.id]
        for pid in {rd.primary, rd.secondary} - {None}:
            assert pid is not None
            out[pid].append((duty.start, duty.end, f"{duty.district}-{duty.block.id}-{duty.day}"))
    return out


def test_january_after_december_keeps_rest_across_the_new_year_and_continues_the_night() -> None:
    december, published = _december()
    carry = carry_over(december, published, make_scenario(start=JANUARY, days=4))
    january = carry.scenario
    result = solve(january, OPTIONS)
    assert not result.roster.gaps
    report = check(january, result.roster)
    assert report.ok, [v.message for v in report.violations]

    # The night of 12/31 is one duty cut at midnight: its January tail is held by the same people.
    heads = {d.district: d for d in published.duties if d.end == published.period.end}
    tails = {d.district: d for d in result.roster.duties if d.start == result.roster.period.start}
    assert heads.keys() == tails.keys() == {"north", "south"}
    for district, head in heads.items():
        tail = tails[district]
        assert (tail.primary, tail.secondary, tail.backup_hospital) == (
            head.primary,
            head.secondary,
            head.backup_hospital,
        )
    assert len(carry.pins) == 6 and not carry.notes

    # Independently of the history fields: over both rosters together, every doctor rests at least their
    # minimum between two duties, a night cut at midnight counting as one duty.
    both = _pieces(december, published)
    for pid, pieces in _pieces(january, result.roster).items():
        both[pid] += pieces
    for pid, pieces in both.items():
        pieces.sort()
        merged: list[tuple[dt.datetime, dt.datetime, str]] = []
        for piece in pieces:
            if merged and merged[-1][1] == piece[0] and merged[-1][2] == piece[2]:
                merged[-1] = (merged[-1][0], piece[1], piece[2])
            else:
                merged.append(piece)
        rest = dt.timedelta(hours=january.rest_hours(january.physician(pid)))
        for a, b in itertools.pairwise(merged):
            assert b[0] - a[1] >= rest, (pid, a, b)


def test_december_points_are_carried_and_lower_the_january_target_of_who_did_more() -> None:
    december, published = _december()
    january = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario
    due = fair_share(december, Timeline.build(december)).target
    tl = Timeline.build(december)
    earned: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for rd in published.duties:
        duty = tl.by_id[rd.id]
        for pid in {rd.primary, rd.secondary} - {None}:
            assert pid is not None
            earned[pid][duty.category] += duty.slot.points
    for p in january.physicians:
        for c in CATEGORIES:
            assert p.history.points[c] == pytest.approx(earned[p.id][c] - due[p.id][c], abs=1e-3)
        assert [(e.start, e.end) for e in p.history.periods] == [(DECEMBER, dt.date(2026, 12, 31))]

    # The carried points shift each January target by how far the doctor is below the average.
    plain = january.model_copy(deep=True)
    for p in plain.physicians:
        p.history.points = {}
    target = fair_share(january, Timeline.build(january)).target
    plain_target = fair_share(plain, Timeline.build(plain)).target
    for p in january.physicians:
        shift = target[p.id]["year_end"] - plain_target[p.id]["year_end"]
        mean = sum(q.history.points["year_end"] * q.share for q in january.physicians) / sum(
            q.share for q in january.physicians
        )
        assert shift == pytest.approx(mean - p.history.points["year_end"], abs=1e-3)


def test_the_window_rolls_so_last_years_new_year_counts_and_the_year_befores_does_not() -> None:
    december, published = _december()
    year_before = CarriedPeriod(start=dt.date(2025, 12, 1), end=dt.date(2025, 12, 31), points={"year_end": 5.0})
    last_year = CarriedPeriod(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), points={"year_end": 3.0})
    summer = CarriedPeriod(start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31), points={"weekday": 2.0})
    doctor = december.physician("n1a")
    doctor.history = History(points={"year_end": 8.0, "weekday": 2.0}, periods=[summer, last_year, year_before])
    carried = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario.physician("n1a")
    december_entry = carried.history.periods[0]
    assert [e.start for e in carried.history.periods] == [DECEMBER, summer.start, last_year.start]
    assert carried.history.points["year_end"] == pytest.approx(december_entry.points["year_end"] + 3.0, abs=1e-3)
    assert carried.history.points["weekday"] == pytest.approx(december_entry.points["weekday"] + 2.0, abs=1e-3)

    short = BoundaryOptions(window_months={"weekday": 3, "saturday": 3, "holiday": 3, "year_end": 12})
    windowed = carry_over(december, published, make_scenario(start=JANUARY, days=4), short).scenario
    h = windowed.physician("n1a").history
    assert h.points["weekday"] == pytest.approx(h.periods[0].points["weekday"], abs=1e-3)  # August fell out
    assert h.points["year_end"] == pytest.approx(h.periods[0].points["year_end"] + 3.0, abs=1e-3)


def test_points_typed_by_hand_enter_the_ledger_as_carried_before_the_previous_period() -> None:
    december, published = _december()
    december.physician("n1b").history = History(points={"holiday": 4.0})
    carried = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario.physician("n1b")
    assert [e.start for e in carried.history.periods] == [DECEMBER, DECEMBER - dt.timedelta(days=1)]
    assert carried.history.periods[1].points["holiday"] == 4.0


def test_a_doctor_absent_on_new_years_day_does_not_continue_and_rests_from_midnight() -> None:
    december, published = _december()
    head = next(d for d in published.duties if d.end == published.period.end and d.district == "north")
    assert head.primary is not None
    january = make_scenario(start=JANUARY, days=4)
    january.physician(head.primary).absences = [Absence(start=JANUARY, end=JANUARY)]
    # December leaves every other north doctor resting or at two dates in a row by 12/31 (the tail is a
    # duty of 12/31): a doctor who joins in January is free to take the tail.
    partner = january.physician(head.secondary or "").clinic  # continues: the newcomer must be of another clinic
    clinic = next(c.id for c in january.clinics if c.district == "north" and c.id != partner)
    january.physicians.append(Physician(id="newcomer", name="北村新", clinic=clinic))
    january = Scenario.model_validate(january.model_dump())
    carry = carry_over(december, published, january)
    assert [(n.physician, n.role, n.reason) for n in carry.notes] == [(head.primary, "primary", "absent")]
    assert "absent" in carry.notes[0].text("en") and "不在" in carry.notes[0].text("ja")
    history = carry.scenario.physician(head.primary).history
    assert history.last_duty_end == published.period.end
    assert not any(p.role == "primary" and p.district == "north" for p in carry.pins)
    # No continuation pin: the tail goes to someone else, and the absent doctor is nowhere on 1/1.
    result = solve(carry.scenario, steady(3))
    tail = next(d for d in result.roster.duties if d.start == result.roster.period.start and d.district == "north")
    assert tail.primary not in (None, head.primary)
    assert [v.message for v in check(carry.scenario, result.roster).violations if v.rule != "coverage"] == []


def test_a_doctor_who_left_is_noted_and_others_keep_their_history() -> None:
    december, published = _december()
    head = next(d for d in published.duties if d.end == published.period.end and d.district == "south")
    january = make_scenario(start=JANUARY, days=4)
    january.physicians = [p for p in january.physicians if p.id != head.secondary]
    january = Scenario.model_validate(january.model_dump())
    carry = carry_over(december, published, january)
    assert [(n.physician, n.reason) for n in carry.notes] == [(head.secondary, "left")]


def test_periods_that_do_not_follow_each_other_or_another_roster_are_refused() -> None:
    december, published = _december()
    with pytest.raises(InvalidScenario, match=r"period\.start: 2027-01-02 does not follow"):
        carry_over(december, published, make_scenario(start=dt.date(2027, 1, 2), days=3))
    other_zone = make_scenario(start=JANUARY, days=3)
    other_zone.timezone = "Asia/Seoul"
    with pytest.raises(InvalidScenario, match="timezone"):
        carry_over(december, published, other_zone)
    wrong = published.model_copy(update={"scenario": "another network"})
    with pytest.raises(InvalidRoster, match="previous roster"):
        carry_over(december, wrong, make_scenario(start=JANUARY, days=3))


def test_another_doctor_under_a_known_id_is_refused() -> None:
    december, published = _december()
    january = make_scenario(start=JANUARY, days=3)
    doctor = january.physicians[0]
    doctor.name, doctor.clinic = "別人", next(c.id for c in january.clinics if c.id != doctor.clinic)
    with pytest.raises(InvalidScenario, match=rf"physicians\[0\]: {doctor.id} is 別人 .* the same id must be"):
        carry_over(december, published, Scenario.model_validate(january.model_dump()))
    january.physicians[0].name = december.physicians[0].name  # a move to another clinic is fine
    carry_over(december, published, Scenario.model_validate(january.model_dump()))


@pytest.mark.parametrize(("limit", "value"), [("max_standby_days", 0), ("max_districts", 1)])
def test_a_hospital_that_may_not_continue_its_standby_is_not_pinned(limit: str, value: int) -> None:
    december, published = _december()
    tails = [d for d in published.duties if d.end == published.period.end]
    hospital = "central"  # serves both districts: let it stand by for both nights under way
    for d in tails:
        d.backup_hospital = hospital
    january = make_scenario(start=JANUARY, days=4)
    setattr(next(h for h in january.hospitals if h.id == hospital), limit, value)
    january = Scenario.model_validate(january.model_dump())
    carry = carry_over(december, published, january)
    kept = [p for p in carry.pins if p.role == "backup_hospital"]
    assert len(kept) == (0 if limit == "max_standby_days" else 1)
    assert len([n for n in carry.notes if n.role == "backup_hospital"]) == len(tails) - len(kept)
    result = solve(carry.scenario, OPTIONS)  # the carried pins can all be kept
    assert [v.message for v in check(carry.scenario, result.roster).violations if v.rule != "coverage"] == []


def test_a_hospital_whose_admissions_would_pass_its_limit_does_not_continue() -> None:
    december, published = _december()
    tails = [d for d in published.duties if d.end == published.period.end]
    for d in tails:
        d.backup_hospital = "central"
    january = make_scenario(start=JANUARY, days=4)
    january.patients = [PatientGroup(clinic="n1", other=5000), PatientGroup(clinic="s1", other=5000)]
    next(h for h in january.hospitals if h.id == "central").capacity_per_day = 1
    carry = carry_over(december, published, Scenario.model_validate(january.model_dump()))
    assert len([p for p in carry.pins if p.role == "backup_hospital"]) == 1  # room for one tail's admissions
    (note,) = [n for n in carry.notes if n.role == "backup_hospital"]
    assert note.reason == "admissions"
    assert note.text("en").endswith("(its expected admissions would pass its limit)")
    assert "予想入院数が受入上限を超えるため" in note.text()


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(dt.date(2027, 12, 31), 10) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2027, 1, 15), 13) == dt.date(2025, 12, 15)


def test_cli_solve_with_previous_and_carry(tmp_path: Path) -> None:
    december, published = _december()
    dec_file, dec_roster = tmp_path / "dec.yaml", tmp_path / "dec.json"
    jan_file = tmp_path / "jan.yaml"
    save_scenario(december, dec_file)
    save_roster(published, dec_roster)
    save_scenario(make_scenario(start=JANUARY, days=4), jan_file)
    runner = CliRunner()
    out = tmp_path / "jan.json"
    carried = tmp_path / "jan-carried.yaml"
    args = ["solve", str(jan_file), "-o", str(out), "--previous", str(dec_file), str(dec_roster)]
    result = runner.invoke(app, [*args, "--carried", str(carried), *steady_cli(2)])
    assert result.exit_code == 0, result.output
    assert "引き継ぎ" in result.output
    scenario = load_scenario(carried)
    assert scenario.physician("n1a").history.periods
    assert check(scenario, load_roster(out)).ok

    written = tmp_path / "carry.yaml"
    result = runner.invoke(
        app, ["carry", str(dec_file), str(dec_roster), str(jan_file), "-o", str(written), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert load_scenario(written) == scenario

    result = runner.invoke(app, ["carry", str(dec_file), str(dec_roster), str(dec_file), "-o", str(written)])
    assert result.exit_code == 2 and "period.start" in result.output
    result = runner.invoke(app, ["solve", str(jan_file), "--carried", str(written)])
    assert result.exit_code == 2 and "--previous" in result.output


def test_the_benchmark_figures_of_a_boundary() -> None:
    from benchmarks.replan import boundary_figures, december_of

    december, published = _december()
    january = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario
    result = solve(january, OPTIONS)
    figures = boundary_figures(december, published, january, result.roster)
    assert figures["rests_below_minimum"] == 0 and figures["runs_over_limit"] == 0
    assert figures["night_roles_kept_across_midnight"] == figures["night_roles"] == 6
    assert figures["shortest_rest_hours_near_boundary"] >= 8
    previous = december_of(make_scenario(start=JANUARY, days=4))
    assert (previous.period.start, previous.period.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


# --- consecutive dates across the boundary (the tail of the last night is a duty of the last date) -----


def _two_december_nights() -> tuple[Scenario, Roster]:
    """December, with n1a on the north nights of 12/29 and 12/30 and on no duty of 12/31."""
    december = make_scenario(start=DECEMBER, days=5)
    n1a = december.physician("n1a")
    n1a.absences = [
        Absence(start=DECEMBER, end=dt.date(2026, 12, 28)),
        Absence(start=dt.date(2026, 12, 31), end=dt.date(2026, 12, 31)),
    ]
    december.pinned = [
        Pin(district="north", date=dt.date(2026, 12, day), block="hol_night", role="primary", assignee="n1a")
        for day in (29, 30)
    ]
    december = Scenario.model_validate(december.model_dump())
    return december, greedy_roster(december)


def _on_the_first_tail(pid: str) -> Roster:
    """A January roster with ``pid`` the primary of the north tail of 12/31's night and on no other duty."""
    scenario = make_scenario(start=JANUARY, days=4)
    away = dt.datetime(2027, 1, 1, 9, 0)
    scenario.physician(pid).absences = [Absence(start=away, end=away + dt.timedelta(days=5))]
    roster = solve(scenario, OPTIONS).roster  # any roster will do: only the tail is looked at
    tail = next(d for d in roster.duties if d.start == roster.period.start and d.district == "north")
    if tail.secondary == pid:
        tail.secondary = next(
            p.id for p in scenario.physicians if p.id not in (pid, tail.primary) and "north" in scenario.districts_of(p)
        )
    tail.primary = pid
    return roster


def _consecutive(report: CheckReport, pid: str = "n1a") -> list[str]:
    return [v.message for v in report.violations if v.rule == "consecutive_days" and v.people == (pid,)]


def test_carry_keeps_the_run_that_the_tail_of_the_last_night_can_extend() -> None:
    december, published = _two_december_nights()
    dates = {Timeline.build(december).by_id[d.id].day for d in published.duties if "n1a" in (d.primary, d.secondary)}
    assert dates == {dt.date(2026, 12, 29), dt.date(2026, 12, 30)}
    january = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario
    assert january.physician("n1a").history.recent_duty_dates == [dt.date(2026, 12, 29), dt.date(2026, 12, 30)]
    # Taking the tail of 12/31's night would make three dates in a row against a limit of two.
    report = check(january, _on_the_first_tail("n1a"), lang="en")
    assert _consecutive(report) == ["Ichiro Aoki: on duty 3 dates in a row, 2026-12-29 – 2026-12-31 (limit 2)"]


def test_the_checker_joins_the_previous_roster_when_it_is_known() -> None:
    december, published = _two_december_nights()
    plain = make_scenario(start=JANUARY, days=4)  # no history carried: alone, the checker cannot see December
    roster = _on_the_first_tail("n1a")
    assert _consecutive(check(plain, roster)) == []
    joined = check(plain, roster, lang="en", previous=(december, published))
    assert _consecutive(joined) == ["Ichiro Aoki: on duty 3 dates in a row, 2026-12-29 – 2026-12-31 (limit 2)"]
    with pytest.raises(InvalidScenario, match="does not follow"):
        check(plain, roster, previous=(make_scenario(start=DECEMBER, days=4), published))


def test_the_joined_timeline_takes_the_night_across_midnight_as_one_duty() -> None:
    december, published = _december()
    january = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario
    roster = greedy_roster(january)  # keeps the pins: the heads' holders continue the tails
    heads = {d.primary for d in published.duties if d.end == published.period.end}
    tails = {d.primary for d in roster.duties if d.start == roster.period.start}
    assert heads == tails
    joined = check(january, roster, previous=(december, published))
    assert [v.message for v in joined.violations if v.rule in ("min_rest", "consecutive_days")] == []


def test_the_solver_never_makes_the_third_date_in_a_row_across_the_boundary() -> None:
    december, published = _two_december_nights()
    january = carry_over(december, published, make_scenario(start=JANUARY, days=4)).scenario
    i = next(i for i, p in enumerate(january.pinned) if p.district == "north" and p.role == "primary")
    january.pinned[i].assignee = "n1a"  # the tail of 12/31: a third date after 12/29 and 12/30
    with pytest.raises(InvalidScenario, match=rf"pinned\[{i}\]"):
        solve(january, OPTIONS)


def test_cli_check_with_previous_judges_the_joined_timeline(tmp_path: Path) -> None:
    december, published = _two_december_nights()
    files = [tmp_path / name for name in ("jan.yaml", "jan.json", "dec.yaml", "dec.json")]
    save_scenario(make_scenario(start=JANUARY, days=4), files[0])
    save_roster(_on_the_first_tail("n1a"), files[1])
    save_scenario(december, files[2])
    save_roster(published, files[3])
    runner = CliRunner()
    alone = runner.invoke(app, ["check", str(files[0]), str(files[1]), "--lang", "en"])
    assert "Ichiro Aoki: on duty" not in alone.output
    joined = runner.invoke(app, ["check", *map(str, files[:2]), "--previous", *map(str, files[2:]), "--lang", "en"])
    assert joined.exit_code == 1
    assert "Ichiro Aoki: on duty 3 dates in a row, 2026-12-29 – 2026-12-31 (limit 2)" in joined.output
    wrong = runner.invoke(app, ["check", *map(str, files[:2]), "--previous", str(files[0]), str(files[3])])
    assert wrong.exit_code == 2 and "period.start" in wrong.output and "Traceback" not in wrong.output
