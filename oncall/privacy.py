"""What a backup hospital may read: the network, who is (or may be) on duty, its own standby and load;
not the doctors' personal data.

A hospital key reads a scenario through :func:`hospital_view`: every physician is reduced to who they
are and where they may be on duty (``HOSPITAL_KEPT``); their absences and the reasons for them, wishes,
history, caps, share, employment and contact details are withheld. A field added to ``Physician`` later
is withheld too until it is named here. The API's routes for the office's own work (a physician's
entries, repairs, swaps, feed subscriptions, the audit log) are for staff keys only (``api/deps.py``).
"""

from __future__ import annotations

from oncall.model import Physician, Scenario

__all__ = ["HOSPITAL_KEPT", "HOSPITAL_WITHHELD", "hospital_view"]

HOSPITAL_KEPT = frozenset({"id", "name", "name_en", "clinic", "districts", "roles"})
HOSPITAL_WITHHELD: tuple[str, ...] = tuple(
    f"physicians[].{name}" for name in Physician.model_fields if name not in HOSPITAL_KEPT
)


def hospital_view(scenario: Scenario) -> Scenario:
    """``scenario`` as a hospital may read it: the physicians without their personal data (withheld fields
    take their defaults), everything else as it is.

    >>> "physicians[].absences" in HOSPITAL_WITHHELD, "physicians[].phone" in HOSPITAL_WITHHELD
    (True, True)
    >>> "physicians[].name" in HOSPITAL_WITHHELD
    False
    """
    physicians = [Physician.model_validate(p.model_dump(include=set(HOSPITAL_KEPT))) for p in scenario.physicians]
    return scenario.model_copy(update={"physicians": physicians})
