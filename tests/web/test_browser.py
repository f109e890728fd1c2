"""The pages in a real browser (Debian's chromium driven by Playwright), one test per user story.

Every page visited is checked with axe-core (no serious or critical violation), kept as a screenshot
at desktop and phone width under test-artefacts/web/, and must not overflow a phone's width.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from oncall.generate import add_patients
from oncall.io import load_scenario
from oncall.jobs import JobRunner
from oncall.roster import load_roster
from oncall.storage import Store
from oncall.storage.web import WebStore
from tests.browser import CHROMIUM_ARGS
from tests.factories import greedy_roster, make_scenario
from tests.test_importing import JAN, _fill, csv_bytes
from tests.test_print_browser import PRINTABLE_PX, TABLE_WIDTHS, TEXT_SIZES
from tests.web.browser import (
    ARTEFACTS,
    DESKTOP,
    PHONE,
    ROOT,
    check_accessibility,
    chromium_path,
    look,
    serve,
)

PASSWORD = "correct horse battery"
YEAR_END = dt.date(2026, 12, 28)  # a week over 年末年始: 12/29–1/3 are coloured as holidays


@dataclass
class Site:
    """The running server and direct access to its storage (to set the scene quickly)."""

    base: str
    store: Store
    web: WebStore
    runner: JobRunner


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app served on a free port over a temporary SQLite database, with a staff account."""
    chromium_path()
    with serve(tmp_path_factory.mktemp("web") / "data") as (base, app):
        store: Store = app.state.store
        web = WebStore(store.db)
        web.create_user("office", PASSWORD)
        yield Site(base, store, web, app.state.runner)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    """Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) at desktop size, in Japanese."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def published(site: Site) -> tuple[int, int]:
    """A week over 年末年始 with a valid (greedy) roster published: (scenario id, revision id)."""
    scenario = add_patients(make_scenario(YEAR_END, 7), seed=1)  # patients bring expected admissions
    record = site.store.create_scenario(scenario)
    revision = site.store.add_revision(record.id, 1, greedy_roster(scenario), 0)
    site.store.publish(revision.id, None)
    return record.id, revision.id


def expect(locator: Any) -> Any:
    """Playwright's retrying assertions (imported late: the module loads without Playwright)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(page: Any, site: Site, name: str = "office", password: str = PASSWORD) -> None:
    page.goto(site.base + "/")
    page.get_by_label("名前").fill(name)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_sign_in_with_a_wrong_password_a_lock_out_and_the_right_one(page: Any, site: Site) -> None:
    site.web.create_user("clerk", PASSWORD)
    page.goto(site.base + "/")
    assert page.url.endswith("/login")
    look(page, "login")
    sign_in(page, site, "clerk", "not the password")
    assert page.get_by_role("alert").inner_text() == "名前またはパスワードが違います。"
    for _ in range(4):
        sign_in(page, site, "clerk", "not the password")
    assert "ロックされています" in page.get_by_role("alert").inner_text()
    sign_in(page, site, "clerk")
    assert "ロックされています" in page.get_by_role("alert").inner_text(), "locked even with the right password"
    sign_in(page, site)
    assert page.url.endswith("/office")
    assert page.get_by_role("heading", name="月の一覧").is_visible()
    look(page, "overview")
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Months").is_visible()
    look(page, "overview-en")
    page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/login")


