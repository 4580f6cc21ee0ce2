"""Text that came over the wire, made safe to print on a technician's terminal."""
from __future__ import annotations

import unicodedata

# Control characters (escape sequences, carriage returns), format characters (bidi overrides,
# zero-width marks), lone surrogates and line/paragraph separators: none of them prints as itself.
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def for_terminal(text: str, limit: int = 200) -> str:
    """`text` with every unprintable character replaced and cut to `limit` characters."""
    safe = "".join(REPLACEMENT if unicodedata.category(c) in _UNPRINTABLE_CATEGORIES else c for c in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"
