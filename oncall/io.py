"""Reading scenarios from YAML or JSON, with errors that name the file, the field and the value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from oncall.errors import InvalidScenario
from oncall.model import Scenario

__all__ = ["format_validation_error", "load_scenario", "parse_scenario", "save_scenario"]


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def format_validation_error(exc: ValidationError) -> list[str]:
    """One line per problem: ``physicians[3].absences[0].end: <what is wrong> (got '<value>')``."""
    lines: list[str] = []
    for err in exc.errors():
        msg = str(err["msg"]).removeprefix("Value error, ")
        where = _where(tuple(err["loc"]))
        value = err.get("input")
        if (err["type"] == "value_error" and "\n" in msg) or (err["type"] == "value_error" and ": " in msg):
            # Cross-reference messages already carry their own path.
            for line in msg.splitlines():
                lines.append(f"{where}: {line}" if where and not line.startswith(where) else line)
            continue
        shown = ""
        if err["type"] not in ("missing",) and not isinstance(value, dict | list):
            shown = f" (got {value!r})"
        lines.append(f"{where or '(document)'}: {msg}{shown}")
    return lines


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Validate plain data as a scenario; raise InvalidScenario naming every problem."""
    if not isinstance(data, dict):
        raise InvalidScenario(f"{source}: expected a mapping at the top level, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InvalidScenario([f"{source}: {line}" for line in format_validation_error(exc)]) from exc


def load_scenario(path: Path) -> Scenario:
    """Read a scenario from a .yaml/.yml or .json file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidScenario(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidScenario(f"{path}: not UTF-8 text") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise InvalidScenario(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise InvalidScenario(f"{path}: {line}not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    return parse_scenario(data, str(path))


def save_scenario(scenario: Scenario, path: Path) -> None:
    """Write a scenario as YAML (or JSON for a .json path), atomically."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
