"""A small convex quadratic programme with a diagonal objective, solved by OR-Tools' PDLP.

The fair share (``oncall.fairness``) is such a programme with tens of thousands of variables at 600
doctors. Built through MathOpt's Python ``Model`` (a Python object per variable, term and expression) it took
about 0.75 s of CPU; here it is kept as plain lists and handed to MathOpt's solver as the very ``ModelProto``
that ``Model`` would export, so PDLP sees the same programme and returns the same values.

>>> p = Programme("example")
>>> x, y = p.variable(), p.variable()
>>> p.constrain([(x, 1.0), (y, 1.0)], 2.0, 2.0)  # x + y = 2
>>> p.minimise_square(x, 1.0)  # x^2 + y^2: the least at x = y = 1
>>> p.minimise_square(y, 1.0)
>>> [round(v, 3) for v in p.solve(seconds=10)]
[1.0, 1.0]
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from oncall.errors import SolveError

if TYPE_CHECKING:
    from ortools.math_opt import model_pb2

__all__ = ["Programme"]


class Programme:
    """Minimise ``sum(linear[v] * v) + sum(square[v] * v^2)`` subject to ``lower <= sum(c * v) <= upper``
    per constraint, every variable at least its lower bound (no upper bound)."""

    def __init__(self, name: str) -> None:
        self.name = name  # leads the message of a failure: "<name> programme failed (…)"
        self._lower: list[float] = []
        self._linear: dict[int, float] = {}
        self._square: dict[int, float] = {}
        self._rows: list[tuple[list[tuple[int, float]], float, float]] = []

    def variable(self, lower: float = 0.0) -> int:
        """A new variable (its index), at least ``lower``."""
        self._lower.append(lower)
        return len(self._lower) - 1

    def constrain(self, coefficients: list[tuple[int, float]], lower: float, upper: float) -> None:
        """``lower <= sum(c * v for v, c in coefficients) <= upper`` (each variable named once)."""
        self._rows.append((coefficients, lower, upper))

    def minimise_linear(self, var: int, coefficient: float) -> None:
        """Add ``coefficient * var`` to the objective."""
        self._linear[var] = self._linear.get(var, 0.0) + coefficient

    def minimise_square(self, var: int, coefficient: float) -> None:
        """Add ``coefficient * var^2`` to the objective (``coefficient`` > 0 keeps it convex)."""
        self._square[var] = self._square.get(var, 0.0) + coefficient

    def proto(self) -> model_pb2.ModelProto:
        """The programme as MathOpt's ``ModelProto``: ids in creation order, entries sorted, zeros left out."""
        from ortools.math_opt import model_pb2

        n = len(self._lower)
        model = model_pb2.ModelProto(name=self.name)
        model.variables.ids.extend(range(n))
        model.variables.lower_bounds.extend(self._lower)
        model.variables.upper_bounds.extend([math.inf] * n)
        model.variables.integers.extend([False] * n)
        linear = sorted((v, c) for v, c in self._linear.items() if c != 0.0)
        model.objective.linear_coefficients.ids.extend(v for v, _ in linear)
        model.objective.linear_coefficients.values.extend(c for _, c in linear)
        square = sorted((v, c) for v, c in self._square.items() if c != 0.0)
        model.objective.quadratic_coefficients.row_ids.extend(v for v, _ in square)
        model.objective.quadratic_coefficients.column_ids.extend(v for v, _ in square)
        model.objective.quadratic_coefficients.coefficients.extend(c for _, c in square)
        constraints = model.linear_constraints
        constraints.ids.extend(range(len(self._rows)))
        matrix = model.linear_constraint_matrix
        for row, (coefficients, lower, upper) in enumerate(self._rows):
            constraints.lower_bounds.append(lower)
            constraints.upper_bounds.append(upper)
            entries = sorted((v, c) for v, c in coefficients if c != 0.0)
            matrix.row_ids.extend([row] * len(entries))
            matrix.column_ids.extend(v for v, _ in entries)
            matrix.coefficients.extend(c for _, c in entries)
        return model

    def solve(self, seconds: float) -> list[float]:
        """Every variable's value, PDLP on one thread for at most ``seconds``; ``SolveError`` when PDLP
        fails or finds no solution."""
        from ortools.math_opt import callback_pb2, model_parameters_pb2, parameters_pb2, result_pb2
        from ortools.math_opt.core.python import solver

        params = parameters_pb2.SolveParametersProto(threads=1)
        params.time_limit.FromTimedelta(dt.timedelta(seconds=seconds))
        try:
            result = solver.solve(
                self.proto(),
                parameters_pb2.SOLVER_TYPE_PDLP,
                parameters_pb2.SolverInitializerProto(),
                params,
                model_parameters_pb2.ModelSolveParametersProto(),
                None,
                callback_pb2.CallbackRegistrationProto(),
                None,
                None,
            )
        except Exception as exc:  # OR-Tools reports solver failures as StatusNotOk, RuntimeError, …
            raise SolveError(f"{self.name} programme failed ({type(exc).__name__}: {exc})") from exc
        feasible = result_pb2.FEASIBILITY_STATUS_FEASIBLE
        if not result.solutions or result.solutions[0].primal_solution.feasibility_status != feasible:
            reason = result_pb2.TerminationReasonProto.Name(result.termination.reason)
            raise SolveError(f"{self.name} found no solution ({reason})")
        values = [0.0] * len(self._lower)
        primal = result.solutions[0].primal_solution.variable_values
        for var, value in zip(primal.ids, primal.values, strict=True):
            values[var] = value
        return values
