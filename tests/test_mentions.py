"""@mentions in exchange comments: the suggestions, the rows derived on save, the one
email per exchange and member, the confidential rule, the Mentions filter and widget."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ct.core.permissions import READ_OWN_EXCHANGES, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.exchanges.mentions import mentions_name
from ct.extensions import db
from ct.models import Exchange, ExchangeMention, OutboxEmail
from tests.admin_support import set_rights
from tests.exchange_records import (  # noqa: F401 — fixture
    exchange_data,
    records,
    set_settings,
)
from tests.test_notify import add_member

pytestmark = pytest.mark.usefixtures("english_messages")

MEMBER = "@Member Alpha Conseil"


def mentions(app, tenant_id) -> list[tuple[int, int, bool]]:
    with app.app_context(), bound_tenant(tenant_id):
        return [(m.exchange_id, m.membership_id, m.confidential) for m in db.session.scalars(
            select(ExchangeMention).order_by(ExchangeMention.id))]


def emails(app, tenant_id) -> list[OutboxEmail]:
    with app.app_context(), bound_tenant(tenant_id):
        rows = db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.kind == "exchange_mention").order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
        return rows


def exchange_ids(app, tenant_id) -> list[int]:
    with app.app_context(), bound_tenant(tenant_id):
        return list(db.session.scalars(select(Exchange.id).order_by(Exchange.id)))


def new(client, side, **changes):
    return client.post(f"/t/{side.slug}/exchanges/new", data=exchange_data(side, **changes))


def test_the_name_must_stand_whole_after_an_at_sign():
    assert mentions_name("Hi @Alice Martin, call", "Alice Martin")
    assert mentions_name("@alice martin", "Alice Martin")
    assert not mentions_name("Hi @Alice Martinez", "Alice Martin")
    assert not mentions_name("write to bob@Alice Martin", "Alice Martin")
    assert not mentions_name("Alice Martin", "Alice Martin")


def test_suggestions_list_the_companys_active_members_only(app, client, auth, tenants):
    add_member(app, tenants.a.id, "alma@alpha.fr", "Alma Rivière")
    add_member(app, tenants.a.id, "gone@alpha.fr", "Alain Parti", active=False)
    add_member(app, tenants.b.id, "albert@beta.fr", "Albert Beta")
    auth.login(tenants.a.admin_email)
    page = client.get(f"/t/{tenants.a.slug}/exchanges/mention-suggestions?q=al")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Alma Rivière" in html and 'role="option"' in html
    assert "Alain Parti" not in html and "Albert" not in html
    # Accents and case aside; any word of the name; never the member typing.
    everyone = client.get(f"/t/{tenants.a.slug}/exchanges/mention-suggestions?q=RIVIE")
    assert "Alma Rivière" in everyone.get_data(as_text=True)
    me = client.get(f"/t/{tenants.a.slug}/exchanges/mention-suggestions?q=admin")
    assert "Admin Alpha Conseil" not in me.get_data(as_text=True)
    assert "No active member matches" in me.get_data(as_text=True)


def test_a_mention_is_stored_and_emailed_once(app, client, auth, tenants, records):  # noqa: F811
    auth.login(tenants.a.admin_email)
    side = records.a
    reply = new(client, side, comment=f"{MEMBER} can you call them back?",
                mention_ids=str(side.member))
    assert reply.status_code == 303
    [exchange_id] = exchange_ids(app, tenants.a.id)
    assert mentions(app, tenants.a.id) == [(exchange_id, side.member, False)]
    [mail] = emails(app, tenants.a.id)
    assert mail.to_email == tenants.a.member_email
    assert "Admin Alpha Conseil vous a mentionné" in mail.subject  # the member reads French
    assert "can you call them back?" in mail.body_text
    assert f"/exchanges/{exchange_id}" in mail.body_text

    # Saved again (the edit form sends the ids back): nothing new.
    edit = f"/t/{side.slug}/exchanges/{exchange_id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert f'name="mention_ids" value="{side.member}"' in form
    data = exchange_data(side, comment=f"{MEMBER} can you call them back? Done.",
                         mention_ids=str(side.member))
    assert client.post(edit, data=data).status_code == 303
    assert len(emails(app, tenants.a.id)) == 1
    assert len(mentions(app, tenants.a.id)) == 1

    # The name taken out of the text: no longer mentioned; written again: a new email.
    assert client.post(edit, data=exchange_data(side, comment="Done.",
                                                mention_ids=str(side.member))).status_code == 303
    assert mentions(app, tenants.a.id) == []
    assert client.post(edit, data=data).status_code == 303
    assert len(emails(app, tenants.a.id)) == 2


def test_an_id_without_its_name_in_the_text_mentions_nobody(app, client, auth, tenants,
                                                            records):  # noqa: F811
    auth.login(tenants.a.admin_email)
    assert new(client, records.a, comment="No name here",
               mention_ids=str(records.a.member)).status_code == 303
    assert mentions(app, tenants.a.id) == [] and emails(app, tenants.a.id) == []


@pytest.mark.parametrize("who", ["other_company", "former", "garbage"])
def test_bad_ids_are_refused_and_nothing_is_written(app, client, auth, tenants, records,  # noqa: F811
                                                    who):
    ids = {"other_company": str(records.b.member),
           "former": str(add_member(app, tenants.a.id, "gone@alpha.fr", "Former One",
                                    active=False)),
           "garbage": "abc"}
    auth.login(tenants.a.admin_email)
    reply = new(client, records.a, comment="@Member Beta Industrie @Former One hello",
                mention_ids=ids[who])
    assert reply.status_code == 422
    html = reply.get_data(as_text=True)
    assert "Mention members chosen from the suggestions." in html or "valid" in html
    assert exchange_ids(app, tenants.a.id) == [] and mentions(app, tenants.a.id) == []
    assert emails(app, tenants.a.id) == []


def test_a_member_who_sees_only_their_own_cannot_be_mentioned(app, client, auth, tenants,
                                                              records):  # noqa: F811
    set_settings(app, tenants.a.id, collaborators=True)
    set_rights(app, tenants.a.id, records.a.member, [READ_OWN_EXCHANGES, WRITE_EXCHANGES])
    auth.login(tenants.a.admin_email)
    reply = new(client, records.a, comment=f"{MEMBER} look", mention_ids=str(records.a.member))
    assert reply.status_code == 422
    assert "Member Alpha Conseil cannot see this exchange" in reply.get_data(as_text=True)
    assert exchange_ids(app, tenants.a.id) == []
    # As a collaborator they see it: the mention is accepted.
    reply = new(client, records.a, comment=f"{MEMBER} look", mention_ids=str(records.a.member),
                collaborator_ids=str(records.a.member))
    assert reply.status_code == 303
    assert len(mentions(app, tenants.a.id)) == 1 and len(emails(app, tenants.a.id)) == 1


def test_confidential_mentions_reach_its_readers_only(app, client, auth, tenants,
                                                       records):  # noqa: F811
    set_settings(app, tenants.a.id, confidential_comments=True)
    auth.login(tenants.a.admin_email)
    secret = f"{MEMBER}: budget is 10k"
    # No group: only the author reads it; the member may not be mentioned there.
    reply = new(client, records.a, confidential_comment=secret,
                mention_ids=str(records.a.member))
    assert reply.status_code == 422
    assert "may not read this confidential comment" in reply.get_data(as_text=True)
    assert exchange_ids(app, tenants.a.id) == []
    # Shared with the member's group: accepted, the email says where but not what.
    reply = new(client, records.a, confidential_comment=secret,
                confidential_group_id=str(records.a.group), mention_ids=str(records.a.member))
    assert reply.status_code == 303
    [exchange_id] = exchange_ids(app, tenants.a.id)
    assert mentions(app, tenants.a.id) == [(exchange_id, records.a.member, True)]
    # The card names the mention to the confidential comment's readers only.
    card = f"/t/{tenants.a.slug}/exchanges/{exchange_id}"
    assert 'class="mentioned">Member Alpha Conseil<' in client.get(card).get_data(as_text=True)
    add_member(app, tenants.a.id, "olga@alpha.fr", "Olga Outside")  # sees all, not in group
    auth.logout()
    auth.login("olga@alpha.fr")
    outside = client.get(card)
    assert outside.status_code == 200 and 'class="mentioned"' not in outside.get_data(as_text=True)
    [mail] = emails(app, tenants.a.id)
    assert "confidential comment" in mail.body_text  # (the tests' messages are English)
    assert "10k" not in mail.body_text and "10k" not in (mail.body_html or "")
    assert mail.confidential_author_id is None  # nothing secret in it for the email log


def test_the_mentions_filter_and_widget_show_it_to_the_mentioned_member_only(
        app, client, auth, tenants, records):  # noqa: F811
    auth.login(tenants.a.admin_email)
    assert new(client, records.a, comment=f"{MEMBER} see this",
               mention_ids=str(records.a.member)).status_code == 303
    assert new(client, records.a, form_token="second-one", comment="Nobody mentioned",
               tiers_id=str(records.a.other_tiers)).status_code == 303
    # The admin is not mentioned: their filter is empty, their widget says so.
    listed = client.get(f"/t/{tenants.a.slug}/exchanges/?mentions=1").get_data(as_text=True)
    assert "Dupont Industrie" not in listed and "Martin Négoce" not in listed
    home = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert "No one has mentioned you yet" in home
    auth.logout()

    auth.login(tenants.a.member_email)
    listed = client.get(f"/t/{tenants.a.slug}/exchanges/?mentions=1").get_data(as_text=True)
    assert "Dupont Industrie" in listed and "Martin Négoce" not in listed
    everything = client.get(f"/t/{tenants.a.slug}/exchanges/").get_data(as_text=True)
    assert "Martin Négoce" in everything
    home = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert 'id="widget-mentions"' in home
    widget = home.split('id="widget-mentions"')[1].split("</article>")[0]
    assert "Dupont Industrie" in widget and "Admin Alpha Conseil mentioned you" in widget


def test_the_api_mentions_through_the_same_form(app, client, tenants, records):  # noqa: F811
    from tests.api_support import bearer, issue_token

    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    reply = client.post("/api/v1/exchanges/", headers=bearer(token), json={
        "tiers_id": records.a.tiers, "occurred_at": "2026-03-10T14:30:00+01:00",
        "comment": f"{MEMBER} please follow up", "mention_ids": [records.a.member]})
    assert reply.status_code == 201, reply.get_json()
    assert len(mentions(app, tenants.a.id)) == 1 and len(emails(app, tenants.a.id)) == 1
    member_token = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    for who, found in ((token, 0), (member_token, 1)):
        listed = client.get("/api/v1/exchanges/?mentions=true", headers=bearer(who))
        assert len(listed.get_json()["items"]) == found
    assert len(client.get("/api/v1/exchanges/?mentions=false",
                          headers=bearer(token)).get_json()["items"]) == 1
    # A PATCH without mention_ids keeps what the text still says, and sends nothing more.
    url = f"/api/v1/exchanges/{reply.get_json()['id']}"
    kept = client.patch(url, headers=bearer(token), json={
        "comment": f"{MEMBER} please follow up today"})
    assert kept.status_code == 200, kept.get_json()
    assert len(mentions(app, tenants.a.id)) == 1 and len(emails(app, tenants.a.id)) == 1
    gone = client.patch(url, headers=bearer(token), json={"comment": "Followed up"})
    assert gone.status_code == 200 and mentions(app, tenants.a.id) == []
    bad = client.post("/api/v1/exchanges/", headers=bearer(token), json={
        "tiers_id": records.a.tiers, "occurred_at": "2026-03-10T14:30:00+01:00",
        "comment": "@Member Beta Industrie hi", "mention_ids": [records.b.member]})
    assert bad.status_code == 422
    assert "mention_ids" in str(bad.get_json())


def test_the_mentioned_member_gets_the_email_by_smtp(app, client, auth, tenants, records,  # noqa: F811
                                                     smtp, run_worker):
    auth.login(tenants.a.admin_email)
    assert new(client, records.a, comment=f"{MEMBER} call Paul",
               mention_ids=str(records.a.member)).status_code == 303
    run_worker()
    [mail] = smtp.received
    assert mail.rcpt_tos == [tenants.a.member_email]
    assert mail.message["Subject"] == "Admin Alpha Conseil vous a mentionné : Dupont Industrie"
