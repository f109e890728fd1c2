"""The document for patients (「往診担当医の氏名、担当日等を文書で提供」): one A4 letter per 主治医.

Each letter names the 主治医, their 副主治医 with clinic and telephone number, the month's night and
holiday on-call doctors of the patients' district with dates and the number to call, and the dates the
主治医 is away with who answers then. No patient names are needed. Written with fpdf2; the Japanese
font is IPAexGothic from the ``matplotlib-fontja`` package (a dependency), embedded as a subset so the
letter prints the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from fpdf import FPDF

from oncall.cover.facts import panels
from oncall.errors import OncallError
from oncall.model import Physician, Scenario
from oncall.roster import Roster

__all__ = ["LetterError", "font_path", "write_letters"]

WEEKDAYS = "月火水木金土日"


class LetterError(OncallError, ValueError):
    """Letters cannot be written: no cover plan, an unknown clinic, no Japanese font."""


def font_path() -> Path:
    """The Japanese TrueType font embedded in the letters."""
    path = Path(str(resources.files("matplotlib_fontja") / "fonts" / "ipaexg.ttf"))
    if not path.is_file():
        raise LetterError(f"the Japanese font {path} is missing: reinstall the package matplotlib-fontja")
    return path


def _day(t: dt.datetime) -> str:
    return f"{t.month}月{t.day}日（{WEEKDAYS[t.weekday()]}）"


class _Letter:
    def __init__(self, scenario: Scenario, roster: Roster) -> None:
        self.s, self.r = scenario, roster
        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_font("ipaexg", fname=str(font_path()))
        self.pdf.set_title(f"{scenario.name} 連絡先のお知らせ")

    def who(self, pid: str | None) -> str:
        if pid is None:
            return "（未定）"
        p = self.s.physician(pid)
        return f"{p.name} 医師（{self.s.clinic_of(p).name}） 電話 {p.phone or '（未登録）'}"

    def line(self, text: str, size: float = 10.5, gap: float = 6.0) -> None:
        self.pdf.set_font("ipaexg", size=size)
        self.pdf.multi_cell(0, gap, text, new_x="LMARGIN", new_y="NEXT")

    def page(self, principal: Physician, districts: tuple[str, ...]) -> None:
        assert self.r.cover is not None
        start = self.s.period.start
        self.pdf.add_page()
        self.line(f"在宅医療をお受けの皆さまへ　連絡先のお知らせ（{start.year}年{start.month}月）", 15, 9)
        self.line(f"{self.s.name}", 9)
        self.line("")
        self.line(f"■ 主治医：{self.who(principal.id)}")
        deputies: list[str | None] = [p.deputy for p in self.r.cover.pairs if p.principal == principal.id]
        for d in deputies or [None]:
            self.line(f"■ 副主治医（主治医の不在時に対応）：{self.who(d)}")
        self.line("")
        self.line("■ 主治医の不在日と対応する医師（平日の日中など）", 12, 8)
        mine = [a for a in self.r.cover.answers if a.principal == principal.id]
        for a in mine:
            span = f"{_day(a.start)} {a.start:%H:%M}〜{a.end:%H:%M}"
            self.line(f"　{span}　{self.who(a.answerer)}")
        if not mine:
            self.line("　今月の不在予定はありません。")
        for district in districts:
            self.rota(district)

    def rota(self, district_id: str) -> None:
        district = next(d for d in self.s.districts if d.id == district_id)
        district_line = district.phone or self.s.phone
        call = f"　連絡先 {district_line}" if district_line else "　（各当番医へ直接お電話ください）"
        self.line("")
        self.line(f"■ 夜間・休日の当番医（{district.name}地区）{call}", 12, 8)
        for rd in sorted((d for d in self.r.duties if d.district == district_id), key=lambda d: d.start):
            start = rd.start.astimezone(self.s.zone)
            end = rd.end.astimezone(self.s.zone)
            doctor = self.s.physician(rd.primary) if rd.primary else None
            name = f"{doctor.name} 医師" if doctor else "（未定）"
            direct = f"　電話 {doctor.phone}" if doctor and doctor.phone and not district_line else ""
            self.line(f"　{_day(start)} {start:%H:%M}〜{end:%H:%M}　{name}{direct}", 9.5, 5)


def write_letters(scenario: Scenario, roster: Roster, output: Path, clinic: str | None = None) -> int:
    """Write the letters of one clinic's 主治医 (all clinics when ``clinic`` is None); the number written."""
    if roster.cover is None or scenario.cover is None:
        raise LetterError("the roster has no cover plan: run `oncall cover` first")
    if clinic is not None and clinic not in {c.id for c in scenario.clinics}:
        raise LetterError(f"--clinic: unknown clinic {clinic!r}")
    letter = _Letter(scenario, roster)
    staffing = panels(scenario)
    count = 0
    for p in scenario.physicians:
        if p.id in staffing and (clinic is None or p.clinic == clinic):
            letter.page(p, staffing[p.id].districts)
            count += 1
    if not count:
        raise LetterError(f"clinic {clinic!r} has no 主治医 with patients")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    letter.pdf.output(str(tmp))
    tmp.replace(output)
    return count
