"""Language: the user's preference, else the browser's, else French — and the switch."""

import re

import pytest
from flask_babel import force_locale, format_date
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Invitation, User
from tests.auth_support import PASSWORD, html_lang, outbox


def set_language(app, email, language):
    with app.app_context():
        User.by_email(email).language = language
        db.session.commit()


def language_of(app, email):
    with app.app_context():
        return User.by_email(email).language


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (None, "fr"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fr-CA,en;q=0.5", "fr"),
        ("de-DE,de;q=0.9", "fr"),  # neither: French
        ("de,en;q=0.5", "en"),
        ("*", "fr"),
        ("garbage;;q=x", "fr"),
    ],
)
def test_anonymous_visitor_gets_the_browser_language(client, accept_language, expected):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get("/login", headers=headers)
    assert response.status_code == 200
    assert html_lang(response) == expected


def test_visible_text_follows_the_language(client):
    """Catalog strings: "Log in" is translated in the French catalog."""
    english = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Log in</h1>" in english and "Se connecter" not in english
    assert "<h1>Se connecter</h1>" in french


def test_switching_language_as_a_visitor(client):
    response = client.post("/language", data={"language": "en"},
                           headers={"Referer": "http://localhost/signup?x=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/signup?x=1"  # back where the visitor was
    assert html_lang(client.get("/login", headers={"Accept-Language": "fr"})) == "en"
    client.post("/language", data={"language": "fr"})
    assert html_lang(client.get("/login", headers={"Accept-Language": "en"})) == "fr"


@pytest.mark.parametrize("language", ["xx", "", "EN", "en'><script>"])
def test_unknown_language_changes_nothing(client, language):
    response = client.post("/language", data={"language": language})
    assert response.status_code == 303
    assert html_lang(client.get("/login")) == "fr"


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/x",
        "//evil.example",
        "not a url",
        "http://localhost//evil.example/x",  # our host, a path browsers read as a host
        "http://localhost/\\evil.example",
    ],
)
def test_switching_language_never_leaves_the_site(client, referer):
    response = client.post("/language", data={"language": "en"}, headers={"Referer": referer})
    assert response.headers["Location"] == "/"


def test_the_users_preference_beats_the_browser(client, auth, app, tenants):
    set_language(app, tenants.a.admin_email, "en")
    client.post("/language", data={"language": "fr"})  # chosen before logging in
    auth.login(tenants.a.admin_email)
    response = client.get(f"/t/{tenants.a.slug}/", headers={"Accept-Language": "fr"})
    assert html_lang(response) == "en"


def test_switching_saves_the_preference_of_the_logged_in_user(app, tenants):
    email, home = tenants.a.admin_email, f"/t/{tenants.a.slug}/"
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        browser.post("/login", data={"email": email, "password": PASSWORD})
        assert html_lang(browser.get(home)) == "fr"
    laptop.post("/language", data={"language": "en"})
    assert language_of(app, email) == "en"
    assert html_lang(laptop.get(home)) == "en"
    assert html_lang(phone.get(home)) == "en"  # the preference follows the user
    # A fresh browser: the saved preference wins over its French Accept-Language.
    fresh = app.test_client()
    fresh.post("/login", data={"email": email, "password": PASSWORD},
               headers={"Accept-Language": "fr"})
    assert html_lang(fresh.get(home, headers={"Accept-Language": "fr"})) == "en"


def test_dates_are_formatted_for_the_language(client, auth, app, tenants):
    auth.login(tenants.a.admin_email)
    members = f"/t/{tenants.a.slug}/members/"
    client.post(f"/t/{tenants.a.slug}/members/invite",
                data={"email": "nina@example.org", "role": "member"})
    with app.app_context(), bound_tenant(tenants.a.id):
        expires_at = db.session.scalar(select(Invitation.expires_at))
    with app.test_request_context():
        with force_locale("fr"):
            french_date = format_date(expires_at)
        with force_locale("en"):
            english_date = format_date(expires_at)
    assert french_date != english_date
    assert french_date in client.get(members).get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    page = client.get(members).get_data(as_text=True)
    assert english_date in page and french_date not in page


def test_emails_are_written_in_the_recipients_language(client, auth, app, tenants):
    set_language(app, tenants.b.admin_email, "en")
    auth.login(tenants.a.admin_email)  # a French-speaking admin
    for email in (tenants.b.admin_email, "nina@example.org"):
        client.post(f"/t/{tenants.a.slug}/members/invite", data={"email": email,
                                                                 "role": "member"})
    english, french = outbox(app, kind="invitation")
    assert re.search(r'<html lang="en">', english.body_html)
    assert re.search(r'<html lang="fr">', french.body_html)  # unknown yet: the inviter's


def test_every_french_message_is_translated_in_every_plural_form():
    """French has three plural forms in CLDR (one, many, other): an empty one shows English."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    import ct

    po = Path(ct.__file__).parent / "translations/fr/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale="fr")
    untranslated = [
        message.id for message in catalog
        if message.id and not (all(message.string) if isinstance(message.string, tuple)
                               else message.string)
    ]
    assert untranslated == []


def test_french_plurals_read_as_french(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("fr"):
        texts = [ngettext("%(num)d member", "%(num)d members", n) for n in (1, 2, 5, 1_000_000)]
    assert texts == ["1 membre", "2 membres", "5 membres", "1000000 membres"]


def test_templates_follow_a_language_forced_within_the_request(app):
    """The templates' catalogue is kept for the request, but not past a forced language
    (an email written in its recipient's language in the middle of a French request)."""
    from flask import render_template_string
    from flask_babel import force_locale

    says = '{{ _("Third party") }} / {{ ngettext("%(num)d member", "%(num)d members", 2) }}'
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        before = render_template_string(says)
        with force_locale("en"):
            forced = render_template_string(says)
        after = render_template_string(says)
    assert (before, forced, after) == ("Tiers / 2 membres", "Third party / 2 members",
                                       "Tiers / 2 membres")
