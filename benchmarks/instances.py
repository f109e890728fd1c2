"""The benchmark suite: generated networks of the full model, over the months that make rostering hard.

Every instance is one month of a network made by the seeded generator ``oncall.generate`` with its
defaults: enrolled patients (so the admissions rule and the visit balance are in the model), hospitals
sized and placed for the network, realistic absences, personal caps, requests, newer doctors, half shares
and neighbour cover. The months (``MONTHS``) are those the office finds hardest: January (年末年始 1/1–1/3,
the three-day weekend of 成人の日), May (Golden Week), August (お盆, 山の日), September 2026 (the five
holidays of 9/19–9/23 with the 国民の休日) and December (年末 12/29–12/31). The same fields always give
the same scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oncall.generate import generate
from oncall.model import Scenario

__all__ = ["MODES", "MONTH", "MONTHS", "Instance", "Mode", "suite"]

MONTH = "2027-01"
MONTHS: tuple[str, ...] = ("2027-01", "2027-05", "2027-08", "2026-09", "2026-12")
Mode = Literal["tiny", "quick", "full"]
MODES: tuple[Mode, ...] = ("tiny", "quick", "full")


@dataclass(frozen=True)
class Instance:
    """One generated scenario of the suite."""

    doctors: int
    districts: int
    seed: int
    month: str = MONTH
    shared: bool = False  # shared roles and the office's caps (``oncall generate --shared-roles``)

    @property
    def name(self) -> str:
        return f"{self.doctors}d{self.districts}{' shared' if self.shared else ''} {self.month}"

    @property
    def label(self) -> str:
        return f"{self.doctors} doctors / {self.districts} districts{' (shared roles)' if self.shared else ''}"

    def scenario(self) -> Scenario:
        """The scenario (deterministic in the instance's fields), with enrolled patients."""
        return generate(self.doctors, self.districts, self.month, self.seed, shared=self.shared)


REGIONAL_SEEDS = (1, 2, 3, 4, 5)

# (doctors, districts, month, seed) per mode. "Regional" is 40 doctors in 4 districts (the size of
# samples/regional.yaml); 150 / 12 a city association; 600 / 25 a prefecture-wide service.
_INSTANCES: dict[Mode, list[tuple[int, int, str, int]]] = {
    "tiny": [(12, 2, "2027-01", 1)],
    # A smoke test of every size: one regional instance in each of three hard months.
    "quick": [
        (12, 2, "2027-01", 1),
        (40, 4, "2027-01", 1),
        (40, 4, "2027-05", 2),
        (40, 4, "2026-09", 3),
        (150, 12, "2027-01", 1),
        (600, 25, "2027-01", 1),
    ],
    # The real suite: five seeds in each month at regional size, every month at 150 / 12, and the three
    # heaviest months at 600 / 25, each with its own seed.
    "full": [
        *((40, 4, month, seed) for month in MONTHS for seed in REGIONAL_SEEDS),
        *((150, 12, month, 1) for month in MONTHS),
        (600, 25, "2027-01", 1),
        (600, 25, "2027-05", 2),
        (600, 25, "2026-12", 3),
    ],
}

# Time limit of every solver (CP-SAT and the MIP) per mode, in seconds.
TIME_LIMITS: dict[Mode, float] = {"tiny": 5.0, "quick": 10.0, "full": 60.0}


# Networks that share their secondaries across districts, with the office's caps (``share_roles``,
# ``network_caps``): every month at regional size and one city month, in the full mode.
_SHARED: dict[Mode, list[tuple[int, int, str, int]]] = {
    "tiny": [],
    "quick": [],
    "full": [*((40, 4, month, 1) for month in MONTHS), (150, 12, "2027-01", 1)],
}


def suite(mode: Mode) -> list[Instance]:
    """The instances of ``mode``, smallest first, then by month and seed (networks with shared roles after
    the others of their size)."""
    instances = [Instance(n, d, seed, month) for n, d, month, seed in _INSTANCES[mode]]
    instances += [Instance(n, d, seed, month, shared=True) for n, d, month, seed in _SHARED[mode]]
    return sorted(instances, key=lambda i: (i.doctors, i.districts, i.shared, i.month, i.seed))
