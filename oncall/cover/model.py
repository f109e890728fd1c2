"""The cover plan's part of a scenario: 主治医 panels, 副主治医 capacities, 連携型 groups, last period's pairs.

Attached to :class:`oncall.model.Scenario` as its optional ``cover`` field. Cross-references (unknown
physicians, a group of ten institutions) are checked by :func:`cover_problems`, which the scenario's own
validation calls; every problem names the field, e.g. ``cover.panels[2].physician: unknown physician 'x'``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from oncall.i18n import Problem

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


def cover_problems(s: Scenario) -> list[Problem]:
    """Cross-reference problems of ``s.cover``, each naming the field."""
    c = s.cover
    if c is None:
        return []
    physicians = {p.id for p in s.physicians}
    clinics = {k.id for k in s.clinics}
    districts = {d.id for d in s.districts}
    problems: list[Problem] = []
    for i, panel in enumerate(c.panels):
        if panel.physician not in physicians:
            problems.append(_unknown("physician", f"cover.panels[{i}].physician", panel.physician))
        if panel.district is not None and panel.district not in districts:
            problems.append(_unknown("district", f"cover.panels[{i}].district", panel.district))
    seen = Counter((p.physician, p.district) for p in c.panels)
    problems += [Problem("cover.two_panels", "cover.panels", physician=repr(k[0])) for k, n in seen.items() if n > 1]
    for i, d in enumerate(c.doctors):
        if d.physician not in physicians:
            problems.append(_unknown("physician", f"cover.doctors[{i}].physician", d.physician))
    twice = [k for k, n in Counter(d.physician for d in c.doctors).items() if n > 1]
    problems += [Problem("cover.doctor_twice", "cover.doctors", physician=repr(k)) for k in twice]
    for i, pair in enumerate(c.previous_pairs):
        for field in ("principal", "deputy"):
            if getattr(pair, field) not in physicians:
                problems.append(_unknown("physician", f"cover.previous_pairs[{i}].{field}", getattr(pair, field)))
    return problems + _group_problems(s, clinics)


def _unknown(kind: str, where: str, ident: str) -> Problem:
    return Problem(f"scenario.unknown_{kind}", where, id=repr(ident))


def _group_problems(s: Scenario, clinics: set[str]) -> list[Problem]:
    """A 連携型 group has fewer than 10 institutions and at least 3 full-time doctors; a clinic is in one group."""
    assert s.cover is not None
    part_time = {d.physician for d in s.cover.doctors if not d.full_time}
    problems: list[Problem] = []
    group_of: dict[str, str] = {}
    for i, g in enumerate(s.cover.groups):
        where = f"cover.groups[{i}]"
        for j, k in enumerate(g.clinics):
            if k not in clinics:
                problems.append(_unknown("clinic", f"{where}.clinics[{j}]", k))
            elif k in group_of:
                problems.append(
                    Problem("cover.clinic_in_group", f"{where}.clinics[{j}]", clinic=repr(k), group=repr(group_of[k]))
                )
            group_of.setdefault(k, g.id)
        if len(set(g.clinics)) >= 10:
            problems.append(Problem("cover.too_many_institutions", f"{where}.clinics", n=len(set(g.clinics))))
        full = sum(1 for p in s.physicians if p.clinic in g.clinics and p.id not in part_time)
        if full < 3:
            problems.append(Problem("cover.too_few_full_time", where, n=full))
    ids = Counter(g.id for g in s.cover.groups)
    problems += [Problem("scenario.duplicate_id", "cover.groups", id=repr(k)) for k, n in ids.items() if n > 1]
    return problems
