"""Texts people read, in Japanese (the default) and English: one catalogue of codes, one language type.

``MESSAGES[code] = (ja, en)``: templates with ``{name}`` fields. Input errors use pydantic's own error
types as codes (``less_than_equal``, ``missing`` …, filled from the error's ``ctx``) and the project's
validators use namespaced codes (``scenario.unknown_clinic``), so every problem with a scenario, a roster
or a request can be shown in either language, long after it was found.

>>> Problem("input.too_deep", origin="scenario.yaml").text("en")
'scenario.yaml: nested too deeply'
>>> pick_lang("en-US,en;q=0.9,ja;q=0.5"), pick_lang(None), pick_lang("fr")
('en', 'ja', 'ja')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

__all__ = [
    "LANGS",
    "MESSAGES",
    "Coded",
    "Lang",
    "Message",
    "Problem",
    "as_lang",
    "both",
    "coded",
    "joined",
    "pairs",
    "params_of",
    "pick_lang",
    "render",
    "table",
    "text",
]

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # --- pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/), by `type`
    "missing": ("必須の項目がありません", "Field required"),
    "extra_forbidden": ("この項目は使えません（綴りを確かめてください）", "Extra inputs are not permitted"),
    "model_type": ("項目の対応（マッピング）にしてください", "Input should be a valid dictionary or object"),
    "model_attributes_type": ("項目の対応（マッピング）にしてください", "Input should be a valid dictionary or object"),
    "dict_type": ("項目の対応（マッピング）にしてください", "Input should be a valid dictionary"),
    "list_type": ("リストにしてください", "Input should be a valid list"),
    "tuple_type": ("リストにしてください", "Input should be a valid tuple"),
    "string_type": ("文字列にしてください", "Input should be a valid string"),
    "string_too_short": ("{min_length} 文字以上にしてください", "String should have at least {min_length} characters"),
    "string_too_long": ("{max_length} 文字以内にしてください", "String should have at most {max_length} characters"),
    "string_pattern_mismatch": ("使えない文字があります（形式 {pattern}）", "String should match pattern '{pattern}'"),
    "string_unicode": ("Unicode の文字列にしてください", "Input should be a valid string, unable to parse raw data"),
    "int_type": ("整数にしてください", "Input should be a valid integer"),
    "int_parsing": ("整数として読めません", "Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": (
        "小数部のない整数にしてください",
        "Input should be a valid integer, got a number with a fractional part",
    ),
    "int_parsing_size": ("整数の桁数が多すぎます", "Unable to parse input string as an integer, exceeded maximum size"),
    "float_type": ("数値にしてください", "Input should be a valid number"),
    "float_parsing": ("数値として読めません", "Input should be a valid number, unable to parse string as a number"),
    "finite_number": ("有限の数値にしてください（inf や nan は使えません）", "Input should be a finite number"),
    "bool_type": ("true か false にしてください", "Input should be a valid boolean"),
    "bool_parsing": ("true か false にしてください", "Input should be a valid boolean, unable to interpret input"),
    "greater_than": ("{gt} より大きくしてください", "Input should be greater than {gt}"),
    "greater_than_equal": ("{ge} 以上にしてください", "Input should be greater than or equal to {ge}"),
    "less_than": ("{lt} 未満にしてください", "Input should be less than {lt}"),
    "less_than_equal": ("{le} 以下にしてください", "Input should be less than or equal to {le}"),
    "multiple_of": ("{multiple_of} の倍数にしてください", "Input should be a multiple of {multiple_of}"),
    "too_short": (
        "{min_length} 個以上にしてください（{actual_length} 個）",
        "List should have at least {min_length} items after validation, not {actual_length}",
    ),
    "too_long": (
        "{max_length} 個以内にしてください（{actual_length} 個）",
        "List should have at most {max_length} items after validation, not {actual_length}",
    ),
    "literal_error": ("次のいずれかにしてください: {expected}", "Input should be {expected}"),
    "enum": ("次のいずれかにしてください: {expected}", "Input should be {expected}"),
    "date_type": ("日付（YYYY-MM-DD）にしてください", "Input should be a valid date"),
    "date_parsing": (
        "日付（YYYY-MM-DD）として読めません",
        "Input should be a valid date in the format YYYY-MM-DD, {error}",
    ),
    "date_from_datetime_parsing": (
        "日付（YYYY-MM-DD）として読めません",
        "Input should be a valid date or datetime, {error}",
    ),
    "date_from_datetime_inexact": (
        "時刻のない日付（YYYY-MM-DD）にしてください",
        "Datetimes provided to dates should have zero time - e.g. be exact dates",
    ),
    "datetime_type": ("日時（YYYY-MM-DDTHH:MM）にしてください", "Input should be a valid datetime"),
    "datetime_parsing": ("日時（YYYY-MM-DDTHH:MM）として読めません", "Input should be a valid datetime, {error}"),
    "datetime_from_date_parsing": (
        "日時（YYYY-MM-DDTHH:MM）として読めません",
        "Input should be a valid datetime or date, {error}",
    ),
    "datetime_object_invalid": ("存在しない日時です", "Invalid datetime object, got {error}"),
    "time_type": ("時刻（HH:MM）にしてください", "Input should be a valid time"),
    "time_parsing": ("時刻（HH:MM）として読めません", "Input should be in a valid time format, {error}"),
    "timezone_naive": ("UTCオフセットのない日時にしてください", "Input should not have timezone info"),
    "timezone_aware": ("UTCオフセット付きの日時にしてください", "Input should have timezone info"),
    "union_tag_invalid": (
        "{discriminator} は {expected_tags} のいずれかにしてください（{tag} になっています）",
        "Input tag '{tag}' found using {discriminator} does not match any of the expected tags: {expected_tags}",
    ),
    "union_tag_not_found": (
        "{discriminator} がありません",
        "Unable to extract tag using discriminator {discriminator}",
    ),
    "json_invalid": ("JSON として読めません: {error}", "Invalid JSON: {error}"),
    "json_type": ("JSON の文字列にしてください", "JSON input should be string, bytes or bytearray"),
    "none_required": ("null にしてください", "Input should be None"),
    # --- how a value the user gave is shown after the problem
    "input.got": ("（入力値: {value}）", " (got {value})"),
    # --- reading files and request bodies
    "input.empty": ("シナリオが空です", "the scenario is empty"),
    "input.not_mapping": (
        "最上位は項目の対応（マッピング）にしてください（{kind} になっています）",
        "expected a mapping at the top level, got {kind}",
    ),
    "input.json": (
        "JSON として読めません: {problem}（{line} 行 {column} 列）",
        "not valid JSON: {problem} (line {line}, column {column})",
    ),
    "input.json_key_twice": (
        "JSON として読めません: キー {key} が1つのオブジェクトに2回あります",
        "not valid JSON: key {key} appears twice in one JSON object",
    ),
    "input.yaml": ("{line} 行目: YAML として読めません: {problem}", "line {line}: not valid YAML: {problem}"),
    "input.yaml_nowhere": ("YAML として読めません: {problem}", "not valid YAML: {problem}"),
    "input.yaml_key_twice": (
        "{line} 行目: YAML として読めません: キー {key} が1つの対応に2回あります",
        "line {line}: not valid YAML: key {key} appears twice in one mapping",
    ),
    "input.yaml_alias": (
        "{line} 行目: YAML のエイリアス（*名前）は使えません",
        "line {line}: not valid YAML: YAML aliases are not accepted",
    ),
    "input.long_number": (
        "数値が {digits} 桁あります（{limit} 桁まで）",
        "a number has {digits} digits (at most {limit})",
    ),
    "input.too_deep": ("入れ子が深すぎます", "nested too deeply"),
    "input.unreadable": ("読めません: {reason}", "cannot read: {reason}"),
    "input.not_utf8": ("UTF-8 のテキストではありません", "not UTF-8 text"),
    "input.too_large": (
        "{size} バイトあり、上限の {limit} バイトを超えています",
        "{size} bytes is more than the limit of {limit} bytes",
    ),
    "input.not_a_file": ("通常のファイルではありません（{kind}）", "not a regular file ({kind})"),
    "input.control_character": (
        "制御文字（{char}、{position} 文字目）は使えません",
        "contains a control character ({char} at position {position})",
    ),
    "input.value": ("値が正しくありません: {problem}", "{problem}"),
    # --- writing outputs
    "output.not_a_file": (
        "{path} は{kind}で、書き込めるファイルではありません",
        "{path} is a {kind}, not a file to write",
    ),
    "output.unwritable": ("書き込めません: {reason}", "cannot write: {reason}"),
    "file.directory": ("ディレクトリ", "directory"),
    "file.FIFO": ("FIFO（名前付きパイプ）", "FIFO"),
    "file.character_device": ("キャラクタデバイス", "character device"),
    "file.block_device": ("ブロックデバイス", "block device"),
    "file.socket": ("ソケット", "socket"),
    "file.special_file": ("特殊ファイル", "special file"),
    # --- the HTTP API's summaries of input errors (api.errors)
    "api.invalid_scenario": ("シナリオに問題があります（{n} 件）", "the scenario is invalid ({n} problem{s})"),
    "api.invalid_change": ("変更を適用できません（{n} 件）", "the change cannot be applied ({n} problem{s})"),
    "api.invalid_roster": ("当番表に問題があります（{n} 件）", "the roster is invalid ({n} problem{s})"),
    "api.invalid_request": ("リクエストに問題があります", "the request is invalid"),
    "api.unreadable_body": ("リクエストの本文を読めません", "the request body cannot be read"),
    "api.not_json": ("JSON として読めません{reason}", "not valid JSON{reason}"),
    # --- the scenario's own rules (oncall.model)
    "scenario.end_before_start": ("終了 {end} が開始 {start} より前です", "end {end} before start {start}"),
    "scenario.end_not_after_start": (
        "終了 {end} が開始 {start} より後ではありません",
        "end {end} not after start {start}",
    ),
    "scenario.period_too_long": (
        "期間が {days} 日あり、1年より長すぎます",
        "period of {days} days is longer than a year",
    ),
    "scenario.date_or_datetime": (
        "{value} は日付（YYYY-MM-DD）でも日時（YYYY-MM-DDTHH:MM）でもありません",
        "{value} is neither a date (YYYY-MM-DD) nor a date and time (YYYY-MM-DDTHH:MM)",
    ),
    "scenario.time_number": (
        "時刻は 'HH:MM' と引用符付きで書いてください（数値 {value} になっています）",
        "expected a time as 'HH:MM', got the number {value}",
    ),
    "scenario.role_twice": ("同じ役割が2回あります（{roles}）", "a role is listed twice ({roles})"),
    "scenario.block_without_role": (
        "当番枠には役割が1つ以上要ります（診療時間なら rostered: false）",
        "a rostered block needs at least one role (or rostered: false for clinic hours)",
    ),
    "scenario.not_month_day": ("{value} は月日（MM-DD）として存在しません", "{value} is not a month-day"),
    "scenario.unknown_zone": ("不明なタイムゾーン {value} です", "unknown time zone {value}"),
    "scenario.share_too_small": (
        "share は 0 か {least} 以上にしてください（{value} になっています）",
        "share must be 0 or at least {least} (got {value})",
    ),
    "scenario.no_blocks": ("この日種別の枠がありません", "no blocks for this day type"),
    "scenario.whole_minutes": ("時刻は分単位にしてください", "times must be whole minutes"),
    "scenario.blocks_hole": (
        "{time} の前に空きがあります。枠は {day_start} から1日を隙間なく埋める必要があります",
        "hole before {time}; blocks must tile the day from {day_start}",
    ),
    "scenario.blocks_overlap": (
        "{time} に始まり、前の枠と重なっています",
        "starts {time}, overlapping the block before",
    ),
    "scenario.blocks_hole_at_end": (
        "1日の終わりに空きがあります。枠は {day_start} まで続く必要があります",
        "hole at the end of the day; blocks must reach {day_start}",
    ),
    "scenario.blocks_past_day": (
        "枠が翌日の {day_start} を越えています",
        "blocks run past {day_start} of the next day",
    ),
    "scenario.too_many_duties": (
        "当番枠が {duties} 個（地区 {districts} × 日数 {days} × 1日の当番枠）あり、上限の {limit} 個を超えています",
        "{duties} duties ({districts} districts × {days} days × rostered blocks) is more than the limit of {limit}",
    ),
    "scenario.date_and_datetime": (
        "start と end は両方とも日付か、両方とも日時にしてください",
        "start and end must both be dates or both be datetimes",
    ),
    "scenario.offset_mixed": (
        "start と end は両方ともUTCオフセット付きか、両方とも無しにしてください",
        "start and end must both carry an offset or neither",
    ),
    "scenario.date_out_of_range": (
        "{value} は範囲外です（{earliest} から {latest} までの日付）",
        "{value} is out of range (dates from {earliest} to {latest})",
    ),
    "scenario.skipped_date": (
        "{day} は {zone} に存在しません（このタイムゾーンはその日を飛ばします）",
        "{day} does not exist in {zone} (the zone skips that date)",
    ),
    "scenario.skipped_date_before": (
        "{day}（期間の前日、その夜間が期間に入る日）は {zone} に存在しません（このタイムゾーンはその日を飛ばします）",
        "{day} (the date before the period, whose night runs into it) does not exist in {zone} (the zone skips that "
        "date)",
    ),
    "scenario.duplicate_id": ("id {id} が重複しています", "duplicate id {id}"),
    "scenario.extra_day_twice": (
        "{date} は calendar.extra_days[{first}] と同じ日です",
        "{date} is already calendar.extra_days[{first}]",
    ),
    "scenario.unknown_district": ("不明な地区 {id} です", "unknown district {id}"),
    "scenario.unknown_clinic": ("不明な診療所 {id} です", "unknown clinic {id}"),
    "scenario.unknown_block": ("不明な枠 {id} です", "unknown block {id}"),
    "scenario.unknown_hospital": ("不明な病院 {id} です", "unknown hospital {id}"),
    "scenario.unknown_physician": ("不明な医師 {id} です", "unknown physician {id}"),
    "scenario.own_neighbour": (
        "地区は自分自身の隣接地区になれません（{id}）",
        "a district is not its own neighbour ({id})",
    ),
    "scenario.no_role": ("役割を1つ以上受けてください", "must accept at least one role"),
    "scenario.no_district": ("地区を1つ以上受け持ってください", "must serve at least one district"),
    "scenario.pin_outside_period": ("{date} は期間外です", "{date} is outside the period"),
    "scenario.pins_twice": (
        "{district} {date} {block} {role} に固定が {count} 件あります",
        "{count} pins for {district} {date} {block} {role}",
    ),
    "scenario.outside_period": (
        "{start}〜{end} は期間 {first}〜{last} の外です（年の書き間違いではありませんか）",
        "{start} to {end} lies outside the period {first} to {last} (a wrong year?)",
    ),
    "scenario.patients_twice": (
        "診療所 {clinic}（病院登録なし）は patients[{first}] に既にあります",
        "clinic {clinic} with no hospital is already listed in patients[{first}]",
    ),
    "scenario.patients_twice_registered": (
        "診療所 {clinic}（病院 {hospital} に登録）は patients[{first}] に既にあります",
        "clinic {clinic} with hospital {hospital} is already listed in patients[{first}]",
    ),
    # --- issue 19: roles and blocks
    "scenario.district_no_role": (
        "この日種別には役割を1つ以上指定してください",
        "a day type of a district needs at least one role",
    ),
    "scenario.extra_day_twice_in": ("{date} は {list}[{first}] と同じ日です", "{date} is already {list}[{first}]"),
    "scenario.unknown_day_type_or_block": (
        "{id} は日種別（weekday, saturday, holiday）でも枠の id でもありません",
        "{id} is neither a day type (weekday, saturday, holiday) nor a block id",
    ),
    "scenario.shared_not_rostered": (
        "枠 {id} は診療時間（rostered: false）で、共有できません",
        "block {id} is clinic hours (rostered: false) and cannot be shared",
    ),
    "scenario.shared_twice": (
        "地区 {district} の {block} の {role} は既に shared_roles[{first}] が共有しています",
        "the {role} of district {district} in {block} is already shared by shared_roles[{first}]",
    ),
    "xlsx.shared": ("（共有）", " (shared)"),  # after the name of a shared role's holder in each district's cell
    "check.shared_role.differs": (
        "共有の{role}（{group}）がこの地区では {got}、{lead} では {want} です",
        "the shared {role} ({group}) is {got} here but {want} in {lead}",
    ),
    # --- issue 19: rules
    "scenario.position_half": (
        "位置には lat と lon の両方が要ります（{given} だけがあります）",
        "a position needs both lat and lon (only {given} is given)",
    ),
    "scenario.minimum_above_cap": (
        "最低当番回数 {value} が上限 caps.duties {cap} を超えています",
        "a minimum of {value} duties is above the cap caps.duties {cap}",
    ),
    "scenario.own_pair": ("{id} は自分自身と組になりません", "{id} cannot be paired with themselves"),
    "scenario.mentor_never": (
        "{id} は指導医にも組ませない相手にも挙がっています",
        "{id} is both a mentor and never to be paired with",
    ),
    "check.mentor.other_partner": (
        "{where}: {who} の相方 {partner} は指導医 ({mentors}) ではない",
        "{where}: {who}'s partner {partner} is none of their mentors ({mentors})",
    ),
    "check.never_pair.together": (
        "{where}: {a} と {b} は組ませない指定",
        "{where}: {a} and {b} are never to be paired",
    ),
    "scenario.override_twice": (
        "{date} は capacity_overrides[{first}] にもあります",
        "{date} is in capacity_overrides[{first}] too",
    ),
    "scenario.night_only_and_blocks": (
        "night_only と standby_blocks はどちらか一方にしてください",
        "give night_only or standby_blocks, not both",
    ),
    "check.hospital_closed_hours.closed": (
        "{where}: {who} は {span} に休止 (待機できない)",
        "{where}: {who} is closed {span} and cannot stand by",
    ),
    "check.hospital_blocks.block": (
        "{where}: {who} はこの時間帯に待機しない ({accepts})",
        "{where}: {who} does not stand by in this block ({accepts})",
    ),
    "check.hospital_blocks.nights": ("夜間のみ", "nights only"),
    "scenario.nth_zero": (
        "nth は 1〜5（第n週）か -1（最終）にしてください",
        "nth is 1 to 5 (the n-th such weekday of the month) or -1 (the last)",
    ),
    "scenario.time_half": (
        "時刻は start と end の両方が要ります（{given} だけがあります）",
        "a time range needs both start and end (only {given} is given)",
    ),
    "scenario.not_the_weekday": ("{date} は {weekday} ではありません", "{date} is not a {weekday}"),
    "minimum.unmet": (
        "{first}〜{last} {who}: 最低{least}回; 担当可能な当番{most}回 (担当地区の当番{slots}回{parts})",
        "{first} to {last} {who}: at least {least} duties; {most} within reach ({slots} duties of their "
        "districts{parts})",
    ),
    "minimum.because": ("; 内訳 {parts}", "; {parts}"),
    "minimum.too_far": ("往診距離の外{n}回", "{n} beyond the visit distance"),
    "minimum.role": ("役割対象外{n}回", "{n} in roles they do not take"),
    "minimum.absent": ("不在{n}回", "{n} absent"),
    "minimum.rest_after_previous": ("前月末の当番からの休息不足{n}回", "{n} still resting after the previous period"),
    "minimum.cap_zero": ("上限0回のため{n}回", "{n} under a cap of zero"),
    "gap.too_far": ("往診距離の外{n}名", "{n} beyond the visit distance"),
    "gap.consecutive_nights": ("連続夜間上限{n}名", "{n} at their consecutive-night limit"),
    "gap.mentor": ("指導医の指定外{n}名", "{n} outside the mentor pairing"),
    "gap.never_pair": ("相方と組ませない指定{n}名", "{n} never to be paired with the partner"),
    "gap.closed_hours": ("休止時間{n}施設", "{n} closed at that time"),
    "gap.blocks": ("この時間帯に待機しない{n}施設", "{n} not standing by in this block"),
    "check.cap.over_week": (
        "{who}: {week} の{what} {n} 回 (上限 {cap} 回)",
        "{who}: {n} {what} {week} (cap {cap})",
    ),
    "check.cap.over_hours": ("{who}: {what} {n} 時間 (上限 {cap} 時間)", "{who}: {n} {what} (cap {cap})"),
    "check.duty_minimum.short": ("{who}: 当番 {n} 回 (最低 {least} 回)", "{who}: {n} duties (at least {least})"),
    "check.consecutive_nights.run": (
        "{who}: {first}〜{last} の夜間当番が {n} 夜連続 (上限 {cap} 夜)",
        "{who}: nights on {n} consecutive dates {first} to {last} (limit {cap})",
    ),
    "check.visit_distance.too_far": (
        "{where}: {who} の診療所から地区まで {km} km (往診距離 {limit} km を超える)",
        "{where}: {who}'s clinic lies {km} km from the district (visit distance {limit} km)",
    ),
    # --- checker: violations (oncall.checker; `where` is "date block district" of a duty)
    "check.tiling.scenario_name": (
        "当番表はシナリオ「{got}」のもの (期待「{want}」)",
        "the roster is for scenario '{got}', not '{want}'",
    ),
    "check.tiling.timezone": (
        "当番表のタイムゾーン {got} がシナリオの {want} と違う",
        "roster time zone {got} differs from {want}",
    ),
    "check.tiling.period": (
        "当番表の期間 {got} がシナリオの期間 {want} と違う",
        "roster period {got} differs from the period {want}",
    ),
    "check.tiling.duplicate_duty": ("{where}: 当番 {id} が {n} 回ある", "{where}: duty {id} appears {n} times"),
    "check.tiling.missing_duty": ("{where}: 当番 {id} が当番表にない", "{where}: duty {id} is missing from the roster"),
    "check.tiling.unknown_duty": (
        "{where}: 当番 {id} はこの期間の当番ではない",
        "{where}: duty {id} is not a duty of the period",
    ),
    "check.tiling.unknown_district": ("当番 {id}: 不明な地区 {district}", "duty {id}: unknown district '{district}'"),
    "check.tiling.unknown_block": ("当番 {id}: 不明な時間帯 {block}", "duty {id}: unknown block '{block}'"),
    "check.tiling.regular_district": (
        "診療時間 {span}: 不明な地区 {district}",
        "regular hours {span}: unknown district '{district}'",
    ),
    "check.tiling.duty_field": (
        "{where}: 当番 {id} の {field} が {got} (期待 {want})",
        "{where}: duty {id} has {field} {got}, not {want}",
    ),
    "check.tiling.empty_interval": ("{district}: {what} の長さが 0 以下", "{district}: {what} is empty"),
    "check.tiling.outside_period": (
        "{district}: {what} が期間の外にある",
        "{district}: {what} lies outside the period",
    ),
    "check.tiling.hole": ("{district}: {span} に当番も診療時間もない", "{district}: nothing covers {span}"),
    "check.tiling.overlap": (
        "{district}: {a} と {b} が {span} で重なる",
        "{district}: {a} and {b} overlap over {span}",
    ),
    "check.tiling.gap_unknown_duty": (
        "欠員一覧の当番 {id} は当番表にない",
        "the gap list names duty {id}, which is not in the roster",
    ),
    "check.tiling.gap_filled": (
        "{where}: 欠員一覧にある{role}は {who} が担当している",
        "{where}: the gap list names the {role}, which {who} holds",
    ),
    "check.coverage.gap": ("{where}: {role}が未定", "{where}: no {role}"),
    "check.eligibility.unknown_physician": (
        "{where}: {role}の {id} は登録された医師ではない",
        "{where}: {role} {id} is not a known physician",
    ),
    "check.eligibility.district": (
        "{where}: {who} はこの地区を担当しない",
        "{where}: {who} does not cover this district",
    ),
    "check.eligibility.role": (
        "{where}: {who} は{role}を引き受けない",
        "{where}: {who} does not accept the {role} role",
    ),
    "check.eligibility.block_role": (
        "{where}: この時間帯に{role}はない ({who})",
        "{where}: this block has no {role} ({who})",
    ),
    "check.absence.absent": (
        "{where}: {who} は不在期間中 ({absence}) に{role}",
        "{where}: {who} is {role} during an absence ({absence})",
    ),
    "check.one_duty_at_a_time.same_person": (
        "{where}: {who} が主当番と副当番を兼ねる",
        "{where}: {who} is both primary and secondary",
    ),
    "check.one_duty_at_a_time.double_booked": (
        "{where}: {who} は同じ時間に {other} の当番もある",
        "{where}: {who} is also on duty at {other}",
    ),
    "check.secondary_other_clinic.same_clinic": (
        "{where}: 主当番 {a} と副当番 {b} が同じ医療機関 ({clinic})",
        "{where}: primary {a} and secondary {b} are from the same clinic ({clinic})",
    ),
    "check.cap.over": ("{who}: {what} {n} 回 (上限 {cap} 回)", "{who}: {n} {what} (cap {cap})"),
    "check.consecutive_days.run": (
        "{who}: {first}〜{last} の {n} 日連続で当番 (上限 {cap} 日)",
        "{who}: on duty {n} dates in a row, {first} – {last} (limit {cap})",
    ),
    "check.min_rest.short": (
        "{where}: {who} の休息は {prev} の後 {hours} 時間 (最低 {need} 時間)",
        "{where}: {who} rests {hours} h after {prev} (minimum {need} h)",
    ),
    "check.min_rest.previous_duty": ("前期間の当番 ({end} 終了)", "the previous period's duty ending {end}"),
    "check.hospital_district.unknown_hospital": (
        "{where}: {id} は登録された後方支援病院ではない",
        "{where}: {id} is not a known backup hospital",
    ),
    "check.hospital_district.district": (
        "{where}: {who} はこの地区を受け入れない",
        "{where}: {who} does not accept this district",
    ),
    "check.hospital_closed.closed": ("{where}: {who} はこの日休止", "{where}: {who} is closed on this date"),
    "check.hospital_capacity.over": (
        "{where}: {who} が同時に {n} 地区を待機 ({districts}; 上限 {cap})",
        "{where}: {who} stands by for {n} districts at once ({districts}; cap {cap})",
    ),
    "check.hospital_standby_cap.over": ("{who}: 待機 {n} 日 (上限 {cap} 日)", "{who}: {n} standby days (cap {cap})"),
    "check.hospital_admissions.over": (
        "{day} {who}: 予想入院 {expected}件 (登録患者 {registered}件 + 待機分 {standby}件{districts}) が"
        "上限 {limit}件 (受入能力 {cap}件/日 × (1 − {margin})) を超える",
        "{day} {who}: {expected} expected admissions ({registered} from registered patients + {standby} from "
        "standby{districts}) exceed the limit {limit} (capacity {cap} a day × (1 − {margin}))",
    ),
    "check.hospital_per_day.several": (
        "{day} {district}: 1 日に複数の後方支援病院 ({who})",
        "{day} {district}: several backup hospitals on one date ({who})",
    ),
    "check.pinned.no_duty": (
        "{day} {block} {district}: 固定指定に当たる当番がない",
        "{day} {block} {district}: no duty to pin",
    ),
    "check.pinned.changed": (
        "{where}: {role}は {want} に固定だが {got}",
        "{where}: {role} is pinned to {want} but is {got}",
    ),
    "check.word.nobody": ("空き", "empty"),
    "check.word.regular": ("診療時間 {span}", "regular hours {span}"),
    "check.word.and": ("・", " and "),
    "check.word.span": ("{start}〜{end}", "{start} – {end}"),
    "check.role.primary": ("主当番", "primary"),
    "check.role.secondary": ("副当番", "secondary"),
    "check.role.backup_hospital": ("後方支援病院", "backup hospital"),
    "check.verdict.ok": ("ハード制約の違反なし", "No hard rule broken."),
    "check.verdict.broken": ("ハード制約の違反 {n} 件: {counts}", "{n} hard violations: {counts}"),
    "check.summary.fairness": (
        "公平性: 目標との差 最大 {dev} 点 ({name})",
        "Fair share: largest deviation {dev} points ({name})",
    ),
    "check.summary.requests": (
        "希望: {met}/{wished} 件充足, 不可日の当番 {unwished} 件; 間隔 {spacing} 件",
        "Requests: {met}/{wished} wishes met, {unwished} unwished duties; spacing {spacing}",
    ),
    "check.summary.pairing": (
        "経験者のいない組 {pairing} 件; 自地区外の当番 {away} 件",
        "Pairs without an experienced doctor: {pairing}; duties away from home: {away}",
    ),
    "check.summary.visits": (
        "予想往診数: 公平な配分との差の幅 {spread:.3f} 件 (持分あたり)",
        "Expected visits: spread {spread:.3f} per unit share around the fair share",
    ),
    "check.summary.standby": (
        "後方支援: 目標との差 最大 {dev} 日 ({name})",
        "Hospital standby: largest deviation {dev} days ({name})",
    ),
    "check.summary.admissions": (
        "予想入院: 最大 {peak:.2f} 件/日 ({name}, {day}; 上限 {limit:.2f} 件の {use})",
        "Expected admissions: peak {peak:.2f} on {day} at {name} ({use} of its limit {limit:.2f})",
    ),
}


def as_lang(value: object) -> Lang:
    """A language given as plain text (``--lang``, a stored field): English when it says so, else Japanese.

    >>> as_lang("en"), as_lang("ja"), as_lang(None)
    ('en', 'ja', 'ja')
    """
    return "en" if value == "en" else "ja"


def text(code: str, lang: Lang = "ja", **params: Any) -> str:
    """The catalogue's text of ``code`` in ``lang``, its fields filled from ``params``."""
    ja, en = MESSAGES[code]
    return (en if lang == "en" else ja).format(**params)


