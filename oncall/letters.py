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
from oncall.i18n import Lang, text
from oncall.model import Physician, Scenario
from oncall.roster import Roster

__all__ = ["LetterError", "font_path", "write_letters"]


class LetterError(OncallError, ValueError):
    """Letters cannot be written: no cover plan, an unknown clinic, no Japanese font."""


def font_path() -> Path:
    """The Japanese TrueType font embedded in the letters."""
    path = Path(str(resources.files("matplotlib_fontja") / "fonts" / "ipaexg.ttf"))
    if not path.is_file():
        raise LetterError(f"the Japanese font {path} is missing: reinstall the package matplotlib-fontja")
    return path


class _Letter:
    def __init__(self, scenario: Scenario, roster: Roster, lang: Lang = "ja") -> None:
        self.s, self.r, self.lang = scenario, roster, lang
        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_font("ipaexg", fname=str(font_path()))  # it has Latin letters too: one font for both
        self.pdf.set_title(self.say("letter.title", name=scenario.name))

    def say(self, code: str, **params: object) -> str:
        return text(code, self.lang, **params)

    def day(self, t: dt.datetime) -> str:
        weekday = self.say("letter.weekdays").split()[t.weekday()]
        return self.say("letter.day", month=self.say(f"month.{t.month}"), day=t.day, weekday=weekday)

    def name(self, p: Physician) -> str:
        return (p.name_en or p.name) if self.lang == "en" else p.name

    def who(self, pid: str | None) -> str:
        if pid is None:
            return self.say("letter.undecided")
        p = self.s.physician(pid)
        clinic_name = self.s.clinic_of(p).name  # clinics have one name, as registered
        phone = p.phone or self.say("letter.no_phone")
        return self.say("letter.doctor", name=self.name(p), clinic=clinic_name, phone=phone)

    def line(self, text: str, size: float = 10.5, gap: float = 6.0) -> None:
        self.pdf.set_font("ipaexg", size=size)
        self.pdf.multi_cell(0, gap, text, new_x="LMARGIN", new_y="NEXT")

    def page(self, principal: Physician, districts: tuple[str, ...]) -> None:
        assert self.r.cover is not None
        start = self.s.period.start
        self.pdf.add_page()
        self.line(self.say("letter.heading", year=start.year, month=self.say(f"month.{start.month}")), 15, 9)
        self.line(f"{self.s.name}", 9)
        self.line("")
        self.line(self.say("letter.principal", who=self.who(principal.id)))
        deputies: list[str | None] = [p.deputy for p in self.r.cover.pairs if p.principal == principal.id]
        for d in deputies or [None]:
            self.line(self.say("letter.deputy", who=self.who(d)))
        self.line("")
        self.line(self.say("letter.absences"), 12, 8)
        mine = [a for a in self.r.cover.answers if a.principal == principal.id]
        for a in mine:
            span = self.say("letter.span", day=self.day(a.start), start=f"{a.start:%H:%M}", end=f"{a.end:%H:%M}")
            self.line(f"　{span}　{self.who(a.answerer)}")
        if not mine:
            self.line(self.say("letter.no_absence"))
        for district in districts:
            self.rota(district)

    def rota(self, district_id: str) -> None:
        district = next(d for d in self.s.districts if d.id == district_id)
        district_line = district.phone or self.s.phone
        call = self.say("letter.call_line", phone=district_line) if district_line else self.say("letter.call_direct")
        self.line("")
        district_name = (district.name_en or district.name) if self.lang == "en" else district.name
        self.line(self.say("letter.rota", district=district_name, call=call), 12, 8)
        for rd in sorted((d for d in self.r.duties if d.district == district_id), key=lambda d: d.start):
            start = rd.start.astimezone(self.s.zone)
            end = rd.end.astimezone(self.s.zone)
            doctor = self.s.physician(rd.primary) if rd.primary else None
            name = self.say("letter.doctor_short", name=self.name(doctor)) if doctor else self.say("letter.undecided")
            direct = (
                self.say("letter.phone", phone=doctor.phone) if doctor and doctor.phone and not district_line else ""
            )
            span = self.say("letter.span", day=self.day(start), start=f"{start:%H:%M}", end=f"{end:%H:%M}")
            self.line(f"　{span}　{name}{direct}", 9.5, 5)


def write_letters(
    scenario: Scenario, roster: Roster, output: Path, clinic: str | None = None, lang: Lang = "ja"
) -> int:
    """Write the letters of one clinic's 主治医 (all clinics when ``clinic`` is None), in ``lang``; the
    number written."""
    if roster.cover is None or scenario.cover is None:
        raise LetterError("the roster has no cover plan: run `oncall cover` first")
    if clinic is not None and clinic not in {c.id for c in scenario.clinics}:
        raise LetterError(f"--clinic: unknown clinic {clinic!r}")
    letter = _Letter(scenario, roster, lang)
    staffing = panels(scenario)
    count = 0
    for p in scenario.physicians:
        if p.id in staffing and (clinic is None or p.clinic == clinic):
            letter.page(p, staffing[p.id].districts)
            count += 1
    if not count:
        raise LetterError(f"clinic {clinic!r} has no doctor with enrolled patients")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    letter.pdf.output(str(tmp))
    tmp.replace(output)
    return count
