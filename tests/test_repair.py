"""Minimal-change repair: the past stays, every rule holds, and only what the change forces moves."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oncall.checker import check
from oncall.cli import app
from oncall.diagnosis import Assignment
from oncall.diff import diff_rosters
from oncall.errors import InvalidChange, InvalidRoster
from oncall.io import load_scenario, save_scenario
from oncall.model import Caps, Request, Scenario
from oncall.replan import AbsenceChange, CapChange, HospitalClosedChange, LeaveChange, apply_changes, replan
from oncall.roster import Roster, load_roster, save_roster
from oncall.timeline import Timeline
from solver import evaluate, solve
from solver.repair import CHANGES_RULE, frozen_duty_ids, repair
from tests.factories import duties_of, greedy_roster, make_scenario
from tests.solving import steady, steady_cli
from tests.strategies import scenarios

OPTIONS = steady(10, lang="en")
JST = dt.timezone(dt.timedelta(hours=9))
BEFORE_ALL = dt.datetime(2027, 1, 1, tzinfo=JST)  # nothing of the test week has started
runner = CliRunner()


@functools.cache
def _solved() -> tuple[Scenario, Roster]:
    scenario = make_scenario()
    result = solve(scenario, steady(2))
    assert result.status in ("optimal", "feasible") and not result.roster.gaps
    return scenario, result.roster


def _published() -> tuple[Scenario, Roster]:
    """The test week and a solved roster of it (solved once; copies, so tests may change them)."""
    scenario, roster = _solved()
    return scenario.model_copy(deep=True), roster.model_copy(deep=True)


def _held(roster: Roster) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {d.id: (d.primary, d.secondary, d.backup_hospital) for d in roster.duties}


def _busiest_on(roster: Roster, day: dt.date) -> str:
    """A doctor with a duty starting on ``day``."""
    for d in roster.duties:
        if d.start.date() == day and d.primary is not None:
            return d.primary
    raise AssertionError(f"no duty on {day}")


def test_an_absence_changes_only_the_absent_doctors_duties_and_the_past_stays() -> None:
    scenario, published = _published()
    day = dt.date(2027, 1, 7)
    doctor = _busiest_on(published, day)
    freeze = dt.datetime(2027, 1, 6, 9, 0, tzinfo=JST)
    change = AbsenceChange(physician=doctor, start=day, end=day + dt.timedelta(days=1), reason="病欠")
    out = replan(scenario, published, [change], freeze, OPTIONS, lang="en")

    report = check(out.scenario, out.roster)
    assert report.ok, [v.message for v in report.violations]
    timeline = Timeline.build(out.scenario)
    frozen = frozen_duty_ids(timeline, freeze)
    before, after = _held(published), _held(out.roster)
    assert all(before[i] == after[i] for i in frozen)
    # The absent doctor's duties in the window are the least that must change; here a colleague can take
    # each of them directly, so nothing else moves.
    window = {
        d.id
        for d in duties_of(published, doctor)
        if d.id not in frozen and d.start.date() <= day + dt.timedelta(days=1) and d.end.date() >= day
    }
    changed = {c.duty for c in diff_rosters(published, out.roster).changes}
    assert window and changed == window
    assert out.summary.changed == out.summary.by_change == len(window)
    assert out.summary.knock_on == 0 and out.summary.changes_proven
    assert all(r.cause == "change" and r.change == 0 and r.before == doctor for r in out.summary.reasons)
    assert {p.id: p.net for p in out.summary.diff.people}[doctor] == -len(window)


def test_a_change_that_touches_nobody_keeps_the_roster_even_when_soft_goals_could_improve() -> None:
    scenario = make_scenario()
    published = greedy_roster(scenario)  # valid, but far from the best soft goals
    tl = Timeline.build(scenario)
    # The greedy rota reads no wishes: one it misses leaves the soft goals room to improve (its hospitals
    # already meet their levelled standby targets, which no longer do so).
    last = scenario.physicians[-1]
    free = next(
        day for day in scenario.period.dates() if all(tl.by_id[d.id].day != day for d in duties_of(published, last.id))
    )
    last.wishes = [Request(date=free)]
    given = {d.id: Assignment(d.primary, d.secondary, d.backup_hospital) for d in published.duties}
    greedy_cost, best_cost = evaluate(scenario, given, OPTIONS).objective, solve(scenario, OPTIONS).objective
    assert greedy_cost is not None and best_cost is not None and best_cost < greedy_cost
    doctor, day = next(
        (p.id, day)
        for p in scenario.physicians
        for day in scenario.period.dates()
        if not any(tl.by_id[d.id].day in (day - dt.timedelta(days=1), day) for d in duties_of(published, p.id))
    )
    change = AbsenceChange(physician=doctor, start=day, end=day)
    out = replan(scenario, published, [change], BEFORE_ALL, OPTIONS)
    assert _held(out.roster) == _held(published)
    assert out.summary.changed == 0 and not out.summary.reasons


def test_changed_duty_roles_are_explicit_named_terms() -> None:
    scenario, published = _published()
    from solver.repair import _build
    from solver.repair import _published as published_of

    timeline = Timeline.build(scenario)
    built = _build(scenario, timeline, published_of(timeline, published), set())
    roles = sum(len(d.block.roles) for d in timeline.duties)
    units = len(built.rm.vars.units)
    assert len(built.terms) == roles + units and built.forced == 0
    assert all(t.rule == CHANGES_RULE and t.name.startswith("changed[") for t in built.terms)


def test_a_duty_under_way_is_kept_and_the_absence_starts_when_it_ends() -> None:
    scenario, published = _published()
    duty = next(d for d in published.duties if d.block == "wd_night" and d.start.date() == dt.date(2027, 1, 5))
    doctor = duty.primary
    assert doctor is not None
    freeze = duty.start + dt.timedelta(hours=2)  # the night is under way
    change = AbsenceChange(physician=doctor, start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 7))
    out = replan(scenario, published, [change], freeze, OPTIONS, lang="en")
    kept = next(d for d in out.roster.duties if d.id == duty.id)
    assert kept.primary == doctor
    assert out.summary.notes and "keeps the duty that started before the freeze" in out.summary.notes[0]
    absence = out.scenario.physician(doctor).absences[-1]
    assert isinstance(absence.start, dt.datetime) and absence.start == duty.end
    assert check(out.scenario, out.roster).ok


def test_a_doctor_leaving_loses_every_later_duty_and_keeps_the_earlier_ones() -> None:
    scenario, published = _published()
    doctor = _busiest_on(published, dt.date(2027, 1, 8))
    leave = dt.date(2027, 1, 7)
    out = replan(scenario, published, [LeaveChange(physician=doctor, start=leave)], BEFORE_ALL, OPTIONS)
    assert check(out.scenario, out.roster).ok
    assert all(d.end.date() <= leave for d in duties_of(out.roster, doctor))
    earlier = [d.id for d in duties_of(published, doctor) if d.end <= dt.datetime(2027, 1, 7, tzinfo=JST)]
    assert earlier == [d.id for d in duties_of(out.roster, doctor) if d.id in earlier]


def test_a_closed_hospital_is_replaced_that_date_and_refused_once_its_standby_started() -> None:
    scenario, published = _published()
    # 南病院 serves only the south district, where 中央病院 can take over (closing 中央病院 would leave
    # the north without any hospital): close it on a date it stands by.
    used = "minami"
    tl = Timeline.build(scenario)
    day = next(tl.by_id[d.id].day for d in published.duties if d.backup_hospital == used)
    out = replan(scenario, published, [HospitalClosedChange(hospital=used, date=day)], BEFORE_ALL, OPTIONS)
    assert check(out.scenario, out.roster).ok
    tl = Timeline.build(out.scenario)
    assert all(d.backup_hospital != used for d in out.roster.duties if tl.by_id[d.id].day == day)
    assert {r.cause for r in out.summary.reasons} <= {"change", "knock_on"}
    assert any(r.role == "backup_hospital" and r.cause == "change" for r in out.summary.reasons)

    first = min(d.start for d in published.duties if d.backup_hospital == used and tl.by_id[d.id].day == day)
    started = first + dt.timedelta(minutes=1)
    with pytest.raises(InvalidChange, match=r"changes\[0\]\.date: .* already stands by"):
        replan(scenario, published, [HospitalClosedChange(hospital=used, date=day)], started, OPTIONS)


def test_a_lower_cap_is_met_and_a_cap_the_past_already_exceeds_is_refused() -> None:
    scenario, published = _published()
    tl = Timeline.build(scenario)

    def counted(roster: Roster, pid: str) -> int:
        """Duties against the cap: not the tail of the 1/3 night, counted where it began (issue 17, item 2)."""
        return sum(tl.by_id[d.id].counts_against_caps for d in duties_of(roster, pid))

    counts = {p.id: counted(published, p.id) for p in scenario.physicians}
    doctor = max(counts, key=lambda k: counts[k])
    assert counts[doctor] >= 2
    lower = CapChange(physician=doctor, cap="duties", value=counts[doctor] - 1)
    out = replan(scenario, published, [lower], BEFORE_ALL, OPTIONS)
    assert check(out.scenario, out.roster).ok
    assert counted(out.roster, doctor) == counts[doctor] - 1
    assert out.summary.changed >= 1 and any(r.cause == "change" for r in out.summary.reasons)

    after_all = dt.datetime(2027, 1, 20, tzinfo=JST)  # every duty is in the past
    with pytest.raises(InvalidChange, match=r"changes\[0\]\.value: .*duties"):
        replan(scenario, published, [lower], after_all, OPTIONS, lang="en")


def test_a_cap_of_zero_keeps_the_started_tail_of_the_previous_night_and_refuses_a_counted_one() -> None:
    """The tail of the 1/3 night counts against no January cap: a cap of 0 on its holder, once it has
    started, leaves it as it is and frees the rest of the week; a cap of 0 once a duty the cap counts has
    started is refused, naming the change."""
    scenario = make_scenario()
    published = greedy_roster(scenario)
    tl = Timeline.build(scenario)
    tail = next(d for d in published.duties if d.primary == "n1a" and not tl.by_id[d.id].counts_against_caps)
    freeze = tl.by_id[tail.id].start + dt.timedelta(hours=1)
    for cap in ("duties", "nights"):
        out = replan(scenario, published, [CapChange(physician="n1a", cap=cap, value=0)], freeze, OPTIONS)
        assert _held(out.roster)[tail.id] == _held(published)[tail.id]
        others = [tl.by_id[d.id] for d in duties_of(out.roster, "n1a") if d.id != tail.id]
        assert not [d.id for d in others if cap == "duties" or d.night]
        assert [v.message for v in check(out.scenario, out.roster).violations if v.rule != "coverage"] == []

    counted = min((d for d in duties_of(published, "n1a") if tl.by_id[d.id].counts_against_caps), key=lambda d: d.start)
    later = tl.by_id[counted.id].start + dt.timedelta(minutes=1)
    with pytest.raises(InvalidChange, match=r"changes\[0\]\.value: .*\(cap 0\)"):
        replan(scenario, published, [CapChange(physician="n1a", cap="duties", value=0)], later, OPTIONS, lang="en")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (AbsenceChange(physician="nobody", start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5)), "changes[0].physician"),
        (AbsenceChange(physician="n1a", start=dt.date(2027, 1, 6), end=dt.date(2027, 1, 5)), "changes[0]"),
        (HospitalClosedChange(hospital="nowhere", date=dt.date(2027, 1, 5)), "changes[0].hospital"),
        (HospitalClosedChange(hospital="central", date=dt.date(2027, 3, 5)), "changes[0].date"),
        (LeaveChange(physician="n1a", start=dt.date(2027, 3, 1)), "changes[0].start"),
        (CapChange(physician="n1a", cap="duties", value=-1), "changes[0].value"),
        (CapChange(physician="n1a", cap="nights", value=1.5), "changes[0].value"),
    ],
)
def test_a_change_that_cannot_apply_names_itself(change: AbsenceChange, field: str) -> None:
    scenario = make_scenario()
    with pytest.raises(InvalidChange) as info:
        apply_changes(scenario, [change], greedy_roster(scenario), BEFORE_ALL)
    assert any(p.startswith(field) for p in info.value.problems), info.value.problems


def test_a_roster_of_another_period_is_refused() -> None:
    scenario = make_scenario()
    other = greedy_roster(make_scenario(days=3))
    with pytest.raises(InvalidRoster, match="published roster"):
        repair(scenario, other, BEFORE_ALL, OPTIONS)


def test_an_uncoverable_absence_leaves_a_listed_gap_and_breaks_nothing_else() -> None:
    scenario, published = _published()
    day = dt.date(2027, 1, 6)
    north = [p.id for p in scenario.physicians if "north" in scenario.districts_of(p)]
    changes = [AbsenceChange(physician=pid, start=day, end=day) for pid in north[:-1]]
    out = replan(scenario, published, list(changes), BEFORE_ALL, OPTIONS)
    assert out.roster.gaps and out.summary.gaps == len(out.roster.gaps)
    report = check(out.scenario, out.roster)
    assert {v.rule for v in report.violations} == {"coverage"}


# --- property: repairs pass the checker and never touch the frozen past ------------------------
_SCENARIO = make_scenario()
_PUBLISHED = greedy_roster(_SCENARIO)
_TIMELINE = Timeline.build(_SCENARIO)


@given(
    doctor=st.sampled_from([p.id for p in _SCENARIO.physicians]),
    first=st.integers(0, 6),
    length=st.integers(0, 3),
    freeze_hours=st.integers(0, 24 * 7),
    cap=st.one_of(st.none(), st.integers(0, 4)),
)
# Drawn once: a cap of 0 on n1a, who holds the tail of the 1/3 night (started at midnight, frozen at 01:00).
@example(doctor="n1a", first=0, length=0, freeze_hours=1, cap=0)
def test_repairs_pass_the_checker_and_never_change_frozen_duties(
    doctor: str, first: int, length: int, freeze_hours: int, cap: int | None
) -> None:
    start = dt.date(2027, 1, 4) + dt.timedelta(days=first)
    changes: list[AbsenceChange | CapChange] = [
        AbsenceChange(physician=doctor, start=start, end=start + dt.timedelta(days=length))
    ]
    if cap is not None:
        changes.append(CapChange(physician=doctor, cap="duties", value=cap))
    freeze = dt.datetime(2027, 1, 4, tzinfo=JST) + dt.timedelta(hours=freeze_hours)
    try:
        out = replan(_SCENARIO, _PUBLISHED, list(changes), freeze, steady(5))
    except InvalidChange as exc:
        # Only a cap the past already exceeds may be refused.
        assert cap is not None and all("changes[1].value" in p for p in exc.problems), exc.problems
        return
    frozen = frozen_duty_ids(_TIMELINE, freeze)
    before, after = _held(_PUBLISHED), _held(out.roster)
    assert all(before[i] == after[i] for i in frozen)
    report = check(out.scenario, out.roster)
    assert [v.message for v in report.violations if v.rule != "coverage"] == []
    assert len([v for v in report.violations if v.rule == "coverage"]) == len(out.roster.gaps)
    assert out.summary.changed == sum(1 for r in out.summary.reasons if r.before is not None)
    assert not [c for c in changes if isinstance(c, CapChange)] or out.scenario.physician(doctor).caps == Caps(
        duties=cap
    )


# --- the command line ---------------------------------------------------------------------------
def test_cli_repair_writes_the_draft_and_prints_the_summary(tmp_path: Path) -> None:
    scenario, published = _published()
    sc_file, ro_file = tmp_path / "s.yaml", tmp_path / "r.json"
    save_scenario(scenario, sc_file)
    save_roster(published, ro_file)
    doctor = _busiest_on(published, dt.date(2027, 1, 7))
    out, changed = tmp_path / "repaired.json", tmp_path / "changed.yaml"
    base = ["repair", str(sc_file), str(ro_file), "-o", str(out), *steady_cli(10)]
    result = runner.invoke(
        app,
        [
            *base,
            "--absence",
            doctor,
            "2027-01-07",
            "2027-01-08",
            "--reason",
            "病欠",
            "--now",
            "2027-01-06T09:00",
            "--scenario-out",
            str(changed),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "変更した役割" in result.output and "病欠" in result.output and "違反なし" in result.output
    assert check(load_scenario(changed), load_roster(out)).ok

    result = runner.invoke(app, [*base, "--closed", "minami", "2027-01-06", "--lang", "en", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {"changed", "by_change", "knock_on", "reasons", "diff"} <= summary.keys()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "name at least one change"),
        (["--absence", "nobody", "2027-01-05", "2027-01-05"], "changes[0].physician: unknown physician"),
        (["--absence", "n1a", "2027-01-05"], "--absence: needs 3 values"),
        (["--absence", "n1a", "2027-13-05", "2027-01-05"], "--absence n1a 2027-13-05 2027-01-05"),
        (["--cap", "n1a", "weekly", "3"], "--cap n1a weekly 3"),
        (["--bogus", "x"], "--bogus: unknown option"),
        (["--leave", "n1a", "2027-01-05", "--now", "yesterday"], "--now"),
    ],
)
def test_cli_repair_bad_input_exits_2_naming_it(tmp_path: Path, extra: list[str], message: str) -> None:
    scenario = make_scenario()
    sc_file, ro_file = tmp_path / "s.yaml", tmp_path / "r.json"
    save_scenario(scenario, sc_file)
    save_roster(greedy_roster(scenario), ro_file)
    out = str(tmp_path / "o.json")
    result = runner.invoke(app, ["repair", str(sc_file), str(ro_file), "-o", out, "--lang", "en", *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_cli_repair_exits_1_when_gaps_remain(tmp_path: Path) -> None:
    scenario = make_scenario()
    sc_file, ro_file = tmp_path / "s.yaml", tmp_path / "r.json"
    save_scenario(scenario, sc_file)
    save_roster(greedy_roster(scenario), ro_file)
    north = [p.id for p in scenario.physicians if "north" in scenario.districts_of(p)]
    args: list[str] = []
    for pid in north[:-1]:
        args += ["--absence", pid, "2027-01-06", "2027-01-06"]
    result = runner.invoke(
        app, ["repair", str(sc_file), str(ro_file), "-o", str(tmp_path / "o.json"), "--workers", "1", *args]
    )
    assert result.exit_code == 1, result.output


@settings(max_examples=10)
@given(scenario=scenarios(), data=st.data())
def test_repairs_of_random_networks_keep_every_rule_and_the_past(scenario: Scenario, data: st.DataObject) -> None:
    published = solve(scenario, steady(2)).roster
    assume(all(v.rule == "coverage" for v in check(scenario, published).violations))
    doctor = data.draw(st.sampled_from([p.id for p in scenario.physicians]))
    dates = scenario.period.dates()
    first = data.draw(st.sampled_from(dates))
    last = data.draw(st.sampled_from([d for d in dates if d >= first]))
    tl = Timeline.build(scenario)
    freeze = data.draw(st.sampled_from([tl.start, *(d.start for d in tl.duties), tl.end]))
    try:
        out = replan(scenario, published, [AbsenceChange(physician=doctor, start=first, end=last)], freeze, OPTIONS)
    except InvalidChange as exc:
        assert all("pinned" in p for p in exc.problems), exc.problems  # the absent doctor is pinned there
        return
    frozen = frozen_duty_ids(tl, freeze)
    before, after = _held(published), _held(out.roster)
    assert all(before[i] == after[i] for i in frozen)
    report = check(out.scenario, out.roster)
    assert [v.message for v in report.violations if v.rule != "coverage"] == []
