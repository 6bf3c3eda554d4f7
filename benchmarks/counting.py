"""Time Agora's counting engine against pabutools 1.2.3 on Pabulib elections.

    .venv/bin/python benchmarks/counting.py             # the issue 4 instances
    .venv/bin/python benchmarks/counting.py --quick     # small files, a smoke run
    .venv/bin/python benchmarks/counting.py --instances warszawa --rules mes

Every (engine, instance, rule) runs in a fresh subprocess, so its peak memory
(whole process, parsing included) is its own; only the rule call is timed
(pabutools: building its satisfaction profile included, as in the README
baseline). It is timed in CPU seconds of the process (``time.process_time``) and
in wall seconds; the speed ratio is computed from CPU seconds, for both engines
alike, so that other work on a shared 2-core machine does not distort it. Wall
seconds are printed in parentheses beside them. pabutools lives in its own
virtualenv, ``benchmarks/.venv-pabutools``, created here when missing; the
project never imports it.

Targets (issue 4), on the large instances: at least 50x faster than pabutools,
at most a third of its peak memory, the same outcome (same projects, and in the
same order except for phragmen). Budapest 2024 Add1 runs for Agora alone
(pabutools does not finish in 20 minutes) and must take under 60 s of wall
time. Outcomes are also checked against ``expected.json``. The exit status is
1 when an outcome differs, 2 when a runner fails; timings only change it with
``--strict``.
"""

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from measure import ADD1, RULES

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
DATA = Path(os.environ.get("PABULIB_DIR") or ROOT.parent / "shared" / "pabulib")
VENV = HERE / ".venv-pabutools"
VENV_PYTHON = VENV / "bin" / "python"
PABUTOOLS = ("pabutools==1.2.3", "gmpy2")

NOT_OFFERED = {"cumulative": {"mes-card"}, "ordinal": {"greedy-per-cost"}}

LARGE = (
    "Poland_Warszawa_2026",
    "Poland_Lodz_2022",
    "Poland_Krakow_2024",
    "Poland_Katowice_2020",
    "France_Toulouse_2022",
)
BUDAPEST = "Hungary_Budapest_2024"
SMALL = (
    "Netherlands_Assen_2024",
    "Poland_Gdynia_2020_Babie_Doly__small",
    "Poland_Swiecie_2023",
    "Switzerland_Zurich_S5D10",
    "Switzerland_Zurich_S5R",
    "Poland_Krakow_2018_Bienczyce",
    "Poland_Czestochowa_2020_Bleszno",
)
# pabutools does not finish these in 20 minutes: not run without a timeout.
PABUTOOLS_DNF = {(BUDAPEST, rule) for rule in ADD1}

# A run at least this long is not repeated: a median of three would cost minutes.
LONG_RUN_SECONDS = 10.0

MEMO_NOTE = "MES memo limited to the current budget"

MIN_SPEEDUP = 50
MAX_MEMORY_RATIO = Fraction(1, 3)
MAX_ALONE_SECONDS = 60