class Problem:
    """A problem found in input, kept as a code until it is shown: where (``field``, a path into the
    document such as ``physicians[3].clinic``, empty for the whole document; ``label``, a name shown
    after it; ``origin``, the file or document it is in and any place in it that is not a field, such
    as ``line 3``) and what (``code`` and ``params``).

    A code missing from the catalogue (an error type pydantic added later) shows ``fallback`` in both
    languages; ``got`` is the offending value, shown after the problem. The CLI prints ``text(lang)``,
    one line per problem; the API's JSON error details are ``detail(lang)``.

    >>> p = Problem("scenario.unknown_clinic", "clinic", id="'x'").within("physicians[3]")
    >>> p.detail("en"), p.source("a.yaml").text("en")
    (('physicians[3].clinic', "unknown clinic 'x'"), "a.yaml: physicians[3].clinic: unknown clinic 'x'")
    """

    __slots__ = ("code", "fallback", "field", "got", "label", "origin", "params")

    def __init__(
        self,
        code: str,
        field: str = "",
        *,
        origin: str | tuple[str, ...] = (),
        label: str | None = None,
        fallback: str = "",
        got: str | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.field = field
        self.origin: tuple[str, ...] = (origin,) if isinstance(origin, str) else tuple(origin)
        self.label = label
        self.params: dict[str, Any] = params
        self.fallback = fallback
        self.got = got

    def _with(self, field: str, origin: tuple[str, ...]) -> Problem:
        return Problem(
            self.code,
            field,
            origin=origin,
            label=self.label,
            fallback=self.fallback,
            got=self.got,
            **self.params,
        )

    def at(self, field: str) -> Problem:
        """The same problem at another field (a value checked alone, reported where the user gave it)."""
        return self._with(field, self.origin)

    def within(self, path: str) -> Problem:
        """The same problem under the field ``path`` (``physicians[0]`` + ``clinic``)."""
        return self._with(_join(path, self.field), self.origin)

    def source(self, name: str) -> Problem:
        """The same problem in the file or document ``name``: ``name: where: problem``."""
        return self._with(self.field, (name, *self.origin))

    @property
    def where(self) -> str:
        """Where, as one piece of text: ``scenario.yaml: blocks.weekday[1] (night)``."""
        place = f"{self.field} ({self.label})" if self.label is not None else self.field
        return ": ".join(part for part in (*self.origin, place) if part)

    def body(self, lang: Lang = "ja") -> str:
        """What is wrong, in ``lang``, without where."""
        params = {k: _shown(v, lang) for k, v in self.params.items()}
        body = text(self.code, lang, **params) if self.code in MESSAGES else self.fallback
        if self.got is not None:
            body += text("input.got", lang, value=self.got)
        return body

    def text(self, lang: Lang = "ja") -> str:
        """``where: problem`` in ``lang``."""
        where = self.where
        return f"{where}: {self.body(lang)}" if where else self.body(lang)

    def detail(self, lang: Lang = "ja", document: str = "") -> tuple[str, str]:
        """(field, problem) for an API error's details: the field, ``(document)`` for the whole document;
        the label, if any, and the places within the document that are not fields (``line 3``) lead the
        problem. ``document``, the name the request's body goes by, is left out of the origin."""
        origin = self.origin[1:] if self.origin[:1] == (document,) else self.origin
        lead = [*origin, f"({self.label})"] if self.label is not None else list(origin)
        return self.field or "(document)", ": ".join([*lead, self.body(lang)])

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, {self.field!r}, {self.params!r})"


