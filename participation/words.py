"""The words that say what an idea is about, for finding duplicates (pure)."""

import re

SIMILAR_WORDS = 6
# Short French words that say nothing about an idea.
STOP_WORDS = frozenset(
    """
    alors au aux avec ce ces cette dans de des du en et la le les leur mais mon
    ne nos notre nous on ou par pas plus pour que qui sa se ses son sous sur ta
    tes ton tous tout une un vos votre vous ville commune quartier faire mettre
    """.split()
)


def significant_words(title: str) -> list[str]:
    """The longest meaningful words of a title, for the duplicate search."""
    words = {w for w in re.findall(r"\w+", title.lower()) if len(w) >= 4}
    words -= STOP_WORDS
    return sorted(words, key=lambda w: (-len(w), w))[:SIMILAR_WORDS]
