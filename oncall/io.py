"""Reading scenarios from YAML or JSON, with errors that name the file, the field and the value.

Files are read within bounds: at most ``MAX_FILE_BYTES``, no YAML anchors or aliases (a few bytes of
aliases expand to gigabytes), no number longer than ``MAX_DIGITS`` digits, and dates left as text for the
model to read (PyYAML's own date reading raises a bare ``ValueError`` on ``2027-13-01``).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from oncall.errors import InvalidOutput, InvalidScenario
from oncall.i18n import MESSAGES, Lang, Message, params_of
from oncall.model import Scenario

__all__ = [
    "MAX_DIGITS",
    "MAX_FILE_BYTES",
    "SOURCE",
    "file_kind",
    "format_errors",
    "format_validation_error",
    "load_scenario",
    "messages_of",
    "output_target",
    "parse_json",
    "parse_scenario",
    "parse_scenario_text",
    "read_text",
    "save_scenario",
    "write_output",
]

MAX_FILE_BYTES = 20 * 1024 * 1024  # a 2,000-doctor scenario with a year of absences is a few MB
MAX_DIGITS = 100  # no number a scenario holds needs more; Python refuses ints beyond 4,300 with a bare ValueError


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def format_validation_error(exc: ValidationError, lang: Lang = "ja") -> list[str]:
    """One line per problem: ``physicians[3].absences[0].end: <what is wrong> (got '<value>')``."""
    return format_errors(exc.errors(), lang)


def format_errors(errors: Sequence[Mapping[str, Any]], lang: Lang = "ja") -> list[str]:
    """The lines of :func:`format_validation_error` for pydantic's error dicts (also FastAPI's)."""
    return [m.text(lang) for m in messages_of(errors)]


def messages_of(errors: Sequence[Mapping[str, Any]]) -> list[Message]:
    """Pydantic's error dicts as messages, translated by their ``type`` and ``ctx`` (oncall.i18n)."""
    out: list[Message] = []
    for err in errors:
        code, ctx = str(err["type"]), dict(err.get("ctx") or {})
        where = _where(tuple(err["loc"]))
        msg = str(err["msg"]).removeprefix("Value error, ")
        if code == "scenario.problems":  # the cross-references, each with its own path
            out += [m.within(where) if where else m for m in ctx["problems"]]
        elif "." in code and code in MESSAGES:  # the project's own validators
            out.append(Message(code, where or "(document)", **ctx))
        elif code == "value_error" and (": " in msg or "\n" in msg):  # lines that carry their own path
            out += [
                Message("", where if where and not line.startswith(where) else "", fallback=line)
                for line in msg.splitlines()
            ]
        else:
            out.append(Message(code, where or "(document)", fallback=msg, got=_shown(err, msg), **params_of(ctx)))
    for m in out:
        if m.code == "value_error":
            m.code, m.params = "input.value", {"problem": m.fallback}
    return out


def _shown(err: Mapping[str, Any], msg: str) -> str | None:
    """The offending value as it is shown after the problem (a 400-digit number cut), or None."""
    value = err.get("input")
    # A value error comes from the project's own validators, whose messages name the value.
    if err["type"] in ("missing", "value_error") or isinstance(value, dict | list) or repr(value) in msg:
        return None
    text = repr(value)
    return f"{text[:80]}…" if len(text) > 80 else text


SOURCE = "scenario"  # what problems are reported under when the data came from no file


def parse_scenario(data: Any, source: str = SOURCE) -> Scenario:
    """Validate plain data as a scenario; raise InvalidScenario naming every problem."""
    if data is None:
        raise InvalidScenario(Message("input.empty", origin=source))
    if not isinstance(data, dict):
        raise InvalidScenario(Message("input.not_mapping", origin=source, kind=type(data).__name__))
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InvalidScenario([m.source(source) for m in messages_of(exc.errors())]) from exc


class _Refused(Exception):
    """Text the loaders refuse, with the message that says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text("en"))
        self.message = message


class _ScenarioLoader(yaml.SafeLoader):
    """A safe loader that reads ``18:00`` as text, not as YAML 1.1's base-60 integer 1080, leaves dates as text
    (the model reads them, naming the field of an impossible one), refuses anchors and aliases, numbers of
    more than MAX_DIGITS digits, and a key written twice in one mapping (YAML would keep the last silently: a
    second ``physicians:`` would drop every doctor of the first)."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(Message("input.yaml_alias", line=event.start_mark.line + 1))
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = self.construct_object(key_node)
                if key in seen:
                    raise _Refused(Message("input.yaml_key_twice", line=key_node.start_mark.line + 1, key=repr(key)))
                seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isalnum() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise _Refused(
                Message("input.long_number", origin=f"line {node.start_mark.line + 1}", digits=digits, limit=MAX_DIGITS)
            )
        return super().construct_yaml_int(node)


