"""A seeded generator of realistic scenarios: fictional people and facilities on the real calendar.

>>> s = generate(doctors=12, districts=2, month="2027-01", seed=7)
>>> len(s.physicians), [d.name for d in s.districts], s.period.start.isoformat(), s.period.end.isoformat()
(12, ['北部', '南部'], '2027-01-01', '2027-01-31')

The same arguments always give the same scenario (one ``random.Random(seed)`` drives every choice).
The shape follows the field (see DOMAIN.md): about 70% solo clinic owners, some multi-doctor clinics with
employed doctors, newer doctors, half shares for older doctors, personal caps, absences that peak at
お盆 / 年末年始 / Golden Week, a few requests, enrolled patients (10–40 per doctor, ``add_patients``).

Hospitals. A network of up to eight districts has one large backup hospital (220–450 beds) amid its
districts that can stand by for all of them, and smaller hospitals (60–190 beds) each serving one to
three districts. A wider network has a large hospital (200 beds or more) for about every six districts
of its ring, standing by for them and the district on either side, its capacity enough for the most
admissions those districts' patients could bring; community hospitals serve three neighbouring
districts each. Every hospital stands amid the districts it serves (``lat``/``lon``).

Coverability. With the default calendar every Saturday and holiday needs four different doctors per
district (day and night blocks are back to back, so the rest rule splits them): a district needs at
least four doctors (``MIN_DOCTORS_PER_DISTRICT``), and fewer are refused with that reason. With at most
two consecutive duty dates a doctor can take only two of three holidays in a row, so from six doctors
per district the network keeps the usual rule of two consecutive dates. A thinner network cannot, and
real ones with four or five doctors to a district do not: the generator then raises
``rules.max_consecutive_days`` to the least value with which its thinnest district covers every window
of dates (three for a three-day weekend with four doctors; Golden Week asks for more). Every personal
cap and absence is a *burden*, kept only while the doctor's home district still has, for every window
of one to seven dates and for the whole month, (1 + MARGIN) times the doctor-dates it needs; a window
already below that (three holidays in a row with six or seven doctors) takes no burden at all. Supply
counts each doctor in the home district only; cover of a neighbour district is added afterwards, and
only widens the choice. At exactly six doctors per district such a run has no slack: coverable, but a
solver has to find the one pattern that works; so districts are filled up to eight doctors each, as
far as the count allows, before the rest is spread unevenly.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from oncall.load import DAYS_PER_MONTH
from oncall.model import (
    EARLIEST_DATE,
    LATEST_DATE,
    RISK_CLASSES,
    Absence,
    Caps,
    Clinic,
    District,
    Hospital,
    LoadConfig,
    Period,
    Physician,
    Request,
    RiskTable,
    Rules,
    Scenario,
)
from oncall.timeline import Timeline, absence_interval

__all__ = [
    "MIN_DOCTORS_PER_DISTRICT",
    "USUAL_DOCTORS_PER_DISTRICT",
    "default_districts",
    "generate",
    "network_caps",
    "share_roles",
]

MIN_DOCTORS_PER_DISTRICT = 4
# From this many doctors per district the usual rule of two consecutive duty dates can be kept.
USUAL_DOCTORS_PER_DISTRICT = 6
MAX_DOCTORS = 5000
MAX_DISTRICTS = 200
# A burden may take a window's supply down to (1 + margin) x its need, never below.
MARGIN = 0.3
MAX_WINDOW = 7
KM_PER_DEG_LAT = 111.0
# A wide-area network (more than eight districts) has a large hospital for about every six districts.
DISTRICTS_PER_LARGE_HOSPITAL = 6

SURNAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"), ("伊藤", "Ito"),
    ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"), ("小林", "Kobayashi"), ("加藤", "Kato"),
    ("吉田", "Yoshida"), ("山田", "Yamada"), ("佐々木", "Sasaki"), ("山口", "Yamaguchi"), ("松本", "Matsumoto"),
    ("井上", "Inoue"), ("木村", "Kimura"), ("林", "Hayashi"), ("斎藤", "Saito"), ("清水", "Shimizu"),
    ("山崎", "Yamazaki"), ("森", "Mori"), ("池田", "Ikeda"), ("橋本", "Hashimoto"), ("阿部", "Abe"),
    ("石川", "Ishikawa"), ("山下", "Yamashita"), ("中島", "Nakajima"), ("石井", "Ishii"), ("小川", "Ogawa"),
    ("前田", "Maeda"), ("岡田", "Okada"), ("長谷川", "Hasegawa"), ("藤田", "Fujita"), ("後藤", "Goto"),
    ("近藤", "Kondo"), ("村上", "Murakami"), ("遠藤", "Endo"), ("青木", "Aoki"), ("坂本", "Sakamoto"),
    ("宮沢", "Miyazawa"), ("北原", "Kitahara"), ("原", "Hara"), ("小松", "Komatsu"), ("熊谷", "Kumagai"),
    ("塩沢", "Shiozawa"), ("今村", "Imamura"), ("市川", "Ichikawa"), ("片桐", "Katagiri"), ("宮下", "Miyashita"),
    ("竹内", "Takeuchi"), ("丸山", "Maruyama"), ("中原", "Nakahara"), ("松下", "Matsushita"), ("矢沢", "Yazawa"),
    ("牧野", "Makino"), ("大島", "Oshima"), ("野口", "Noguchi"), ("久保", "Kubo"), ("杉山", "Sugiyama"),
)  # fmt: skip
GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("太郎", "Taro"), ("健一", "Kenichi"), ("誠", "Makoto"), ("浩二", "Koji"), ("隆", "Takashi"),
    ("修", "Osamu"), ("直樹", "Naoki"), ("大輔", "Daisuke"), ("剛", "Tsuyoshi"), ("和也", "Kazuya"),
    ("哲也", "Tetsuya"), ("裕之", "Hiroyuki"), ("亮", "Ryo"), ("翔太", "Shota"), ("拓也", "Takuya"),
    ("慎一", "Shinichi"), ("正人", "Masato"), ("晃", "Akira"), ("康弘", "Yasuhiro"), ("秀樹", "Hideki"),
    ("宏", "Hiroshi"), ("勉", "Tsutomu"), ("聡", "Satoshi"), ("雅之", "Masayuki"), ("陽介", "Yosuke"),
    ("花子", "Hanako"), ("恵子", "Keiko"), ("由美", "Yumi"), ("直美", "Naomi"), ("智子", "Tomoko"),
    ("美穂", "Miho"), ("真理", "Mari"), ("陽子", "Yoko"), ("裕子", "Yuko"), ("彩", "Aya"),
    ("愛", "Ai"), ("綾香", "Ayaka"), ("千尋", "Chihiro"), ("理恵", "Rie"), ("久美子", "Kumiko"),
)  # fmt: skip
PLACES: tuple[tuple[str, str], ...] = (
    ("桜ヶ丘", "Sakuragaoka"), ("緑町", "Midoricho"), ("本町", "Honcho"), ("駅前", "Ekimae"), ("川端", "Kawabata"),
    ("城山", "Shiroyama"), ("若葉", "Wakaba"), ("青葉", "Aoba"), ("旭町", "Asahicho"), ("栄町", "Sakaecho"),
    ("美原", "Mihara"), ("泉", "Izumi"), ("日向", "Hinata"), ("朝日", "Asahi"), ("高台", "Takadai"),
    ("南ヶ丘", "Minamigaoka"), ("東町", "Higashimachi"), ("西町", "Nishimachi"), ("富士見", "Fujimi"),
    ("松ヶ枝", "Matsugae"), ("柳町", "Yanagicho"), ("梅園", "Umezono"), ("白樺", "Shirakaba"), ("鶴見", "Tsurumi"),
    ("春日", "Kasuga"), ("大手町", "Otemachi"), ("上郷", "Kamisato"), ("下川", "Shimokawa"),
    ("ひばりヶ丘", "Hibarigaoka"), ("宮の前", "Miyanomae"), ("中央通り", "Chuo-dori"), ("北斗", "Hokuto"),
    ("清流", "Seiryu"),
    ("つつじヶ丘", "Tsutsujigaoka"), ("山吹", "Yamabuki"), ("扇町", "Ogimachi"), ("千代田", "Chiyoda"),
    ("水無瀬", "Minase"), ("風越", "Kazakoshi"), ("若松", "Wakamatsu"),
)  # fmt: skip
CITIES: tuple[tuple[str, str], ...] = (
    ("みどり野", "Midorino"), ("桜台", "Sakuradai"), ("朝日野", "Asahino"), ("青葉台", "Aobadai"),
    ("川霧", "Kawagiri"), ("南天竜", "Minami-Tenryu"), ("星ヶ原", "Hoshigahara"), ("白沢", "Shirasawa"),
)  # fmt: skip
SOLO_KINDS = ("内科クリニック", "内科医院", "クリニック", "医院", "内科・在宅クリニック", "ファミリークリニック")
GROUP_KINDS = ("在宅診療所", "在宅クリニック", "ホームケアクリニック", "診療所", "総合診療クリニック")
SMALL_HOSPITAL_KINDS: tuple[tuple[str, str], ...] = (
    ("病院", "Hospital"), ("中央病院", "Central Hospital"), ("共立病院", "Kyoritsu Hospital"),
    ("記念病院", "Memorial Hospital"), ("協同病院", "Kyodo Hospital"),
)  # fmt: skip
LARGE_HOSPITAL_KINDS: tuple[tuple[str, str], ...] = (
    ("総合病院", "General Hospital"),
    ("市立病院", "City Hospital"),
    ("中央病院", "Central Hospital"),
)
# Large hospitals of a wide area beside the city's own (public, Red Cross, JA 厚生連 hospitals).
AREA_HOSPITAL_KINDS: tuple[tuple[str, str], ...] = (
    ("総合病院", "General Hospital"), ("医療センター", "Medical Center"),
    ("赤十字病院", "Red Cross Hospital"), ("厚生病院", "Kosei Hospital"),
)  # fmt: skip
# Compass districts listed clockwise from the north, so ring neighbours are geographic neighbours.
COMPASS: tuple[tuple[str, str, float], ...] = (
    ("北部", "North", 90.0), ("北東部", "Northeast", 45.0), ("東部", "East", 0.0), ("南東部", "Southeast", -45.0),
    ("南部", "South", -90.0), ("南西部", "Southwest", -135.0), ("西部", "West", 180.0), ("北西部", "Northwest", 135.0),
)  # fmt: skip
SINGLE_DAY_REASONS = ("冠婚葬祭", "地域行事", "私用", "学校医業務", "健診業務", "講演")
CONFERENCE_REASONS = ("学会出席", "学会出席（東京）", "学会出席（京都）", "研究会", "医師会研修")


@dataclass
class _Day:
    """A date the period's duties belong to, as the supply check sees it."""

    date: dt.date
    need: int  # doctor-duties per district (blocks x roles)
    holiday: bool  # counts towards the holiday-duties cap
    daytime: bool  # has a rostered block that is not a night
    spans: list[tuple[dt.datetime, dt.datetime]]  # UTC spans of its rostered slots