@dataclass
class Run:
    """What one engine gave for one instance and rule."""

    status: str  # ok, error, timeout, dnf, skipped
    selected: list[str] = field(default_factory=list)
    total_cost: str = ""
    seconds: float = 0.0  # CPU seconds of the rule call (timeout: wall)
    wall: float = 0.0  # wall seconds of the rule call
    runs: int = 0
    peak_mib: float = 0.0
    message: str = ""  # why it failed
    note: str = ""  # how it was run, when that differs from the usual

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class Row:
    instance: str
    rule: str
    targeted: bool  # the speed and memory targets apply
    alone: bool  # Agora alone, against MAX_ALONE_SECONDS
    agora: Run
    pabutools: Run
    reference: dict[str, Any] | None
    checks: dict[str, bool | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def same_outcome(rule: str, a_selected, a_cost, b_selected, b_cost) -> bool:
    """Same projects and total cost, and the same order except for phragmen."""
    if rule == "phragmen":
        a_selected, b_selected = sorted(a_selected), sorted(b_selected)
    return list(a_selected) == list(b_selected) and Fraction(a_cost) == Fraction(b_cost)


def judge(row: Row) -> None:
    """Fill ``row.checks`` (True, False, or None when unknown) and its failures."""
    agora, pabu, ref = row.agora, row.pabutools, row.reference
    checks = row.checks
    checks["equal"] = (
        same_outcome(
            row.rule, agora.selected, agora.total_cost, pabu.selected, pabu.total_cost
        )
        if agora.ok and pabu.ok
        else None
    )
    for name, run in (("agora_ref", agora), ("pabutools_ref", pabu)):
        checks[name] = (
            same_outcome(
                row.rule,
                run.selected,
                run.total_cost,
                ref["selected"],
                ref["total_cost"],
            )
            if run.ok and ref is not None
            else None
        )
    outcome_checks = [checks["equal"], checks["agora_ref"], checks["pabutools_ref"]]
    if False in outcome_checks:
        row.failures.append("outcome")
    if agora.status in {"error", "timeout"}:
        row.failures.append(f"Agora {agora.status}")
    if pabu.status == "error":
        row.failures.append("pabutools error")
    if row.alone:
        checks["time"] = agora.wall < MAX_ALONE_SECONDS if agora.ok else None
    elif row.targeted and agora.ok and pabu.ok:
        checks["speed"] = pabu.seconds >= MIN_SPEEDUP * agora.seconds
        checks["memory"] = agora.peak_mib <= MAX_MEMORY_RATIO * pabu.peak_mib
    elif row.targeted and agora.ok and pabu.status == "timeout":
        # pabutools took longer than the timeout: a lower bound on the ratio
        checks["speed"] = pabu.seconds >= MIN_SPEEDUP * agora.seconds or None
    for name in ("time", "speed", "memory"):
        if checks.get(name) is False:
            row.failures.append(name)


def verdict(row: Row) -> str:
    if row.failures:
        return "FAIL (" + ", ".join(row.failures) + ")"
    if not row.agora.ok:
        return "-"
    if row.alone:
        return "PASS" if row.checks.get("time") else "-"
    if row.targeted:
        wanted = ("equal", "speed", "memory")
        return "PASS" if all(row.checks.get(k) for k in wanted) else "incomplete"
    return "ok (outcome)" if row.checks.get("equal") else "-"


# ---------------------------------------------------------------- subprocesses


def run_child(command: list[str], *, cwd: Path, timeout: float | None) -> dict:
    """Run one measuring child; its last stdout line is its JSON result."""
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},  # no __pycache__
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": timeout}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"status": "error", "message": error[:200]}
    return {"status": "ok", **json.loads(lines[-1])}


def measure_runs(
    command: list[str], *, cwd: Path, timeout: float | None, rule: str, repeat: int
) -> dict[str, Run]:
    """Start the child up to ``repeat`` times; the Run of each rule it reported.

    Each run is a fresh process, so no cache and no memory is carried from one
    to the next. A run whose slowest rule took ``LONG_RUN_SECONDS`` or more is
    not repeated; seconds and peak memory are medians over the runs.
    """
    seconds: dict[str, list[float]] = {}
    walls: dict[str, list[float]] = {}
    peaks: list[float] = []
    results: dict[str, dict] = {}
    for _ in range(max(1, repeat)):
        result = run_child(command, cwd=cwd, timeout=timeout)
        if result["status"] != "ok":
            failed = Run(
                status=result["status"],
                seconds=result.get("seconds") or 0.0,
                message=result.get("message", ""),
            )
            return dict.fromkeys(results or [rule], failed)
        peaks.append(result["peak_mib"])
        for name, values in result["rules"].items():
            seconds.setdefault(name, []).append(values["seconds"])
            walls.setdefault(name, []).append(values.get("wall", values["seconds"]))
            results[name] = values
        if max(values["seconds"] for values in result["rules"].values()) >= (
            LONG_RUN_SECONDS
        ):
            break
    note = MEMO_NOTE if result.get("memo_limited") else ""
    return {
        name: Run(
            status="ok",
            selected=values["selected"],
            total_cost=values["total_cost"],
            seconds=statistics.median(seconds[name]),
            wall=statistics.median(walls[name]),
            runs=len(seconds[name]),
            peak_mib=statistics.median(peaks),
            note=note,
        )
        for name, values in results.items()
    }


def ensure_pabutools() -> str:
    """Create the pabutools virtualenv if needed; return pabutools' version line."""
    probe = [
        str(VENV_PYTHON),
        "-c",
        "import sys, gmpy2; from importlib.metadata import version; "
        "print(version('pabutools'), version('gmpy2'), sys.version.split()[0])",
    ]
    wanted = PABUTOOLS[0].split("==")[1]
    if VENV_PYTHON.exists():
        found = subprocess.run(probe, capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.split()[0] == wanted:
            return found.stdout.strip()
    print(f"Installing {' '.join(PABUTOOLS)} into {VENV} ...", flush=True)
    # The project's interpreter, so both engines run on the same Python version.
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", *PABUTOOLS],
        check=True,
    )
    found = subprocess.run(probe, capture_output=True, text=True, check=True)
    return found.stdout.strip()


