"""Account rules: sign-up, invitations, password reset — used by the auth routes."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ct.core.jobs import enqueue
from ct.core.permissions import ROLE_ADMIN
from ct.core.tenancy import bound_tenant
from ct.emails.mailer import external_url, queue_email
from ct.emails.templates.catalog import ACCOUNT_EXISTS, PASSWORD_RESET, SIGNUP_CONFIRM
from ct.extensions import db
from ct.models import Choice, Invitation, Membership, OutboxEmail, Tenant, User
from ct.models.base import utcnow
from ct.models.user import normalize_email

log = logging.getLogger(__name__)
ACCOUNT_EMAIL_KINDS = ("password_reset", "signup_confirm", "account_exists")


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
    _send_invitation(invitation, token, invited_by, tenant)
    return invitation


def resend_invitation(invitation: Invitation, resent_by: Membership, tenant: Tenant) -> None:
    """Email a new link for a pending invitation; the link sent before no longer works."""
    _send_invitation(invitation, invitation.renew(), resent_by, tenant)


def _send_invitation(invitation: Invitation, token: str, inviter: Membership,
                     tenant: Tenant) -> None:
    existing = User.by_email(invitation.email)
    queue_email(
        "invitation",
        invitation.email,
        "invitation",
        existing.language if existing else inviter.user.language,
        tenant_name=tenant.name,
        inviter=inviter.user.display_name,
        link=external_url("auth.accept_invitation", token=token),
        expires_at=invitation.expires_at,
    )


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


# --- Emails about an account, sent by jobs ---------------------------------------------
# The request only validates and enqueues: it answers the same, in the same time, whether
# or not an account uses the email. The job looks the account up and writes the email.


def _mailed_too_often(email: str) -> bool:
    """At most ACCOUNT_EMAILS_PER_HOUR sign-up and reset emails to one address an hour: the
    public forms cannot be used to flood someone's inbox."""
    since = utcnow() - timedelta(hours=1)
    sent = db.session.scalar(
        select(func.count()).select_from(OutboxEmail).where(
            OutboxEmail.tenant_id.is_(None), OutboxEmail.to_email == email,
            OutboxEmail.kind.in_(ACCOUNT_EMAIL_KINDS), OutboxEmail.created_at > since))
    return sent >= current_app.config["ACCOUNT_EMAILS_PER_HOUR"]


def _account_email_job(func):
    """A job writing one account email: committed, or skipped past the address's limit."""

    @wraps(func)
    def job(email: str, *args) -> str:
        try:
            if _mailed_too_often(email):
                log.info("%s to %s skipped: too many this hour", func.__name__, email)
                return "limited"
            result = func(email, *args)
            db.session.commit()
            return result
        finally:
            db.session.remove()

    return job


def request_password_reset(email: str) -> None:
    """Hand the reset request to a job; say nothing either way."""
    enqueue(mail_password_reset, normalize_email(email), job_id=f"reset-{secrets.token_hex(8)}")


@_account_email_job
def mail_password_reset(email: str) -> str:
    """Queue a reset email if the account exists."""
    user = User.by_email(email)
    if user is None:
        return "no account"
    token = _reset_serializer().dumps([user.id, _password_fingerprint(user)])
    queue_email("password_reset", user.email, PASSWORD_RESET, user.language,
                name=user.display_name,
                link=external_url("auth.reset_password", token=token),
                minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    return "sent"


@dataclass(frozen=True)
class PendingSignup:
    """What the sign-up form asked for, carried by the confirmation link until then."""

    email: str
    company: str
    display_name: str
    language: str


def request_signup(pending: PendingSignup) -> None:
    """Hand the sign-up to a job: the confirmation link, or a word to the account owner."""
    enqueue(mail_signup_link, normalize_email(pending.email), pending.company,
            pending.display_name, pending.language, job_id=f"signup-{secrets.token_hex(8)}")


@_account_email_job
def mail_signup_link(email: str, company: str, display_name: str, language: str) -> str:
    user = User.by_email(email)
    if user is not None:  # tell the owner, not the form
        queue_email("account_exists", email, ACCOUNT_EXISTS, user.language,
                    name=user.display_name, login_link=external_url("auth.login"),
                    reset_link=external_url("auth.forgot_password"))
        return "account exists"
    token = _signup_serializer().dumps([email, company, display_name, language])
    queue_email("signup_confirm", email, SIGNUP_CONFIRM, language, name=display_name,
                company=company, link=external_url("auth.confirm_signup", token=token),
                hours=current_app.config["SIGNUP_MAX_AGE"] // 3600)
    return "sent"


def _signup_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="signup")


def pending_signup(token: str) -> PendingSignup | None:
    """The sign-up of a valid, unexpired confirmation link."""
    try:
        values = _signup_serializer().loads(token, max_age=current_app.config["SIGNUP_MAX_AGE"])
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if not (isinstance(values, list) and len(values) == 4
            and all(isinstance(v, str) for v in values)):
        return None
    return PendingSignup(*values)


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
