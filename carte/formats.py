"""Money formatting and parsing in French (pure): integer cents, never float."""

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def format_euros(cents: int, *, symbol: bool = True) -> str:
    """Format integer cents the French way: 123450 -> "1 234,50 €".

    Thousands are separated by a narrow no-break space, the euro sign follows a
    no-break space; whole amounts keep their cents (",00") for exactness.
    """
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError("cents must be an int")
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", NARROW_NBSP)
    text = f"{sign}{grouped},{rest:02d}"
    return f"{text}{NBSP}€" if symbol else text


_AMOUNT = re.compile(r"^(?P<units>\d+)(?:[.,](?P<cents>\d{1,2}))?$")


class AmountError(ValueError):
    """An amount that cannot be read as euros and cents."""


def parse_euros(text: str) -> int:
    """Read "1 500", "1 500,5", "1500.50 €" as integer cents; AmountError otherwise."""
    cleaned = (
        text.replace("€", "")
        .replace(NBSP, "")
        .replace(NARROW_NBSP, "")
        .replace(" ", "")
        .strip()
    )
    match = _AMOUNT.match(cleaned)
    if not match:
        raise AmountError(text)
    cents = (match.group("cents") or "0").ljust(2, "0")
    return int(match.group("units")) * 100 + int(cents)
