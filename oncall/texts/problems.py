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
    # --- the office's forms
    "page.no_sample": ("見本 {name} はありません", "no sample named {name}"),
    "page.choose_file": (
        "YAML か JSON のファイル、または見本を選んでください",
        "choose a YAML or JSON file, or a sample",
    ),
    "page.not_datetime": ("日時として読めません（{value}）", "not a date and time ({value})"),
}