@dataclass
class _Doc:
    """A physician while being generated."""

    id: str
    name: str
    name_en: str
    clinic: str
    home: str
    districts: list[str]
    employment: str = "owner"
    experienced: bool = True
    share: float = 1.0
    older: bool = False
    caps: Caps = field(default_factory=Caps)
    absences: list[Absence] = field(default_factory=list)
    off: list[bool] = field(default_factory=list)  # per _Day: absent for some slot of that date
    wishes: list[Request] = field(default_factory=list)
    unwishes: list[Request] = field(default_factory=list)


def _max_dates(n: int, consecutive: int) -> int:
    """Most duty dates in a run of ``n`` dates with at most ``consecutive`` in a row.

    >>> _max_dates(3, 2), _max_dates(7, 2), _max_dates(7, 1)
    (2, 5, 4)
    """
    return n - n // (consecutive + 1)


class _Supply:
    """Per district and window of dates: the doctor-dates needed and the doctor-dates available.

    ``by_kind`` adds two windows that are not runs of dates: the month's holidays, and all its dates with
    a day block (Saturdays and holidays). A cap on holiday duties leaves every short run coverable but can
    starve the month of holiday doctors; with six doctors to a district there is slack enough, with
    four or five there is not.
    """

    def __init__(self, days: list[_Day], districts: list[str], max_consecutive: int, by_kind: bool = False) -> None:
        self.days = days
        self.max_consecutive = max_consecutive
        self.by_kind = by_kind
        n = len(days)
        windows = [(i, j) for i in range(n) for j in range(i, min(n, i + MAX_WINDOW))]
        if n > MAX_WINDOW:
            windows.append((0, n - 1))
        self.first = [i for i, _ in windows]
        self.after = [j + 1 for _, j in windows]
        self.need = [sum(days[k].need for k in range(i, j + 1)) for i, j in windows]
        if by_kind:
            self.need.append(sum(d.need for d in days if d.holiday))
            self.need.append(sum(d.need for d in days if d.daytime))
        self.floor = [(1 + MARGIN) * need for need in self.need]
        self.supply: dict[str, list[int]] = {d: [0] * len(self.need) for d in districts}
        self._most: dict[int, list[int]] = {}
        self._base = self._compute(Caps(), [False] * n)

    def _most_dates(self, consecutive: int) -> list[int]:
        if consecutive not in self._most:
            self._most[consecutive] = [
                _max_dates(j - i, consecutive) for i, j in zip(self.first, self.after, strict=True)
            ]
        return self._most[consecutive]

    def contribution(self, caps: Caps, off: list[bool]) -> list[int]:
        """Dates the doctor can take in each window, whatever district they go to."""
        if not any(off) and caps == Caps():
            return self._base
        return self._compute(caps, off)

    def _compute(self, caps: Caps, off: list[bool]) -> list[int]:
        # Prefix sums of free weekday / holiday / daytime dates make every window O(1).
        wk, hol, day = [0], [0], [0]
        for k, d in enumerate(self.days):
            free = not off[k]
            wk.append(wk[-1] + (free and not d.holiday))
            hol.append(hol[-1] + (free and d.holiday))
            day.append(day[-1] + (free and d.daytime))
        most = self._most_dates(caps.consecutive_days or self.max_consecutive)
        hcap = caps.holiday_duties if caps.holiday_duties is not None else len(self.days)
        dcap = caps.duties if caps.duties is not None else len(self.days)
        out = [
            min(wk[j] - wk[i] + min(hol[j] - hol[i], hcap), m, dcap)
            for i, j, m in zip(self.first, self.after, most, strict=True)
        ]
        if caps.nights is not None:
            out = [min(c, caps.nights + day[j] - day[i]) for c, i, j in zip(out, self.first, self.after, strict=True)]
        if self.by_kind:
            free_hol = sum(not o and d.holiday for o, d in zip(off, self.days, strict=True))
            free_sat = sum(not o and d.daytime and not d.holiday for o, d in zip(off, self.days, strict=True))
            out.append(min(free_hol, hcap, dcap))
            out.append(min(free_sat + min(free_hol, hcap), dcap))
        return out

    def add(self, doc: _Doc) -> None:
        """Count a new doctor in, in their home district."""
        contribution = self.contribution(doc.caps, doc.off)
        self.supply[doc.home] = [s + c for s, c in zip(self.supply[doc.home], contribution, strict=True)]

    def try_burden(self, doc: _Doc, caps: Caps, off: list[bool]) -> bool:
        """Give ``doc`` these caps / absent dates if every window of the home district keeps its supply."""
        loss = [b - a for b, a in zip(self.contribution(doc.caps, doc.off), self.contribution(caps, off), strict=True)]
        supply = self.supply[doc.home]
        if any(x > 0 and supply[w] - x < self.floor[w] for w, x in enumerate(loss)):
            return False
        self.supply[doc.home] = [s - x for s, x in zip(supply, loss, strict=True)]
        doc.caps, doc.off = caps, off
        return True


