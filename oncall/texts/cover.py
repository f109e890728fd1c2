"""The cover plan's violations (oncall/cover/check.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- cover plan checks
    "cover_check.unknown_physician": ("{where}: 医師 {who} は登録されていません", "{where}: unknown physician {who}"),
    "cover_check.not_principal": ("{who} は患者のいる主治医ではありません", "{who} is not a 主治医 with patients"),
    "cover_check.deputies": (
        "{who} の副主治医は{have}名（必要{need}名、欠員の記載{gap}名）",
        "{who} has {have} deputies ({need} needed, {gap} declared missing)",
    ),
    "cover_check.same_clinic": ("{who} と {other} は同じ医療機関です", "{who} and {other} work at the same clinic"),
    "cover_check.distance": (
        "{other} の医療機関は {who} の患者（{district}）から{km:.1f}km（上限{limit:g}km）",
        "{other}'s clinic lies {km:.1f} km from {who}'s patients in {district} (limit {limit:g} km)",
    ),
    "cover_check.group": (
        "{who} と {other} は同じ連携型グループではありません",
        "{who} and {other} are not in one group",
    ),
    "cover_check.no_cover": ("{other} は副主治医を引き受けていません", "{other} takes no cover"),
    "cover_check.patients": (
        "{other} の受持患者{n}名が上限{cap}名を超えます",
        "{other} covers {n} patients, over their limit of {cap}",
    ),
    "cover_check.colleagues": (
        "{other} の担当主治医{n}名が上限{cap}名を超えます",
        "{other} covers {n} colleagues, over {cap}",
    ),
    "cover_check.unanswered": (
        "{who} の不在 {start:%m/%d %H:%M}–{end:%H:%M} に対応医がいません",
        "nobody answers for {who} from {start:%m/%d %H:%M} to {end:%H:%M}",
    ),
    "cover_check.gap_while_free": (
        "{who} の不在 {start:%m/%d %H:%M} は副主治医 {other} が対応できます",
        "{who}'s deputy {other} is free at {start:%m/%d %H:%M} but nobody is named",
    ),
    "cover_check.busy": (
        "{other} は {start:%m/%d %H:%M}–{end:%H:%M} に不在または当番中です",
        "{other} is away or on a rota duty from {start:%m/%d %H:%M} to {end:%H:%M}",
    ),
    "cover_check.not_deputy": ("{other} は {who} の副主治医ではありません", "{other} is not a deputy of {who}"),
    "cover_check.deputy_free": (
        "{start:%m/%d %H:%M} は副主治医 {deputy} が対応できるのに第二の対応医 {other} が指名されています",
        "at {start:%m/%d %H:%M} deputy {deputy} is free, yet second cover {other} is named",
    ),
}
