"""Done → plan the next one: closing an exchange (card, list, pop-up) offers to plan the
next contact — a to-do exchange or an agenda event with the same tiers and contacts —
through the exchange form's and the event form's own checks."""
# ruff: noqa: F811

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ct.core.permissions import READ_OWN_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Event, Exchange
from tests.admin_support import set_rights
from tests.exchange_records import counts, exchange_data, records, set_settings  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


def _create(app, client, auth, tenants, records, status="in_progress"):
    a = records.a
    auth.login(tenants.a.admin_email)
    response = client.post(f"/t/{a.slug}/exchanges/new", data=exchange_data(
        a, status=status, contact_ids=str(a.contact), mode_id=str(a.mode)))
    assert response.status_code == 303
    with app.app_context(), bound_tenant(tenants.a.id):
        return db.session.scalars(select(Exchange).order_by(Exchange.id.desc())).first().id


@pytest.fixture
def open_exchange(app, client, auth, tenants, records):
    return _create(app, client, auth, tenants, records)


def _url(tenants, exchange_id, suffix):
    return f"/t/{tenants.a.slug}/exchanges/{exchange_id}{suffix}"


def _status(htmx, tenants, exchange_id, status, **extra):
    return htmx.post(_url(tenants, exchange_id, "/status"), data={"status": status, **extra})


@pytest.fixture
def hx(app, htmx, tenants):
    from tests.conftest import PASSWORD
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": PASSWORD})
    return htmx


def test_closing_on_the_card_offers_the_plan_prefilled(app, hx, tenants, records,
                                                       open_exchange):
    set_settings(app, tenants.a.id, plan_next_days=10)
    response = _status(hx, tenants, open_exchange, "closed")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="plan-next-dialog"' in html and 'hx-swap-oob="innerHTML"' in html
    day = (date.today() + timedelta(days=10)).isoformat()
    assert f'value="{day}"' in html
    assert f'<option value="{records.a.mode}" selected' in html
    assert "exchange-saved" in response.headers["HX-Trigger"]  # the status itself is saved
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.get(Exchange, open_exchange).status == "closed"


@pytest.mark.parametrize("status", ["todo", "in_progress"])
def test_no_offer_for_other_statuses(hx, tenants, open_exchange, status):
    html = _status(hx, tenants, open_exchange, status).get_data(as_text=True)
    assert "plan-next-dialog" not in html and "plan-next-link" not in html


def test_no_offer_when_already_closed(hx, tenants, open_exchange):
    _status(hx, tenants, open_exchange, "closed")
    html = _status(hx, tenants, open_exchange, "closed").get_data(as_text=True)
    assert "plan-next-dialog" not in html
    assert "plan-next-link" in html  # the offer stays at hand on the card, on demand


def test_the_list_menu_answers_with_the_dialog_only(hx, tenants, open_exchange):
    response = _status(hx, tenants, open_exchange, "closed", in_list="1")
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("{#") or 'id="plan-next-dialog"' in html
    assert f'data-return-focus="#status-of-{open_exchange}"' in html
    assert _status(hx, tenants, open_exchange, "todo", in_list="1").get_data(as_text=True) == ""
    bad = _status(hx, tenants, open_exchange, "nonsense", in_list="1")
    assert bad.status_code == 422 and "Choose a status from the list." in bad.get_data(True)


def test_the_list_shows_a_status_menu_per_row(hx, tenants, open_exchange):
    html = hx.get(f"/t/{tenants.a.slug}/exchanges/").get_data(as_text=True)
    assert f'id="status-of-{open_exchange}"' in html
    assert f'<form id="status-form-{open_exchange}" hidden></form>' in html


def test_the_pop_up_closing_an_exchange_keeps_the_dialog_on_the_offer(app, hx, tenants,
                                                                     records, open_exchange):
    from tests.exchange_records import exchange_data as data
    response = hx.post(_url(tenants, open_exchange, "/edit"),
                       data=data(records.a, status="closed", in_dialog="1",
                                 contact_ids=str(records.a.contact)))
    html = response.get_data(as_text=True)
    assert 'data-plan-next' in html and "Plan the next contact" in html
    response = hx.post(_url(tenants, open_exchange, "/edit"),
                       data=data(records.a, status="closed", in_dialog="1"))
    assert "data-plan-next" not in response.get_data(as_text=True)  # already closed