def _parse_month(month: str) -> tuple[dt.date, dt.date]:
    m = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"month: expected YYYY-MM, got {month!r}")
    first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    if not EARLIEST_DATE <= first <= LATEST_DATE.replace(day=1):
        raise ValueError(f"month: expected a month from {EARLIEST_DATE:%Y-%m} to {LATEST_DATE:%Y-%m}, got {month!r}")
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _layout(n: int) -> list[tuple[str, str, float, float, list[int]]]:
    """District names, offsets from the city centre (km) and neighbour indices, for ``n`` districts."""
    if n == 1:
        return [("中央", "Central", 0.0, 0.0, [])]
    if n <= 3:  # a line, north to south
        names = (
            [("北部", "North"), ("南部", "South")]
            if n == 2
            else [("北部", "North"), ("中央", "Central"), ("南部", "South")]
        )
        step = 10.0
        out = []
        for i, (ja, en) in enumerate(names):
            y = step * ((n - 1) / 2 - i)
            out.append((ja, en, 0.0, y, [k for k in (i - 1, i + 1) if 0 <= k < n]))
        return out
    if n == 4:  # 北・東・南・西 in a ring
        picks = [COMPASS[k] for k in (0, 2, 4, 6)]
        return [
            (ja, en, 9 * math.cos(math.radians(a)), 9 * math.sin(math.radians(a)), [(i - 1) % 4, (i + 1) % 4])
            for i, (ja, en, a) in enumerate(picks)
        ]
    if n <= 9:  # 中央 plus a ring of compass districts, each touching 中央
        outer = n - 1
        picks = [COMPASS[round(i * 8 / outer) % 8] for i in range(outer)]
        out = [("中央", "Central", 0.0, 0.0, list(range(1, n)))]
        for i, (ja, en, a) in enumerate(picks):
            ring = [1 + (i - 1) % outer, 1 + (i + 1) % outer]
            out.append(
                (ja, en, 10 * math.cos(math.radians(a)), 10 * math.sin(math.radians(a)), [0, *dict.fromkeys(ring)])
            )
        return out
    radius = n * 10.0 / (2 * math.pi)  # neighbouring district centres about 10 km apart
    out = []
    for i in range(n):
        a = 2 * math.pi * i / n
        out.append(
            (
                f"第{i + 1}地区",
                f"District {i + 1}",
                radius * math.cos(a),
                radius * math.sin(a),
                [(i - 1) % n, (i + 1) % n],
            )
        )
    return out


