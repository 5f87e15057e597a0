"""The demo company of ``make run`` shows every home page widget with something in it."""

import pytest

from ct.extensions import db

pytestmark = pytest.mark.usefixtures("english_messages")


def test_the_demo_home_page_has_every_widget_filled(app, client, auth):
    from ct.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG, seed

    with app.app_context():
        assert seed() is True
        db.session.commit()
        assert seed() is False  # found again: nothing added twice
    auth.login(DEMO_EMAIL, DEMO_PASSWORD)
    html = client.get(f"/t/{DEMO_SLUG}/").get_data(as_text=True)

    def box(name):
        start = html.find(f'id="widget-{name}"')
        return html[start:html.find("</article>", start)]

    assert box("latest_exchanges").count('class="latest-exchange"') == 8
    upcoming = box("next_contacts")
    assert "is-overdue" in upcoming and "Today" in upcoming
    for kind in ("task", "exchange", "event"):
        assert f"next-{kind}" in upcoming
    assert box("past_events").count("<li>") >= 3  # and today's, once it is over
    assert "4 members" in box("team")
    assert 'id="count-overdue"' in html and 'id="count-today"' in html
