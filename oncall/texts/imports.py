"""Problems with an imported spreadsheet, placed by row and column (oncall/importing/problems.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- spreadsheet imports
    "import.not_spreadsheet": ("表計算ファイル（XLSX か CSV）ではありません", "not a spreadsheet (XLSX or CSV)"),
    "import.old_xls": (
        "古い Excel 形式（.xls）は読めません。.xlsx で保存し直してください",
        "an old Excel file (.xls) cannot be read: save it as .xlsx",
    ),
    "import.too_large": (
        "ファイルが大きすぎます（{size} バイト、上限 {limit} バイト）",
        "the file is too large ({size} bytes; the limit is {limit})",
    ),
    "import.too_many_rows": (
        "行が多すぎます（{count} 行、上限 {limit} 行）",
        "too many rows ({count}; the limit is {limit})",
    ),
    "import.too_many_columns": (
        "列が多すぎます（{count} 列、上限 {limit} 列）",
        "too many columns ({count}; the limit is {limit})",
    ),
    "import.encoding": (
        "文字コードが読めません。UTF-8 か Shift_JIS（CP932）で保存してください",
        "unknown text encoding: save the file as UTF-8 or Shift_JIS (CP932)",
    ),
    "import.csv": ("CSV として読めません（{reason}）", "cannot read it as CSV ({reason})"),
    "import.empty": ("シートが空です", "the sheet is empty"),
    "import.formula": (
        "数式は読めません（{formula}）。値として貼り付けてください",
        "a formula ({formula}) cannot be read: paste it as a value",
    ),
    "import.merged": (
        "結合されたセル（{cells}）は読めません。結合を解除してください",
        "merged cells ({cells}) cannot be read: unmerge them",
    ),
    "import.no_header": ("見出し行が見つかりません（{needed}）", "no heading row found ({needed})"),
    "import.missing_column": ("列「{heading}」がありません", "the column “{heading}” is missing"),
    "import.duplicate_column": (
        "列「{heading}」は {other}列にもあります",
        "the column “{heading}” is also column {other}",
    ),
    "import.bad_date": ("日付が読めません（{value}）", "cannot read the date ({value})"),
    "import.date_outside": (
        "{date} は期間（{start}〜{end}）の外です",
        "{date} is outside the period ({start} to {end})",
    ),
    "import.duplicate_date": ("{date} は {other}列にもあります", "{date} is also column {other}"),
    "import.unknown_mark": (
        "記号「{value}」が読めません（使える記号: {marks}）",
        "cannot read the mark “{value}” (marks: {marks})",
    ),
    "import.no_doctor": ("医師の ID も氏名もありません", "neither the doctor's id nor name is given"),
    "import.unknown_doctor": ("医師「{value}」はこのシナリオにいません", "no doctor “{value}” in this scenario"),
    "import.ambiguous_doctor": (
        "氏名「{value}」の医師が複数います。ID の列で指定してください",
        "several doctors are named “{value}”: give the id column",
    ),
    "import.duplicate_doctor": (
        "医師「{value}」は {other}行目にもあります",
        "the doctor “{value}” is also on row {other}",
    ),
    "import.required": ("{field}が空です", "{field} is empty"),
    "import.bad_value": ("{field}が読めません（{value}）", "cannot read the {field} ({value})"),
    "import.unknown_clinic": ("医療機関「{value}」はこのシナリオにありません", "no clinic “{value}” in this scenario"),
    "import.unknown_district": ("地区「{value}」はこのシナリオにありません", "no district “{value}” in this scenario"),
    "import.no_rows": ("取り込む行がありません", "no rows to import"),
    "import.invalid_result": (
        "取り込むとシナリオが不正になります: {problem}",
        "the import makes the scenario invalid: {problem}",
    ),
}
