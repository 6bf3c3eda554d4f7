"""Timing and peak-memory helpers shared by the two benchmark runners.

A rule call is timed twice: CPU time of the process (``time.process_time``,
what the speed ratios are computed from, for both engines alike, so that other
work on a shared machine does not enter them) and wall time
(``time.perf_counter``, printed beside it).

Standard library only: it is imported both by the project's Python
(``agora_runner.py``) and by the pabutools virtualenv (``pabutools_runner.py``).
A runner measures one run of one rule on one instance (pabutools: Add1 and its
greedy completion together) and prints one JSON line; ``counting.py`` starts a
fresh process for every run, so each peak memory is that of a single run.
"""

import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any, NamedTuple

# The rules both runners know; Add1 and its greedy completion come from one run.
RULES = (
    "greedy",
    "greedy-per-cost",
    "mes",
    "mes-card",
    "mes-add1",
    "mes-add1-greedy",
    "phragmen",
)
ADD1 = ("mes-add1", "mes-add1-greedy")


class Seconds(NamedTuple):
    """How long a call took: CPU seconds of this process, and wall seconds."""

    cpu: float
    wall: float

    def __add__(self, other: "Seconds") -> "Seconds":  # type: ignore[override]
        return Seconds(self.cpu + other.cpu, self.wall + other.wall)


# rule name -> (selected project ids in order, total cost as "p/q" or "p", time)
Timings = dict[str, tuple[list[str], str, Seconds]]


def peak_mib() -> float:
    """Peak resident memory of this whole process so far, in MiB (Linux KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stopwatch(function: Callable[[], Any]) -> tuple[Any, Seconds]:
    """Call ``function`` and return its result and the CPU and wall time it took."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return result, Seconds(time.process_time() - cpu, time.perf_counter() - wall)


def emit(timings: Timings, **fields: Any) -> None:
    """Print the run's single JSON line, with the process's peak memory."""
    rules = {
        rule: {
            "selected": selected,
            "total_cost": total_cost,
            "seconds": seconds.cpu,
            "wall": seconds.wall,
        }
        for rule, (selected, total_cost, seconds) in timings.items()
    }
    line = {"rules": rules, **fields, "peak_mib": round(peak_mib(), 1)}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
