"""Hostile and careless input (issue 17, items 7–12 and 17): every command answers with one clear line
naming the place and the problem and exit code 2; never a traceback, a hang or a damaged file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from oncall.cli import app
from oncall.errors import InvalidScenario
from oncall.io import MAX_DIGITS, file_kind, load_scenario, parse_scenario, save_scenario, write_output
from oncall.model import LIMITS, Scenario
from oncall.roster import save_roster
from tests.factories import greedy_roster, make_scenario
from tests.solving import STEADY_CLI

runner = CliRunner()
FAST = STEADY_CLI  # a deterministic stop: the default run must not depend on the clock


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """Run the command line; it must not raise (a traceback) whatever it is given."""
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def refused(result: Result) -> str:
    """The one error line of a refused command (exit 2, nothing on stdout)."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


def data(days: int = 3) -> dict[str, Any]:
    return make_scenario(days=days).model_dump(mode="json", exclude_defaults=True)


def write_yaml(path: Path, doc: Any) -> Path:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A valid scenario and a (greedy) roster of it, for the commands that read both."""
    scenario = make_scenario(days=3)
    out = {"scenario": tmp_path / "scenario.yaml", "roster": tmp_path / "roster.json"}
    save_scenario(scenario, out["scenario"])
    save_roster(greedy_roster(scenario), out["roster"])
    return out


# --- item 7: every number bounded; the 1e22 of the must-show ---------------------------------------
def _numbers_without_bounds(schema: dict[str, Any]) -> list[str]:
    """Every number, list and text in the JSON Schema that has no upper bound, by path."""
    defs = schema.get("$defs", {})
    missing: list[str] = []

    def walk(node: dict[str, Any], where: str) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(defs[name], name)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                walk(option, where)
        kind = node.get("type")
        if kind in ("number", "integer") and not {"maximum", "exclusiveMaximum"} & node.keys():
            missing.append(where)
        if kind == "array" and "maxItems" not in node:
            missing.append(where)
        if kind == "string" and not {"maxLength", "enum", "const", "format"} & node.keys():
            missing.append(where)
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{where}[]")

    seen: set[str] = set()
    walk(schema, "Scenario")
    return missing


def test_every_number_list_and_text_of_the_scenario_has_a_documented_upper_bound() -> None:
    assert _numbers_without_bounds(Scenario.model_json_schema()) == []


def test_the_carried_points_bound_is_in_the_json_schema() -> None:
    history = Scenario.model_json_schema()["$defs"]["History"]["properties"]["points"]
    assert str(LIMITS["carried_points"]) in history["description"]
    bound = history["additionalProperties"]
    assert (bound["minimum"], bound["maximum"]) == (-LIMITS["carried_points"], LIMITS["carried_points"])


@pytest.mark.parametrize("value", ["1e22", "1e100", "-1e22", ".inf", ".nan"])
def test_check_with_enormous_carried_points_is_refused_naming_the_field(files: dict[str, Path], value: str) -> None:
    text = files["scenario"].read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    doc["physicians"][0]["history"] = {"points": {"weekday": "PLACEHOLDER"}}
    path = files["scenario"].with_name("huge.yaml")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True).replace("PLACEHOLDER", value), encoding="utf-8")
    line = refused(run("check", path, files["roster"], "--lang", "en"))
    assert line.startswith(f"error: {path}: physicians[0].history.points.weekday: "), line


# --- item 8: sizes ------------------------------------------------------------------------------
def test_yaml_aliases_are_refused_by_the_command_line_too(tmp_path: Path) -> None:
    text = yaml.safe_dump(data(), allow_unicode=True, sort_keys=False)
    text = text.replace("physicians:\n", "x: &a [1, 2]\nphysicians:\n", 1)
    text += "y: *a\n"
    path = tmp_path / "alias.yaml"
    path.write_text(text, encoding="utf-8")
    line = refused(run("solve", path, *FAST, "--lang", "en"))
    assert line == f"error: {path}: line {text.count(chr(10))}: not valid YAML: YAML aliases are not accepted"


def test_a_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "YAML aliases are not accepted" in refused(run("check", path, path, "--lang", "en"))


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import oncall.io

    path = tmp_path / "big.yaml"
    save_scenario(make_scenario(days=3), path)
    monkeypatch.setattr(oncall.io, "MAX_FILE_BYTES", 1000)
    line = refused(run("solve", path, *FAST, "--lang", "en"))
    assert line.startswith(f"error: {path}: ") and "more than the limit of 1,000 bytes" in line


def test_more_blocks_a_day_than_the_limit_are_refused() -> None:
    doc = data()
    n = LIMITS["blocks_per_day"] + 1
    minutes = [round(i * 1440 / n) for i in range(n + 1)]

    def at(m: int) -> str:
        t = (8 * 60 + 30 + m) % 1440
        return f"{t // 60:02d}:{t % 60:02d}"

    blocks = [{"id": f"b{i}", "name": "枠", "start": at(minutes[i]), "end": at(minutes[i + 1])} for i in range(n)]
    doc["calendar"] = {"blocks": {"weekday": blocks, "saturday": blocks[:1], "holiday": blocks[:1]}}
    with pytest.raises(InvalidScenario) as info:
        parse_scenario(doc)
    assert any(
        p.startswith("scenario: calendar.blocks.weekday: List should have at most 12") for p in info.value.problems
    )


def test_a_period_with_too_many_duties_is_refused_before_anything_is_built() -> None:
    doc = data()
    doc["districts"] = [{"id": f"d{i}", "name": f"地区{i}"} for i in range(LIMITS["districts"])]
    doc["period"] = {"start": "2027-01-01", "end": "2027-12-31"}
    with pytest.raises(InvalidScenario) as info:
        parse_scenario(doc)
    assert any("is more than the limit of 50000" in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--hospitals", 1_000_000], "--hospitals"),
        (["--doctors", 5000], "--doctors"),
        (["--districts", 100_000], "--districts"),
        (["--doctors", 12, "--seed", 2**70], "--seed"),
    ],
)
def test_generate_bounds_name_the_option_given(args: list[object], option: str) -> None:
    line = refused(run("generate", *args))
    assert line.startswith(f"error: {option}: "), line


def test_generate_at_its_largest_default_stays_within_the_scenario_limits() -> None:
    from oncall.generate import default_districts

    assert default_districts(LIMITS["physicians"]) <= LIMITS["districts"]


# --- item 9 (CLI side): numbers and text the file formats allow but nothing can use ---------------
def test_a_json_scenario_with_a_5001_digit_integer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "digits.json"
    path.write_text('{"x": ' + "9" * 5001 + ", " + json.dumps(data())[1:], encoding="utf-8")
    line = refused(run("solve", path, *FAST, "--lang", "en"))
    assert line == f"error: {path}: a number has 5001 digits (at most {MAX_DIGITS})"


def test_a_yaml_scenario_with_a_5001_digit_integer_names_the_line(tmp_path: Path) -> None:
    doc = data()
    doc["physicians"][0]["caps"] = {"duties": "DIGITS"}
    path = tmp_path / "digits.yaml"
    path.write_text(write_yaml(path, doc).read_text().replace("DIGITS", "9" * 5001), encoding="utf-8")
    line = refused(run("solve", path, *FAST, "--lang", "en"))
    assert line.startswith(f"error: {path}: line ") and "a number has 5001 digits" in line


@pytest.mark.parametrize("where", ["name", "physicians.0.absences.reason", "districts.0.name"])
def test_control_characters_in_texts_are_refused_naming_the_field(where: str) -> None:
    doc = data()
    if where == "physicians.0.absences.reason":
        doc["physicians"][0]["absences"] = [{"start": "2027-01-05", "end": "2027-01-05", "reason": "病欠\x00"}]
        field = "physicians[0].absences[0].reason"
    elif where == "name":
        doc["name"] = "net\x00work"
        field = "name"
    else:
        doc["districts"][0]["name"] = "北\x07部"
        field = "districts[0].name"
    with pytest.raises(InvalidScenario) as info:
        parse_scenario(doc)
    assert any(p.startswith(f"scenario: {field}: contains a control character (U+00") for p in info.value.problems)


# --- item 10: tracebacks ---------------------------------------------------------------------------
def test_an_impossible_date_in_yaml_names_the_field(tmp_path: Path) -> None:
    doc = data()
    path = write_yaml(tmp_path / "month13.yaml", doc)
    text = path.read_text(encoding="utf-8").replace("start: '2027-01-04'", "start: 2027-13-01")
    assert "start: 2027-13-01" in text
    path.write_text(text, encoding="utf-8")
    line = refused(run("check", path, path, "--lang", "en"))
    assert line.startswith(f"error: {path}: period.start: "), line


def test_a_roster_nested_100000_deep_is_refused(files: dict[str, Path]) -> None:
    deep = files["roster"].with_name("deep.json")
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = refused(run("check", files["scenario"], deep, "--lang", "en"))
    assert line == f"error: {deep}: nested too deeply"


def test_a_scenario_nested_100000_deep_is_refused(tmp_path: Path) -> None:
    for name, text in (("deep.yaml", "a: " + "[" * 100_000), ("deep.json", "[" * 100_000 + "]" * 100_000)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert refused(run("solve", path, *FAST, "--lang", "en")).startswith(f"error: {path}: ")


def test_workers_beyond_reason_are_refused_before_anything_is_written(files: dict[str, Path]) -> None:
    out = files["roster"].with_name("out.json")
    line = refused(run("solve", files["scenario"], "-o", out, "--workers", 100_000))
    assert line.startswith("error: --workers: "), line
    assert not out.exists()


@pytest.mark.parametrize("command", [["schema"], ["generate", "--doctors", 12]])
def test_schema_and_generate_to_a_path_that_cannot_be_written(tmp_path: Path, command: list[object]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    line = refused(run(*command, "-o", blocker / "out.yaml"))
    assert line.startswith(f"error: -o: {blocker / 'out.yaml'}: 書き込めません: "), line  # Japanese by default


def _hostile_cases(tmp: Path, scenario: Path, roster: Path) -> list[tuple[str, list[object]]]:
    """(name, arguments) of every command with input it must refuse."""
    fifo = tmp / "fifo"
    os.mkfifo(fifo)
    garbage = tmp / "garbage.yaml"
    garbage.write_bytes(b"\xff\xfe\x00\x01" * 50)
    empty = tmp / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    outside = tmp / "outside.yaml"
    doc = data()
    doc["physicians"][0]["absences"] = [{"start": "2026-01-05", "end": "2026-01-06"}]
    write_yaml(outside, doc)
    deep = tmp / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    nul = tmp / "nul.json"
    nul.write_text(json.dumps({**data(), "name": "a\x00b"}), encoding="utf-8")
    blocked = tmp / "garbage.yaml" / "out.json"
    cases: list[tuple[str, list[object]]] = []
    for name, bad in (("fifo", fifo), ("directory", tmp), ("garbage", garbage), ("empty", empty)):
        cases += [
            (f"solve {name}", ["solve", bad, *FAST]),
            (f"check {name} scenario", ["check", bad, roster]),
            (f"check {name} roster", ["check", scenario, bad]),
            (f"report {name}", ["report", scenario, bad]),
            (f"carry {name}", ["carry", bad, roster, scenario, "-o", tmp / "c.yaml"]),
            (f"repair {name}", ["repair", scenario, bad, "--absence", "n1a", "2027-01-05", "2027-01-05"]),
        ]
    cases += [
        ("check deep roster", ["check", scenario, deep]),
        ("check NUL name", ["check", nul, roster]),
        ("check absence outside", ["check", outside, roster]),
        ("solve absence outside", ["solve", outside, *FAST]),
        ("solve seed 2^70", ["solve", scenario, "--seed", 2**70]),
        ("solve seed -1", ["solve", scenario, "--seed", -1]),
        ("solve workers 0", ["solve", scenario, "--workers", 0]),
        ("solve workers 100000", ["solve", scenario, "--workers", 100_000]),
        ("solve time-limit 0", ["solve", scenario, "--time-limit", 0]),
        ("solve time-limit nan", ["solve", scenario, "--time-limit", "nan"]),
        ("solve time-limit 1e300", ["solve", scenario, "--time-limit", "1e300"]),
        ("solve lang", ["solve", scenario, "--lang", "fr"]),
        ("solve -o fifo", ["solve", scenario, "-o", fifo, *FAST]),
        ("solve -o dir", ["solve", scenario, "-o", tmp, *FAST]),
        ("solve -o under a file", ["solve", scenario, "-o", blocked, *FAST]),
        ("solve --xlsx fifo", ["solve", scenario, "--xlsx", fifo, *FAST]),
        ("solve unknown option", ["solve", scenario, "--nope"]),
        ("solve no scenario", ["solve"]),
        ("solve carried without previous", ["solve", scenario, "--carried", tmp / "x.yaml", *FAST]),
        ("repair seed", ["repair", scenario, roster, "--seed", 2**70, "--absence", "n1a", "2027-01-05", "2027-01-05"]),
        ("repair workers", ["repair", scenario, roster, "--workers", 10**6]),
        ("repair now", ["repair", scenario, roster, "--now", "yesterday", "--absence", "n1a", "2027-01-05", "x"]),
        ("repair bad change", ["repair", scenario, roster, "--absence", "n1a", "2027-13-05", "2027-01-05"]),
        ("repair no change", ["repair", scenario, roster]),
        ("repair -o fifo", ["repair", scenario, roster, "-o", fifo, "--absence", "n1a", "2027-01-05", "2027-01-05"]),
        ("repair --scenario-out fifo", ["repair", scenario, roster, "--scenario-out", fifo]),
        ("carry -o fifo", ["carry", scenario, roster, scenario, "-o", fifo]),
        ("carry window", ["carry", scenario, roster, scenario, "--window-months", 10**9]),
        ("report -o fifo", ["report", scenario, roster, "-o", fifo]),
        ("report xlsx -o fifo", ["report", scenario, roster, "--format", "xlsx", "-o", fifo]),
        ("report format", ["report", scenario, roster, "--format", "pdf"]),
        ("schema -o fifo", ["schema", "-o", fifo]),
        ("schema -o under a file", ["schema", "-o", blocked]),
        ("generate -o fifo", ["generate", "--doctors", 12, "-o", fifo]),
        ("generate doctors", ["generate", "--doctors", 10**9]),
        ("generate hospitals", ["generate", "--hospitals", 10**6]),
        ("generate districts", ["generate", "--doctors", 12, "--districts", 0]),
        ("generate month", ["generate", "--month", "2027-13"]),
        ("generate seed", ["generate", "--seed", 2**70]),
        ("keys create role", ["keys", "create", "--role", "root"]),
        ("keys create NUL name", ["keys", "create", "--role", "staff", "--name", "a\x00b"]),
        ("keys create long name", ["keys", "create", "--role", "staff", "--name", "x" * 201]),
        ("keys revoke unknown", ["keys", "revoke", "ock_00000000"]),
        ("feeds issue kind", ["feeds", "issue", "room"]),
        ("feeds issue scenario", ["feeds", "issue", "network", "--scenario", 2**70]),
        ("feeds issue alarm", ["feeds", "issue", "network", "--alarm", -1]),
        ("feeds issue base url", ["feeds", "issue", "network", "--base-url", "ftp://x"]),
        ("feeds update nothing", ["feeds", "update", "ocf_00000000"]),
        ("feeds revoke unknown", ["feeds", "revoke", "ocf_00000000"]),
        ("feeds rotate unknown", ["feeds", "rotate", "ocf_00000000"]),
        ("serve port", ["serve", "--port", 70_000]),
        ("unknown command", ["frobnicate"]),
    ]
    return cases


def test_every_command_refuses_hostile_input_with_one_line_and_exit_2(files: dict[str, Path], tmp_path: Path) -> None:
    env = {"ONCALL_DATA_DIR": str(tmp_path / "data"), "ONCALL_DATABASE_URL": ""}
    failures = []
    for name, args in _hostile_cases(tmp_path, files["scenario"], files["roster"]):
        result = run(*args, env=env)
        lines = result.stderr.splitlines()
        if result.exit_code != 2 or len(lines) != 1 or not lines[0].startswith("error: "):
            failures.append((name, result.exit_code, lines[:3]))
    assert failures == []
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)  # no output replaced the FIFO


# --- item 11: dates outside the period -----------------------------------------------------------
@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"absences": [{"start": "2026-01-05", "end": "2026-01-06"}]}, "physicians[0].absences[0]"),
        ({"absences": [{"start": "2027-02-01T09:00", "end": "2027-02-01T12:00"}]}, "physicians[0].absences[0]"),
        ({"wishes": [{"date": "2026-01-05"}]}, "physicians[0].wishes[0].date"),
        ({"unwishes": [{"date": "2028-01-05"}]}, "physicians[0].unwishes[0].date"),
    ],
)
def test_an_entry_wholly_outside_the_period_is_refused_naming_it(
    tmp_path: Path, files: dict[str, Path], entry: dict[str, Any], field: str
) -> None:
    doc = data()  # 2027-01-04 to 2027-01-06
    doc["physicians"][0].update(entry)
    path = write_yaml(tmp_path / "typo.yaml", doc)
    line = refused(run("check", path, files["roster"], "--lang", "en"))
    assert line.startswith(f"error: {path}: {field}: ") and "lies outside the period 2027-01-04 to 2027-01-06" in line


@pytest.mark.parametrize(
    "absence",
    [
        {"start": "2026-12-28", "end": "2027-01-04"},  # ends on the first date
        {"start": "2027-01-06", "end": "2027-01-20"},  # starts on the last date
        {"start": "2027-01-03T20:00", "end": "2027-01-04T01:00"},  # across the first midnight
        {"start": "2027-01-06T23:00+09:00", "end": "2027-01-07T08:00+09:00"},  # across the last one
    ],
)
def test_an_absence_over_the_edge_of_the_period_stays_valid(absence: dict[str, str]) -> None:
    doc = data()
    doc["physicians"][0]["absences"] = [absence]
    assert parse_scenario(doc).physicians[0].absences


def test_history_before_the_period_is_not_refused() -> None:
    doc = data()
    doc["physicians"][0]["history"] = {
        "last_duty_end": "2026-12-31T08:30",
        "recent_duty_dates": ["2026-12-30"],
        "periods": [{"start": "2026-01-01", "end": "2026-01-31", "points": {"weekday": 2.0}}],
    }
    assert parse_scenario(doc).physicians[0].history.periods


def test_the_samples_are_within_every_limit() -> None:
    for sample in sorted(Path("samples").glob("*.yaml")):
        load_scenario(sample)


# --- item 12: outputs --------------------------------------------------------------------------
def test_solve_writes_through_a_symlink_to_its_target(files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "real" / "roster.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run("solve", files["scenario"], "-o", link, "--quiet", *FAST)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["scenario"] == "test-network"
    assert sorted(p.name for p in target.parent.iterdir()) == ["roster.json"]  # no temporary file left


@pytest.mark.parametrize(
    ("option", "command"),
    [
        ("-o", ["solve", "{scenario}", *FAST]),
        ("--xlsx", ["solve", "{scenario}", *FAST]),
        ("-o", ["report", "{scenario}", "{roster}"]),
        ("-o", ["report", "{scenario}", "{roster}", "--format", "xlsx"]),
        ("-o", ["generate", "--doctors", "12"]),
        ("-o", ["schema"]),
        ("-o", ["carry", "{scenario}", "{roster}", "{scenario}"]),
        ("-o", ["repair", "{scenario}", "{roster}", "--absence", "n1a", "2027-01-06", "2027-01-06", *FAST]),
        ("--scenario-out", ["repair", "{scenario}", "{roster}", "--absence", "n1a", "2027-01-06", "2027-01-06"]),
    ],
)
@pytest.mark.parametrize("kind", ["FIFO", "directory", "symlink to a FIFO"])
def test_no_output_option_replaces_anything_but_a_regular_file(
    files: dict[str, Path], tmp_path: Path, option: str, command: list[str], kind: str
) -> None:
    target = tmp_path / "target"
    if kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)
    path = target
    if kind.startswith("symlink"):
        path = tmp_path / "link"
        path.symlink_to(target)
    args = [a.format(**{k: str(v) for k, v in files.items()}) for a in command]
    line = refused(run(*args, option, path))
    assert line.startswith(f"error: {option}: {path} "), line
    assert not target.is_file() and (target.is_dir() or stat.S_ISFIFO(os.stat(target).st_mode))


def test_file_kinds_are_named(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert file_kind(os.stat(fifo).st_mode) == "FIFO"
    assert file_kind(os.stat(tmp_path).st_mode) == "directory"
    assert file_kind(os.stat("/dev/null").st_mode) == "character device"
    assert file_kind(os.stat(__file__).st_mode) is None


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)

    def fail(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_output(path, fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    write_output(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and stat.S_IMODE(path.stat().st_mode) == 0o640


# --- item 17 (input errors): Japanese by default, English on request ---------------------------------
def test_input_errors_are_japanese_by_default_and_english_on_request(tmp_path: Path, files: dict[str, Path]) -> None:
    doc = data()
    doc["physicians"][0]["clinic"] = "nowhere"  # a cross-reference: the project's own message
    unknown = write_yaml(tmp_path / "unknown.yaml", doc)
    doc["physicians"][1]["caps"] = {"duties": -1}  # a range: pydantic's, by its type code
    negative = write_yaml(tmp_path / "negative.yaml", doc)
    assert (
        refused(run("check", unknown, files["roster"]))
        == f"error: {unknown}: physicians[0].clinic: 不明な診療所 'nowhere' です"
    )
    assert refused(run("check", negative, files["roster"])) == (
        f"error: {negative}: physicians[1].caps.duties: 0 以上にしてください（入力値: -1）"
    )
    assert refused(run("check", unknown, files["roster"], "--lang", "en")) == (
        f"error: {unknown}: physicians[0].clinic: unknown clinic 'nowhere'"
    )
    assert refused(run("check", negative, files["roster"], "--lang", "en")) == (
        f"error: {negative}: physicians[1].caps.duties: Input should be greater than or equal to 0 (got -1)"
    )
