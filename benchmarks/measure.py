"""Time one whole process: wall clock around a fresh subprocess, and that run's own resource usage.

Each run is started with `subprocess.Popen` and reaped with `os.wait4`, which returns the rusage of
exactly that child (and the descendants it waited for): `ru_maxrss` is then the peak resident set of
the largest single process in that run. (`getrusage(RUSAGE_CHILDREN)` would give the maximum over every
child the harness has ever reaped, which can only grow from run to run.)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

KIB_PER_MIB = 1024


class RunFailed(Exception):
    """A measured command exited with an error, was killed, or timed out."""


@dataclass(frozen=True)
class Run:
    wall_s: float
    user_s: float
    sys_s: float
    peak_mib: float


@dataclass(frozen=True)
class Series:
    """Several runs of one command; medians are the figures to quote."""

    runs: tuple[Run, ...]

    @property
    def walls(self) -> list[float]:
        return [run.wall_s for run in self.runs]

    @property
    def median_s(self) -> float:
        return statistics.median(self.walls)

    @property
    def min_s(self) -> float:
        return min(self.walls)

    @property
    def max_s(self) -> float:
        return max(self.walls)

    @property
    def peak_mib(self) -> float:
        return max(run.peak_mib for run in self.runs)

    @property
    def median_peak_mib(self) -> float:
        return statistics.median(run.peak_mib for run in self.runs)

    def as_json(self) -> dict:
        return {
            "runs": [round(w, 4) for w in self.walls],
            "median_s": round(self.median_s, 4),
            "min_s": round(self.min_s, 4),
            "max_s": round(self.max_s, 4),
            "peak_mib": round(self.peak_mib, 1),
            "median_peak_mib": round(self.median_peak_mib, 1),
            "user_s": [round(run.user_s, 3) for run in self.runs],
            "sys_s": [round(run.sys_s, 3) for run in self.runs],
        }


@dataclass(frozen=True)
class Runner:
    """How every measured command is started: working folder, environment, log file, time bound."""

    cwd: Path
    env: dict[str, str]
    log: Path
    timeout_s: float

    def run(self, argv: Sequence[str]) -> Run:
        """Run argv once as a fresh process; raise RunFailed unless it exits 0."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            start = time.perf_counter()
            proc = subprocess.Popen(list(argv), cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            timer = threading.Timer(self.timeout_s, _kill_group, (proc.pid,))
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RunFailed(f"`{' '.join(map(str, argv))}` exited with {proc.returncode}"
                            f" after {wall:.1f} s (time bound {self.timeout_s:.0f} s):\n{self.log_tail()}")
        return Run(wall_s=wall, user_s=usage.ru_utime, sys_s=usage.ru_stime,
                   peak_mib=usage.ru_maxrss / KIB_PER_MIB)

    def log_tail(self, lines: int = 15) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join("    " + line for line in text[-lines:])


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def median_or_none(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None
