"""The one refusal of the pure modules (pure: standard library only).

A pure module never builds a sentence: it raises `CodedError` (or a subclass
naming its domain) with a `code`, and the Django layer turns the code into a
translated message.
"""


class CodedError(ValueError):
    """A refusal with a machine-readable `code` and an optional `detail`."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