_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ScenarioLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_ScenarioLoader.add_constructor(_INT, _ScenarioLoader.construct_yaml_int)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key written twice (JSON would keep the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(Message("input.json_key_twice", key=repr(key)))
        out[key] = value
    return out


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(Message("input.long_number", digits=len(text.lstrip("-")), limit=MAX_DIGITS))
    return int(text)


def parse_json(text: str, source: str = SOURCE) -> Any:
    """JSON text as plain data within bounds (no key twice, no overlong number, not nested too deeply);
    ``InvalidScenario`` names the problem and ``source``."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise InvalidScenario(
            Message("input.json", origin=source, line=exc.lineno, column=exc.colno, problem=exc.msg)
        ) from exc
    except _Refused as exc:
        raise InvalidScenario(exc.message.source(source)) from exc
    except RecursionError as exc:
        raise InvalidScenario(Message("input.too_deep", origin=source)) from exc


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_ScenarioLoader)
    except _Refused as exc:
        raise InvalidScenario(exc.message.source(source)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or exc)
        if mark is None:
            raise InvalidScenario(Message("input.yaml_nowhere", origin=source, problem=problem)) from exc
        raise InvalidScenario(Message("input.yaml", origin=source, line=mark.line + 1, problem=problem)) from exc
    except RecursionError as exc:
        raise InvalidScenario(Message("input.too_deep", origin=source)) from exc


def parse_scenario_text(text: str, fmt: Literal["json", "yaml"], source: str = SOURCE) -> Scenario:
    """Parse JSON or YAML text as a scenario (no YAML anchors or aliases: see the module's docstring)."""
    data = parse_json(text, source) if fmt == "json" else _parse_yaml(text, source)
    return parse_scenario(data, source)


def file_kind(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file (for messages), else None."""
    for test, kind in (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "special file"


def kind_text(kind: str) -> Message:
    """The name of a kind of file (``file_kind``) in either language."""
    return Message(f"file.{kind.replace(' ', '_')}")


def read_text(path: Path, limit: int | None = None) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (default MAX_FILE_BYTES); ``InvalidScenario``
    names the file and the problem (missing, a directory or a FIFO, too large, not UTF-8). A FIFO is refused,
    not waited on."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(fd)
            kind = file_kind(info.st_mode)
            if kind is not None:
                raise InvalidScenario(Message("input.not_a_file", origin=str(path), kind=kind_text(kind)))
            if info.st_size > limit:
                raise InvalidScenario(
                    Message("input.too_large", origin=str(path), size=f"{info.st_size:,}", limit=f"{limit:,}")
                )
            data = f.read(limit + 1)
    except OSError as exc:
        raise InvalidScenario(Message("input.unreadable", origin=str(path), reason=exc.strerror)) from exc
    if len(data) > limit:  # it grew while being read
        raise InvalidScenario(Message("input.too_large", origin=str(path), size=f"{len(data):,}", limit=f"{limit:,}"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidScenario(Message("input.not_utf8", origin=str(path))) from exc


def load_scenario(path: Path) -> Scenario:
    """Read a scenario from a .yaml/.yml or .json file."""
    text = read_text(path)
    return parse_scenario_text(text, "json" if path.suffix.lower() == ".json" else "yaml", str(path))


def output_target(path: Path) -> Path:
    """Where writing ``path`` lands: the final target of a symlink. ``InvalidOutput`` when something other
    than a regular file is there (a directory, a FIFO, a device): an output never replaces those."""
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InvalidOutput(Message("output.unwritable", origin=str(path), reason=exc.strerror)) from exc
    kind = file_kind(mode)
    if kind is not None:
        raise InvalidOutput(Message("output.not_a_file", path=str(path), kind=kind_text(kind)))
    return target


def write_output(path: Path, content: str | bytes | Callable[[Path], object]) -> Path:
    """Write an output file atomically: ``content`` (text is UTF-8), or whatever ``content(temporary path)``
    writes. Through a symlink to its target; never over anything but a regular file; a failed write leaves
    the old file as it was and no temporary file behind. Returns the path written."""
    target = output_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}")
    tmp = Path(name)
    try:
        if callable(content):
            os.close(fd)
            content(tmp)
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def save_scenario(scenario: Scenario, path: Path) -> None:
    """Write a scenario as YAML (or JSON for a .json path), atomically (``write_output``)."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    write_output(path, text)
