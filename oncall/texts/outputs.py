"""What the commands print, and the texts of the XLSX, the calendar feeds and the import templates."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- a roster's status
    "status.optimal": ("最適", "optimal"),
    "status.feasible": ("実行可能", "feasible"),
    "status.infeasible": ("充足不能", "infeasible"),
    "status.unknown": ("不明", "unknown"),
    # --- oncall solve / check / repair
    "cli.status": ("ステータス", "Status"),
    "cli.objective": ("目的関数", "Objective"),
    "cli.bound": ("下界", "Bound"),
    "cli.gap": ("最適性ギャップ", "Optimality gap"),
    "cli.time": ("計算時間", "Time"),
    "cli.coverage": ("充足", "Coverage"),
    "cli.gaps": ("欠員", "Gaps"),
    "cli.spread": ("公平性(負担点の幅)", "Fairness (spread of points)"),
    "cli.written": ("出力", "Written"),
    "cli.checker": ("検証", "Check"),
    "cli.phases.cover": ("欠員の最小化", "fewest gaps"),
    "cli.phases.soft": ("ソフト目標", "soft goals"),
    "cli.soft": ("ソフト目標 (公平性・希望など)", "Soft goals (fairness, requests, …)"),
    "cli.soft_optimal": ("最適 (証明済み)", "optimal (proven)"),
    "cli.soft_best_found": (
        "時間内で最良の当番表 (最適かは未証明; 下界との差が最適性ギャップ)",
        "best roster found in the time limit (not proven optimal; the optimality gap is its distance from the bound)",
    ),
    "cli.soft_not_optimised": (
        "最適化されていない — 時間切れまでにソフト目標の段階が当番表を見つけられず、"
        "この当番表は{source} のまま (--time-limit を延ばしてください)",
        "NOT optimised — time ran out before the soft-goal phase found a roster, so this "
        "roster is {source} (give more --time-limit)",
    ),
    "cli.soft_none": ("評価なし (当番表なし)", "not assessed (no roster)"),
    "cli.heuristic": ("初期解 (ヒューリスティック)", "the heuristic starting roster"),
    "cli.earlier_phase": ("欠員を最小にする段階の解", "the fewest-gaps phase's roster"),
    "cli.progress": (
        "  [{seconds:6.1f}秒] 目的関数 {objective:.2f}  下界 {bound:.2f}",
        "  [{seconds:6.1f}s] objective {objective:.2f}  bound {bound:.2f}",
    ),
    "cli.seconds": ("{total:.1f}秒 (うちモデル構築 {build:.2f}秒)", "{total:.1f}s (model {build:.2f}s)"),
    # --- the other commands
    "say.generated": (
        "{path}: 医師 {doctors} 名、{districts} 地区",
        "{path}: {doctors} physicians, {districts} district(s)",
    ),
    "say.written": ("出力: {paths}", "Written: {paths}"),
    "say.key_created": (
        "{prefix}: {role}の API キー「{name}」を発行しました。トークンは二度と表示されないので保管してください",
        "{prefix}: {role} key '{name}' created; keep the token, it is not shown again",
    ),
    "say.role_staff": ("職員 (読み書き)", "staff"),
    "say.role_hospital": ("病院 (読み取りのみ)", "hospital"),
    "say.key_active": ("有効", "active"),
    "say.key_revoked_at": ("失効 {at}Z", "revoked {at}Z"),
    "say.key_revoked": ("{prefix}: 失効しました", "{prefix}: revoked"),
    "say.other_roster": (
        "注意: {roster} はシナリオ「{got}」の当番表で「{want}」のものではありません。{scenario} に照らして集計します",
        "warning: {roster} is a roster of '{got}', not of '{want}': its duties are "
        "checked against {scenario} all the same",
    ),
    # --- the 当番表 as XLSX (and the print view)
    "xlsx.roster_sheet": ("当番表", "Roster"),
    "xlsx.summary_sheet": ("医師別集計", "Per physician"),
    "xlsx.title": ("当番表 {period}", "Duty roster {period}"),
    "xlsx.date": ("日付", "Date"),
    "xlsx.weekday": ("曜日", "Day"),
    "xlsx.holiday": ("祝日", "Holiday"),
    "xlsx.primary": ("主当番", "Primary"),
    "xlsx.secondary": ("副当番", "Secondary"),
    "xlsx.backup_hospital": ("後方支援病院", "Backup hospital"),
    "xlsx.gap": ("（欠員）", "(vacant)"),
    "xlsx.gaps": ("欠員 {n} 件", "{n} gap(s)"),
    "xlsx.no_gaps": ("欠員なし", "No gaps"),
    "xlsx.physician": ("医師", "Physician"),
    "xlsx.clinic": ("医療機関", "Clinic"),
    "xlsx.district": ("地区", "District"),
    "xlsx.duties": ("当番回数", "Duties"),
    "xlsx.nights": ("うち夜間", "Nights"),
    "xlsx.holiday_duties": ("うち休日", "Holiday duties"),
    "xlsx.points": ("ポイント", "Points"),
    "xlsx.total": ("合計", "Total"),
    # --- calendar feeds
    "feed.primary": ("主当番", "Primary"),
    "feed.secondary": ("副当番", "Secondary"),
    "feed.backup_hospital": ("後方支援待機", "Standby"),
    "feed.duty": ("当番", "On call"),
    "feed.primary_long": ("主当番（最初に呼ばれる医師）", "Primary on call (called first)"),
    "feed.secondary_long": (
        "副当番（主当番が出られないときに呼ばれる医師）",
        "Secondary on call (called when the primary cannot go)",
    ),
    "feed.cancelled": ("取消", "Cancelled"),
    "feed.gap": ("欠員", "gap"),
    "feed.district": ("地区", "District"),
    "feed.block": ("時間帯", "Block"),
    "feed.hospital": ("後方支援病院", "Backup hospital"),
    "feed.phone": ("電話", "phone"),
    "feed.email": ("メール", "email"),
    "feed.admissions": (
        "入院見込み: この当番 {duty:.2f} 件、当日合計 {day:.2f} 件（登録患者を含む、目安上限 {limit:.1f} 件）",
        "Expected admissions: {duty:.2f} from this duty, {day:.2f} on the day in all "
        "(registered patients included; guide limit {limit:.1f})",
    ),
    "feed.expected": ("入院見込み {duty:.1f} 件", "{duty:.1f} expected admissions"),
    "feed.lost": (
        "この当番は担当から外れました（{when} 公開の当番表）。",
        "This duty is no longer yours (roster published {when}).",
    ),
    "feed.removed": (
        "この当番は当番表からなくなりました（{when} 公開の当番表）。",
        "This duty is no longer in the roster (roster published {when}).",
    ),
    "feed.cal_physician": ("在宅当番 {name}", "On call: {name}"),
    "feed.cal_hospital": ("後方支援待機 {name}", "Standby: {name}"),
    "feed.cal_district": ("在宅当番 {name}", "On call: {name}"),
    "feed.cal_network": ("在宅当番 全地区", "On call: all districts"),
    "feed.desc_physician": (
        "{name} の在宅医療当番（公開済みの当番表）",
        "On-call duties of {name} (published rosters)",
    ),
    "feed.desc_hospital": (
        "{name} の後方支援待機（公開済みの当番表）",
        "Backup-hospital standby of {name} (published rosters)",
    ),
    "feed.desc_district": ("{name} の在宅医療当番（公開済みの当番表）", "On-call duties in {name} (published rosters)"),
    "feed.desc_network": (
        "全地区の在宅医療当番（公開済みの当番表）",
        "On-call duties in every district (published rosters)",
    ),
    "feed.alarm": ("当番の開始 {minutes} 分前: {summary}", "Duty starts in {minutes} minutes: {summary}"),
    # --- the cover plan in a physician's feed
    "cover_feed.title": ("{name}医師の患者の副主治医対応", "Cover for Dr {name}'s patients"),
    "cover_feed.as_deputy": ("副主治医として対応", "as their deputy (副主治医)"),
    "cover_feed.as_second": ("第二の対応医として対応（副主治医が不在）", "as second cover (the deputy is away)"),
    # --- import templates
    "template.title": ("{period} 休み・希望調査表（{name}）", "{period} absences and wishes ({name})"),
    "template.sheet": ("休み・希望", "Requests"),
    "template.help": ("記入方法", "How to fill in"),
    "template.legend": ("記号", "Mark"),
    "template.meaning": ("意味", "Meaning"),
    "template.also": ("ほかに読める記号", "Also read"),
    "template.notes": ("備考", "Notes"),
    "template.physicians": ("医師名簿", "Physicians"),
    "template.lists": ("選択肢", "Lists"),
    "template.name": ("氏名", "Name"),
}
