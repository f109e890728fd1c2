"""One encoder per registered rule: ``ENCODERS[rule_id](variables) -> terms``.

Rules that hold by construction (no variable exists for an impossible assignment) have encoders that
add nothing; they are listed all the same, so every rule of ``oncall.rules.RULES`` has its place here.
"""

from __future__ import annotations

from collections.abc import Callable

from solver.rules.caps import ENCODERS as CAP_ENCODERS
from solver.rules.coverage import coverage, shared_role
from solver.rules.fairness import fairness, fairness_category
from solver.rules.hospitals import (
    hospital_blocks,
    hospital_capacity,
    hospital_closed,
    hospital_closed_hours,
    hospital_district,
    hospital_per_day,
    hospital_spread,
    hospital_standby_cap,
)
from solver.rules.load import hospital_admissions, visit_balance
from solver.rules.people import mentor, min_rest, never_pair, one_duty_at_a_time, secondary_other_clinic
from solver.rules.pinned import pinned
from solver.rules.preferences import home_district, pairing, requests, spacing
from solver.terms import Term
from solver.variables import Variables

__all__ = ["ENCODERS", "Encoder"]

Encoder = Callable[[Variables], list[Term]]


def _by_eligibility(v: Variables) -> list[Term]:
    """Holds by construction: no variable exists for an absent doctor, another district or role, or a district
    beyond the visit distance."""
    return []


def _by_timeline(v: Variables) -> list[Term]:
    """Holds by construction: duties are the timeline's slots, which tile every district's period."""
    return []


ENCODERS: dict[str, Encoder] = {
    "coverage": coverage,
    "tiling": _by_timeline,
    "shared_role": shared_role,
    "absence": _by_eligibility,
    "eligibility": _by_eligibility,
    "visit_distance": _by_eligibility,
    "one_duty_at_a_time": one_duty_at_a_time,
    "secondary_other_clinic": secondary_other_clinic,
    "mentor": mentor,
    "never_pair": never_pair,
    **CAP_ENCODERS,
    "min_rest": min_rest,
    "hospital_district": hospital_district,
    "hospital_closed": hospital_closed,
    "hospital_closed_hours": hospital_closed_hours,
    "hospital_blocks": hospital_blocks,
    "hospital_capacity": hospital_capacity,
    "hospital_admissions": hospital_admissions,
    "hospital_standby_cap": hospital_standby_cap,
    "hospital_per_day": hospital_per_day,
    "pinned": pinned,
    "fairness": fairness,
    "fairness_category": fairness_category,
    "visit_balance": visit_balance,
    "requests": requests,
    "spacing": spacing,
    "pairing": pairing,
    "home_district": home_district,
    "hospital_spread": hospital_spread,
}
