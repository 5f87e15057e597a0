"""The demo company of ``make run`` shows every home page widget with something in it."""

from datetime import timedelta

import pytest

from ct.extensions import db
from ct.models import Tenant
from ct.models.base import utcnow

pytestmark = pytest.mark.usefixtures("english_messages")


def test_the_demo_home_page_has_every_widget_filled(app, client, auth):
    from ct.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG, seed

    with app.app_context():
        assert seed() is True
        db.session.commit()
        assert seed() is False  # found again: nothing added twice
    auth.login(DEMO_EMAIL, DEMO_PASSWORD)
    html = client.get(f"/t/{DEMO_SLUG}/").get_data(as_text=True)

    def box(name):
        start = html.find(f'id="widget-{name}"')
        return html[start:html.find("</article>", start)]

    assert box("latest_exchanges").count('class="latest-exchange"') == 10  # the widget's cap
    upcoming = box("next_contacts")
    assert "is-overdue" in upcoming and "Today" in upcoming
    for kind in ("task", "exchange", "event"):
        assert f"next-{kind}" in upcoming
    assert box("past_events").count("<li>") >= 3  # and today's, once it is over
    assert "4 members" in box("team")
    assert 'id="count-overdue"' in html and 'id="count-today"' in html


def test_the_demo_fills_every_list_with_months_of_history(app, client, auth):
    from ct.core.tenancy import bound_tenant
    from ct.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG, seed
    from ct.models import Contact, Document, Exchange, Product, Tiers

    with app.app_context():
        seed()
        db.session.commit()
        tenant_id = db.session.scalar(
            db.select(Tenant.id).where(Tenant.slug == DEMO_SLUG))
        with bound_tenant(tenant_id):
            counts = {model.__name__: db.session.scalar(
                db.select(db.func.count()).select_from(model))
                for model in (Tiers, Contact, Document, Product, Exchange)}
            oldest = db.session.scalar(db.select(db.func.min(Exchange.occurred_at)))
    assert counts["Tiers"] >= 40 and counts["Contact"] >= 60 and counts["Exchange"] >= 120
    assert counts["Document"] >= 10 and counts["Product"] >= 6
    assert oldest < utcnow() - timedelta(days=90)
    auth.login(DEMO_EMAIL, DEMO_PASSWORD)
    for page in ("tiers/", "contacts/", "documents/", "products/", "exchanges/", "agenda/",
                 "projects/"):
        html = client.get(f"/t/{DEMO_SLUG}/{page}").get_data(as_text=True)
        assert "<tbody>" in html or "<li" in html, page
        assert 'class="empty' not in html, page  # no empty state on a demo page
