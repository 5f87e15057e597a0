"""Account rules: sign-up, invitations, password reset — used by the auth routes."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ct.extensions import db
from ct.mailer import external_url, queue_email
from ct.models import Choice, Invitation, Membership, Tenant, User
from ct.models.base import utcnow
from ct.models.user import normalize_email
from ct.permissions import ROLE_ADMIN
from ct.tenancy import bound_tenant


def create_user(email: str, display_name: str, password: str, language: str | None) -> User:
    user = User(email=normalize_email(email), display_name=display_name.strip(), language=language)
    user.set_password(password)
    db.session.add(user)
    return user


def sign_up(company: str, display_name: str, email: str, password: str, language: str) -> Tenant:
    """A new company with its founder as admin and the module's default lists."""
    user = create_user(email, display_name, password, language)
    tenant = Tenant(name=company.strip(), slug=Tenant.unique_slug(company))
    db.session.add(tenant)
    db.session.flush()
    with bound_tenant(tenant.id):
        Membership.create(user, ROLE_ADMIN)
        Choice.seed_defaults()
        db.session.flush()
    return tenant


class EmailTaken(Exception):
    """Another account took the email between the form's check and the commit."""


def sign_up_and_commit(company: str, display_name: str, email: str, password: str,
                       language: str) -> Tenant:
    """``sign_up`` committed. A concurrent sign-up may take the same slug or email between
    our checks and our commit: a slug costs one more try, an email raises EmailTaken."""
    for attempt in range(2):
        try:
            tenant = sign_up(company, display_name, email, password, language)
            db.session.commit()
            return tenant
        except IntegrityError:
            db.session.rollback()
            if User.by_email(email) is not None:
                raise EmailTaken from None
            if attempt:
                raise
    raise AssertionError("unreachable")


def invite(email: str, role: str, invited_by: Membership, tenant: Tenant) -> Invitation:
    """Record an invitation and queue its email (both in the caller's transaction)."""
    invitation, token = Invitation.issue(email, role, invited_by)
    existing = User.by_email(email)
    queue_email(
        "invitation",
        invitation.email,
        "invitation",
        existing.language if existing else invited_by.user.language,
        tenant_name=tenant.name,
        inviter=invited_by.user.display_name,
        link=external_url("auth.accept_invitation", token=token),
        expires_at=invitation.expires_at,
    )
    return invitation


def claim_invitation(invitation: Invitation) -> bool:
    """Mark the invitation used; False when another request already did.

    A conditional update: a concurrent acceptance waits for the first one's commit,
    then matches no row — so one link makes one account and one membership.
    """
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
    )
    return result.rowcount == 1


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Join the invitation's tenant (the caller has bound it and claimed the invitation)."""
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    if membership is None:
        membership = Membership.create(user, invitation.role)
    else:  # a former member coming back, with the role they are invited to now
        membership.active = True
        membership.set_role(invitation.role)
    return membership


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier link is dead.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Queue a reset email if the account exists; say nothing either way."""
    user = User.by_email(email)
    if user is None:
        return
    token = _reset_serializer().dumps([user.id, _password_fingerprint(user)])
    queue_email(
        "password_reset",
        user.email,
        "password_reset",
        user.language,
        name=user.display_name,
        link=external_url("auth.reset_password", token=token),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def user_of_reset_token(token: str) -> User | None:
    """The user of a valid, unexpired, unused reset token."""
    try:
        user_id, fingerprint = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if type(user_id) is not int or not isinstance(fingerprint, str):  # True is an int too
        return None
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None or _password_fingerprint(user) != fingerprint:
        return None
    return user