def test_solve_from_an_upload_with_progress_to_the_grid(page: Any, site: Site, tmp_path: Path) -> None:
    scenario = make_scenario(dt.date(2027, 2, 1), 3).model_copy(update={"name": "アップロードした週"})
    upload = tmp_path / "week.json"
    upload.write_text(scenario.model_dump_json(), encoding="utf-8")
    sign_in(page, site)
    page.get_by_label("ファイルをアップロード（YAML / JSON）").set_input_files(str(upload))
    page.get_by_role("button", name="作成").first.click()
    assert page.get_by_role("heading", name=re.compile("アップロードした週")).is_visible()
    look(page, "scenario")
    page.get_by_label("制限時間（秒）").fill("20")
    page.get_by_role("button", name="当番表を作成").click()
    assert re.search(r"/office/solves/\d+$", page.url)
    look(page, "solve")
    # htmx polls the progress; the solve of three days is proven optimal well within the limit.
    page.get_by_test_id("job-state").filter(has_text="完了").wait_for(timeout=60_000)
    assert page.get_by_test_id("objective").inner_text() != "—"
    page.get_by_role("link", name=re.compile("当番表 #")).click()
    assert page.locator("table.grid tbody tr").count() >= 3, "one row per block of each of the three days"
    look(page, "grid-solved")


def test_import_a_request_sheet_with_an_error_then_a_good_file(page: Any, site: Site, tmp_path: Path) -> None:
    record = site.store.create_scenario(make_scenario(JAN, 31).model_copy(update={"name": "取り込みの月"}))
    sign_in(page, site)
    page.goto(f"{site.base}/office/scenarios/{record.id}")
    page.get_by_role("link", name="表計算ファイルの取り込み").click()
    look(page, "import")
    bad = tmp_path / "requests.csv"
    bad.write_bytes(csv_bytes([["氏名", "1/5", "1/40"], ["青木一郎", "?", ""]], "cp932"))
    page.get_by_label("月の希望表").check()
    page.get_by_label("ファイル（XLSX または CSV）").set_input_files(str(bad))
    page.get_by_role("button", name="プレビュー").click()
    problems = page.locator("ul.import-problems li")
    expect(problems.first).to_have_text("1行目 C列: 日付が読めません（1/40）")
    assert page.get_by_role("button", name="取り込む").count() == 0
    look(page, "import-error")
    template = page.request.get(f"{site.base}/office/scenarios/{record.id}/import/requests/template")
    good = tmp_path / "requests.xlsx"
    good.write_bytes(_fill(template.body(), {("n1a", 5): "×", ("s2b", 20): "△"}))
    page.get_by_label("ファイル（XLSX または CSV）").set_input_files(str(good))
    page.get_by_role("button", name="プレビュー").click()
    expect(page.get_by_role("status")).to_contain_text("変更 2 件、問題 0 件")
    assert site.store.get_document(record.id)[0].version == 1, "nothing stored before it is accepted"
    look(page, "import-preview")
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("status")).to_have_text("取り込みました（版 2）。")
    _, scenario = site.store.get_document(record.id)
    assert [str(a.start) for a in next(p for p in scenario.physicians if p.id == "n1a").absences] == ["2027-01-05"]
    page.goto(f"{site.base}/office/scenarios/{record.id}/physicians/n1a")  # the settings form beside the lists
    page.get_by_label("当番の上限", exact=True).fill("3")
    page.get_by_role("button", name="保存").first.click()
    expect(page.get_by_role("status")).to_have_text("保存しました。")
    assert next(p for p in site.store.get_document(record.id)[1].physicians if p.id == "n1a").caps.duties == 3
    look(page, "physician")


def test_change_a_cell_see_the_verdict_and_save_a_revision(page: Any, site: Site, published: tuple[int, int]) -> None:
    _, revision = published
    sign_in(page, site)
    page.goto(f"{site.base}/office/revisions/{revision}")
    assert page.locator("tr.year-end").count() > 0, "年末年始 rows are marked"
    look(page, "grid")
    cell = page.locator("td.cell:not(.gap) button").first
    before = cell.inner_text()
    cell.click()
    chooser = page.locator("form#chooser")
    chooser.get_by_role("combobox").wait_for()
    chooser.get_by_role("combobox").select_option(value="")
    chooser.get_by_role("button").click()
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_contain_text("規則違反があります")
    assert "coverage" in verdict.inner_text()
    assert page.locator("td.changed.gap").count() == 1
    look(page, "grid-verdict")
    chooser.wait_for(state="detached")  # it closes once the grid shows the change
    page.locator("td.changed button").click()
    chooser.get_by_role("combobox").wait_for()
    options = chooser.get_by_role("combobox").locator("option")
    names = [options.nth(i).inner_text() for i in range(options.count())]
    assert before in names, "the holder may take the cell back"
    chooser.get_by_role("combobox").select_option(label=before)
    chooser.get_by_role("button").click()
    expect(page.get_by_test_id("verdict")).to_have_text("規則違反はありません。")  # once htmx swapped the grid
    page.get_by_role("button", name="新しい版として保存").click()
    assert re.search(r"/office/revisions/(\d+)$", page.url) and not page.url.endswith(f"/{revision}")


