"""Reading scenarios from YAML or JSON, with errors that name the file, the field and the value."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from oncall.errors import InvalidScenario
from oncall.model import Scenario

__all__ = [
    "SOURCE",
    "format_errors",
    "format_validation_error",
    "load_scenario",
    "parse_scenario",
    "parse_scenario_text",
    "save_scenario",
]


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def format_validation_error(exc: ValidationError) -> list[str]:
    """One line per problem: ``physicians[3].absences[0].end: <what is wrong> (got '<value>')``."""
    return format_errors(exc.errors())


def format_errors(errors: Sequence[Mapping[str, Any]]) -> list[str]:
    """The lines of :func:`format_validation_error` for pydantic's error dicts (also FastAPI's)."""
    lines: list[str] = []
    for err in errors:
        msg = str(err["msg"]).removeprefix("Value error, ")
        where = _where(tuple(err["loc"]))
        value = err.get("input")
        if (err["type"] == "value_error" and "\n" in msg) or (err["type"] == "value_error" and ": " in msg):
            # Cross-reference messages already carry their own path.
            for line in msg.splitlines():
                lines.append(f"{where}: {line}" if where and not line.startswith(where) else line)
            continue
        shown = ""
        if err["type"] not in ("missing",) and not isinstance(value, dict | list) and repr(value) not in msg:
            text = repr(value)
            shown = f" (got {text[:80]}…)" if len(text) > 80 else f" (got {text})"  # a 400-digit number, cut
        lines.append(f"{where or '(document)'}: {msg}{shown}")
    return lines


SOURCE = "scenario"  # what problems are reported under when the data came from no file


def parse_scenario(data: Any, source: str = SOURCE) -> Scenario:
    """Validate plain data as a scenario; raise InvalidScenario naming every problem."""
    if data is None:
        raise InvalidScenario(f"{source}: the scenario is empty")
    if not isinstance(data, dict):
        raise InvalidScenario(f"{source}: expected a mapping at the top level, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InvalidScenario([f"{source}: {line}" for line in format_validation_error(exc)]) from exc


class _ScenarioLoader(yaml.SafeLoader):
    """A safe loader that reads ``18:00`` as text, not as YAML 1.1's base-60 integer 1080, and refuses a
    key written twice in one mapping (YAML would keep the last silently: a second ``physicians:`` would
    drop every doctor of the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


_INT = "tag:yaml.org,2002:int"
_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _INT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ScenarioLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


class _NoAliasLoader(_ScenarioLoader):
    """A safe loader that refuses anchors and aliases, which let a few bytes expand to gigabytes."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not accepted", event.start_mark)
        return super().compose_node(parent, index)


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key written twice (JSON would keep the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(f"key {key!r} appears twice in one JSON object")
        out[key] = value
    return out


def parse_scenario_text(
    text: str, fmt: Literal["json", "yaml"], source: str = SOURCE, aliases: bool = True
) -> Scenario:
    """Parse JSON or YAML text as a scenario; ``aliases=False`` for untrusted text (no YAML anchors)."""
    try:
        if fmt == "json":
            data = json.loads(text, object_pairs_hook=_unique_keys)
        else:
            data = yaml.load(text, Loader=_ScenarioLoader if aliases else _NoAliasLoader)
    except json.JSONDecodeError as exc:
        raise InvalidScenario(f"{source}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    except _DuplicateKey as exc:
        raise InvalidScenario(f"{source}: not valid JSON: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise InvalidScenario(f"{source}: {line}not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    except RecursionError as exc:
        raise InvalidScenario(f"{source}: nested too deeply") from exc
    return parse_scenario(data, source)


def load_scenario(path: Path) -> Scenario:
    """Read a scenario from a .yaml/.yml or .json file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidScenario(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidScenario(f"{path}: not UTF-8 text") from exc
    return parse_scenario_text(text, "json" if path.suffix.lower() == ".json" else "yaml", str(path))


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
