"""The trace of an outcome as plain French sentences, for the results pages.

`explain(outcome, election)` turns each `Step` (codes and numbers, see
`types.STEP_CODES`) into one sentence: "Le projet 12 est retenu : 1 234 voix, ...".
Amounts are written the French way, in the election's currency (META `currency`),
rounded to the cent with "environ" when an exact share is not a whole number of
cents; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from budget.counting.types import Election, Outcome, Step, VoteType

NARROW_NBSP = "\u202f"  # between thousands, as in "1 234,50 €"
NBSP = "\u00a0"  # before the currency
SYMBOLS = {"EUR": "€", "USD": "$", "CHF": "CHF", "PLN": "zł", "HUF": "Ft"}


def explain(outcome: Outcome, election: Election) -> list[str]:
    """One French sentence per step of the outcome's trace, then a summary."""
    money = _money_formatter(election)
    score_label = _score_label(election, outcome.rule)
    lines = []
    for step in outcome.steps:
        if step.code in SENTENCES:
            lines.append(_sentence(step, money, score_label))
        else:
            lines.append(f"Étape « {step.code} » pour le projet {step.project}.")
    count = len(outcome.selected)
    chosen = ", ".join(outcome.selected) or "aucun"
    lines.append(
        f"Résultat ({outcome.rule}) : {count} projet{'s' * (count > 1)} retenu"
        f"{'s' * (count > 1)} ({chosen}), pour {money(outcome.total_cost)} "
        f"sur un budget de {money(election.budget)}."
    )
    return lines


def format_amount(cents: int | Fraction, currency: str = "EUR") -> str:
    """An amount in cents, the French way: 123450 -> "1 234,50 €" (narrow no-break
    space between thousands, no-break space before the symbol); whole amounts
    without decimals; a fraction of a cent rounded, prefixed with "environ"."""
    exact = Fraction(cents)
    rounded = round(exact)  # Fraction rounding: exact, half to even
    prefix = "" if rounded == exact else "environ "
    sign = "-" if rounded < 0 else ""
    units, rest = divmod(abs(rounded), 100)
    grouped = f"{units:,}".replace(",", NARROW_NBSP)
    decimals = f",{rest:02d}" if rest else ""
    symbol = SYMBOLS.get(currency, currency)
    return f"{prefix}{sign}{grouped}{decimals}{NBSP}{symbol}"


def _money_formatter(election: Election) -> Callable[[int | Fraction], str]:
    currency = election.meta.get("currency", "") or "EUR"
    return lambda cents: format_amount(cents, currency)


def _score_label(election: Election, rule: str) -> str:
    if election.vote_type is VoteType.CUMULATIVE:
        return "points"
    if election.vote_type is VoteType.ORDINAL and rule == "greedy":
        return "points (classements)"
    return "voix"


def _number(value: int | str | Fraction) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    return f"{int(value):,}".replace(",", NARROW_NBSP)


MONEY = frozenset({"cost", "price", "per_voter", "load"})  # detail keys in cents

# One sentence per step code; {project}, {remaining}, {label} and the step's
# detail, formatted by `_fields`, fill it.
SENTENCES: Mapping[str, str] = {
    "selected": "Le projet {project} est retenu : {score} {label}{per_cost_note}, "
    "coût {cost} ; il reste {remaining}.",
    "skipped": "Le projet {project} ({score} {label}) n'est pas retenu : son coût, "
    "{cost}, dépasse ce qui reste ({remaining}).",
    "tie_broken": "Égalité entre le projet {project} et {against} : le départage "
    "publié ({tie_break}) donne la priorité au projet {project}.",
    "mes_selected": "Le projet {project} est retenu : ses {supporters} soutiens le "
    "financent à parts égales, {price}{per_point} chacun{paid_all_left_note} ; "
    "coût {cost}, il reste {remaining}.",
    "mes_unaffordable": "Le projet {project} ne peut plus être retenu : ses soutiens "
    "n'ont plus assez d'argent pour payer son coût ({cost}).",
    "zero_cost": "Le projet {project}, qui ne coûte rien, est retenu d'emblée.",
    "add1_budget": "La part de chaque votant vaut {per_voter} (le budget divisé par "
    "le nombre de votants, augmenté {increments} fois d'une unité monétaire jusqu'à "
    "utiliser le budget au mieux ; {runs} calculs).",
    "completion": "Il reste {remaining} : les projets non retenus sont examinés par "
    "nombre de soutiens, et retenus s'ils tiennent dans ce reste.",
    "phragmen_selected": "Le projet {project} est retenu{load_note} ; coût {cost}, "
    "il reste {remaining}.",
    "phragmen_stop": "Le projet suivant, {project}, coûte {cost} et ne tient pas "
    "dans ce qui reste ({remaining}) : le calcul s'arrête.",
}


def _sentence(step: Step, money: Callable[[int | Fraction], str], label: str) -> str:
    return SENTENCES[step.code].format_map(_fields(step, money, label))


def _fields(step: Step, money, label: str) -> dict[str, str]:
    """The step's detail written out (money, numbers), and the optional clauses."""
    d = step.detail
    fields = {
        name: money(value)
        if name in MONEY
        else value
        if isinstance(value, str)
        else _number(value)
        for name, value in d.items()
    }
    fields["against"] = str(d.get("against", "")).replace(",", ", ")
    fields["per_cost_note"] = (
        f" (rapport {label} / coût : {fields['per_cost']} par centime)"
        if "per_cost" in d
        else ""
    )
    fields["per_point"] = " par point donné" if label == "points" else ""
    fields["paid_all_left_note"] = (
        f", {fields['paid_all_left']} d'entre eux donnant tout ce qui leur restait"
        if d.get("paid_all_left")
        else ""
    )
    fields["load_note"] = (
        f", la charge de ses votants passe à {fields['load']}" if "load" in d else ""
    )
    return fields | {
        "project": step.project,
        "remaining": money(step.remaining),
        "label": label,
    }
