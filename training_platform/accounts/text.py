"""Text hygiene for names that are printed on pages, lists and certificates."""

import unicodedata

# Bidirectional overrides and isolates, and invisible marks, let a name reorder
# or hide the text around it (D06). Joiners (U+200C, U+200D) stay: several of the
# region's scripts need them.
_STRIP = {
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x200B,  # zero-width space
    0x200E,  # LRM
    0x200F,  # RLM
    0x061C,  # Arabic letter mark
    0xFEFF,  # BOM / zero-width no-break space
    0x2060,  # word joiner
}


def clean_person_name(value: str | None) -> str:
    """NFC-normalise a name, drop control and direction-override characters and
    collapse runs of white space."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    kept = []
    for ch in value:
        if ord(ch) in _STRIP:
            continue
        category = unicodedata.category(ch)
        if category == "Cc":  # control characters, tabs and newlines included
            kept.append(" ")
            continue
        kept.append(ch)
    return " ".join("".join(kept).split())
