"""Why a duty has nobody: the gap reasons the solver stores as codes with parameters (docs/roster.md),
and the hospitals that cannot take the expected admissions whatever the roster (docs/load.md)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- hospitals that cannot take the expected admissions (oncall.diagnosis.describe_overloads)
    "load.alone": (
        "{hospital}: 登録患者だけで予想入院 {expected}件/日が受入上限 {limit}件/日 "
        "({capacity}件 × (1 − {margin})) を超える ({dates})",
        "{hospital}: its registered patients alone bring {expected} expected admissions a day, over its limit "
        "{limit} ({capacity} × (1 − {margin})) on {dates}",
    ),
    "load.stranded": (
        "{day}: {hospital} が休止日で、{where}の同院登録患者の予想入院 {expected}件を受け入れる病院がない",
        "{day}: {hospital} is closed and no hospital can admit its registered patients from {where} "
        "({expected} expected admissions)",
    ),
    "load.cannot_absorb": (
        "{day}: {who} が予想入院を受け切れない: {where}から {unregistered}件 + 登録患者 {registered}件 = "
        "{expected}件 > 上限 {limit}件",
        "{day}: {who} cannot absorb the expected admissions: {unregistered} from {where} + {registered} from "
        "registered patients = {expected} > limit {limit}",
    ),
    "load.and": ("・", " and "),
    "load.to": ("〜", "–"),
    "role.primary": ("主当番", "primary"),
    "role.secondary": ("副当番", "secondary"),
    "role.backup_hospital": ("後方支援病院", "backup hospital"),
    "gap.doctors": (
        "{where}: {district}を担当する医師{n}名; {parts}",
        "{where}: {n} doctors cover {district}; {parts}",
    ),
    "gap.role": ("役割対象外{n}名", "{n} do not take this role"),
    "gap.absent": ("不在{n}名", "{n} absent"),
    "gap.rest_after_previous": ("前月末の当番からの休息不足{n}名", "{n} still resting after the previous period"),
    "gap.cap_zero": ("上限0回{n}名", "{n} with a cap of zero"),
    "gap.busy": ("同時間帯・休息時間内に別の当番{n}名", "{n} on another duty at that time or within their rest"),
    "gap.duty_cap": ("月間当番上限{n}名", "{n} at their monthly cap"),
    "gap.night_cap": ("夜間上限{n}名", "{n} at their night cap"),
    "gap.holiday_cap": ("休日上限{n}名", "{n} at their holiday cap"),
    "gap.consecutive_days": ("連続日数上限{n}名", "{n} at their consecutive-day limit"),
    "gap.cap_of": ("{noun}の上限{n}名", "{n} at their cap of {noun}"),  # a cap without words of its own
    "gap.same_clinic": ("相方と同じ医療機関{n}名", "{n} from the partner's clinic"),
    "gap.free": ("担当可能{n}名(探索時間内に割当なし)", "{n} could still take it (the search stopped first)"),
    "gap.hospitals": ("{where}: {district}を受け入れる病院{n}施設", "{where}: {n} hospitals serve {district}"),
    "gap.hospitals_because": (
        "{where}: {district}を受け入れる病院{n}施設; {parts}",
        "{where}: {n} hospitals serve {district}; {parts}",
    ),
    "gap.closed": ("休止日{n}施設", "{n} closed that day"),
    "gap.standby_cap": ("待機日数上限{n}施設", "{n} at their standby-day cap"),
    "gap.max_districts": (
        "同時に受け持つ地区数の上限{n}施設",
        "{n} already standing by for as many districts as their max_districts",
    ),
    "gap.full": ("{day} の受入上限超過{n}施設 ({detail})", "{n} over their admission limit on {day} ({detail})"),
    "gap.one_full": (
        "{name} 予想入院 {held}件 + {district}分 {extra}件 > 上限 {limit}件",
        "{name} {held} expected + {extra} from {district} > limit {limit}",
    ),
    "gap.hospital_free": (
        "受入可能{n}施設(探索時間内に割当なし)",
        "{n} could still take it (the search stopped first)",
    ),
}
