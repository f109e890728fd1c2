"""The registry drives both implementations: one encoder and one check per registered rule, no stray ones."""

from __future__ import annotations

import subprocess
import sys

from oncall.checker import CHECKS
from oncall.cover.check import CHECKS as COVER_CHECKS
from oncall.rules import CAPS, COVER_HARD, HARD, RULES
from solver.cover import ENCODERS as COVER_ENCODERS
from solver.cover import FILTERS as COVER_FILTERS
from solver.rules import ENCODERS


def test_every_rule_has_exactly_one_encoder_and_every_hard_rule_one_check() -> None:
    assert set(ENCODERS) == set(RULES)  # a dict holds one encoder per id; none for an unregistered id
    assert set(CHECKS) == {r.id for r in HARD}
    assert all(callable(f) for f in (*ENCODERS.values(), *CHECKS.values()))


def test_every_cover_rule_has_exactly_one_encoder_or_filter_and_one_check() -> None:
    # A filter removes candidates (the rule holds by construction); cover_capacity has both, the filter for
    # "none if they take no cover" and the encoder for the limits. Dicts hold at most one of each per id.
    hard = {r.id for r in COVER_HARD}
    assert set(COVER_ENCODERS) <= hard and set(COVER_FILTERS) <= hard
    assert set(COVER_FILTERS) | set(COVER_ENCODERS) == hard
    assert set(COVER_CHECKS) == hard


def test_the_checker_modules_mirror_the_encoder_modules() -> None:
    # One encoder function and one check function of the same name per rule (held-by-construction
    # encoders keep an explicit name of their own).
    for rule_id in CHECKS:
        assert CHECKS[rule_id].__name__ == rule_id
        assert ENCODERS[rule_id].__name__ in {rule_id, "_by_eligibility", "_by_timeline"}


def test_every_cap_is_a_hard_rule_with_its_encoder_and_check() -> None:
    for cap in CAPS:
        assert cap.rule in CHECKS and cap.rule in ENCODERS


def test_the_checker_imports_neither_cp_sat_nor_the_solver() -> None:
    code = (
        "import sys, oncall.checker, oncall.cover.check\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ortools', 'solver'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
