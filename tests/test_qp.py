"""``oncall.qp.Programme``: the very ModelProto MathOpt's Python ``Model`` exports, and PDLP's answer."""

from __future__ import annotations

import math

import pytest
from ortools.math_opt.python import mathopt

from oncall.errors import SolveError
from oncall.qp import Programme


def _both() -> tuple[Programme, mathopt.Model]:
    """The same programme twice, written as the fair share writes it, then as it was written with MathOpt."""
    p = Programme("fair share: the allocation")
    x, y, z = p.variable(), p.variable(), p.variable()
    p.constrain([(x, 1.0), (y, 1.0)], 3.0, 3.0)
    p.constrain([(z, 1.0), (x, -1.0)], 0.0, 0.0)
    over = p.variable()
    p.constrain([(y, 0.5), (over, -1.0)], -math.inf, 1.0 - 0.25)
    p.minimise_linear(y, 0.4)
    p.minimise_square(z, 1.0 / 0.8)
    p.minimise_linear(z, 2 * 1.5 * (1.0 / 0.8))
    p.minimise_linear(over, 1e4)

    m = mathopt.Model(name="fair share: the allocation")
    mx, my, mz = (m.add_variable(lb=0.0) for _ in range(3))
    m.add_linear_constraint(mathopt.fast_sum([mx, my]) == 3.0)
    m.add_linear_constraint(mz == mathopt.fast_sum([mx]))
    mover = m.add_variable(lb=0.0)
    m.add_linear_constraint(mathopt.fast_sum([my * 0.5]) + 0.25 - mover <= 1.0)
    m.minimize(mathopt.fast_sum([0.4 * my, (mz * mz + 2 * 1.5 * mz) * (1.0 / 0.8), 1e4 * mover]))
    return p, m


def test_the_programme_is_the_proto_mathopt_exports() -> None:
    p, m = _both()
    exported = m.export_model()
    for part in (exported.variables, exported.linear_constraints):
        part.ClearField("names")
    assert p.proto() == exported


def test_pdlp_returns_the_least_point() -> None:
    p, m = _both()
    params = mathopt.SolveParameters(threads=1)
    expected = list(mathopt.solve(m, mathopt.SolverType.PDLP, params=params).variable_values().values())
    assert p.solve(seconds=10) == pytest.approx(expected, abs=1e-6)


def test_a_programme_without_a_solution_is_a_solve_error() -> None:
    p = Programme("an impossible")
    x = p.variable()
    p.constrain([(x, 1.0)], -math.inf, -1.0)  # x >= 0 and x <= -1
    p.minimise_square(x, 1.0)
    with pytest.raises(SolveError, match=r"^an impossible (found no solution|programme failed)"):
        p.solve(seconds=10)
