"""The cover plan's violations (oncall/cover/check.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the cover plan's columns of the physician table and its sheets (oncall/cover/tables.py)
    "cover_column.cover_colleagues": ("副主治医（主治医数）", "Deputy of (doctors)"),
    "cover_column.cover_patients": ("副主治医（患者数）", "Deputy for (patients)"),
    "cover_column.cover_stretches": ("不在時対応（件）", "Absence cover (stretches)"),
    "cover_column.cover_hours": ("不在時対応（時間）", "Absence cover (hours)"),
    "cover_sheet.pairs": ("副主治医", "Deputies"),
    "cover_sheet.answers": ("不在時の対応", "Absence cover"),
    "cover_sheet.principal": ("主治医", "Doctor"),
    "cover_sheet.deputy": ("副主治医", "Deputy"),
    "cover_sheet.kept": ("継続", "Kept"),
    "cover_sheet.start": ("開始", "Start"),
    "cover_sheet.end": ("終了", "End"),
    "cover_sheet.answerer": ("対応医", "Answers"),
    "cover_sheet.as": ("区分", "As"),
    "cover_sheet.why": ("理由", "Why"),
    "cover_sheet.second": ("第二対応", "2nd"),
    # --- why a 主治医 has too few 副主治医 or a stretch nobody (solver/cover.py; stored in the plan in Japanese)
    "cover_reason.ruled_out": ("{rule}: {n}名が対象外", "{rule}: {n} ruled out"),
    "cover_reason.full": ("（{names}）は受持上限に達している", " ({names}) at their limit"),
    "cover_reason.capacity": ("cover_capacity: 候補{n}名{full}", "cover_capacity: {n} candidates{full}"),
    "cover_reason.busy": (
        "cover_available: 候補{n}名のうち{busy}名が不在または当番中",
        "cover_available: {busy} of {n} candidates away or on duty",
    ),
    # --- the cover part of a repair's summary (oncall/cover/continuity.py)
    "cover_replan.all_kept": ("副主治医計画: 組合せはすべて継続（{kept}）", "Cover plan: every pair kept ({kept})"),
    "cover_replan.changed": (
        "副主治医計画: 他に方法がないため組合せを{dropped}件変更（{proven}）、継続{kept}件、新規{added}件",
        "Cover plan: {dropped} pair(s) changed only because there was no other way ({proven}); {kept} kept, "
        "{added} new",
    ),
    "cover_replan.proven": ("証明済み", "proven"),
    "cover_replan.not_proven": ("未証明", "not proven"),
    "cover_replan.answers": (
        "  対応医の変更 {changed}件、新しい不在 {new}件",
        "  Answerers changed {changed}; new stretches {new}",
    ),
    "cover_replan.cause.left": (
        "{p} / {d}: どちらかが名簿にいない（または受持患者がない）",
        "{p} / {d}: one of them left (or has no panel)",
    ),
    "cover_replan.cause.excluded": (
        "{p} / {d}: 規則 {rule} により組めなくなった",
        "{p} / {d}: rule {rule} now forbids the pair",
    ),
    "cover_replan.cause.forced": (
        "{p} / {d}: 続けると欠員が増えるか受持上限を超える（他に方法がない）",
        "{p} / {d}: keeping it would leave more gaps or exceed a capacity (no other way)",
    ),
    # --- what `oncall cover` prints (oncall/cli_cover.py)
    "cover_cli.plan": (
        "副主治医計画: {status}、組合せ {pairs}（前期から継続 {kept}）",
        "Cover plan: {status}; {pairs} pairs ({kept} kept from the previous period)",
    ),
    "cover_cli.absences": (
        "主治医の不在（診療時間内）: {stretches}件中 {answered}件に対応医（第二対応 {second}件）",
        "Absences in regular hours: {answered} of {stretches} answered ({second} by a second cover)",
    ),
    "cover_cli.gaps": (
        "欠員: 副主治医の不足 {missing}、対応医なし {gaps}件",
        "Gaps: {missing} deputies missing, {gaps} stretches with nobody",
    ),
    "cover_cli.group": (
        "グループ {gid}（{name}）: 主治医{principals}名、欠員{gaps}件、24時間体制 {holds}",
        "Group {gid} ({name}): {principals} doctors with patients, {gaps} gaps; 24-hour cover {holds}",
    ),
    "cover_cli.holds": ("確保", "holds"),
    "cover_cli.does_not_hold": ("未確保", "does NOT hold"),
    "cover_cli.changes": (
        "変更: 組合せ 解消{dropped}・新規{added}、対応医の変更 {changed}件、新しい不在 {new}件",
        "Changes: pairs -{dropped} +{added}; answerers changed {changed}; new stretches {new}",
    ),
    # --- the letters for patients (oncall/letters.py)
    "letter.title": ("{name} 連絡先のお知らせ", "{name}: who to call"),
    "letter.heading": (
        "在宅医療をお受けの皆さまへ　連絡先のお知らせ（{year}年{month}）",
        "To our home care patients: who to call ({month} {year})",
    ),
    "letter.principal": ("■ 主治医：{who}", "■ Your doctor: {who}"),
    "letter.deputy": (
        "■ 副主治医（主治医の不在時に対応）：{who}",
        "■ Deputy doctor (answers when your doctor is away): {who}",
    ),
    "letter.absences": (
        "■ 主治医の不在日と対応する医師（平日の日中など）",
        "■ When your doctor is away, and who answers (weekday daytime etc.)",
    ),
    "letter.no_absence": ("　今月の不在予定はありません。", "　No absence planned this month."),
    "letter.rota": (
        "■ 夜間・休日の当番医（{district}地区）{call}",
        "■ Night and holiday on-call doctors ({district}){call}",
    ),
    "letter.call_line": ("　連絡先 {phone}", "　Call {phone}"),
    "letter.call_direct": ("　（各当番医へ直接お電話ください）", "　(call the doctor on duty directly)"),
    "letter.doctor": ("{name} 医師（{clinic}） 電話 {phone}", "Dr {name} ({clinic}) tel. {phone}"),
    "letter.doctor_short": ("{name} 医師", "Dr {name}"),
    "letter.phone": ("　電話 {phone}", "　tel. {phone}"),
    "letter.no_phone": ("（未登録）", "(not registered)"),
    "letter.undecided": ("（未定）", "(to be decided)"),
    "letter.day": ("{month}{day}日（{weekday}）", "{weekday} {month} {day}"),
    "letter.span": ("{day} {start}〜{end}", "{day} {start}–{end}"),
    "month.1": ("1月", "January"),
    "month.2": ("2月", "February"),
    "month.3": ("3月", "March"),
    "month.4": ("4月", "April"),
    "month.5": ("5月", "May"),
    "month.6": ("6月", "June"),
    "month.7": ("7月", "July"),
    "month.8": ("8月", "August"),
    "month.9": ("9月", "September"),
    "month.10": ("10月", "October"),
    "month.11": ("11月", "November"),
    "month.12": ("12月", "December"),
    "letter.weekdays": ("月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun"),
    "letter.written": ("出力: {path}（{n}通）", "Written: {path} ({n} letters)"),
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
