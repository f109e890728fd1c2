"""The cover plan's part of a scenario: 主治医 panels, 副主治医 capacities, 連携型 groups, last period's pairs.

Attached to :class:`oncall.model.Scenario` as its optional ``cover`` field. Cross-references (unknown
physicians, a group of ten institutions) are checked by :func:`cover_problems`, which the scenario's own
validation calls; every problem names the field, e.g. ``cover.panels[2].physician: unknown physician 'x'``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from oncall.model import Scenario

__all__ = [
    "CLASS_WEIGHTS",
    "CoverConfig",
    "CoverDoctor",
    "CoverGroup",
    "CoverWeights",
    "Pair",
    "Panel",
    "cover_problems",
]

_Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
# Bounds as in oncall.model.LIMITS (2,000 physicians and clinics), which this module cannot import.
_Count = Annotated[int | None, Field(ge=0, le=100_000)]
# How much one patient of each class weighs in a 副主治医's load (the rates of docs/load.md, rounded).
CLASS_WEIGHTS: dict[str, int] = {"cancer": 3, "home_oxygen": 2, "care_level_4_5": 2, "other": 1}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Panel(_Model):
    """The enrolled patients one physician is 主治医 of (counts only, no personal data).

    Without counts the panel is the clinic's share of ``patients``: the clinic's patients by class,
    split evenly among the clinic's panels that give no counts.
    """

    physician: _Id = Field(description="Id of the 主治医.")
    district: _Id | None = Field(
        None, description="District where these patients live; default: the district of the 主治医's clinic."
    )
    cancer: _Count = Field(None, description="Patients with cancer; none: from the clinic's `patients`.")
    home_oxygen: _Count = Field(None, description="Patients on home oxygen therapy.")
    care_level_4_5: _Count = Field(None, description="Patients at care level 4 or 5.")
    other: _Count = Field(None, description="All other enrolled patients.")
    deputies: int | None = Field(
        None, ge=1, le=2, description="副主治医 this panel needs; default: 2 from `two_deputies_from` patients, else 1."
    )

    def has_counts(self) -> bool:
        """Whether the panel gives its own counts."""
        return any(getattr(self, k) is not None for k in CLASS_WEIGHTS)


class CoverDoctor(_Model):
    """What one physician takes on as 副主治医 (physicians not listed take cover without a limit)."""

    physician: _Id
    takes_cover: bool = Field(True, description="False: never a 副主治医 nor a second cover.")
    max_patients: int | None = Field(None, ge=0, le=100_000, description="Most patients covered as 副主治医.")
    max_colleagues: int | None = Field(None, ge=0, le=100, description="Most 主治医 covered as 副主治医.")
    full_time: bool = Field(True, description="A full-time doctor (常勤), counted for a 連携型 group.")


class CoverGroup(_Model):
    """A 連携型 group: institutions sharing 24-hour cover only among themselves."""

    id: _Id
    name: str = Field(min_length=1, max_length=200)
    clinics: list[_Id] = Field(
        min_length=2, max_length=2000, description="Member clinics (fewer than 10 institutions)."
    )


class Pair(_Model):
    """A 主治医 and one of their 副主治医."""

    principal: _Id = Field(description="Id of the 主治医.")
    deputy: _Id = Field(description="Id of the 副主治医.")


class CoverWeights(_Model):
    """Prices of the cover plan's soft goals."""

    keep_pair: int | None = Field(
        None, ge=0, le=10**9, description="Each of last period's pairs not kept; default: above any balance gain."
    )
    balance: int = Field(1, ge=0, le=1000, description="The largest covered load of one 副主治医.")
    reciprocal: int = Field(5, ge=0, le=10**6, description="Each pair whose 副主治医 is not covered back.")
    together: int = Field(2, ge=0, le=1000, description="The largest rota duties plus cover days of one doctor.")


