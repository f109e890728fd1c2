"""CP-SAT roster solver: variables, one module per rule family, the objective, search and result."""

from solver.model import RosterModel, build_model
from solver.solve import Progress, SolveOptions, SolveResult, evaluate, solve

__all__ = ["Progress", "RosterModel", "SolveOptions", "SolveResult", "build_model", "evaluate", "solve"]