Message = Problem  # the name the modules written before `Problem` still use


def _shown(value: Any, lang: Lang) -> Any:
    """A parameter as it is filled in: a nested problem or kept text in ``lang``, anything else as it is."""
    if isinstance(value, Problem):
        return value.text(lang)
    return render(value, lang) if isinstance(value, dict) else value


def _join(parent: str, child: str) -> str:
    """``physicians[0]`` + ``clinic`` → ``physicians[0].clinic``; ``[2]`` and `` (label)`` attach directly."""
    if not parent or not child:
        return parent or child
    return parent + child if child.startswith(("[", " (")) else f"{parent}.{child}"


_RANGE = re.compile(r"^\s*([A-Za-z*]{1,8}(?:-[A-Za-z0-9]{1,8})*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def pick_lang(accept_language: str | None, default: Lang = "ja") -> Lang:
    """The language an ``Accept-Language`` header prefers among ja and en (RFC 9110 quality values)."""
    best: tuple[float, int, Lang] | None = None
    for position, item in enumerate((accept_language or "").split(",")):
        m = _RANGE.match(item)
        if m is None:
            continue
        tag, q = m.group(1).lower(), m.group(2)
        try:
            quality = float(q) if q is not None else 1.0
        except ValueError:
            continue
        primary = tag.split("-")[0]
        lang = next((known for known in LANGS if known == primary), default if primary == "*" else None)
        if lang is None or quality <= 0:
            continue
        if best is None or (quality, -position) > (best[0], best[1]):
            best = (quality, -position, lang)
    return best[2] if best is not None else default


def params_of(ctx: Mapping[str, Any] | None) -> dict[str, Any]:
    """A pydantic error's ``ctx`` as text fields (numbers shown plainly, e.g. ``5000`` not ``5000.0``)."""
    out: dict[str, Any] = {}
    for key, value in (ctx or {}).items():
        out[key] = f"{value:g}" if isinstance(value, float) else value
    return out


# --- the areas' texts (oncall/texts/), merged after the catalogue above; a code is defined once
def _merge_areas() -> None:
    from oncall.texts import AREAS

    for area in AREAS:
        twice = MESSAGES.keys() & area.MESSAGES.keys()
        if twice:
            raise RuntimeError(f"{area.__name__}: codes already in the catalogue: {sorted(twice)}")
        MESSAGES.update(area.MESSAGES)


_merge_areas()

Coded = dict[str, Any]
"""A text kept as plain JSON until it is shown: ``{"code": …, "params": {…}}`` (see :func:`render`)."""


def coded(code: str, **params: Any) -> Coded:
    """A catalogue text kept as plain JSON, its parameters plain JSON too (numbers, strings, nested texts).

    >>> coded("gap.absent", n=3)
    {'code': 'gap.absent', 'params': {'n': 3}}
    """
    if code not in MESSAGES:
        raise KeyError(f"no text {code!r} in the catalogue")
    return {"code": code, "params": params}


def both(ja: str, en: str) -> dict[str, str]:
    """A name given in both languages (a district's label) as a parameter of a coded text."""
    return {"ja": ja, "en": en}


def joined(sep: str | Coded, items: list[Any]) -> dict[str, Any]:
    """Texts shown one after the other, ``sep`` between them, as a parameter of a coded text."""
    return {"join": sep, "items": items}


def pairs(area: str) -> dict[str, tuple[str, str]]:
    """The catalogue's (ja, en) texts whose code starts with ``area.``, keyed by the rest of the code.

    >>> pairs("role")["backup_hospital"]
    ('後方支援病院', 'backup hospital')
    """
    head = f"{area}."
    return {code.removeprefix(head): pair for code, pair in MESSAGES.items() if code.startswith(head)}


def table(area: str, lang: Lang) -> dict[str, Any]:
    """The texts of :func:`pairs` in ``lang``; a dotted rest of the code nests (``statuses.optimal``).

    >>> table("role", "en")["primary"]
    'primary'
    """
    out: dict[str, Any] = {}
    for key, (ja, en) in pairs(area).items():
        *parents, leaf = key.split(".")
        node = out
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = en if lang == "en" else ja
    return out


def render(value: Any, lang: Lang = "ja") -> str:
    """A value kept as plain JSON, shown in ``lang``: a coded text (:func:`coded`), a name in both
    languages (:func:`both`), texts to join (:func:`joined`), or anything else as it reads.

    >>> render(coded("gap.doctors", where="w", district=both("北部", "North"), n=5,
    ...     parts=joined(", ", [coded("gap.absent", n=3)])), "en")
    'w: 5 doctors cover North; 3 absent'
    """
    if isinstance(value, dict):
        if "code" in value:
            params = {k: _shown(v, lang) for k, v in (value.get("params") or {}).items()}
            code = str(value["code"])
            return text(code, lang, **params) if code in MESSAGES else str(value.get("text", code))
        if "join" in value:
            return render(value["join"], lang).join(render(item, lang) for item in value.get("items", []))
        if "ja" in value or "en" in value:
            return str(value.get(lang) or value.get("ja") or value.get("en"))
    return str(value)
