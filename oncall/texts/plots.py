"""The plots' titles, labels and legends (oncall/plots.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- plots
    "plot.heat_title": (
        "医師別・日別の当番 (負担点) — 上ほど負担が多い",
        "Duty points per doctor and date — heaviest on top",
    ),
    "plot.points": ("負担点", "Duty points"),
    "plot.fair_title": (
        "負担点と公平な目標 — 上ほど目標を超えている",
        "Duty points against fair share — furthest above on top",
    ),
    "plot.target": ("公平な目標", "Fair share"),
    "plot.over": ("目標超過", "Above fair share"),
    "plot.under": ("目標未満", "Below fair share"),
    "plot.adm_caption": (
        "後方支援病院の予想入院 (件/日) と受入能力・受入上限",
        "Expected admissions per date against capacity and limit, per backup hospital",
    ),
    "plot.adm_title": (
        "後方支援病院の予想入院 (件/日) と受入能力 — 上限に最も近い: {name} (最大 {use:.0%})",
        "Expected admissions per date against capacity — closest to its limit: {name} (peak {use:.0%})",
    ),
    "plot.registered": ("登録患者", "Registered patients"),
    "plot.standby": ("待機で受ける分", "From standby"),
    "plot.capacity": ("受入能力", "Capacity"),
    "plot.limit": ("受入上限 (余裕を除く)", "Limit (less margin)"),
    "plot.panel": (
        "{name}: 最大 {peak:.2f}件/日 ({day}) = 上限の {use:.0%}",
        "{name}: peak {peak:.2f}/day ({day}) = {use:.0%} of limit",
    ),
    "plot.admissions": ("予想入院 (件/日)", "Expected admissions/day"),
    "plot.closest": ("★ 上限に最も近い", "★ closest to its limit"),
    "plot.none": ("待機日なし", "no standby"),
}