def agora_kernel() -> str:
    """Which MES kernel the Agora runs use: the C one, or the Python fallback."""
    probe = "from budget.counting import mes; print(mes.compiled is not None)"
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.stdout.strip() == "True":
        return "C (budget/counting/_mes.c, GMP)"
    return "Python only: the C kernel is not built (make install, libgmp-dev)"


def git(*arguments: str) -> str:
    done = subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def machine_facts(pabutools_line: str | None) -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    commit = git("log", "-1", "--format=%h %s", "--", "budget/counting") or "(none)"
    if git("status", "--porcelain", "--", "budget/counting"):
        commit += " (+ uncommitted changes)"
    facts = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "nproc": f"{len(os.sched_getaffinity(0))} (cpu_count {os.cpu_count()})",
        "cpu": cpu,
        "memory": f"{int(memory) / 1024 / 1024:.1f} GiB",
        "load average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "agora python": sys.version.split()[0],
        "agora kernel": agora_kernel(),
        "engine commit": commit,
        "data": str(DATA),
    }
    if pabutools_line:
        pabu, gmpy2, python = pabutools_line.split()
        facts["pabutools"] = f"{pabu} (gmpy2 {gmpy2}, python {python}, {VENV_PYTHON})"
    return facts


# --------------------------------------------------------------------- planning


def instance_facts(name: str, expected: dict) -> dict[str, Any]:
    """Vote type and size, from expected.json or else the file's META."""
    if name in expected:
        return expected[name]
    meta: dict[str, str] = {}
    with (DATA / "instances" / f"{name}.pb").open(encoding="utf-8-sig") as lines:
        next(lines)  # META
        for line in lines:
            key, _, value = line.strip().partition(";")
            if key.lower() == "projects":
                break
            meta[key] = value
    return {
        "vote_type": meta.get("vote_type", "?"),
        "num_projects": meta.get("num_projects", "?"),
        "num_voters": meta.get("num_votes", "?"),
        "rules": {},
    }


def find_instances(names: list[str]) -> list[str]:
    """Full instance names from names or unique case-insensitive parts of them."""
    known = sorted(p.stem for p in (DATA / "instances").glob("*.pb"))
    found = []
    for name in names:
        matches = [k for k in known if k == name] or [
            k for k in known if name.lower() in k.lower()
        ]
        if len(matches) != 1:
            choices = ", ".join(matches) if matches else "none; see " + str(DATA)
            sys.exit(f"--instances {name!r} matches {choices}")
        found.extend(matches)
    return found


