"""Sign-up: a new company with its founder as admin — and every way to get it wrong."""

import re

import pytest
from sqlalchemy import select

from ct.extensions import db
from ct.models import Choice, Membership, Tenant, User
from ct.models.choices import DEFAULTS
from ct.permissions import PRESETS
from ct.tenancy import bound_tenant
from tests.auth_support import (
    STRONG_PASSWORD,
    field_error,
    is_logged_in,
    marked_invalid,
    message,
    row_counts,
)

SIGNUP = {
    "company": "Atelier Dupont",
    "display_name": "Claire Dupont",
    "email": "claire@dupont.fr",
    "password": STRONG_PASSWORD,
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def sign_up(client, **changes):
    return client.post("/signup", data={**SIGNUP, **changes})


def tenant_by_name(app, name: str) -> Tenant:
    with app.app_context():
        return db.session.scalar(select(Tenant).where(Tenant.name == name))


def test_signup_page(client):
    response = client.get("/signup")
    assert response.status_code == 200
    assert b'name="company"' in response.data and b'name="password"' in response.data


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
    client.post("/signup", data=SIGNUP, headers={"Accept-Language": "en-GB,en;q=0.8"})
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
TAKEN = ("An account already uses this email. Log in, or reset your password.", {})


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("email", "alice@alpha.fr", TAKEN),
        ("email", "ALICE@Alpha.FR", TAKEN),
        ("email", "  alice@alpha.fr ", TAKEN),
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
    assert response.status_code == 422
    text, values = expected
    assert field_error(response, field) == message(app, text, **values)
    assert marked_invalid(response, field)  # the form is shown again, the field flagged
    assert row_counts(app) == before
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


def test_email_taken_by_a_concurrent_signup_is_a_field_error(client, app, tenants, monkeypatch):
    """The check passed, then another sign-up took the email before our commit."""
    monkeypatch.setattr(User, "email_taken", staticmethod(lambda email: False))
    before = row_counts(app)
    response = sign_up(client, email="alice@alpha.fr")
    assert response.status_code == 422
    assert field_error(response, "email") == message(app, TAKEN[0])
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
