"""Public pages: landing, sign-up, log in/out, password reset, invitations, account."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ct.auth import accounts, login_throttle
from ct.blueprints.auth import bp
from ct.blueprints.auth.forms import (
    ChangePasswordForm,
    ConfirmSignupForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from ct.extensions import db, limiter
from ct.models import Membership, User
from ct.models.user import spend_a_password_check
from ct.web.i18n import browser_language
from ct.web.security import end_every_session

INVALID = 422


def failed_attempt(response) -> bool:
    return response.status_code == INVALID


def _same_site_path(target: str) -> bool:
    """Whether redirecting to ``target`` stays on this site (no open redirect)."""
    # Browsers read "\" as "/" and drop tabs and newlines: "/\evil.example" or
    # "/<tab>/evil.example" would leave the site (and a newline cannot go in a header).
    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and all(ch.isprintable() and not ch.isspace() for ch in target)
        and not urlsplit(target).netloc
    )


def _safe_next(default: str) -> str:
    """The ``next`` page asked for, when it is on this site."""
    target = request.args.get("next", "")
    return target if _same_site_path(target) else default


def form_page(template: str, form, **context):
    """A form page: 200 when shown, 422 when submitted with errors."""
    return render_template(template, form=form, **context), INVALID if form.is_submitted() else 200


def _home_of(user: User) -> str:
    tenants = Membership.tenants_of(user.id)
    if len(tenants) == 1:
        return url_for("home.index", slug=tenants[0].slug)
    return url_for("auth.workspaces")


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(_home_of(current_user))
    return render_template("auth/landing.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
def signup():
    """Step 1: the company, the name and the email. The answer is the same whether or not
    the email has an account: a link to confirm it, or a word to its owner, by email."""
    form = SignupForm()
    if not form.validate_on_submit():
        return form_page("auth/signup.html", form)
    accounts.request_signup(accounts.PendingSignup(
        form.email.data, form.company.data.strip(), form.display_name.data.strip(),
        session.get("lang") or browser_language()))
    return redirect(url_for("auth.signup_sent"), 303)


@bp.get("/signup/sent")
def signup_sent():
    return render_template("auth/signup_sent.html")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_signup(token):
    """Step 2, from the emailed link: the password, then the company is created."""
    pending = accounts.pending_signup(token)
    if pending is None:
        return render_template("auth/link_invalid.html"), 404
    if User.email_taken(pending.email):  # the link was used, or an account came meanwhile
        return render_template("auth/signup_done.html", pending=pending), 409
    form = ConfirmSignupForm()
    if not form.validate_on_submit():
        return form_page("auth/signup_confirm.html", form, pending=pending)
    try:
        tenant = accounts.sign_up_and_commit(pending.company, pending.display_name,
                                             pending.email, form.password.data,
                                             language=pending.language)
    except accounts.EmailTaken:
        return render_template("auth/signup_done.html", pending=pending), 409
    login_user(User.by_email(pending.email))
    session["lang"] = pending.language
    flash(_("Welcome to ct! Your company %(name)s is ready.", name=tenant.name), "success")
    return redirect(url_for("home.index", slug=tenant.slug), 303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=failed_attempt
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=login_throttle.account_and_client,
    methods=["POST"],
    deduct_when=failed_attempt,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_NEW"],
    key_func=login_throttle.account_from_new_browsers,
    methods=["POST"],
    deduct_when=failed_attempt,
    exempt_when=login_throttle.trusted_device,
)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(_home_of(current_user)))
    form = LoginForm()
    if not form.validate_on_submit():
        return form_page("auth/login.html", form)
    user = User.by_email(form.email.data)
    if user is None:
        spend_a_password_check(form.password.data)
    if user is None or not user.check_password(form.password.data) or not _may_log_in(user):
        # One message for unknown email and wrong password: nothing to learn from it.
        form.password.errors.append(_("Wrong email or password."))
        return render_template("auth/login.html", form=form), INVALID
    login_user(user, remember=form.remember.data)
    if user.language:
        session["lang"] = user.language
    response = redirect(_safe_next(_home_of(user)), 303)
    login_throttle.trust_this_browser(response, user.email)
    return response


def _may_log_in(user: User) -> bool:
    """A user whose every membership was deactivated can no longer log in."""
    return bool(Membership.tenants_of(user.id)) or not Membership.tenants_of(
        user.id, include_inactive=True
    )


@bp.post("/logout")
def logout():
    # The signed session cookie would still be valid if replayed: revoke it server-side.
    if current_user.is_authenticated:
        end_every_session(current_user)
        db.session.commit()
    # Clear first: logout_user leaves the mark that makes Flask-Login delete the
    # remember-me cookie, and clearing afterwards would keep the cookie alive.
    session.clear()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.get("/workspaces")
@login_required
def workspaces():
    tenants = Membership.tenants_of(current_user.id)
    return render_template("auth/workspaces.html", tenants=tenants)


@bp.get("/workspaces/menu")
@login_required
def workspace_menu():
    """The workspace switcher's items (loaded when the menu opens); ``current``: the
    slug of the company the page shows."""
    tenants = Membership.tenants_of(current_user.id)
    return render_template("auth/_workspace_menu.html", tenants=tenants,
                           current=request.args.get("current", ""))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return form_page("auth/forgot.html", form)
    accounts.request_password_reset(form.email.data)
    # The same answer whether or not the account exists.
    flash(_("If an account uses this email, a link to reset its password is on its way."),
          "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = accounts.user_of_reset_token(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 404
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return form_page("auth/reset.html", form)
    user.set_password(form.password.data)
    db.session.commit()
    logout_user()
    flash(_("Your password is changed. Log in with the new one."), "success")
    response = redirect(url_for("auth.login"), 303)
    # The emailed link proves the inbox: this browser logs in even if guessing elsewhere
    # exhausted the account's limit for new browsers.
    login_throttle.trust_this_browser(response, user.email)
    return response


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            current_user.set_password(form.password.data)
            db.session.commit()
            # The new session token logs out every other session. Keep this one, and
            # re-issue its remember-me cookie (the old one carries the old token).
            login_user(current_user._get_current_object(), remember=_has_remember_cookie())
            flash(_("Your password is changed. Your other sessions are logged out."), "success")
            return redirect(url_for("auth.account"), 303)
        form.current.errors.append(_("Wrong password."))
    # Each company's API tokens page: a token acts in one company only.
    return form_page("auth/account.html", form, tenants=Membership.tenants_of(current_user.id))


def _has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
    return redirect(_safe_back(), 303)


def _safe_back() -> str:
    """The page the form was on, when it is on this site."""
    referrer = urlsplit(request.referrer or "")
    back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if referrer.netloc == request.host and _same_site_path(back):
        return back
    return url_for("auth.index")