def test_the_print_view_from_the_grid_of_the_regional_sample(page: Any, site: Site) -> None:
    """The route the office uses: every text at least 9 pt and each district within A4's printable width."""
    scenario = load_scenario(ROOT / "samples" / "regional.yaml")
    record = site.store.create_scenario(scenario)
    roster = load_roster(ROOT / "tests" / "data" / "regional-roster.json")
    revision = site.store.add_revision(record.id, 1, roster, 0)
    sign_in(page, site)
    page.goto(f"{site.base}/office/revisions/{revision.id}")
    page.get_by_role("link", name="印刷用ページ（A4）").click()
    assert page.url.endswith(f"/office/revisions/{revision.id}/print")
    assert page.get_by_role("button", name="印刷する").is_visible()
    check_accessibility(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "print-office-desktop.png"))
    page.set_viewport_size({"width": int(PRINTABLE_PX), "height": 1000})
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="印刷する").is_visible(), "the button is not printed"
    sizes, widths = page.evaluate(TEXT_SIZES), page.evaluate(TABLE_WIDTHS)
    assert len(sizes) > 500 and [(size, t) for size, t in sizes if size < 12] == []  # 9 pt = 12 CSS px
    assert len(widths) == 4 and max(widths) <= int(PRINTABLE_PX)
    page.emulate_media(media="screen")
    page.get_by_role("link", name="当番表に戻る").click()
    assert page.url.endswith(f"/office/revisions/{revision.id}")


def test_publish_with_the_apis_checks(page: Any, site: Site, published: tuple[int, int]) -> None:
    scenario_id, revision = published
    record, text = site.store.get_roster(revision)
    from oncall.roster import Roster

    draft = site.store.add_revision(scenario_id, record.scenario_version, Roster.model_validate_json(text), 0)
    sign_in(page, site)
    page.goto(f"{site.base}/office/revisions/{draft.id}")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="公開する").click()
    assert page.get_by_role("status").inner_text() == "公開しました。"
    assert site.store.get_published(scenario_id).id == draft.id
    page.goto(f"{site.base}/office/revisions/{draft.id}/diff?against={revision}")
    assert page.get_by_text("変更はありません。").is_visible()
    look(page, "diff")
    for path, name in (
        ("/office/swaps", "swaps"),
        ("/office/audit", "audit"),
        (f"/office/scenarios/{scenario_id}/repairs", "repairs"),
    ):
        page.goto(site.base + path)
        look(page, name)
    assert page.goto(f"{site.base}/office/audit").ok and "publication.create" in page.content()