def test_a_new_exchange_logged_closed_gets_no_offer(hx, tenants, records):
    from tests.exchange_records import exchange_data as data
    response = hx.post(f"/t/{records.a.slug}/exchanges/new",
                       data=data(records.a, status="closed", in_dialog="1",
                                 contact_ids=str(records.a.contact)))
    assert response.status_code == 200
    assert "data-plan-next" not in response.get_data(as_text=True)


def _plan(hx, tenants, exchange_id, **values):
    day = (date.today() + timedelta(days=3)).isoformat()
    data = {"plan-form_token": "plan-token-1234567890", "plan-what": "exchange",
            "plan-day": day, **values}
    return hx.post(_url(tenants, exchange_id, "/plan-next"), data=data)


def test_planning_creates_a_todo_exchange_with_the_same_people(app, hx, tenants, records,
                                                              open_exchange):
    response = _plan(hx, tenants, open_exchange, **{"plan-mode_id": str(records.a.mode),
                                                    "plan-note": "Ask about the order"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "exchange-saved" in response.headers["HX-Trigger"]
    assert "plan-next-done" in response.headers["HX-Trigger"]
    with app.app_context(), bound_tenant(tenants.a.id):
        new = db.session.scalars(select(Exchange).order_by(Exchange.id.desc())).first()
        assert new.id != open_exchange and new.status == "todo"
        assert new.tiers_id == records.a.tiers and new.mode_id == records.a.mode
        assert [c.contact_id for c in new.contact_links] == [records.a.contact]
        assert new.comment == "Ask about the order"
        assert new.made_by_id == tenants.a.admin_membership_id
    again = _plan(hx, tenants, open_exchange)  # sent twice: no second exchange
    assert again.status_code == 200
    assert counts(app, tenants.a.id)["Exchange"] == 2


def test_planning_an_event_instead(app, hx, tenants, records, open_exchange):
    response = _plan(hx, tenants, open_exchange, **{"plan-what": "event"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "exchange-saved" not in response.headers["HX-Trigger"]
    with app.app_context(), bound_tenant(tenants.a.id):
        event = db.session.scalars(select(Event)).one()
        assert event.tiers_id == records.a.tiers and event.all_day
        assert [c.contact_id for c in event.contact_links] == [records.a.contact]
        assert [m.membership_id for m in event.assignee_links] == [tenants.a.admin_membership_id]
    assert counts(app, tenants.a.id)["Exchange"] == 1


@pytest.mark.parametrize("day, message", [
    ("", "Give the date of the next contact."),
    ("31/12/2030", "Enter a valid date (YYYY-MM-DD)."),
    ((date.today() - timedelta(days=1)).isoformat(), "Choose today or a later date."),
])
@pytest.mark.parametrize("what", ["exchange", "event"])
def test_a_bad_date_writes_nothing(app, hx, tenants, open_exchange, day, message, what):
    before = counts(app, tenants.a.id)
    response = _plan(hx, tenants, open_exchange, **{"plan-day": day, "plan-what": what})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="plan-day-error"' in html and message in html
    assert counts(app, tenants.a.id) == before


def test_a_bad_mode_or_choice_writes_nothing(app, hx, tenants, records, open_exchange):
    before = counts(app, tenants.a.id)
    response = _plan(hx, tenants, open_exchange, **{"plan-mode_id": str(records.b.mode)})
    assert response.status_code == 422 and "Choose a contact mode" in response.get_data(True)
    response = _plan(hx, tenants, open_exchange, **{"plan-what": "party"})
    assert response.status_code == 422
    assert counts(app, tenants.a.id) == before


def test_a_member_without_the_right_gets_no_offer_and_a_forged_post_is_403(
        app, client, htmx, auth, tenants, records, open_exchange):
    from tests.conftest import PASSWORD
    set_rights(app, tenants.a.id, tenants.a.admin_membership_id, [READ_OWN_EXCHANGES],
               role="member")
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": PASSWORD})
    card = htmx.get(_url(tenants, open_exchange, "")).get_data(as_text=True)
    assert "/status" not in card and "plan-next-link" not in card
    rows = htmx.get(f"/t/{tenants.a.slug}/exchanges/").get_data(as_text=True)
    assert "status-of-" not in rows and 'class="status-badge status-in_progress"' in rows
    assert htmx.get(_url(tenants, open_exchange, "/plan-next")).status_code == 403
    before = counts(app, tenants.a.id)
    assert _plan(htmx, tenants, open_exchange).status_code == 403
    assert _status(htmx, tenants, open_exchange, "closed").status_code == 403
    assert counts(app, tenants.a.id) == before


def test_another_companys_exchange_is_404(app, htmx, tenants, records, open_exchange):
    from tests.conftest import PASSWORD
    htmx.post("/login", data={"email": tenants.b.admin_email, "password": PASSWORD})
    url = f"/t/{tenants.b.slug}/exchanges/{open_exchange}/plan-next"
    assert htmx.get(url).status_code == 404
    assert htmx.post(url, data={"plan-day": date.today().isoformat()}).status_code == 404
    assert counts(app, tenants.a.id)["Exchange"] == 1


def test_a_closed_exchanges_card_links_to_the_plan_page(app, client, auth, tenants, records,
                                                        open_exchange):
    card = client.get(_url(tenants, open_exchange, "")).get_data(as_text=True)
    assert "plan-next-link" not in card  # in progress
    response = client.post(_url(tenants, open_exchange, "/status"), data={"status": "closed"})
    assert response.status_code == 303  # without script: back to the card, as before
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="{_url(tenants, open_exchange, "/plan-next")}"' in card
    page = client.get(_url(tenants, open_exchange, "/plan-next")).get_data(as_text=True)
    assert "Plan the next contact" in page and "Not now" in page
    response = _plan(client, tenants, open_exchange)
    assert response.status_code == 303 and "/exchanges/" in response.headers["Location"]
    assert counts(app, tenants.a.id)["Exchange"] == 2


@pytest.mark.parametrize("value, ok", [("0", True), ("365", True), ("366", False),
                                       ("-1", False), ("soon", False), ("", False)])
def test_the_setting_validates_its_range(app, client, auth, tenants, value, ok):
    from tests.conftest import PASSWORD
    auth.login(tenants.a.admin_email, PASSWORD)
    page = client.get(f"/t/{tenants.a.slug}/settings/").get_data(as_text=True)
    assert 'name="plan_next_days"' in page and 'value="7"' in page
    data = {"button_mode": "integrated", "shorten_length": "120",
            "large_contacts_threshold": "8000", "plan_next_days": value}
    response = client.post(f"/t/{tenants.a.slug}/settings/", data=data)
    if ok:
        assert response.status_code in (200, 303)
    else:
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Enter a number of days between 0 and 365." in html or "required" in html
    from ct.models import TenantSettings
    with app.app_context(), bound_tenant(tenants.a.id):
        expected = int(value) if ok else 7
        assert TenantSettings.current().plan_next_days == expected


def test_made_by_the_same_member_by_default_when_the_company_chooses(app, hx, tenants,
                                                                     records):
    a = records.a
    set_settings(app, tenants.a.id, choose_user=True)
    response = hx.post(f"/t/{a.slug}/exchanges/new", data=exchange_data(
        a, status="todo", made_by_id=str(a.member), contact_ids=str(a.contact)))
    assert response.status_code == 204  # htmx from the page's form: redirected
    with app.app_context(), bound_tenant(tenants.a.id):
        closed = db.session.scalars(select(Exchange)).one().id
    html = _status(hx, tenants, closed, "closed").get_data(as_text=True)
    assert f'<option value="{a.member}" selected' in html
    assert _plan(hx, tenants, closed, **{"plan-made_by_id": str(a.member)}).status_code == 200
    assert _plan(hx, tenants, closed, **{"plan-form_token": "plan-token-event-000001",
                                         "plan-what": "event",
                                         "plan-made_by_id": str(a.member)}).status_code == 200
    with app.app_context(), bound_tenant(tenants.a.id):
        todo = db.session.scalars(select(Exchange).where(Exchange.status == "todo")).one()
        assert todo.made_by_id == a.member
        event = db.session.scalars(select(Event)).one()
        assert [m.membership_id for m in event.assignee_links] == [a.member]
    refused = _plan(hx, tenants, closed, **{"plan-form_token": "plan-token-other-0001",
                                            "plan-made_by_id": str(records.b.admin)})
    assert refused.status_code == 422 and 'id="plan-made_by_id-error"' in refused.get_data(True)


@pytest.mark.parametrize("what", ["exchange", "event"])
def test_a_contact_moved_to_another_tiers_meanwhile_is_said_and_nothing_written(
        app, hx, tenants, records, open_exchange, what):
    from ct.models import Contact
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.get(Contact, records.a.contact).tiers_id = records.a.other_tiers
        db.session.commit()
    before = counts(app, tenants.a.id)
    response = _plan(hx, tenants, open_exchange, **{"plan-what": what})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was planned:" in html and "Not a contact of" in html
    assert counts(app, tenants.a.id) == before
