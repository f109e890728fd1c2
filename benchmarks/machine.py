"""What the benchmark ran on: cores, memory, CPU model, and the solver versions."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

__all__ = ["Machine", "describe"]


@dataclass(frozen=True)
class Machine:
    """The machine and software a result was measured with."""

    cores: int
    memory_gb: float
    cpu: str
    python: str
    ortools: str
    highspy: str | None

    def line(self) -> str:
        """One line for the table header."""
        highs = f", HiGHS (highspy) {self.highspy}" if self.highspy else ", HiGHS not installed"
        return (
            f"{self.cores} cores, {self.memory_gb:.0f} GB RAM, CPU {self.cpu}; "
            f"Python {self.python}, OR-Tools {self.ortools}{highs}"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return 0.0


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def describe() -> Machine:
    """The machine this process runs on."""
    return Machine(
        cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        memory_gb=_memory_gb(),
        cpu=_cpu_model(),
        python=platform.python_version(),
        ortools=_version("ortools") or "?",
        highspy=_version("highspy"),
    )
