"""The independent checker on a posted scenario and roster."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AnyKey
from api.errors import ERROR_RESPONSES
from api.schemas import CheckRequest, CheckResult
from oncall.checker import check

router = APIRouter(tags=["check"], responses=ERROR_RESPONSES)


@router.post("/check", response_model=CheckResult)
def check_roster(request: CheckRequest, _: AnyKey) -> CheckResult:
    """Check a roster against every hard rule of a scenario and measure the soft goals (writes nothing)."""
    report = check(request.scenario, request.roster, lang=request.lang)
    return CheckResult(ok=report.ok, fairness_spread=report.fairness_spread, summary=report.summary(), report=report)