class CoverConfig(_Model):
    """The 主治医・副主治医 cover plan: who backs up whose patients, and who answers during each absence."""

    panels: list[Panel] = Field(
        default_factory=list, max_length=10_000, description="主治医 and their enrolled patients."
    )
    doctors: list[CoverDoctor] = Field(default_factory=list, max_length=2000, description="Capacities as 副主治医.")
    groups: list[CoverGroup] = Field(
        default_factory=list, max_length=2000, description="連携型 groups; cover stays inside."
    )
    previous_pairs: list[Pair] = Field(
        default_factory=list, max_length=4000, description="Last period's pairs (kept if possible)."
    )
    max_visit_km: float | None = Field(
        16.0, gt=0, le=1000, description="Farthest a 副主治医's clinic may lie from the patients (none: no limit)."
    )
    two_deputies_from: int | None = Field(
        None, ge=1, le=100_000, description="Panels of this many patients or more get two 副主治医."
    )
    expected_absent_days: float = Field(
        1.0, ge=0, le=31, description="Absent days a month assumed besides the declared ones (load balance)."
    )
    weights: CoverWeights = Field(default_factory=CoverWeights)


def cover_problems(s: Scenario) -> list[str]:
    """Cross-reference problems of ``s.cover``, each naming the field."""
    c = s.cover
    if c is None:
        return []
    physicians = {p.id for p in s.physicians}
    clinics = {k.id for k in s.clinics}
    districts = {d.id for d in s.districts}
    problems: list[str] = []
    for i, panel in enumerate(c.panels):
        if panel.physician not in physicians:
            problems.append(f"cover.panels[{i}].physician: unknown physician {panel.physician!r}")
        if panel.district is not None and panel.district not in districts:
            problems.append(f"cover.panels[{i}].district: unknown district {panel.district!r}")
    seen = Counter((p.physician, p.district) for p in c.panels)
    problems += [f"cover.panels: physician {k[0]!r} has two panels in one district" for k, n in seen.items() if n > 1]
    for i, d in enumerate(c.doctors):
        if d.physician not in physicians:
            problems.append(f"cover.doctors[{i}].physician: unknown physician {d.physician!r}")
    twice = [k for k, n in Counter(d.physician for d in c.doctors).items() if n > 1]
    problems += [f"cover.doctors: physician {k!r} listed twice" for k in twice]
    for i, pair in enumerate(c.previous_pairs):
        for field in ("principal", "deputy"):
            if getattr(pair, field) not in physicians:
                problems.append(f"cover.previous_pairs[{i}].{field}: unknown physician {getattr(pair, field)!r}")
    return problems + _group_problems(s, clinics)


def _group_problems(s: Scenario, clinics: set[str]) -> list[str]:
    """A 連携型 group has fewer than 10 institutions and at least 3 full-time doctors; a clinic is in one group."""
    assert s.cover is not None
    part_time = {d.physician for d in s.cover.doctors if not d.full_time}
    problems: list[str] = []
    group_of: dict[str, str] = {}
    for i, g in enumerate(s.cover.groups):
        where = f"cover.groups[{i}]"
        for j, k in enumerate(g.clinics):
            if k not in clinics:
                problems.append(f"{where}.clinics[{j}]: unknown clinic {k!r}")
            elif k in group_of:
                problems.append(f"{where}.clinics[{j}]: clinic {k!r} is already in group {group_of[k]!r}")
            group_of.setdefault(k, g.id)
        if len(set(g.clinics)) >= 10:
            problems.append(f"{where}.clinics: {len(set(g.clinics))} institutions; a 連携型 group has fewer than 10")
        full = sum(1 for p in s.physicians if p.clinic in g.clinics and p.id not in part_time)
        if full < 3:
            problems.append(f"{where}: {full} full-time doctors; a 連携型 group needs at least 3")
    problems += [f"cover.groups: duplicate id {k!r}" for k, n in Counter(g.id for g in s.cover.groups).items() if n > 1]
    return problems
