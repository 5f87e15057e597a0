"""Checks of single cells, and the problems a row can have.

A problem is stored as a code with its parameters (the report is kept in the import run
and shown later, in the language of whoever looks at it) and is either an error (the
row will not be imported) or a warning (it will, but look at it).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from ct.core.text import fold

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    "required_name": _l("The name is empty."),
    "required_person": _l("Give a first name or a last name."),
    "too_long": _l("Too long: at most %(max)d characters."),
    "invalid_email": _l("Not a valid email address."),
    "invalid_phone": _l("Not a valid phone number: digits, spaces and + . - ( ) only, "
                        "6 to 20 digits."),
    "unknown_kind": _l("Unknown type “%(value)s”: use prospect, client or fournisseur "
                       "(customer, supplier)."),
    "code_exists": _l("A third party with this customer code already exists."),
    "duplicate_row": _l("Same row as row %(row)d."),
    "duplicate_code": _l("Same customer code as row %(row)d."),
    "same_name": _l("Same name as row %(row)d: check it is not the same one."),
    "same_email": _l("Same email as row %(row)d: check it is not the same one."),
    "name_exists": _l("A third party with this name already exists: check it is not the "
                      "same one."),
    "tiers_not_found": _l("No third party is named “%(value)s”."),
    "code_not_found": _l("No third party has the customer code “%(value)s”."),
    "tiers_ambiguous": _l("Several third parties have this name, use the customer code."),
}


class Problem(NamedTuple):
    row: int
    column: str  # the header as written in the file ("" for the whole row)
    code: str
    params: dict
    severity: str = ERROR

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(
            MESSAGES[self.code])


def problem_from_json(data: list) -> Problem:
    return Problem(*data)


_PHONE_CHARS = re.compile(r"[0-9 +.\-()]+")
_KIND_SEPARATORS = re.compile(r"[,|;/]")
KIND_WORDS = {
    "prospect": "prospect", "prospects": "prospect",
    "client": "customer", "clients": "customer", "customer": "customer",
    "customers": "customer",
    "fournisseur": "supplier", "fournisseurs": "supplier", "supplier": "supplier",
    "suppliers": "supplier",
}


# The ordinary address (ASCII dot-atom, ASCII domain with a letters-only top level): a
# regular expression says yes in a microsecond; anything else goes to email_validator,
# the library the forms use. 50,000 addresses through email_validator alone take seconds.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)


_SPECIAL_SUFFIXES = tuple("." + name for name in SPECIAL_USE_DOMAIN_NAMES)


def email_ok(value: str) -> bool:
    plain = _PLAIN_EMAIL.fullmatch(value)
    if plain and len(value) <= 254 and value.index("@") <= 64:
        domain = plain.group(1).lower()
        if domain not in SPECIAL_USE_DOMAIN_NAMES and not domain.endswith(_SPECIAL_SUFFIXES):
            return True
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def phone_ok(value: str) -> bool:
    if not _PHONE_CHARS.fullmatch(value):
        return False
    digits = sum(c.isdigit() for c in value)
    return 6 <= digits <= 20


def parse_kinds(value: str) -> tuple[set[str], str | None]:
    """The kinds named in a cell ("client, fournisseur"), and the first unknown word."""
    kinds = set()
    for word in _KIND_SEPARATORS.split(value):
        key = fold(word)
        if not key:
            continue
        kind = KIND_WORDS.get(key)
        if kind is None:
            return kinds, word.strip()
        kinds.add(kind)
    return kinds, None
