"""Command line: count a Pabulib file with one or more rules.

    python -m budget.counting tally FILE.pb --rule mes --rule greedy --json
    python -m budget.counting tally FILE.pb --rule mes-add1 --tie-break lexico

`--json` prints one object {"RULE": {"selected": [ids in selection order],
"total_cost": "exact decimal in the file's currency units"}, ...}; without it, a
table and the French explanation of each outcome. Without `--rule`, every rule
offered for the file's vote type runs. A bad file, an unknown rule or tie-break
prints "error: ..." on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from budget.counting import tiebreak
from budget.counting.explain import explain, format_amount
from budget.counting.pabulib import PabulibError, format_units, read_path
from budget.counting.rules import (
    RULES,
    UnknownRuleError,
    check_known,
    offered,
    tally,
)
from budget.counting.types import Election, Outcome

EXIT_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m budget.counting",
        description="Count participatory budgeting votes (Pabulib files).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    count = commands.add_parser("tally", help="count a .pb file")
    count.add_argument("file", help="a Pabulib .pb file")
    count.add_argument(
        "--rule",
        action="append",
        default=[],
        help=f"a rule, repeatable (default: all offered): {', '.join(RULES)}",
    )
    count.add_argument(
        "--tie-break",
        default="lexico",
        help="lexico (default), or a chain such as lowest-cost,most-votes,lottery:SEED",
    )
    count.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        for rule in args.rule:
            check_known(rule)
        tie_break = tiebreak.parse(args.tie_break)
        election = read_path(args.file)
        rules = args.rule or list(offered(election.vote_type))
        outcomes = [tally(election, rule, tie_break=tie_break) for rule in rules]
    except (PabulibError, UnknownRuleError, tiebreak.TieBreakError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps(as_json(outcomes), ensure_ascii=False))
    else:
        print(as_text(outcomes, election))
    return 0


def as_json(outcomes: Sequence[Outcome]) -> dict[str, dict[str, object]]:
    return {
        o.rule: {"selected": list(o.selected), "total_cost": format_units(o.total_cost)}
        for o in outcomes
    }


def as_text(outcomes: Sequence[Outcome], election: Election) -> str:
    currency = election.meta.get("currency", "") or "EUR"
    lines = [
        f"{election.meta.get('description', '')} — budget "
        f"{format_amount(election.budget, currency)}, "
        f"{election.num_voters} votants, {len(election.projects)} projets "
        f"({election.vote_type})",
        "",
        f"{'règle':<16} {'projets':>7} {'coût total':>22}  sélection",
    ]
    for o in outcomes:
        cost = format_amount(o.total_cost, currency)
        lines.append(
            f"{o.rule:<16} {len(o.selected):>7} {cost:>22}  {' '.join(o.selected)}"
        )
    for o in outcomes:
        lines += ["", f"== {o.rule} (départage : {o.tie_break})"]
        lines += explain(o, election)
    return "\n".join(lines)
