"""Run one counting rule with Agora's engine and print one JSON line.

Run by the project's Python with the repository root as working directory:

    .venv/bin/python benchmarks/agora_runner.py FILE.pb --rule mes

Parsing is not timed; the ``tally`` call is. The tie-break is lexicographic on
the project id, the one the reference outcomes use.
"""

import argparse
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import Timings, emit, stopwatch  # noqa: E402

from budget.counting.pabulib import read_path  # noqa: E402
from budget.counting.rules import tally  # noqa: E402
from budget.counting.tiebreak import lexicographic  # noqa: E402


def run_rule(rule: str, election, tie_break) -> Timings:
    outcome, seconds = stopwatch(lambda: tally(election, rule, tie_break=tie_break))
    total = Fraction(outcome.total_cost, 100)  # cents -> currency units
    return {rule: (list(outcome.selected), str(total), seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path")
    parser.add_argument("--rule", required=True)
    args = parser.parse_args(argv)
    election = read_path(Path(args.path))
    timings = run_rule(args.rule, election, lexicographic())
    emit(timings, engine="agora", python=sys.version.split()[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
