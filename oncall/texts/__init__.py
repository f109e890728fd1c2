"""The catalogue's texts by area, merged into ``oncall.i18n.MESSAGES`` (one code, one (ja, en) pair).

Each module holds ``MESSAGES: dict[str, tuple[str, str]]`` for one area and imports nothing, so any
module of the project can read the catalogue without an import cycle. Codes are namespaced by area
(``gap.``, ``role.``, ``problem.`` …); :data:`AREAS` lists the modules in the order they are merged.
"""

from __future__ import annotations

from oncall.texts import cover, gaps, imports, outputs, plots, problems, reports, web

__all__ = ["AREAS"]

AREAS = (gaps, problems, cover, imports, plots, reports, web, outputs)