def plan(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(instance, rule) pairs to measure, before dropping rules not offered."""
    rules = args.rules or list(RULES)
    if args.instances:
        return [(i, r) for i in find_instances(args.instances) for r in rules]
    if args.quick:
        return [(i, r) for i in SMALL for r in rules]
    pairs = [(i, r) for i in LARGE for r in rules]
    return pairs + [(BUDAPEST, r) for r in rules if r in ADD1]


# ---------------------------------------------------------------------- display


def figure(s: float) -> str:
    if s >= 1:
        return f"{s:.2f}" if s < 100 else f"{s:.0f}"
    # three significant digits, never in exponent notation
    return f"{s:.{2 - math.floor(math.log10(s))}f}" if s > 0 else "0"


def seconds_text(run: Run) -> str:
    """CPU seconds, then wall seconds in parentheses."""
    if run.status == "ok":
        return f"{figure(run.seconds)} ({figure(run.wall)})"
    if run.status == "timeout":
        return f">{run.seconds:.0f} (timeout)"
    return {"dnf": "DNF (not run)", "skipped": "-", "error": "error"}[run.status]


def mib_text(run: Run) -> str:
    return f"{run.peak_mib:.0f}" if run.ok else "-"


def ratio_texts(row: Row) -> tuple[str, str]:
    agora, pabu = row.agora, row.pabutools
    speed = memory = "-"
    if agora.ok and pabu.status in {"ok", "timeout"} and agora.seconds > 0:
        ratio = pabu.seconds / agora.seconds
        bound = ">" if pabu.status == "timeout" else ""
        speed = bound + (f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x")
    if agora.ok and pabu.ok:
        memory = f"{agora.peak_mib / pabu.peak_mib:.2f}"
    return speed, memory


def check_text(value: bool | None, yes: str = "yes") -> str:
    return {True: yes, False: "NO", None: "-"}[value]


COLUMNS = (
    ("rule", 16, "<"),
    ("Agora cpu (wall) s", 20, ">"),
    ("pabutools cpu (wall) s", 22, ">"),
    ("speed", 9, ">"),
    ("Agora MiB", 9, ">"),
    ("pabu MiB", 8, ">"),
    ("mem ratio", 9, ">"),
    ("equal", 5, "^"),
    ("reference", 9, "^"),
    ("verdict", 0, "<"),
)


def format_line(cells: list[str]) -> str:
    return "  ".join(
        f"{cell:{align}{width}}"
        for cell, (_, width, align) in zip(cells, COLUMNS, strict=False)
    ).rstrip()


def row_line(row: Row) -> str:
    speed, memory = ratio_texts(row)
    agora_ref, pabu_ref = row.checks["agora_ref"], row.checks["pabutools_ref"]
    if agora_ref is None and pabu_ref is None:
        reference = "n/a" if row.reference is None else "-"
    elif False in (agora_ref, pabu_ref):
        reference = "agora NO" if agora_ref is False else ""
        reference += " pabu NO" if pabu_ref is False else ""
    else:
        reference = "same"
    return format_line(
        [
            row.rule,
            seconds_text(row.agora),
            seconds_text(row.pabutools),
            speed,
            mib_text(row.agora),
            mib_text(row.pabutools),
            memory,
            check_text(row.checks["equal"]),
            reference.strip(),
            verdict(row),
        ]
    )


def failure_lines(row: Row) -> list[str]:
    """What lies behind a failed row: outcomes that differ, a runner that failed."""
    lines = [f"  {row.instance} {row.rule}: {', '.join(row.failures)}"]
    runs = (("Agora", row.agora), ("pabutools", row.pabutools))
    if "outcome" in row.failures:
        for name, run in runs:
            if run.ok:
                lines.append(f"    {name:9} {run.total_cost:>12} {run.selected}")
        if row.reference is not None:
            cost, selected = row.reference["total_cost"], row.reference["selected"]
            lines.append(f"    {'reference':9} {cost:>12} {selected}")
    for name, run in runs:
        if run.status == "error":
            lines.append(f"    {name} failed: {run.message}")
        elif run.status == "timeout":
            lines.append(f"    {name} stopped after {run.seconds:.0f} s")
    return lines


# ------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Data: $PABULIB_DIR or ../shared/pabulib beside the repository.",
    )
    parser.add_argument(
        "--instances",
        nargs="+",
        metavar="NAME",
        help="instance names or unique parts of them (default: issue 4's list)",
    )
    parser.add_argument("--rules", nargs="+", choices=RULES, metavar="RULE")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per measurement, median kept; a run of 10 s or more is not "
        "repeated (default 3)",
    )
    parser.add_argument(
        "--pabutools-timeout",
        type=float,
        metavar="SECONDS",
        help="stop a pabutools run after this long (reported as timeout); with "
        "it, Budapest Add1 is run for pabutools too",
    )
    parser.add_argument(
        "--agora-timeout",
        type=float,
        default=600,
        metavar="SECONDS",
        help="stop an Agora run after this long, a failure (default 600)",
    )
    parser.add_argument(
        "--engine",
        choices=("both", "agora", "pabutools"),
        default="both",
        help="run one side only (default both)",
    )
    parser.add_argument("--quick", action="store_true", help="small instances only")
    parser.add_argument("--json", type=Path, metavar="FILE", help="save results")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a speed, memory or time target is missed too",
    )
    return parser.parse_args(argv)


def measure_row(
    args: argparse.Namespace,
    instance: str,
    rule: str,
    reference: dict | None,
    pabutools_cache: dict[tuple[str, str], Run],
) -> Row:
    path = str(DATA / "instances" / f"{instance}.pb")
    if args.engine == "pabutools":
        agora = Run(status="skipped")
    else:
        command = [sys.executable, str(HERE / "agora_runner.py"), path, "--rule", rule]
        agora = measure_runs(
            command, cwd=ROOT, timeout=args.agora_timeout, rule=rule, repeat=args.repeat
        )[rule]
    key = (instance, rule)
    if args.engine == "agora":
        pabu = Run(status="skipped")
    elif key in PABUTOOLS_DNF and args.pabutools_timeout is None:
        pabu = Run(status="dnf", message="pabutools does not finish in 20 minutes")
    elif key in pabutools_cache:
        pabu = pabutools_cache.pop(key)
    else:
        command = [str(VENV_PYTHON), str(HERE / "pabutools_runner.py"), path]
        runs = measure_runs(
            [*command, "--rule", rule],
            cwd=HERE,
            timeout=args.pabutools_timeout,
            rule=rule,
            repeat=args.repeat,
        )
        if rule in ADD1 and runs[rule].status == "timeout":
            runs = dict.fromkeys(ADD1, runs[rule])  # one Add1 run gives both
        pabu = runs.pop(rule)
        pabutools_cache.update({(instance, r): run for r, run in runs.items()})
    row = Row(
        instance=instance,
        rule=rule,
        targeted=instance in LARGE,
        alone=key in PABUTOOLS_DNF,
        agora=agora,
        pabutools=pabu,
        reference=reference,
    )
    judge(row)
    return row


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (DATA / "instances").is_dir():
        sys.exit(f"No Pabulib data in {DATA}: set PABULIB_DIR.")
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    pabutools_line = ensure_pabutools() if args.engine != "agora" else None
    facts = machine_facts(pabutools_line)
    print("Agora counting engine vs pabutools (issue 4)")
    for name, value in facts.items():
        print(f"  {name:13} {value}")
    print(
        f"  targets       on {', '.join(LARGE)}:\n"
        f"                >= {MIN_SPEEDUP}x faster, <= 1/3 of pabutools' peak "
        f"memory, same outcome; {BUDAPEST} Add1 (Agora alone) < "
        f"{MAX_ALONE_SECONDS} s"
    )
    print(
        "  method        a fresh process per run of an engine on an instance and "
        "rule;\n                the rule call is timed in CPU seconds of the "
        "process (time.process_time)\n                and in wall seconds, shown "
        "as cpu (wall); the speed ratio is CPU / CPU;\n"
        f"                median of up to {args.repeat} runs (one if it takes >= "
        f"{LONG_RUN_SECONDS:.0f} s);\n"
        "                peak RSS of the whole process, parsing included"
    )

    rows: list[Row] = []
    pabutools_cache: dict[tuple[str, str], Run] = {}
    current = None
    for instance, rule in plan(args):
        info = instance_facts(instance, expected)
        if rule in NOT_OFFERED.get(info["vote_type"], ()):
            continue
        if instance != current:
            current = instance
            print(
                f"\n{instance}: {info['vote_type']}, {info['num_projects']} "
                f"projects x {info['num_voters']} voters"
            )
            print(format_line([name for name, *_ in COLUMNS]))
        reference = info["rules"].get(rule)
        row = measure_row(args, instance, rule, reference, pabutools_cache)
        rows.append(row)
        print(row_line(row), flush=True)
        if args.json:  # after every row: a long run stopped midway keeps its rows
            save(args.json, facts, rows)

    print_summary(rows, time.perf_counter() - started)
    if args.json:
        print(f"Results saved to {args.json}")
    return exit_status(rows, strict=args.strict)


def save(path: Path, facts: dict[str, str], rows: list[Row]) -> None:
    data = {"facts": facts, "rows": [asdict(row) for row in rows]}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def print_summary(rows: list[Row], elapsed: float) -> None:
    failed = [row for row in rows if row.failures]
    memo = [
        f"{row.instance} {row.rule}" for row in rows if row.pabutools.note == MEMO_NOTE
    ]
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"\n{len(rows)} measurements in {elapsed:.0f} s; {len(failed)} failed; "
        f"load average now {load}."
    )
    if memo:
        print(
            "pabutools Add1 ran with its MES memo limited to each voter's current "
            "budget (same outcome; unpatched it grows at every step, as in the "
            "README baseline) on: " + ", ".join(dict.fromkeys(memo))
        )
    for row in failed:
        print("\n".join(failure_lines(row)))


def exit_status(rows: list[Row], *, strict: bool) -> int:
    failures = {failure for row in rows for failure in row.failures}
    if "outcome" in failures:
        return 1
    if failures & {"Agora error", "Agora timeout", "pabutools error"}:
        return 2
    return 1 if strict and failures else 0


if __name__ == "__main__":
    sys.exit(main())
