"""Problems with input found past the scenario's own fields: the cover plan's cross-references, pins,
swaps, links between periods, repairs and the office's forms (each shown after its field)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the cover plan (主治医・副主治医) in the scenario
    "cover.two_panels": (
        "医師 {physician} が1つの地区に2つの担当患者群を持っています",
        "physician {physician} has two panels in one district",
    ),
    "cover.doctor_twice": ("医師 {physician} が2回あります", "physician {physician} listed twice"),
    "cover.clinic_in_group": (
        "診療所 {clinic} はすでにグループ {group} にあります",
        "clinic {clinic} is already in group {group}",
    ),
    "cover.too_many_institutions": (
        "{n} 機関; 連携型のグループは10機関未満にしてください",
        "{n} institutions; a 連携型 group has fewer than 10",
    ),
    "cover.too_few_full_time": (
        "常勤医 {n} 名; 連携型のグループには3名以上必要です",
        "{n} full-time doctors; a 連携型 group needs at least 3",
    ),
    # --- pins that no roster can keep
    "pin.no_duty": (
        "{date} の {district} に枠 {block} の当番はありません",
        "no duty of block {block} in {district} on {date}",
    ),
    "pin.hospital_cannot": (
        "病院 {hospital} は {date} に {district} の待機ができません（担当外の地区か休止日）",
        "hospital {hospital} cannot stand by for {district} on {date} (district not served or hospital closed)",
    ),
    "pin.physician_cannot": (
        "医師 {physician} は {date} {block} の {district} で {role} を担当できません（{why}）",
        "physician {physician} cannot take {role} on {date} {block} in {district} ({why})",
    ),
    # --- swaps and give-aways
    "swap.no_duty": ("当番表に当番 {duty} はありません", "no duty {duty} in the roster"),
    "swap.not_holder": (
        "{physician} は {duty} の {role} ではありません（担当: {holder}）",
        "{physician} is not the {role} of {duty} (it is {holder})",
    ),
    "swap.nobody": ("なし", "nobody"),
    "swap.same_colleague": ("譲る相手は別の医師にしてください", "the colleague must be someone else"),
    "swap.same_physicians": ("交換には別々の医師が2人必要です", "a swap needs two different physicians"),
    "swap.same_duty_role": ("交換には別々の当番・役割が2つ必要です", "a swap needs two different duty-roles"),
    "swap.started": (
        "当番 {duty} はすでに始まっているため動かせません",
        "duty {duty} has already started; it cannot move",
    ),
    # --- one period after another
    "link.not_next_day": (
        "シナリオ {previous} は {previous_end} に終わり、"
        "シナリオ {scenario} は {start} に始まります（翌日ではありません）",
        "scenario {previous} ends {previous_end}; scenario {scenario} starts {start}, not the day after",
    ),
    "link.zones": (
        "2つのシナリオのタイムゾーンが違います（{zones}）",
        "the two scenarios are in different time zones ({zones})",
    ),
    "boundary.zone": (
        "{zone} は前の期間のタイムゾーン {previous} と違います",
        "{zone} differs from the previous period's {previous}",
    ),
    "boundary.not_following": (
        "{start} は前の期間（{end} に終わる）に続いていません",
        "{start} does not follow the previous period, which ends {end}",
    ),
    "boundary.same_id": (
        "{id} はここでは {clinic} の {name} ですが、前の期間では {was_clinic} の {was_name} です: "
        "同じ ID は同じ医師にしてください",
        "{id} is {name} of {clinic} here but {was_name} of {was_clinic} in the previous period: "
        "the same id must be the same doctor",
    ),
    "boundary.not_previous_roster": (
        "前の期間のシナリオ {name} の当番表ではありません（{what}）",
        "not a roster of the previous scenario {name} ({what})",
    ),
    "roster.foreign_duty": ("当番 {duty} はその当番ではありません", "duty {duty} is not a duty of it"),
    "roster.other_scenario": ("{scenario} の当番表です", "it is the roster of {scenario}"),
    # --- what is not carried over into the next period (oncall.boundary)
    "carry.not_continued": (
        "{duty} {role}: {who} は{what}を引き継がない ({because})",
        "{duty} {role}: {who} does not continue {what} ({because})",
    ),
    "carry.night": ("夜間当番", "the night"),
    "carry.standby": ("後方支援", "the standby"),
    "carry.because.absent": ("不在のため", "absent"),
    "carry.because.left": ("新しい期間の名簿にいないため", "not in the new period's scenario"),
    "carry.because.too_far": ("往診距離の外のため", "beyond the visit distance"),
    "carry.because.role": ("この役割を引き受けないため", "does not take this role"),
    "carry.because.district": ("この地区を担当しないため", "does not cover this district"),
    "carry.because.rest_after_previous": ("休息が足りないため", "not rested"),
    "carry.because.cap_zero": ("上限が0のため", "a cap of zero"),
    "carry.because.pinned_to_other": ("別の担当者が固定されているため", "someone else is pinned"),
    "carry.because.closed": ("休止日のため", "closed that date"),
    "carry.because.standby_cap": ("待機日数の上限が0のため", "a standby cap of zero"),
    "carry.because.max_districts": (
        "同時に受け持てる地区数の上限のため",
        "already standing by for as many districts as it may",
    ),
    "carry.because.admissions": ("予想入院数が受入上限を超えるため", "its expected admissions would pass its limit"),
    # --- a swap or give-away that breaks a rule (oncall.swaps)
    "swap.breaks": ("この交換は {rules} に違反する", "the swap breaks {rules}"),
    "swap.give_away_breaks": ("この譲渡は {rules} に違反する", "the give-away breaks {rules}"),
    # --- repairs of a published roster
    "repair.not_this_period": (
        "このシナリオの期間の当番表ではありません（{what}）",
        "not a roster of this scenario's period ({what})",
    ),
    "repair.missing_duty": ("当番 {duty} がありません", "duty {duty} is missing"),
    "repair.foreign_duty": ("当番 {duty} はこの期間の当番ではありません", "duty {duty} is not a duty of the period"),
    "repair.holder_gone": (
        "{holder} は、すでに始まったこの当番をもう担当できません",
        "{holder} can no longer hold this duty, which has started",
    ),
    "repair.hospital_gone": (
        "{hospital} はもう待機できず、当番が始まっています",
        "{hospital} can no longer stand by, and a duty has started",
    ),
    "repair.unknown_physician": ("不明な医師 {id} です", "unknown physician {id}"),
    "repair.unknown_hospital": ("不明な病院 {id} です", "unknown hospital {id}"),
    "repair.date_outside": ("{date} は期間外です", "{date} is outside the period"),
    "repair.stands_by": (
        "{hospital} は {date} にすでに待機しています（当番 {duty} が始まっています）。翌日以降から休止にしてください",
        "{hospital} already stands by on {date} (duty {duty} has started); close it from a later date",
    ),
    "repair.whole_cap": (
        "{cap} は整数にしてください（{value} になっています）",
        "{cap} must be a whole number (got {value})",
    ),
    "repair.after_period": ("{start} は期間より後です", "{start} is after the period"),
    "repair.outside_period": ("{start} 〜 {end} は期間の外です", "{start} – {end} is outside the period"),
    "repair.out_of_range": (
        "{start} 〜 {end} は扱える範囲の外です",
        "{start} – {end} is out of the representable range",
    ),
    "repair.breaks_the_past": ("すでに始まった当番が変更後の規則に反します: {violation}", "{violation}"),
    "repair.past_stuck": (
        "{violation}（この当番表の公開後にシナリオが変わり、当番はすでに始まっているため、修正では保てません。"
        "期間を解き直してください）",
        "{violation} (the scenario changed since this roster was published and the duty has started, so no repair "
        "can keep it: solve the period again)",
    ),
    "repair.note_within_started": (
        "{where}: 不在期間はすでに始まった当番の中にあり、変更はない",
        "{where}: the absence falls within duties already started; nothing to change",
    ),
    "repair.note_keeps_started": (
        "{where}: {who} は凍結前に始まった当番をそのまま担当し、不在はその終了 {at} から",
        "{where}: {who} keeps the duty that started before the freeze; the absence starts when it ends, {at}",
    ),
    # --- re-planning: the changes, the reasons and the summary (oncall.replan)
    "replan.empty": ("空き", "empty"),
    "replan.absent": ("{who} 不在 {start}〜{end}{why}", "{who} absent {start} – {end}{why}"),
    "replan.leaves": ("{who} {start} から離脱{why}", "{who} leaves from {start}{why}"),
    "replan.closed": ("{hospital} {date} 休止{why}", "{hospital} closed on {date}{why}"),
    "replan.cap": ("{who} 上限 {cap} = {value}{why}", "{who} cap {cap} = {value}{why}"),
    "replan.cap_none": ("なし", "none"),
    "replan.filled": ("空きを補充", "a gap filled"),
    "replan.knock_on": (
        "玉突き: 空いた役割を埋めるための入れ替え",
        "knock-on: moved so that the vacated roles could be covered",
    ),
    "replan.nobody": ("; 代わりがいない", "; nobody could take it"),
    "replan.role.primary": ("主当番", "primary"),
    "replan.role.secondary": ("副当番", "secondary"),
    "replan.role.backup_hospital": ("後方支援病院", "hospital"),
    "replan.changes": ("変更: {changes}", "Changes: {changes}"),
    "replan.kept": (
        "凍結: {at} より前に始まった当番 {n} 件はそのまま",
        "Kept as published: {n} duties started before {at}",
    ),
    "replan.proven": ("最少を証明", "proven least"),
    "replan.not_proven": ("最少は未証明", "not proven least"),
    "replan.counts": (
        "変更した役割: {changed} 件 (変更によるもの {by_change}, 玉突き {knock_on}; {proven}); "
        "補充した空き {filled} 件; 残る空き {gaps} 件",
        "Changed duty-roles: {changed} ({by_change} by the change, {knock_on} knock-on; {proven}); "
        "gaps filled {filled}; gaps left {gaps}",
    ),
    "replan.moves": ("増減: {moves}", "Gains and losses: {moves}"),
    # --- pins the rules cannot keep (solver.solve)
    "pins.cannot_all_be_kept": (
        "これらの固定は同時には守れません（1人1当番、休息、連続日数、上限、前期間の履歴を満たす当番表がありません）",
        "cannot all be kept (one duty at a time, rest, consecutive days, caps and the history of the previous period "
        "allow no roster with them)",
    ),
    "pins.cannot_be_kept": (
        "この固定は守れません（1人1当番、休息、連続日数、上限、前期間の履歴を満たす当番表がありません）",
        "cannot be kept (one duty at a time, rest, consecutive days, caps and the history of the previous period "
        "allow no roster with it)",
    ),
    # --- the office's forms
    "page.no_sample": ("見本 {name} はありません", "no sample named {name}"),
    "page.choose_file": (
        "YAML か JSON のファイル、または見本を選んでください",
        "choose a YAML or JSON file, or a sample",
    ),
    "page.not_datetime": ("日時として読めません（{value}）", "not a date and time ({value})"),
}
