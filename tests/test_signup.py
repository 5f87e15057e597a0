"""Sign-up: a new company with its founder as admin — and every way to get it wrong.

Two steps: the form (company, name, email) answers the same whatever the email, and a job
emails either a confirmation link or, to an existing account's owner, a word that
nothing was created; the link's page asks for the password and creates the company."""

import re

import pytest
from sqlalchemy import func, select

from ct.core.permissions import PRESETS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice, Membership, Tenant, User
from ct.models.choices import DEFAULTS
from tests.auth_support import (
    STRONG_PASSWORD,
    field_error,
    is_logged_in,
    link_in,
    marked_invalid,
    message,
    outbox,
    row_counts,
)
from tests.smtp import run_queued_jobs

SIGNUP = {
    "company": "Atelier Dupont",
    "display_name": "Claire Dupont",
    "email": "claire@dupont.fr",
    "password": STRONG_PASSWORD,
}
FIRST_STEP = ("company", "display_name", "email")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SENT_PAGE = "/signup/sent"


def ask(client, headers=None, **changes):
    """The first step: the form, answered by the "check your inbox" page."""
    data = {key: value for key, value in {**SIGNUP, **changes}.items() if key in FIRST_STEP}
    return client.post("/signup", data=data, headers=headers or {})


def confirmation_link(app, email: str) -> str:
    run_queued_jobs(app)
    return link_in(outbox(app, to=email.strip().lower(), kind="signup_confirm")[-1])


def sign_up(client, **changes):
    """Both steps, as a person does them: the form, the emailed link, the password."""
    app = client.application
    asked = ask(client, **changes)
    if asked.status_code != 303:
        return asked
    assert asked.headers["Location"] == SENT_PAGE
    link = confirmation_link(app, {**SIGNUP, **changes}["email"])
    return client.post(link, data={"password": changes.get("password", SIGNUP["password"])})


def tenant_by_name(app, name: str) -> Tenant:
    with app.app_context():
        return db.session.scalar(select(Tenant).where(Tenant.name == name))


def test_signup_page(client):
    response = client.get("/signup")
    assert response.status_code == 200
    assert b'name="company"' in response.data and b'name="password"' not in response.data


def test_the_first_step_writes_nothing_but_the_email(client, app):
    before = row_counts(app)
    response = ask(client)
    assert response.status_code == 303 and response.headers["Location"] == SENT_PAGE
    page = client.get(SENT_PAGE)
    assert message(app, "Check your inbox") in page.get_data(as_text=True)
    run_queued_jobs(app)
    [email] = outbox(app)
    assert (email.kind, email.to_email, email.tenant_id) == ("signup_confirm",
                                                            "claire@dupont.fr", None)
    assert "Atelier Dupont" in email.subject and "Claire Dupont" in email.body_text
    after = row_counts(app)
    assert {k: v for k, v in after.items() if k != "outbox_emails"} == \
        {k: v for k, v in before.items() if k != "outbox_emails"}
    link = link_in(email)
    assert link.startswith("/signup/confirm/")
    confirm = client.get(link)
    assert confirm.status_code == 200 and b'name="password"' in confirm.data
    assert "claire@dupont.fr" in confirm.get_data(as_text=True)


def test_an_existing_account_gets_the_same_answer_and_its_owner_an_email(client, app,
                                                                         tenants):
    """Nothing in the answer tells the form's user that an account exists."""
    before = row_counts(app)
    taken = ask(client, email=" ALICE@Alpha.FR ")
    free = ask(app.test_client(), email="newcomer@alpha.fr")
    assert taken.status_code == free.status_code == 303
    assert taken.headers["Location"] == free.headers["Location"] == SENT_PAGE
    run_queued_jobs(app)
    [notice] = outbox(app, to="alice@alpha.fr")
    assert notice.kind == "account_exists" and notice.tenant_id is None
    assert "/login" in notice.body_text and "/password/forgot" in notice.body_text
    assert "/signup/confirm/" not in notice.body_text
    assert row_counts(app)["users"] == before["users"]