def test_a_doctor_enters_an_absence_before_the_deadline_and_only_reads_after(
    browser: Any, site: Site, published: tuple[int, int]
) -> None:
    collecting = site.store.create_scenario(make_scenario(dt.date(2027, 1, 4), 7).model_copy(update={"name": "1月"}))
    site.web.set_deadline(collecting.id, dt.datetime(2999, 12, 20, 17, tzinfo=dt.UTC))
    _, token = site.web.issue_link("physician", "n1a")
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{site.base}/my/{token}")
    page.goto(f"{site.base}/me?month=2026-12")
    assert page.get_by_role("heading", name="私の当番").is_visible()
    assert page.locator("article.duty").count() > 0, "n1a holds duties in the published week"
    section = page.locator(f"#requests-{collecting.id}")
    assert "まで入力できます" in section.get_by_test_id("collection-state").inner_text()
    section.get_by_label("開始").first.fill("2027-01-05")
    section.get_by_label("終了").first.fill("2027-01-06")
    section.get_by_label("理由").fill("学会")
    section.get_by_role("button", name="追加").first.click()
    assert page.get_by_text("2027-01-05 – 2027-01-06 (学会)").is_visible()
    _, scenario = site.store.get_document(collecting.id)
    assert [str(a.start) for a in next(p for p in scenario.physicians if p.id == "n1a").absences] == ["2027-01-05"]
    look(page, "doctor")
    site.web.set_deadline(collecting.id, dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    page.goto(f"{site.base}/me?month=2026-12")
    assert "閲覧のみ" in page.locator(f"#requests-{collecting.id}").get_by_test_id("collection-state").inner_text()
    assert page.locator(f"#requests-{collecting.id}").get_by_role("button", name="追加").count() == 0
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    late = page.request.post(
        f"{site.base}/me/requests/{collecting.id}/absences",
        form={"start": "2027-01-07", "end": "2027-01-07", "csrf_token": csrf},
    )
    assert late.status == 403, "after the deadline the form is refused, not only hidden"
    look(page, "doctor-closed")
    page.get_by_role("button", name="カレンダーに登録").click()
    assert page.get_by_role("link", name="カレンダーに登録").get_attribute("href").startswith("webcal://")
    context.close()


def test_a_hospital_sees_its_chart(browser: Any, site: Site, published: tuple[int, int]) -> None:
    _, token = site.web.issue_link("hospital", "central")
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{site.base}/my/{token}")
    page.goto(f"{site.base}/me?month=2026-12")
    assert page.get_by_role("heading", name="中央病院").is_visible()
    chart = page.get_by_test_id("chart")
    # 12/27 (whose night runs into the week) to 12/31: one bar per December date the hospital stands by for
    bars = chart.locator("rect")
    assert bars.count() == 5
    assert all(float(bars.nth(i).get_attribute("height")) > 0 for i in range(5)), "expected admissions drawn"
    assert page.get_by_role("heading", name=re.compile("待機日")).is_visible()
    look(page, "hospital")
    assert page.goto(f"{site.base}/office").status == 403
    context.close()


def test_repair_after_an_absence_watch_it_and_publish_the_draft(
    page: Any, site: Site, published: tuple[int, int]
) -> None:
    """Last of the module's stories on ``published``: it publishes the repaired draft."""
    scenario_id, revision = published
    base = site.store.get_scenario(scenario_id).published_revision_id
    _, text = site.store.get_roster(base or revision)
    from oncall.roster import Roster

    day = dt.date(2026, 12, 30)
    doctor = next(d.primary for d in Roster.model_validate_json(text).duties if d.start.date() == day and d.primary)
    _, scenario = site.store.get_document(scenario_id)
    name = next(p.name for p in scenario.physicians if p.id == doctor)
    sign_in(page, site)
    page.goto(f"{site.base}/office/scenarios/{scenario_id}")
    page.get_by_role("link", name="修正", exact=True).click()
    page.get_by_label("医師").select_option(label=name)
    page.get_by_label("開始日").fill(str(day))
    page.get_by_label("終了日").fill(str(day))
    page.get_by_label("理由").fill("病欠")
    page.get_by_label("この時点より前の当番は変えない（空欄: 今）").fill("2026-12-28T09:00")
    look(page, "repairs-form")
    page.get_by_role("button", name="欠勤による修正を始める").click()
    page.get_by_test_id("repair-state").filter(has_text="完了").wait_for(timeout=60_000)
    expect(page.locator("#repair tbody tr").filter(has_text="欠勤のため").first).to_contain_text(f"{name} →")
    look(page, "repair")
    page.get_by_role("link", name=re.compile("修正した当番表 #")).click()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_role("status")).to_have_text("公開しました。")
    assert site.store.get_scenario(scenario_id).published_revision_id != base