class _Generator:
    """One generation run; every random choice goes through ``self.rng`` in a fixed order."""

    def __init__(self, doctors: int, districts: int, month: str, seed: int, hospitals: int | None) -> None:
        if not 1 <= districts <= MAX_DISTRICTS:
            raise ValueError(f"districts: expected 1 to {MAX_DISTRICTS}, got {districts}")
        if seed < 0:
            raise ValueError(f"seed: expected 0 or more, got {seed}")
        if doctors > MAX_DOCTORS:
            raise ValueError(f"doctors: expected at most {MAX_DOCTORS}, got {doctors}")
        if doctors < MIN_DOCTORS_PER_DISTRICT * districts:
            raise ValueError(
                f"doctors: {doctors} cannot cover {districts} district(s); at least "
                f"{MIN_DOCTORS_PER_DISTRICT} per district are needed (every Saturday and holiday needs four "
                "different doctors in each district: two blocks, each with a primary and a secondary)"
            )
        if hospitals is not None and hospitals < _min_hospitals(districts):
            raise ValueError(
                f"hospitals: {hospitals} cannot stand by for {districts} districts; at least "
                f"{_min_hospitals(districts)} are needed"
            )
        self.rng = random.Random(seed)
        self.n_doctors = doctors
        self.n_districts = districts
        self.n_hospitals = hospitals
        self.start, self.end = _parse_month(month)
        city, city_en = self.rng.choice(CITIES)
        self.city, self.city_en = city, city_en
        self.lat0 = round(self.rng.uniform(34.8, 36.6), 4)
        self.lon0 = round(self.rng.uniform(136.8, 139.2), 4)
        self.used_names: set[str] = set()
        self.used_clinic_names: set[str] = set()
        self.districts: list[District] = []
        self.centres: list[tuple[float, float]] = []
        self.clinics: list[Clinic] = []
        self.docs: list[_Doc] = []
        self.hospitals: list[Hospital] = []
        self.conferences: list[tuple[dt.date, dt.date, str]] = []
        self.max_consecutive = Rules().max_consecutive_days

    # --- geometry -------------------------------------------------------------------------------
    def _point(self, x_km: float, y_km: float) -> tuple[float, float]:
        lat = self.lat0 + y_km / KM_PER_DEG_LAT
        lon = self.lon0 + x_km / (KM_PER_DEG_LAT * math.cos(math.radians(self.lat0)))
        return round(lat, 5), round(lon, 5)

    def _near(self, district: int, spread_km: float) -> tuple[float, float]:
        x, y = self.centres[district]
        return self._point(x + self.rng.gauss(0, spread_km), y + self.rng.gauss(0, spread_km))

    # --- calendar -------------------------------------------------------------------------------
    def _days(self, skeleton: Scenario) -> list[_Day]:
        """The dates duties belong to (the day before the period owns the clipped first night)."""
        tl = Timeline.build(skeleton)
        days: dict[dt.date, _Day] = {}
        for s in tl.slots:
            if not s.block.rostered:
                continue
            d = days.setdefault(s.day, _Day(s.day, 0, s.category in ("holiday", "year_end"), False, []))
            d.need += len(s.block.roles)
            d.daytime = d.daytime or not s.block.night
            d.spans.append((s.start, s.end))
        return [days[k] for k in sorted(days)]

    # --- districts, clinics, physicians ---------------------------------------------------------
    def build_districts(self) -> None:
        for i, (ja, en, x, y, neighbours) in enumerate(_layout(self.n_districts)):
            self.districts.append(
                District(id=f"d{i + 1:02d}", name=ja, name_en=en, neighbours=[f"d{k + 1:02d}" for k in neighbours])
            )
            self.centres.append((x, y))

    def _allocate(self) -> list[int]:
        """Doctors per district: up to two above the usual six each (six doctors leave no slack over three
        holidays in a row), the rest spread unevenly like real towns."""
        n = self.n_districts
        base = min(self.n_doctors // n, USUAL_DOCTORS_PER_DISTRICT + 2)
        counts = [base] * n
        extra = self.n_doctors - base * n
        if extra < n:  # a thin network: no district gets two more while another has none
            for k in self.rng.sample(range(n), extra):
                counts[k] += 1
            return counts
        weights = [self.rng.uniform(0.6, 1.4) for _ in range(n)]
        for _ in range(extra):
            counts[self.rng.choices(range(n), weights=weights)[0]] += 1
        return counts

    def _person(self) -> tuple[str, str, str]:
        """A fresh full name (surname + given name), its romaji, and the surname."""
        for attempt in range(1000):
            sur, sur_en = self.rng.choice(SURNAMES)
            given, given_en = self.rng.choice(GIVEN_NAMES)
            name = sur + given
            if name not in self.used_names or attempt == 999:
                break
        if name in self.used_names:  # only past ~2400 doctors: tell namesakes apart as the office would
            name, given_en = f"{name}（{len(self.used_names)}）", f"{given_en} ({len(self.used_names)})"
        self.used_names.add(name)
        return name, f"{given_en} {sur_en}", sur

    def _clinic_name(self, surname: str | None) -> str:
        for _ in range(50):
            if surname is not None:
                name = surname + self.rng.choice(SOLO_KINDS)
            else:
                name = self.rng.choice(PLACES)[0] + self.rng.choice(GROUP_KINDS)
            if name not in self.used_clinic_names:
                break
            surname = None if surname is None else self.rng.choice(PLACES)[0] + surname
        k = 2
        base = name
        while name in self.used_clinic_names:  # very large networks run out of combinations
            name, k = f"{base}（第{k}）", k + 1
        self.used_clinic_names.add(name)
        return name

    def build_physicians(self) -> None:
        for di, count in enumerate(self._allocate()):
            district = self.districts[di]
            left = count
            while left > 0:
                size = 1
                if left >= 2 and self.rng.random() < 0.18:
                    # Small districts keep multi-doctor clinics to pairs: partners of a duty come from two clinics.
                    size = 3 if left >= 3 and count > 8 and self.rng.random() < 0.35 else 2
                left -= size
                self._add_clinic(di, district, size)
        self._assign_traits()

    def _add_clinic(self, di: int, district: District, size: int) -> None:
        cid = f"c{len(self.clinics) + 1:03d}"
        members = [self._person() for _ in range(size)]
        lat, lon = self._near(di, 2.5)
        name = self._clinic_name(members[0][2] if size == 1 else None)
        self.clinics.append(Clinic(id=cid, name=name, district=district.id, lat=lat, lon=lon))
        for k, (pname, pname_en, _) in enumerate(members):
            employment = "employed" if k > 0 and self.rng.random() < 0.85 else "owner"
            self.docs.append(
                _Doc(
                    id=f"p{len(self.docs) + 1:03d}",
                    name=pname,
                    name_en=pname_en,
                    clinic=cid,
                    home=district.id,
                    districts=[district.id],
                    employment=employment,
                )
            )

    def _assign_traits(self) -> None:
        n = len(self.docs)
        owners = [d for d in self.docs if d.employment == "owner"]
        # Newer doctors: about 15%, more often the employed ones.
        weights = [3.0 if d.employment == "employed" else 1.0 for d in self.docs]
        for d in _weighted_sample(self.rng, self.docs, weights, max(1, round(0.15 * n))):
            d.experienced = False
        for d in self.rng.sample(owners, min(len(owners), round(0.12 * n))):
            if d.experienced:
                d.older, d.share = True, 0.5

    # --- burdens: caps and absences, each kept only while coverage stays safe --------------------
    def _off(self, doc: _Doc, days: list[_Day], extra: list[Absence]) -> list[bool]:
        zone = self.zone
        spans = [absence_interval(a, zone) for a in (*doc.absences, *extra)]
        return [any(a < e and s < b for a, b in spans for s, e in day.spans) for day in days]

    def _fewest(self) -> int:
        """Doctors in the thinnest district."""
        return min(Counter(d.home for d in self.docs).values())

    def consecutive_days(self, days: list[_Day]) -> int:
        """The least cap on consecutive duty dates (the usual two at least) with which the thinnest
        district, before any burden, has the doctor-dates every window of dates needs."""
        fewest = self._fewest()
        for consecutive in range(Rules().max_consecutive_days, len(days) + 1):
            supply = _Supply(days, [], consecutive)
            base = supply.contribution(Caps(), [False] * len(days))
            if all(fewest * b >= need for b, need in zip(base, supply.need, strict=True)):
                return consecutive
        raise ValueError(f"doctors: {fewest} doctors in a district cannot cover its duties")  # pragma: no cover

    def add_burdens(self, days: list[_Day]) -> None:
        """Caps and absences, each kept only if every district keeps its supply; then neighbour cover."""
        thin = self._fewest() < USUAL_DOCTORS_PER_DISTRICT
        supply = _Supply(days, [d.id for d in self.districts], self.max_consecutive, by_kind=thin)
        for doc in self.docs:
            doc.off = [False] * len(days)
            supply.add(doc)
        order = list(self.docs)
        self.rng.shuffle(order)
        for doc in order:
            for caps in self._caps_for(doc):
                if supply.try_burden(doc, caps, doc.off):
                    break
        self.rng.shuffle(order)
        self.conferences = self._conferences()
        for doc in order:
            for absence in self._absences_for(doc):
                if self._overlaps(doc, absence):
                    continue
                off = self._off(doc, days, [absence])
                if supply.try_burden(doc, doc.caps, off):
                    doc.absences.append(absence)
        # Covering a neighbour too only widens the choice, so it never costs coverage; it comes after the
        # burdens because their check counts each doctor in the home district alone. Thin networks lean
        # on neighbours more, as real ones do.
        chance = 0.45 if self.n_doctors / self.n_districts < 9 else 0.25
        neighbours = {x.id: x.neighbours for x in self.districts}
        for doc in self.docs:
            if neighbours[doc.home] and doc.employment == "owner" and self.rng.random() < chance:
                doc.districts = [doc.home, self.rng.choice(neighbours[doc.home])]
        for doc in self.docs:
            doc.absences.sort(key=lambda a: str(a.start))
            self._requests_for(doc, days)

    def _caps_for(self, doc: _Doc) -> list[Caps]:
        """Caps this doctor would like, strictest first (each fallback is milder)."""
        r = self.rng.random()
        if doc.older and r < 0.6:
            duties = self.rng.randint(3, 5)
            return [
                Caps(duties=duties, holiday_duties=0, consecutive_days=1),
                Caps(duties=duties + 1, holiday_duties=1),
                Caps(duties=duties + 2),
            ]
        if doc.employment == "employed" and r < 0.5:
            nights = self.rng.randint(4, 6)
            return [Caps(duties=nights + 2, nights=nights), Caps(nights=nights + 2)]
        if r < 0.1:
            return [Caps(duties=self.rng.randint(4, 6)), Caps(duties=7)]
        if r < 0.16:
            return [Caps(holiday_duties=0), Caps(holiday_duties=1)]
        return []

    def _date(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def _overlaps(self, doc: _Doc, absence: Absence) -> bool:
        s, e = absence_interval(absence, self.zone)
        return any(a < e and s < b for a, b in (absence_interval(x, self.zone) for x in doc.absences))

    def _conferences(self) -> list[tuple[dt.date, dt.date, str]]:
        """This month's conferences: two to four days each."""
        out = []
        for _ in range(self.rng.randint(1, 3)):
            first = self._date(self.start, self.end - dt.timedelta(days=3))
            last = first + dt.timedelta(days=self.rng.randint(1, 3))
            out.append((first, last, self.rng.choice(CONFERENCE_REASONS)))
        return out

    def _absences_for(self, doc: _Doc) -> list[Absence]:
        out: list[Absence] = []
        start, end = self.start, self.end
        peak = _peak(start)
        if peak is not None and self.rng.random() < peak[2]:
            first, last, _, reason = peak
            a = self._date(first, last)
            b = min(last, a + dt.timedelta(days=self.rng.randint(1, 3)))
            out.append(Absence(start=a, end=b, reason=reason))
        if self.rng.random() < 0.2:
            # Conferences are events: the doctors who go are away on the same dates.
            first, last, reason = self.rng.choice(self.conferences)
            out.append(Absence(start=first, end=last, reason=reason))
        if self.rng.random() < 0.05:
            a = self._date(start, end - dt.timedelta(days=4))
            reason = self.rng.choice(("海外旅行", "家族旅行", "海外出張"))
            out.append(Absence(start=a, end=min(end, a + dt.timedelta(days=self.rng.randint(4, 6))), reason=reason))
        if self.rng.random() < 0.25:
            a = self._date(start, end)
            out.append(Absence(start=a, end=a, reason=self.rng.choice(SINGLE_DAY_REASONS)))
        if self.rng.random() < 0.08:
            a = self._date(start, end)
            evening = dt.datetime.combine(a, dt.time(18, 30))
            out.append(Absence(start=evening, end=evening + dt.timedelta(hours=4), reason="講演会"))
        return out

    def _requests_for(self, doc: _Doc, days: list[_Day]) -> None:
        free = [d for k, d in enumerate(days) if not doc.off[k] and self.start <= d.date <= self.end]
        if not free:
            return
        if self.rng.random() < 0.1:
            for day in self.rng.sample(free, min(len(free), self.rng.randint(1, 2))):
                doc.wishes.append(Request(date=day.date))
        if self.rng.random() < 0.15:
            for day in sorted(self.rng.sample(free, min(len(free), self.rng.randint(1, 3))), key=lambda d: d.date):
                block = None
                if day.daytime and self.rng.random() < 0.4:
                    # Typically the evening of a day off is the part a doctor wants to keep.
                    block = "sat_night" if not day.holiday else "hol_night"
                doc.unwishes.append(Request(date=day.date, block=block))
        doc.wishes.sort(key=lambda r: r.date)

    # --- hospitals ------------------------------------------------------------------------------
    def build_hospitals(self, days: list[_Day]) -> None:
        n = self.n_districts
        count = self.n_hospitals
        if count is None:
            count = 1 + (self.rng.randint(1, min(3, n)) if n <= 5 else math.ceil(n / 3.5))
        count = max(count, _min_hospitals(n))
        if n <= 8:
            self._regional_hospitals(days, count)
        else:
            self._wide_area_hospitals(days, count)

    def _regional_hospitals(self, days: list[_Day], count: int) -> None:
        """One large hospital in the middle standing by for every district, smaller ones around it."""
        n = self.n_districts
        all_ids = [d.id for d in self.districts]
        kind, kind_en = self.rng.choice(LARGE_HOSPITAL_KINDS)
        self.hospitals.append(
            Hospital(
                id="h01",
                name=self.city + kind,
                name_en=f"{self.city_en} {kind_en}",
                districts=all_ids,
                # The large hospital alone can stand by for every district when the network is small.
                capacity_per_day=self.rng.randint(max(3, n), 8),
                beds=self.rng.randrange(220, 460, 10),
                **self._site(range(n)),
            )
        )
        year_end = [d for d in self._period_dates(days) if (d.month, d.day) >= (12, 29) or (d.month, d.day) <= (1, 3)]
        smalls = count - 1
        offset = self.rng.randrange(n)
        taken: list[dt.date] = []
        for i in range(smalls):
            # Spread around the network, so different hospitals back different districts.
            width = self.rng.randint(1, min(3, n))
            first = (offset + round(i * n / smalls)) % n
            served = [(first + k) % n for k in range(width)]
            capacity = self.rng.randint(2, 4)
            # A small hospital closing over the new year is common.
            closed = list(year_end) if year_end and i == 0 else self._closures(days, taken)
            self._add_small_hospital(served, closed, capacity)

    def _wide_area_hospitals(self, days: list[_Day], count: int) -> None:
        """A wide-area network: a large hospital for every few districts, community hospitals between.

        Each large hospital (200 beds or more, never closed) stands by for a stretch of the ring of
        districts and the district on either side, and can alone absorb the most admissions its districts'
        patients could bring (``_capacity_for``): every district has a hospital every day, with room. The
        community hospitals serve three neighbouring districts each, with a capacity from their beds.
        """
        n = self.n_districts
        homes = Counter(d.home for d in self.docs)
        doctors = [homes[d.id] for d in self.districts]
        large = max(1, min(math.ceil(n / DISTRICTS_PER_LARGE_HOSPITAL), count - 1))
        for i in range(large):
            lo, hi = round(i * n / large), round((i + 1) * n / large)
            served = [k % n for k in range(lo - 1, hi + 1)]
            kind, kind_en = self.rng.choice(LARGE_HOSPITAL_KINDS if i == 0 else AREA_HOSPITAL_KINDS)
            place, place_en = (self.city, self.city_en) if i == 0 else self._place()
            beds = 10 * round(min(700, max(200, sum(doctors[lo:hi]) * self.rng.uniform(1.8, 3.0))) / 10)
            self.hospitals.append(
                Hospital(
                    id=f"h{i + 1:02d}",
                    name=place + kind,
                    name_en=f"{place_en} {kind_en}",
                    districts=sorted(self.districts[k].id for k in served),
                    capacity_per_day=_capacity_for(sum(doctors[k] for k in served)),
                    beds=beds,
                    **self._site(range(lo, hi)),
                )
            )
        smalls = count - large
        offset = self.rng.randrange(n)
        taken: list[dt.date] = []
        for i in range(smalls):
            middle = (offset + round(i * n / smalls)) % n
            self._add_small_hospital([(middle + k) % n for k in (-1, 0, 1)], self._closures(days, taken))

    def _period_dates(self, days: list[_Day]) -> list[dt.date]:
        return [d.date for d in days if self.start <= d.date <= self.end]

    def _closures(self, days: list[_Day], taken: list[dt.date]) -> list[dt.date]:
        """Up to two closed dates, none in ``taken`` (which gains them), so a large hospital absorbs one
        closure at a time."""
        free = [d for d in self._period_dates(days) if d not in taken]
        closed = sorted(self.rng.sample(free, min(len(free), self.rng.randint(0, 2))))
        taken += closed
        return closed

    def _add_small_hospital(self, served: list[int], closed: list[dt.date], capacity: int | None = None) -> None:
        """A community hospital for ``served``; its capacity from its beds unless given."""
        number = len(self.hospitals) + 1
        name, name_en = self._hospital_name(number)
        beds = self.rng.randrange(60, 200, 10)
        capacity = capacity or max(2, round(beds / 50))
        self.hospitals.append(
            Hospital(
                id=f"h{number:02d}",
                name=name,
                name_en=name_en,
                districts=sorted({self.districts[k].id for k in served}),
                capacity_per_day=capacity,
                beds=beds,
                closed_dates=closed,
                **self._site(served),
            )
        )

    def _site(self, districts: range | list[int]) -> dict[str, float]:
        """Where a hospital stands: amid the districts it is for (no random draw, so adding the place
        changed no other generated figure)."""
        xs = [self.centres[k][0] for k in districts]
        ys = [self.centres[k][1] for k in districts]
        lat, lon = self._point(sum(xs) / len(xs), sum(ys) / len(ys))
        return {"lat": lat, "lon": lon}

    def _place(self) -> tuple[str, str]:
        used = {h.name for h in self.hospitals}
        for _ in range(50):
            place = self.rng.choice(PLACES)
            if not any(name.startswith(place[0]) for name in used):
                return place
        return place

    def _hospital_name(self, number: int) -> tuple[str, str]:
        used = {h.name for h in self.hospitals}
        for _ in range(50):
            (place, place_en), (kind, kind_en) = self.rng.choice(PLACES), self.rng.choice(SMALL_HOSPITAL_KINDS)
            if place + kind not in used:
                return place + kind, f"{place_en} {kind_en}"
        return f"{place}{kind}（{number}）", f"{place_en} {kind_en} ({number})"

    # --- assembly -------------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo("Asia/Tokyo")

    def run(self, name: str | None) -> Scenario:
        self.build_districts()
        self.build_physicians()
        skeleton = Scenario(
            name="skeleton",
            period=Period(start=self.start, end=self.end),
            districts=[District(id="x", name="x")],
            clinics=[Clinic(id="x", name="x", district="x")],
            physicians=[Physician(id="x", name="x", clinic="x")],
        )
        days = self._days(skeleton)
        self.max_consecutive = self.consecutive_days(days)
        self.add_burdens(days)
        self.build_hospitals(days)
        title = name or (
            f"{self.city}市医師会 在宅医療当番 {self.start.year}年{self.start.month}月"
            f"（{self.n_doctors}名・{self.n_districts}地区）"
        )
        return Scenario(
            name=title,
            period=Period(start=self.start, end=self.end),
            districts=self.districts,
            clinics=self.clinics,
            physicians=[_physician(d) for d in self.docs],
            hospitals=self.hospitals,
            rules=Rules(max_consecutive_days=self.max_consecutive),
        )


def _physician(d: _Doc) -> Physician:
    return Physician(
        id=d.id,
        name=d.name,
        name_en=d.name_en,
        clinic=d.clinic,
        districts=d.districts if d.districts != [d.home] else None,
        employment="employed" if d.employment == "employed" else "owner",
        experienced=d.experienced,
        share=d.share,
        caps=d.caps,
        absences=d.absences,
        wishes=d.wishes,
        unwishes=d.unwishes,
    )


def _capacity_for(doctors: int) -> int:
    """Admissions a day a large hospital takes: room for the most its districts' patients could bring.

    Every doctor at the most patients (``PATIENTS_PER_DOCTOR``), all of the riskiest class, within the
    default margin (``LoadConfig.capacity_margin``); at least three.

    >>> _capacity_for(40), _capacity_for(170)
    (3, 7)
    """
    worst_rate = max(RiskTable().of(risk).admissions for risk in RISK_CLASSES)
    worst = doctors * PATIENTS_PER_DOCTOR[1] * worst_rate / 100 / DAYS_PER_MONTH
    return max(3, math.ceil(worst / (1 - LoadConfig().capacity_margin)))


def _min_hospitals(districts: int) -> int:
    """Hospitals needed so that each district has one on standby every day, closures included."""
    return 1 if districts <= 8 else 1 + math.ceil(districts / 6)


def _peak(first: dt.date) -> tuple[dt.date, dt.date, float, str] | None:
    """The absence peak of the month, if any: first and last date, share of doctors away, reason."""
    y, m = first.year, first.month
    if m == 8:
        return dt.date(y, 8, 12), dt.date(y, 8, 16), 0.3, "お盆休み（帰省）"
    if m == 12:
        return dt.date(y, 12, 28), dt.date(y, 12, 31), 0.25, "年末年始休暇"
    if m == 1:
        return dt.date(y, 1, 1), dt.date(y, 1, 4), 0.25, "年末年始休暇"
    if m == 5:
        return dt.date(y, 5, 1), dt.date(y, 5, 6), 0.2, "ゴールデンウィーク"
    return None


def _weighted_sample(rng: random.Random, items: list[_Doc], weights: list[float], k: int) -> list[_Doc]:
    """``k`` distinct items, drawn in proportion to ``weights``."""
    pool = list(zip(items, weights, strict=True))
    out: list[_Doc] = []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        out.append(pool.pop(pick)[0])
    return out


def default_districts(doctors: int) -> int:
    """Districts for a network of ``doctors`` when none is asked for: about one per ten doctors (DOMAIN.md:
    12–60 doctors in 3–5 districts), never so many that a district has fewer than the minimum.

    >>> default_districts(40), default_districts(12), default_districts(600)
    (4, 1, 60)
    """
    return max(1, min(round(doctors / 10), doctors // MIN_DOCTORS_PER_DISTRICT))


def generate(
    doctors: int,
    districts: int,
    month: str,
    seed: int,
    hospitals: int | None = None,
    name: str | None = None,
    patients: bool = True,
    shared: bool = False,
) -> Scenario:
    """A realistic, coverable scenario for ``month`` ("YYYY-MM"); the same arguments give the same scenario.

    With ``patients`` (the default) every clinic has enrolled patients (``add_patients``, same seed), so
    the scenario has the whole model: admissions within hospital capacity and the balance of visits. With
    ``shared`` the network shares its secondaries across districts (``share_roles``) and its office adds
    weekend, consecutive-night and weekly night caps (``network_caps``).
    """
    scenario = _Generator(doctors, districts, month, seed, hospitals).run(name)
    if shared:
        scenario = network_caps(share_roles(scenario), seed)
    return add_patients(scenario, seed) if patients else scenario


# --- roles shared across districts, and the caps offices add -------------------------------------------
NIGHT_BLOCKS = ("wd_night", "sat_night", "hol_night")
NIGHT_GROUP_MAX = 4  # up to this many districts share one network-wide night backup


def share_roles(scenario: Scenario) -> Scenario:
    """``scenario`` as many networks run it (docs/scenario.md, ``shared_roles`` and ``District.roles``): one
    secondary for the whole network every night (in a network of more than four districts, one for every
    three districts in id order), one secondary on Sunday and holiday days for each pair of neighbouring
    districts (in id order; an odd last district keeps its own), none on Saturday afternoons.

    >>> s = share_roles(generate(doctors=24, districts=3, month="2027-01", seed=1))
    >>> [(g.id, g.districts, g.blocks) for g in s.shared_roles]
    [('night_backup', [], ['wd_night', 'sat_night', 'hol_night']), ('day_backup_d01_d02', ['d01', 'd02'], ['hol_day'])]
    """
    data = scenario.model_dump()
    for d in data["districts"]:
        d["roles"] = {"sat_afternoon": ["primary"]}
    districts = sorted(scenario.districts, key=lambda d: d.id)
    shared: list[dict[str, object]] = [
        {
            "id": "night_backup",
            "name": "全域夜間副当番",
            "name_en": "Network night backup",
            "role": "secondary",
            "blocks": list(NIGHT_BLOCKS),
        }
    ]
    if len(districts) > NIGHT_GROUP_MAX:
        # A wide network cannot send one doctor everywhere (the 16 km rule): one night backup for every
        # three districts in a row (a last single district joins the group before it).
        chunks = [districts[i : i + 3] for i in range(0, len(districts), 3)]
        if len(chunks) > 1 and len(chunks[-1]) == 1:
            chunks[-2] += chunks.pop()
        shared = [
            {
                "id": f"night_backup_{group[0].id}",
                "name": f"{group[0].name}〜{group[-1].name} 夜間副当番",
                "name_en": f"{group[0].name_en or group[0].id} to {group[-1].name_en or group[-1].id} night backup",
                "role": "secondary",
                "districts": [d.id for d in group],
                "blocks": list(NIGHT_BLOCKS),
            }
            for group in chunks
        ]
    for a, b in zip(districts[0::2], districts[1::2], strict=False):
        shared.append(
            {
                "id": f"day_backup_{a.id}_{b.id}",
                "name": f"{a.name}・{b.name} 休日日中副当番",
                "name_en": f"{a.name_en or a.id} and {b.name_en or b.id} holiday day backup",
                "role": "secondary",
                "districts": [a.id, b.id],
                "blocks": ["hol_day"],
            }
        )
    data["shared_roles"] = shared
    return Scenario.model_validate(data)


def _tighter(current: int | None, cap: int) -> int:
    return cap if current is None else min(current, cap)


def network_caps(scenario: Scenario, seed: int) -> Scenario:
    """``scenario`` with the caps offices add beside the period's (seeded): a fifth of the doctors at most
    three weekend duties, a fifth at most one night in a row, doctors on a half share at most two nights a
    week. A cap already tighter is kept."""
    rng = random.Random(f"network-caps:{seed}")
    out = scenario.model_copy(deep=True)
    for p in out.physicians:
        if rng.random() < 0.2:
            p.caps.weekend_duties = _tighter(p.caps.weekend_duties, 3)
        if rng.random() < 0.2:
            p.caps.consecutive_nights = _tighter(p.caps.consecutive_nights, 1)
        if p.share < 1.0:
            p.caps.nights_per_week = _tighter(p.caps.nights_per_week, 2)
    return Scenario.model_validate(out.model_dump())  # validated again, as a loaded scenario is


# --- enrolled patients -------------------------------------------------------------------------------
# Shares of each risk class in a clinic's enrolled patients, drawn around a reference mix of 15% cancer,
# 8% home oxygen, 35% care level 4–5 (an assumption, see docs/load.md).
_RISK_MIX = {"cancer": (0.08, 0.22), "home_oxygen": (0.04, 0.12), "care_level_4_5": (0.25, 0.45)}
PATIENTS_PER_DOCTOR = (10, 40)  # DOMAIN.md: 10–40 enrolled patients per doctor


def _split(rng: random.Random, n: int) -> dict[str, int]:
    counts = {risk: round(n * rng.uniform(lo, hi)) for risk, (lo, hi) in _RISK_MIX.items()}
    counts["other"] = max(0, n - sum(counts.values()))
    return counts


def add_patients(scenario: Scenario, seed: int) -> Scenario:
    """``scenario`` with enrolled patients for every clinic (seeded: the same seed gives the same patients).

    Each doctor has 10–40 patients. A clinic registers a third to two thirds of them with one backup
    hospital that serves its district (chosen in proportion to capacity); the rest are unregistered.
    """
    rng = random.Random(f"patients:{seed}")
    doctors: dict[str, int] = {}
    for p in scenario.physicians:
        doctors[p.clinic] = doctors.get(p.clinic, 0) + 1
    district = {c.id: c.district for c in scenario.clinics}
    groups = []
    for clinic in scenario.clinics:
        n = sum(rng.randint(*PATIENTS_PER_DOCTOR) for _ in range(doctors.get(clinic.id, 0)))
        if n == 0:
            continue
        serving = [h for h in scenario.hospitals if district[clinic.id] in h.districts]
        registered = round(n * rng.uniform(1 / 3, 2 / 3)) if serving else 0
        if registered:
            hospital = rng.choices(serving, weights=[h.capacity_per_day for h in serving])[0]
            groups.append({"clinic": clinic.id, "hospital": hospital.id, **_split(rng, registered)})
        if n - registered:
            groups.append({"clinic": clinic.id, **_split(rng, n - registered)})
    data = scenario.model_dump()
    data["patients"] = groups
    return Scenario.model_validate(data)
