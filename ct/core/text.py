"""Text keys for searching and comparing names the way people type them."""

import re
import unicodedata

# Legal forms ignored when looking for duplicate companies ("Dupont SARL" = "DUPONT").
LEGAL_SUFFIXES = {
    "sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "scop", "gie", "ei", "eirl", "scp",
    "ltd", "limited", "llc", "inc", "plc", "gmbh", "ag", "bv", "nv", "srl", "spa", "co",
    "corp", "corporation", "company", "cie", "et", "and",
}


def fold(text: str | None) -> str:
    """Lower-case, accents removed, spaces collapsed: 'Éléonore  DUPRÉ' -> 'eleonore dupre'."""
    if not text:
        return ""
    if text.isascii():  # most names, and nearly every email, code and phone: 20x faster
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def company_key(name: str | None) -> str:
    """The name of a company without punctuation and legal form, for duplicate checks."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(name)).split()
    kept = [w for w in words if w not in LEGAL_SUFFIXES]
    return " ".join(kept or words)


def trigrams(text: str) -> set[str]:
    """The trigrams of pg_trgm: each word (letters and digits) lower-cased, padded with two
    spaces in front and one behind, cut in threes."""
    found = set()
    for word in re.findall(r"[^\W_]+", text.lower()):
        padded = f"  {word} "
        found.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams, from 0 to 1. SQLite gets
    it as an SQL function (ct/core/db_setup.py), so one query serves both databases."""
    first, second = trigrams(a or ""), trigrams(b or "")
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def search_blob(*parts: str | None) -> str:
    """The folded text a row is found by (one trigram-indexed column per table)."""
    return " ".join(fold(p) for p in parts if p)


def like_escaped(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(query: str) -> str:
    """A LIKE pattern matching ``query`` anywhere, with LIKE's wildcards escaped."""
    return f"%{like_escaped(fold(query))}%"


def prefix_pattern(query: str) -> str:
    return f"{like_escaped(fold(query))}%"


def N_(message: str) -> str:  # noqa: N802 - the marker's usual name, which extract looks for
    """A message marked for the catalogs but kept in English: it is stored so (a captured
    email's failure reason) and translated where it is shown (``_(row.failure)``)."""
    return message