def test_a_used_or_forged_link_creates_nothing(client, app):
    link = (ask(client), confirmation_link(app, SIGNUP["email"]))[1]
    assert client.post(link, data={"password": STRONG_PASSWORD}).status_code == 303
    again = app.test_client().post(link, data={"password": STRONG_PASSWORD})
    assert again.status_code == 409
    assert message(app, "This email already has an account") in again.get_data(as_text=True)
    forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert app.test_client().get(forged).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tenant)) == 1


def test_the_link_expires(client, app, monkeypatch):
    link = (ask(client), confirmation_link(app, SIGNUP["email"]))[1]
    monkeypatch.setitem(app.config, "SIGNUP_MAX_AGE", -1)
    assert client.get(link).status_code == 404


def test_at_most_three_account_emails_an_hour_to_one_address(client, app, tenants):
    for _ in range(5):
        ask(app.test_client(), email="claire@dupont.fr")
        client.post("/password/forgot", data={"email": "alice@alpha.fr"})
    run_queued_jobs(app)
    assert len(outbox(app, to="claire@dupont.fr")) == 3
    assert len(outbox(app, to="alice@alpha.fr")) == 3


def test_signup_creates_company_with_admin_and_default_lists(client, app):
    response = sign_up(client, email="  Claire@Dupont.FR ")
    assert response.status_code == 303
    tenant = tenant_by_name(app, "Atelier Dupont")
    assert tenant.slug == "atelier-dupont"
    assert response.headers["Location"] == f"/t/{tenant.slug}/"

    with app.app_context(), bound_tenant(tenant.id):
        user = User.by_email("claire@dupont.fr")
        assert user.email == "claire@dupont.fr"  # stored trimmed and lower-case
        assert user.display_name == "Claire Dupont"
        assert user.password_hash != STRONG_PASSWORD and user.check_password(STRONG_PASSWORD)
        membership = Membership.of_user(user.id)
        assert membership.role == "admin" and membership.active
        assert set(membership.rights) == set(PRESETS["admin"])
        seeded = {
            kind: [(c.code, c.label, c.label_en) for c in Choice.active_of(kind)]
            for kind in DEFAULTS
        }
    assert seeded == DEFAULTS  # modes, objects and statuses, French and English labels

    home = client.get(response.headers["Location"])
    assert home.status_code == 200
    assert b"Atelier Dupont" in home.data
    assert message(app, "Welcome to ct! Your company %(name)s is ready.",
                   name="Atelier Dupont") in home.get_data(as_text=True)
    assert is_logged_in(client)


def test_signup_keeps_the_browser_language(client, app):
    ask(client, headers={"Accept-Language": "en-GB,en;q=0.8"})
    client.post(confirmation_link(app, SIGNUP["email"]), data={"password": STRONG_PASSWORD})
    with app.app_context():
        assert User.by_email(SIGNUP["email"]).language == "en"


def test_same_company_name_gets_distinct_slugs(app):
    for n in range(3):
        response = sign_up(app.test_client(), email=f"founder{n}@dupont.fr")
        assert response.status_code == 303
    with app.app_context():
        slugs = db.session.scalars(select(Tenant.slug).order_by(Tenant.id)).all()
    assert slugs == ["atelier-dupont", "atelier-dupont-2", "atelier-dupont-3"]


@pytest.mark.parametrize(
    ("company", "slug"),
    [
        ("Café de la Gare", "cafe-de-la-gare"),
        ("  Ébénisterie L'Étoile  ", "ebenisterie-l-etoile"),
        ("Œuvres & Fils", "oeuvres-fils"),
        ("Straße Łódź Ærø", "strasse-lodz-aero"),
        ("Admin", "admin-2"),  # reserved words never become a slug as they are
        ("東京商事", "company"),
    ],
)
def test_accented_names_give_clean_slugs(client, app, company, slug):
    response = sign_up(client, company=company)
    assert response.status_code == 303
    tenant = tenant_by_name(app, company.strip())
    assert tenant.slug == slug and SLUG.match(tenant.slug)
    assert response.headers["Location"] == f"/t/{slug}/"