def _first_page_to_published(browser: Any, data: Path, create: Any, time_limit: str, name: str) -> None:
    """The clicks docs/web.md lists, on a server of its own: no account, no scenario, no command line.

    ``create(page)`` makes the scenario on the overview (step 2); then a request sheet is downloaded, filled
    in and imported (step 3), the scenario solved (4), the grid opened (5) and published (6).
    """
    with serve(data) as (base, app):
        store: Store = app.state.store
        context = browser.new_context(viewport=DESKTOP, locale="ja-JP", accept_downloads=True)
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(base + "/")  # 1. the first account
        page.get_by_label("名前").fill("事務局")
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="アカウントを作成").click()
        create(page)  # 2. a scenario from a sample or a file
        scenario = store.get_document(store.list_scenarios()[0].id)[1]
        page.get_by_role("link", name="表計算ファイルの取り込み").click()  # 3. the month's request sheet
        with page.expect_download() as download:
            page.get_by_role("link", name="月の希望表 (XLSX)").click()
        sheet = data.parent / f"{name}-requests.xlsx"
        doctor, day = scenario.physicians[0].id, scenario.period.start.day + 1
        sheet.write_bytes(_fill(Path(download.value.path()).read_bytes(), {(doctor, day): "×"}))
        page.get_by_label("月の希望表").check()
        page.get_by_label("ファイル（XLSX または CSV）").set_input_files(str(sheet))
        page.get_by_role("button", name="プレビュー").click()
        expect(page.get_by_role("status")).to_contain_text("変更 1 件、問題 0 件")
        page.get_by_role("button", name="取り込む").click()
        expect(page.get_by_role("status")).to_have_text("取り込みました（版 2）。")
        page.get_by_label("制限時間（秒）").fill(time_limit)  # 4. solve and watch
        page.get_by_role("button", name="当番表を作成").click()
        page.get_by_test_id("job-state").filter(has_text="完了").wait_for(timeout=180_000)
        page.get_by_role("link", name=re.compile("当番表 #")).click()  # 5. the grid
        look(page, f"{name}-grid")
        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="公開する").click()  # 6. publish
        expect(page.get_by_role("status")).to_have_text("公開しました。")
        record = store.list_scenarios()[0]
        assert record.published_revision_id is not None and record.version == 2
        _, published = store.get_document(record.id, record.version)
        assert published.physicians[0].absences[-1].start == scenario.period.start.replace(day=day)
        context.close()


def test_a_small_upload_from_the_first_page_to_a_published_roster(browser: Any, tmp_path: Path) -> None:
    """The closing story quickly, for the default run: a three-day scenario file, proven optimal at once."""
    upload = tmp_path / "three-days.json"
    upload.write_text(make_scenario(dt.date(2027, 3, 1), 3).model_dump_json(), encoding="utf-8")

    def create(page: Any) -> None:
        page.get_by_label("ファイルをアップロード（YAML / JSON）").set_input_files(str(upload))
        page.get_by_role("button", name="作成").first.click()

    _first_page_to_published(browser, tmp_path / "data", create, "20", "first-page-small")


@pytest.mark.slow
def test_regional_sample_from_the_first_page_to_a_published_roster(browser: Any, tmp_path: Path) -> None:
    """The closing story of issue 21: the regional sample, its request sheet imported, solved and published."""

    def create(page: Any) -> None:
        page.get_by_label("見本から作る").select_option("regional")
        page.get_by_role("button", name="作成").nth(1).click()

    _first_page_to_published(browser, tmp_path / "data", create, "30", "regional")
