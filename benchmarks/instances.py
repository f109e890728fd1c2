"""The benchmark suite: generated networks from 12 doctors in 2 districts to 600 doctors in 25 districts.

Every instance is one month, January 2027 (年末年始 1/1–1/3, a three-day weekend around 成人の日 1/11),
made by the seeded generator ``oncall.generate``: realistic absences (peaking over the new year),
personal caps, requests, newer doctors, half shares and neighbour cover. The same name and seed always
give the same scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oncall.generate import generate
from oncall.model import Scenario

__all__ = ["MODES", "MONTH", "Instance", "Mode", "suite"]

MONTH = "2027-01"
Mode = Literal["tiny", "quick", "full"]
MODES: tuple[Mode, ...] = ("tiny", "quick", "full")


@dataclass(frozen=True)
class Instance:
    """One generated scenario of the suite."""

    doctors: int
    districts: int
    seed: int
    month: str = MONTH

    @property
    def name(self) -> str:
        return f"{self.doctors}d{self.districts}"

    @property
    def label(self) -> str:
        return f"{self.doctors} doctors / {self.districts} districts"

    def scenario(self) -> Scenario:
        """The scenario (deterministic in the instance's fields)."""
        return generate(self.doctors, self.districts, self.month, self.seed)


# (doctors, districts, seeds) per mode. "regional" is 40 doctors in 4 districts (the size of samples/regional.yaml).
_SIZES: dict[Mode, list[tuple[int, int, tuple[int, ...]]]] = {
    "tiny": [(12, 2, (1,))],
    "quick": [(12, 2, (1, 2)), (40, 4, (1, 2, 3)), (120, 8, (1,)), (600, 25, (1,))],
    "full": [(12, 2, (1, 2, 3)), (40, 4, (1, 2, 3)), (120, 8, (1, 2, 3)), (600, 25, (1, 2, 3))],
}

# Time limit of every solver (CP-SAT and the MIP) per mode, in seconds.
TIME_LIMITS: dict[Mode, float] = {"tiny": 5.0, "quick": 10.0, "full": 60.0}


def suite(mode: Mode) -> list[Instance]:
    """The instances of ``mode``, smallest first."""
    return [Instance(n, d, seed) for n, d, seeds in _SIZES[mode] for seed in seeds]