TOO_SHORT = ("Use at least %(n)d characters.", {"n": 10})
TOO_LONG = ("Use at most %(n)d characters.", {"n": 128})
COMMON = ("This password is too common; choose another one.", {})
REQUIRED = ("This field is required.", {})
INVALID_EMAIL = ("Enter a valid email address.", {})


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("email", "not-an-email", INVALID_EMAIL),
        ("email", "alice@", INVALID_EMAIL),
        ("email", "", REQUIRED),
        ("password", "short", TOO_SHORT),
        ("password", "azertyuiop", COMMON),
        ("password", "MotDePasse", COMMON),
        ("password", "x" * 129, TOO_LONG),
        ("password", "", REQUIRED),
        ("company", "", REQUIRED),
        ("company", "   ", REQUIRED),
        ("company", "C" * 300, ("At most %(max)d characters.", {"max": 120})),
        ("display_name", "N" * 121, ("At most %(max)d characters.", {"max": 120})),
        ("display_name", "", REQUIRED),
    ],
)
def test_signup_bad_input(client, app, tenants, field, value, expected):
    before = row_counts(app)
    response = sign_up(client, **{field: value})
    if field != "password":
        run_queued_jobs(app)  # nothing was asked for: no email either
    assert response.status_code == 422
    text, values = expected
    assert field_error(response, field) == message(app, text, **values)
    assert marked_invalid(response, field)  # the form is shown again, the field flagged
    after = row_counts(app)
    if field == "password":  # the second step: the confirmation email was sent before
        after["outbox_emails"] -= 1
    assert after == before
    assert not is_logged_in(client)


@pytest.mark.parametrize("field", ["company", "display_name", "email"])
def test_control_characters_are_refused_not_a_crash(client, app, field):
    before = row_counts(app)
    response = sign_up(client, **{field: "Dupont\x00\x07 SARL"})
    assert response.status_code == 422
    assert field_error(response, field)
    assert row_counts(app) == before


def test_html_is_stored_as_text_and_escaped_on_display(client, app):
    company = '<script>alert("x")</script> & Cie'
    response = sign_up(client, company=company, display_name="<b>Bob</b>")
    assert response.status_code == 303
    with app.app_context():
        assert User.by_email(SIGNUP["email"]).display_name == "<b>Bob</b>"
    assert tenant_by_name(app, company).slug == "script-alert-x-script-cie"

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page and "<b>Bob</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Cie" in page
    assert "&lt;b&gt;Bob&lt;/b&gt;" in page


def test_email_taken_between_the_two_steps_creates_nothing(client, app, tenants,
                                                           monkeypatch):
    """The page checked the email was free, then another sign-up took it before our
    commit: the unique index refuses it, and the page says so."""
    link = (ask(client, email="late@alpha.fr"), confirmation_link(app, "late@alpha.fr"))[1]
    with app.app_context():
        from ct.auth import accounts
        accounts.sign_up_and_commit("Other", "Other", "late@alpha.fr", STRONG_PASSWORD, "fr")
    monkeypatch.setattr(User, "email_taken", staticmethod(lambda email: False))
    before = row_counts(app)
    response = client.post(link, data={"password": STRONG_PASSWORD})
    assert response.status_code == 409
    assert row_counts(app) == before


def test_slug_taken_by_a_concurrent_signup_costs_one_more_try(client, app, tenants, monkeypatch):
    """The slug was free when computed, then another company took it before our commit."""
    real_unique_slug = Tenant.unique_slug
    answers = iter([tenants.a.slug])
    monkeypatch.setattr(Tenant, "unique_slug",
                        staticmethod(lambda name: next(answers, None) or real_unique_slug(name)))
    response = sign_up(client, company="Alpha Conseil")
    assert response.status_code == 303
    assert response.headers["Location"] == "/t/alpha-conseil-2/"
    with app.app_context():
        slugs = db.session.scalars(select(Tenant.slug).order_by(Tenant.id)).all()
    assert slugs == [tenants.a.slug, tenants.b.slug, "alpha-conseil-2"]
