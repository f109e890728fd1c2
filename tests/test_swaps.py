"""Swaps and give-aways judged by the independent checker: the rule a refused one breaks is named."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from oncall.checker import check
from oncall.errors import InvalidChange, RuleBroken
from oncall.model import Caps, Role, Scenario
from oncall.roster import Roster, RosterDuty
from oncall.swaps import GiveAway, Swap, apply_proposal, check_proposal, give_away_candidates, inverse
from oncall.timeline import Timeline
from solver import solve
from tests.factories import greedy_roster, make_scenario
from tests.solving import steady

JST = dt.timezone(dt.timedelta(hours=9))
ROLES: tuple[Role, Role] = ("primary", "secondary")


@functools.cache
def _solved(rest: float | None, cap: int | None) -> tuple[Scenario, Roster]:
    scenario = make_scenario(days=3)
    if rest is not None:
        scenario.rules.min_rest_hours = scenario.rules.min_rest_hours_employed = rest
    if cap is not None:
        for p in scenario.physicians:
            p.caps = Caps(duties=cap)
    result = solve(scenario, steady(3))
    assert not result.roster.gaps
    return scenario, result.roster


def _night(roster: Roster, district: str, day: int) -> RosterDuty:
    return next(
        d for d in roster.duties if d.district == district and d.start == dt.datetime(2027, 1, day, 18, tzinfo=JST)
    )


def _give_to_neighbour(roster: Roster, district: str) -> GiveAway:
    """The 1/5 night of ``district`` given to someone who held the 1/4 night there (and not the 1/5 one)."""
    first, second = _night(roster, district, 4), _night(roster, district, 5)
    for role in ROLES:
        taker = first.primary if first.primary not in (second.primary, second.secondary) else first.secondary
        holder = getattr(second, role)
        if taker is not None and holder is not None and taker not in (second.primary, second.secondary):
            return GiveAway(duty=second.id, role=role, physician=holder, to=taker)
    raise AssertionError("no neighbouring nights to give")


def test_a_give_away_that_breaks_the_rest_is_refused_naming_min_rest() -> None:
    scenario, roster = _solved(12, None)  # 1/4 night ends 08:30, 1/5 night starts 18:00: 9.5 h < 12 h
    proposal = _give_to_neighbour(roster, "north")
    with pytest.raises(RuleBroken) as info:
        check_proposal(scenario, roster, proposal, lang="en")
    rules = {rule for rule, _ in info.value.broken}
    assert "min_rest" in rules
    assert "min_rest" in str(info.value) and "Minimum rest" in str(info.value)
    message = dict(info.value.broken)["min_rest"]
    assert proposal.to in message or scenario.physician(proposal.to).label("en") in message


def test_a_give_away_over_the_monthly_cap_is_refused_naming_duty_cap() -> None:
    scenario, roster = _solved(None, 2)
    held: dict[str | None, int] = {}
    tl = Timeline.build(scenario)
    for d in roster.duties:
        if tl.by_id[d.id].day < scenario.period.start:
            continue  # the tail of the 1/3 night counts against the caps of the period where it began
        for pid in (d.primary, d.secondary):
            held[pid] = held.get(pid, 0) + 1
    busy = {pid for pid, n in held.items() if n == 2}  # at their cap of 2
    duty = _night(roster, "south", 5)
    taker = next(
        p.id
        for p in scenario.physicians
        if p.id in busy
        and "south" in scenario.districts_of(p)
        and "primary" in p.roles
        and p.id not in (duty.primary, duty.secondary)
    )
    assert duty.primary is not None
    with pytest.raises(RuleBroken) as info:
        check_proposal(scenario, roster, GiveAway(duty=duty.id, role="primary", physician=duty.primary, to=taker))
    assert "duty_cap" in {rule for rule, _ in info.value.broken}
    assert "当番回数の上限" in str(info.value)


def test_an_allowed_give_away_changes_exactly_that_role_and_inverse_undoes_it() -> None:
    scenario, roster = _solved(None, None)
    allowed = None
    for d in roster.duties:
        for p in scenario.physicians:
            holder = d.primary
            if holder is None or p.id in (d.primary, d.secondary):
                continue
            proposal = GiveAway(duty=d.id, role="primary", physician=holder, to=p.id)
            try:
                after = check_proposal(scenario, roster, proposal)
            except RuleBroken:
                continue
            allowed = (proposal, after)
            break
        if allowed:
            break
    assert allowed is not None
    proposal, after = allowed
    assert check(scenario, after).ok
    changed = [(a.id, a.primary, b.primary) for a, b in zip(roster.duties, after.duties, strict=True) if a != b]
    assert changed == [(proposal.duty, proposal.physician, proposal.to)]
    assert after.status == "feasible" and after.objective is None
    back = check_proposal(scenario, after, inverse(proposal))
    assert [d.primary for d in back.duties] == [d.primary for d in roster.duties]


def test_a_swap_trades_two_duty_roles_and_is_its_own_undo() -> None:
    roster = _solved(None, None)[1]
    a, b = _night(roster, "north", 4), _night(roster, "north", 5)
    assert a.primary and b.secondary
    swap = Swap(
        duty=a.id,
        role="primary",
        physician=a.primary,
        other_duty=b.id,
        other_role="secondary",
        other_physician=b.secondary,
    )
    after = apply_proposal(roster, swap)
    new = {d.id: d for d in after.duties}
    assert new[a.id].primary == b.secondary and new[b.id].secondary == a.primary
    assert apply_proposal(after, inverse(swap)).duties == roster.duties


def test_a_duty_that_has_started_cannot_move() -> None:
    scenario, roster = _solved(None, None)
    duty = _night(roster, "north", 4)
    assert duty.primary is not None
    proposal = GiveAway(duty=duty.id, role="primary", physician=duty.primary, to="n2c")
    with pytest.raises(InvalidChange, match=r"proposal\.duty: .* has already started"):
        check_proposal(scenario, roster, proposal, now=duty.start + dt.timedelta(minutes=1))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda d: GiveAway(duty="north-nope", role="primary", physician="n1a", to="n1b"), "proposal.duty"),
        (lambda d: GiveAway(duty=d.id, role="primary", physician="s1a", to="n1b"), "proposal.physician"),
        (lambda d: GiveAway(duty=d.id, role="primary", physician=d.primary, to=d.primary), "proposal.to"),
        (
            lambda d: Swap(
                duty=d.id,
                role="primary",
                physician=d.primary,
                other_duty=d.id,
                other_role="primary",
                other_physician="x",
            ),
            "proposal.other_physician",
        ),
    ],
)
def test_a_proposal_that_does_not_fit_the_roster_names_the_field(make: object, field: str) -> None:
    roster = _solved(None, None)[1]
    duty = _night(roster, "north", 5)
    with pytest.raises(InvalidChange) as info:
        apply_proposal(roster, make(duty))  # type: ignore[operator]
    assert any(p.startswith(field) for p in info.value.problems), info.value.problems


def test_violations_the_roster_already_had_are_not_blamed_on_the_proposal() -> None:
    scenario = make_scenario(days=3)
    roster = greedy_roster(scenario)
    scenario.physician("n1a").caps = Caps(duties=0)  # n1a now breaks duty_cap whatever happens
    held = [d for d in roster.duties if "n1a" in (d.primary, d.secondary)]
    assert held and not check(scenario, roster).ok
    other = next(d for d in roster.duties if d.district == "south" and d.primary)
    assert other.primary is not None
    taker = next(
        p.id
        for p in scenario.physicians
        if "south" in scenario.districts_of(p) and p.id not in (other.primary, other.secondary) and p.id != "s1c"
    )
    try:
        check_proposal(scenario, roster, GiveAway(duty=other.id, role="primary", physician=other.primary, to=taker))
    except RuleBroken as exc:
        assert "duty_cap" not in {r for r, m in exc.broken if "n1a" in m or "青木" in m}


def test_give_away_candidates_are_exactly_the_colleagues_the_checker_lets_take_the_role() -> None:
    scenario = make_scenario(days=4)
    for p in scenario.physicians[::3]:
        p.caps = Caps(duties=1, nights=1)
    scenario = Scenario.model_validate(scenario.model_dump())
    roster = greedy_roster(scenario)
    refused = 0
    for rd in roster.duties[1::3]:
        holder = rd.primary
        assert holder is not None
        candidates = give_away_candidates(scenario, roster, rd.id, "primary")
        for p in scenario.physicians:
            if p.id == holder:
                continue
            proposal = GiveAway(duty=rd.id, role="primary", physician=holder, to=p.id)
            try:
                check_proposal(scenario, roster, proposal)
                accepted = True
            except RuleBroken:
                accepted, refused = False, refused + 1
            assert accepted == (p.id in candidates), (rd.id, p.id, candidates)
        assert candidates  # the pre-check leaves choices on this easy network
    assert refused  # and refuses some
    with pytest.raises(InvalidChange, match="no duty 'nope'"):
        give_away_candidates(scenario, roster, "nope", "primary")
