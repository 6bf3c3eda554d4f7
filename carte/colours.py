"""Colour contrast (pure), after WCAG 2.1's relative luminance definition."""

import re
from fractions import Fraction

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channel(value: int) -> Fraction:
    srgb = Fraction(value, 255)
    if srgb <= Fraction(3928, 100000):
        return srgb / Fraction(1292, 100)
    # The 2.4 power is not rational: this is the one place where a float is used,
    # for a display check, never for money or a vote.
    return Fraction(((float(srgb) + 0.055) / 1.055) ** 2.4)


def luminance(colour: str) -> Fraction:
    if not HEX_COLOUR.match(colour):
        raise ValueError(colour)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return (
        Fraction(2126, 10000) * _channel(r)
        + Fraction(7152, 10000) * _channel(g)
        + Fraction(722, 10000) * _channel(b)
    )


def contrast_ratio(first: str, second: str) -> Fraction:
    """WCAG contrast ratio between two #rrggbb colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + Fraction(5, 100)) / (low + Fraction(5, 100))
