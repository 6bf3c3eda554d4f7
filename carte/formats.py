"""Numbers typed by people, read one way (pure): money in French, as integer
cents (never float), and the ids of rows."""

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
# The largest value of a 64-bit signed column (BigIntegerField): ids and cents.
MAX_BIGINT = 2**63 - 1
ID_DIGITS = 18  # every number of 18 digits fits that column


def parse_id(text: str) -> int | None:
    """The id written in `text`, or None: only plain ASCII digits, at most 18 of
    them, are an id ("²", "١٢", "-3", " 3" or thirty digits are not)."""
    if not (0 < len(text) <= ID_DIGITS and text.isascii() and text.isdigit()):
        return None
    return int(text)


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


def search_text(text: str, limit: int) -> str:
    """Words typed in a search box, as one line of at most `limit` characters:
    spaces folded, and characters no one can see (NUL, bidirectional controls,
    which PostgreSQL or a search would choke on) taken as spaces."""
    visible = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(visible.split())[:limit]


_AMOUNT = re.compile(r"^(?P<units>[0-9]+)(?:[.,](?P<cents>[0-9]{1,2}))?$")


class AmountError(ValueError):
    """An amount that cannot be read as euros and cents."""


def parse_euros(text: str) -> int:
    """Read "1 500", "1 500,5", "1500.50 €" as integer cents; AmountError otherwise,
    also for digits other than 0-9 and for more cents than a 64-bit column holds."""
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
    total = int(match.group("units")) * 100 + int(cents)
    if total > MAX_BIGINT:
        raise AmountError(text)
    return total
