"""Every text the templates ask for exists in Japanese and in English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from api.pages.office import CAP_FIELDS
from api.pages.texts import TEXTS
from oncall.importing import ImportKind
from oncall.model import ROLES
from oncall.replan import RoleReason
from oncall.roster import GapRole
from oncall.services.months import MonthState
from oncall.storage import JOB_STATES

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"


def test_every_key_the_templates_use_has_both_languages() -> None:
    used = {
        key
        for path in TEMPLATES.rglob("*.html")
        for key in re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", path.read_text(encoding="utf-8"))
    }
    assert len(used) > 50
    prefixes = {key for key in used if key.endswith("_")}  # t("job_" + job.state) and the like
    assert prefixes == {"job_", "state_", "cap_", "cause_", "import_"}
    used |= {f"job_{s}" for s in JOB_STATES} | {f"state_{s}" for s in get_args(MonthState)}
    used |= {f"cap_{name}" for name in CAP_FIELDS} | {f"import_{kind}" for kind in get_args(ImportKind)}
    used |= {f"cause_{cause}" for cause in get_args(RoleReason.model_fields["cause"].annotation)}
    used |= set(ROLES) | set(get_args(GapRole))  # t(role), t(r.role)
    assert sorted(used - prefixes - TEXTS.keys()) == []
    assert all(ja and en and ja != en for ja, en in TEXTS.values())
