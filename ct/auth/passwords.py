"""Password policy: long enough, not absurdly long, not one of the most common ones.

ct/auth/common-passwords.txt: common French passwords, then the 20,000 most common
passwords of public breach lists as Django's password validation ships them (BSD
licence), one per line, compared case-insensitively.
"""

from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from ct.models.user import PASSWORD_MAX, PASSWORD_MIN

_COMMON_FILE = Path(__file__).parent / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().lower() for line in _COMMON_FILE.read_text().splitlines() if line.strip()
    )


def password_problem(password: str) -> str | None:
    """Why ``password`` is refused, or None when it is acceptable."""
    if len(password) < PASSWORD_MIN:
        return str(_l("Use at least %(n)d characters.", n=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        return str(_l("Use at most %(n)d characters.", n=PASSWORD_MAX))
    if password.lower() in common_passwords():
        return str(_l("This password is too common; choose another one."))
    return None


def strong_password(form, field) -> None:
    """WTForms validator applying the policy."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)
