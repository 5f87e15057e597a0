"""The rows of the exchanges list and history tabs (the ``exchange_row`` macro of
ct/templates/exchange_list/_macros.html): links to the list filtered on each tiers and
contact, every value escaped."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Tiers
from tests.exchange_data import add, world  # noqa: F401

SEARCHED = "987654321"  # a searched text kept in every link of the page


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
    add(w, tiers_id, w.admin_id, contacts=[contact_id], comment=f"EX1 {SEARCHED}")
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/exchanges/?q={SEARCHED}&status=").get_data(as_text=True)
    assert "<b>Gras" not in html and "<i>Zoé" not in html
    row = re.search(r"<tr><td><input[^>]*>.*?</tr>", html, re.S).group(0)
    assert "&lt;b&gt;Gras&lt;/b&gt; &amp; &#34;Cie&#34;" in row
    assert f'href="/t/{w.slug}/exchanges/?q={SEARCHED}&amp;tiers={tiers_id}"' in row
    assert f'href="/t/{w.slug}/exchanges/?q={SEARCHED}&amp;contact={contact_id}"' in row
    assert "&lt;i&gt;Zoé&lt;/i&gt; O&#39;Neil" in row
    assert f'href="/t/{w.slug}/exchanges/' in row and 'aria-label="Voir l’échange du' in row
    # The sentences are translated once a page; each row's names are escaped in them.
    assert 'title="Seulement les échanges avec &lt;b&gt;Gras&lt;/b&gt; &amp; &#34;Cie&#34;"' in row
    assert re.search(r'aria-label="Sélectionner[^"]*&lt;b&gt;Gras', row)
