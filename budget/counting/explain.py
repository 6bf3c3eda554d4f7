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
        render = _RENDERERS.get(step.code)
        if render is None:
            lines.append(f"Étape « {step.code} » pour le projet {step.project}.")
        else:
            lines.append(render(step, money, score_label))
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


Render = Callable[[Step, Callable[[int | Fraction], str], str], str]


def _selected(step: Step, money, label) -> str:
    d = step.detail
    per_cost = ""
    if "per_cost" in d:
        per_cost = f" (rapport {label} / coût : {_number(d['per_cost'])} par centime)"
    return (
        f"Le projet {step.project} est retenu : {_number(d['score'])} {label}"
        f"{per_cost}, coût {money(d['cost'])} ; il reste {money(step.remaining)}."
    )


def _skipped(step: Step, money, label) -> str:
    d = step.detail
    return (
        f"Le projet {step.project} ({_number(d['score'])} {label}) n'est pas "
        f"retenu : son coût, {money(d['cost'])}, dépasse ce qui reste "
        f"({money(step.remaining)})."
    )


def _tie(step: Step, money, label) -> str:
    d = step.detail
    others = str(d["against"]).replace(",", ", ")
    return (
        f"Égalité entre le projet {step.project} et {others} : le départage "
        f"publié ({d['tie_break']}) donne la priorité au projet {step.project}."
    )


def _mes_selected(step: Step, money, label) -> str:
    d = step.detail
    per = " par point donné" if label == "points" else ""
    partial = ""
    if d["paid_all_left"]:
        partial = (
            f", {_number(d['paid_all_left'])} d'entre eux donnant tout ce qui "
            "leur restait"
        )
    return (
        f"Le projet {step.project} est retenu : ses {_number(d['supporters'])} "
        f"soutiens le financent à parts égales, {money(d['price'])}{per} chacun"
        f"{partial} ; coût {money(d['cost'])}, il reste {money(step.remaining)}."
    )


def _mes_unaffordable(step: Step, money, label) -> str:
    return (
        f"Le projet {step.project} ne peut plus être retenu : ses soutiens n'ont "
        f"plus assez d'argent pour payer son coût ({money(step.detail['cost'])})."
    )


def _zero_cost(step: Step, money, label) -> str:
    return f"Le projet {step.project}, qui ne coûte rien, est retenu d'emblée."


def _add1_budget(step: Step, money, label) -> str:
    d = step.detail
    return (
        f"La part de chaque votant vaut {money(d['per_voter'])} (le budget divisé par "
        f"le nombre de votants, augmenté {_number(d['increments'])} fois d'une "
        f"unité monétaire jusqu'à utiliser le budget au mieux ; "
        f"{_number(d['runs'])} calculs)."
    )


def _completion(step: Step, money, label) -> str:
    return (
        f"Il reste {money(step.remaining)} : les projets non retenus sont "
        "examinés par nombre de soutiens, et retenus s'ils tiennent dans ce reste."
    )


def _phragmen_selected(step: Step, money, label) -> str:
    d = step.detail
    load = (
        f", la charge de ses votants passe à {money(d['load'])}" if "load" in d else ""
    )
    return (
        f"Le projet {step.project} est retenu{load} ; coût {money(d['cost'])}, "
        f"il reste {money(step.remaining)}."
    )


def _phragmen_stop(step: Step, money, label) -> str:
    return (
        f"Le projet suivant, {step.project}, coûte {money(step.detail['cost'])} et "
        f"ne tient pas dans ce qui reste ({money(step.remaining)}) : le calcul "
        "s'arrête."
    )


_RENDERERS: Mapping[str, Render] = {
    "selected": _selected,
    "skipped": _skipped,
    "tie_broken": _tie,
    "mes_selected": _mes_selected,
    "mes_unaffordable": _mes_unaffordable,
    "zero_cost": _zero_cost,
    "add1_budget": _add1_budget,
    "completion": _completion,
    "phragmen_selected": _phragmen_selected,
    "phragmen_stop": _phragmen_stop,
}
