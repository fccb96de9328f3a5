"""Certificate codes: 140 random bits written as 28 Crockford base32 symbols in
seven groups of four (``7K3M-Q9XA-...``). Crockford's alphabet has no I, L, O
or U, and reading a code back forgives the usual confusions (I/L for 1, O for
0), lower case, spaces and dashes."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 28  # symbols; 28 x 5 = 140 bits, above the 122 bits of a UUID4 (D01)
GROUP = 4
_DECODE = {ch: ch for ch in ALPHABET} | {"I": "1", "L": "1", "O": "0"}
CANONICAL_RE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
# What a URL may carry before normalisation: symbols, dashes, at most 64 chars.
URL_PATTERN = r"[0-9A-Za-z-]{1,64}"


def generate() -> str:
    """A new random code in canonical form (28 symbols, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    """The printed form: groups of four separated by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(value: str | None) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be
    one (wrong length or symbols)."""
    if not value:
        return None
    cleaned = re.sub(r"[\s\-‐-―]", "", str(value)).upper()
    if len(cleaned) != LENGTH:
        return None
    try:
        canonical = "".join(_DECODE[ch] for ch in cleaned)
    except KeyError:
        return None
    return canonical
