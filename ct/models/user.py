"""Users are global identities; what they may do lives in their memberships."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ct.extensions import db
from ct.models.base import Timestamps

EMAIL_MAX = 254
NAME_MAX = 120
PASSWORD_MIN = 10
PASSWORD_MAX = 128

_hasher = PasswordHasher()  # argon2id with the library's recommended cost
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _password_hasher() -> PasswordHasher:
    return _fast_hasher if current_app.config.get("PASSWORD_HASH_FAST") else _hasher


def normalize_email(email: str) -> str:
    return email.strip().lower()


class User(UserMixin, Timestamps, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    language: Mapped[str | None] = mapped_column(String(5))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the session id: changing it (password change, "log out everywhere")
    # invalidates every session and remember-me cookie of the user.
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    def set_password(self, password: str) -> None:
        self.password_hash = _password_hasher().hash(password)
        self.session_token = secrets.token_hex(16)

    def check_password(self, password: str) -> bool:
        try:
            return _password_hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @staticmethod
    def by_email(email: str) -> User | None:
        return db.session.scalar(select(User).where(User.email == normalize_email(email)))

    @staticmethod
    def email_taken(email: str) -> bool:
        return bool(
            db.session.scalar(
                select(func.count()).select_from(User).where(User.email == normalize_email(email))
            )
        )


_dummy_hashes: dict[int, str] = {}


def spend_a_password_check(password: str) -> None:
    """Take the time of a real check, so an unknown email answers as slowly as a known one."""
    hasher = _password_hasher()
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash(secrets.token_hex(8))
    dummy = _dummy_hashes[id(hasher)]
    try:
        hasher.verify(dummy, password)
    except (VerificationError, InvalidHashError):
        pass
