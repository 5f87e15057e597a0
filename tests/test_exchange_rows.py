"""The rows of the exchanges list and history tabs, built in Python
(ct/blueprints/exchange_list/rows.py): the same dates as babel's, links completed with
each id, every value escaped."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re
from datetime import UTC, datetime, timedelta

import pytest
from babel import Locale, dates

from ct.blueprints.exchange_list.rows import _ID_MARK, ShortDateTime, id_href
from ct.extensions import db
from ct.models import Contact, Tiers
from ct.tenancy import bound_tenant
from tests.exchange_data import add, world  # noqa: F401


@pytest.mark.parametrize("language, zone", [("fr", "Europe/Paris"), ("en", "Europe/Paris"),
                                            ("en", "America/New_York")])
def test_short_dates_are_babels(language, zone):
    locale, tzinfo = Locale.parse(language), dates.get_timezone(zone)
    short = ShortDateTime(locale, tzinfo)
    start = datetime(2026, 3, 28, 20, 17, 5, tzinfo=UTC)  # across the spring change
    for hours in range(0, 24 * 220, 7):  # and the autumn one
        value = start + timedelta(hours=hours)
        assert short(value) == dates.format_datetime(value, "short", tzinfo=tzinfo,
                                                     locale=locale)


def test_an_id_href_is_the_escaped_url_of_each_id():
    href = id_href(lambda i: f"/t/a/exchanges/?q=x&tiers={i}")
    assert href(42) == "/t/a/exchanges/?q=x&amp;tiers=42"
    # The marker's digits elsewhere in the URL (a searched text): each URL in full.
    collides = id_href(lambda i: f"/t/a/exchanges/?tiers={i}&q={_ID_MARK}")
    assert collides(42) == f"/t/a/exchanges/?tiers=42&amp;q={_ID_MARK}"


def test_row_links_and_names_are_escaped(client, auth, world):
    w = world
    with w.app.app_context(), bound_tenant(w.tenant_id):
        tiers = Tiers(name='<b>Gras</b> & "Cie"')
        db.session.add(tiers)
        db.session.flush()
        contact = Contact(first_name="<i>Zoé</i>", last_name="O'Neil", tiers_id=tiers.id)
        db.session.add(contact)
        db.session.commit()
        tiers_id, contact_id = tiers.id, contact.id
    add(w, tiers_id, w.admin_id, contacts=[contact_id], comment=f"EX1 {_ID_MARK}")
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/exchanges/?q={_ID_MARK}&status=").get_data(as_text=True)
    assert "<b>Gras" not in html and "<i>Zoé" not in html
    row = re.search(r"<tr><td><input[^>]*>.*?</tr>", html, re.S).group(0)
    assert "&lt;b&gt;Gras&lt;/b&gt; &amp; &#34;Cie&#34;" in row
    assert f'href="/t/{w.slug}/exchanges/?q={_ID_MARK}&amp;tiers={tiers_id}"' in row
    assert f'href="/t/{w.slug}/exchanges/?q={_ID_MARK}&amp;contact={contact_id}"' in row
    assert "&lt;i&gt;Zoé&lt;/i&gt; O&#39;Neil" in row
    assert f'href="/t/{w.slug}/exchanges/' in row and 'aria-label="Voir l’échange du' in row
