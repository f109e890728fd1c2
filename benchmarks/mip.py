"""The CP-SAT roster model handed to a MIP solver (HiGHS, through highspy).

The translation reads the CP-SAT model's proto, so the MIP is the very model CP-SAT solves, constraint
for constraint. The roster model uses only these constraint kinds, each with a linear form:

- ``linear`` with a single interval ``[lb, ub]``: one or two rows;
- ``bool_or``: sum of literals >= 1; ``bool_and``: each literal >= 1; ``at_most_one``: sum <= 1;
  ``exactly_one``: sum == 1;
- enforcement literals ``e1 .. ek`` (the constraint holds when all are true): the row is relaxed by
  ``M * (k - sum e)`` with ``M`` the largest violation the row's variable bounds allow (big-M).

A negated literal ``not x`` is ``1 - x``. Any other constraint kind raises ``NotImplementedError``,
so a future rule that the translation cannot express fails loudly instead of being dropped.

The solve mirrors ``solver.solve``: first the number of gaps is minimised, then, with that number
fixed, the soft terms, starting from the first phase's roster.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

__all__ = ["MipModel", "MipRun", "from_cp_model", "solve_highs"]

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


@dataclass
class MipModel:
    """A MIP in row form: one column per CP-SAT variable (same index), rows built from the constraints."""

    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    @property
    def num_cols(self) -> int:
        return len(self.col_lower)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def add_row(self, coefs: dict[int, float], lower: float, upper: float) -> None:
        """Append ``lower <= sum coefs[j] x_j <= upper``."""
        for j, a in coefs.items():
            if a:
                self.index.append(j)
                self.value.append(a)
        self.starts.append(len(self.index))
        self.row_lower.append(lower)
        self.row_upper.append(upper)


class _Row:
    """A linear form ``sum coefs[j] x_j + const`` over the columns."""

    __slots__ = ("coefs", "const")

    def __init__(self) -> None:
        self.coefs: dict[int, float] = {}
        self.const = 0.0

    def add_literal(self, ref: int, a: float = 1.0) -> None:
        if ref >= 0:
            self.coefs[ref] = self.coefs.get(ref, 0.0) + a
        else:  # not x = 1 - x
            j = -ref - 1
            self.coefs[j] = self.coefs.get(j, 0.0) - a
            self.const += a

    def add_var(self, ref: int, a: float) -> None:
        if ref < 0:
            raise ValueError("negative variable reference in a linear term")
        self.coefs[ref] = self.coefs.get(ref, 0.0) + a

    def bounds(self, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float]:
        """Least and greatest value of the form within the column bounds."""
        least = most = self.const
        for j, a in self.coefs.items():
            if a > 0:
                least += a * lo[j]
                most += a * hi[j]
            else:
                least += a * hi[j]
                most += a * lo[j]
        return least, most


def _enforced(mip: MipModel, row: _Row, lower: float, upper: float, enforcement: Sequence[int]) -> None:
    """Add ``lower <= row <= upper``, relaxed by big-M unless every enforcement literal is true."""
    if not enforcement:
        mip.add_row(row.coefs, lower - row.const, upper - row.const)
        return
    least, most = row.bounds(mip.col_lower, mip.col_upper)
    # slack = number of false enforcement literals = sum over e of (1 - e)
    slack = _Row()
    for e in enforcement:
        slack.add_literal(e, -1.0)
        slack.const += 1.0
    if math.isfinite(upper) and most > upper:
        m = most - upper  # row <= upper + m * slack
        r = dict(row.coefs)
        for j, a in slack.coefs.items():
            r[j] = r.get(j, 0.0) - m * a
        mip.add_row(r, -math.inf, upper - row.const + m * slack.const)
    if math.isfinite(lower) and least < lower:
        m = lower - least  # row >= lower - m * slack
        r = dict(row.coefs)
        for j, a in slack.coefs.items():
            r[j] = r.get(j, 0.0) + m * a
        mip.add_row(r, lower - row.const - m * slack.const, math.inf)


def _bound(v: int) -> float:
    if v <= _INT64_MIN:
        return -math.inf
    if v >= _INT64_MAX:
        return math.inf
    return float(v)


def from_cp_model(model: cp_model.CpModel) -> MipModel:
    """The MIP of a CP-SAT model (its objective is left out; see ``solve_highs``)."""
    proto = model.proto
    lo, hi = [], []
    for var in proto.variables:
        domain = list(var.domain)
        if len(domain) != 2:
            raise NotImplementedError(f"variable {var.name!r} has a domain with holes")
        lo.append(float(domain[0]))
        hi.append(float(domain[1]))
    mip = MipModel(np.array(lo), np.array(hi))
    for k, c in enumerate(proto.constraints):
        enforcement = list(c.enforcement_literal)
        row = _Row()
        if c.has_linear():
            domain = list(c.linear.domain)
            if len(domain) != 2:
                raise NotImplementedError(f"constraint {k}: linear domain with holes")
            for ref, a in zip(c.linear.vars, c.linear.coeffs, strict=True):
                row.add_var(ref, float(a))
            _enforced(mip, row, _bound(domain[0]), _bound(domain[1]), enforcement)
        elif c.has_bool_or():
            for ref in c.bool_or.literals:
                row.add_literal(ref)
            _enforced(mip, row, 1.0, math.inf, enforcement)
        elif c.has_bool_and():
            for ref in c.bool_and.literals:
                one = _Row()
                one.add_literal(ref)
                _enforced(mip, one, 1.0, math.inf, enforcement)
        elif c.has_at_most_one():
            for ref in c.at_most_one.literals:
                row.add_literal(ref)
            _enforced(mip, row, -math.inf, 1.0, enforcement)
        elif c.has_exactly_one():
            for ref in c.exactly_one.literals:
                row.add_literal(ref)
            _enforced(mip, row, 1.0, 1.0, enforcement)
        else:
            raise NotImplementedError(f"constraint {k} ({c.name!r}): kind not translated to a MIP")
    return mip


@dataclass
class MipRun:
    """What the MIP solve found: the column values of its best solution and how the search went."""

    status: str
    values: np.ndarray | None  # one value per CP-SAT variable, or None without a solution
    objective: float | None  # soft objective (phase 2), in the model's integer units
    bound: float | None
    least_gaps: int | None
    first_seconds: float | None  # first solution with the least gaps, from the start of the solve
    best_seconds: float | None
    seconds: float
    trajectory: list[tuple[float, float]]  # (seconds, objective) of each improving phase-2 solution


def _highs(mip: MipModel, time_limit: float, threads: int, seed: int) -> Any:
    import highspy

    with _stdout_silenced():  # HiGHS prints its banner on creation, before any option can stop it
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.1, time_limit))
    h.setOptionValue("threads", threads)
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    n = mip.num_cols
    lower = np.where(np.isfinite(mip.col_lower), mip.col_lower, -inf)
    upper = np.where(np.isfinite(mip.col_upper), mip.col_upper, inf)
    h.addVars(n, lower, upper)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    rl = np.array(mip.row_lower)
    ru = np.array(mip.row_upper)
    h.addRows(
        mip.num_rows,
        np.where(np.isfinite(rl), rl, -inf),
        np.where(np.isfinite(ru), ru, inf),
        len(mip.index),
        np.array(mip.starts[:-1], dtype=np.int32),
        np.array(mip.index, dtype=np.int32),
        np.array(mip.value, dtype=np.float64),
    )
    return h


def solve_highs(
    mip: MipModel,
    gap_cols: Sequence[int],
    soft: Sequence[tuple[int, int]],
    time_limit: float,
    threads: int = 1,
    seed: int = 0,
    clock: Callable[[], float] = time.perf_counter,
) -> MipRun:
    """Two phases like ``solver.solve``: least gaps (up to half the time), then the soft terms.

    ``gap_cols`` are the gap columns; ``soft`` the (column, coefficient) pairs of the soft objective.
    """
    import highspy

    feasible = highspy.SolutionStatus.kSolutionStatusFeasible
    optimal = highspy.HighsModelStatus.kOptimal
    started = clock()
    h = _highs(mip, time_limit / 2, threads, seed)
    n = mip.num_cols
    columns = np.arange(n, dtype=np.int32)
    gaps = list(gap_cols)

    cost = np.zeros(n)
    cost[gaps] = 1.0
    h.changeColsCost(n, columns, cost)
    h.run()
    if h.getInfo().primal_solution_status != feasible:
        return MipRun("no roster", None, None, None, None, None, None, clock() - started, [])
    covering = np.array(h.getSolution().col_value)
    least = round(float(np.sum(covering[gaps])))
    proven = least == 0 or h.getModelStatus() == optimal
    first: float | None = clock() - started if proven else None

    # Phase 2: the gap count fixed (capped when not proven), the soft objective, from phase 1's roster.
    h.addRow(float(least) if proven else -highspy.kHighsInf, float(least), len(gaps), gaps, [1.0] * len(gaps))
    cost = np.zeros(n)
    for j, a in soft:
        cost[j] += a
    h.changeColsCost(n, columns, cost)
    h.setSolution(_solution(h, covering))
    h.setOptionValue("time_limit", max(0.1, time_limit - (clock() - started)))
    trajectory: list[tuple[float, float]] = []

    def improved(event: Any) -> None:
        trajectory.append((clock() - started, float(event.data_out.objective_function_value)))

    h.cbMipImprovingSolution.subscribe(improved)
    h.run()
    seconds = clock() - started
    if first is None and trajectory:
        first = trajectory[0][0]
    info = h.getInfo()
    if info.primal_solution_status != feasible:
        return MipRun("coverage only", covering, None, None, least, first, first, seconds, trajectory)
    return MipRun(
        status="OPTIMAL" if h.getModelStatus() == optimal else "FEASIBLE",
        values=np.array(h.getSolution().col_value),
        objective=float(info.objective_function_value),
        bound=float(info.mip_dual_bound),
        least_gaps=least,
        first_seconds=first,
        best_seconds=trajectory[-1][0] if trajectory else first,
        seconds=seconds,
        trajectory=trajectory,
    )


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _solution(h: Any, x: np.ndarray) -> Any:
    sol = h.getSolution()
    sol.col_value = list(x)
    sol.value_valid = True
    return sol
