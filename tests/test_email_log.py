"""The email log: the company's outbox for admins — filters, keyset pages, the message as
sent (HTML in a sandboxed frame), retry of failed emails; other companies invisible."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db, rq
from ct.models import OutboxEmail
from ct.models.outbox import FAILED, PENDING, SENT
from tests.smtp import outbox
from tests.sql_count import counting_queries

pytestmark = pytest.mark.usefixtures("english")


def url(tenant, path=""):
    return f"/t/{tenant.slug}/email-log/{path}"


def add_email(app, tenant_id: int | None, to: str, status: str = SENT, **fields) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        row = OutboxEmail(kind=fields.pop("kind", "invitation"), to_email=to, status=status,
                          subject=fields.pop("subject", f"Hello {to}"),
                          body_text=fields.pop("body_text", "Plain text"),
                          body_html=fields.pop("body_html", "<p>Rich</p>"), **fields)
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    return client


def test_the_log_lists_this_company_s_emails_newest_first(admin, app, tenants):
    first = add_email(app, tenants.a.id, "one@example.org")
    failed = add_email(app, tenants.a.id, "two@example.org", status=FAILED, attempts=5,
                       last_error="SMTPDataError: 550 5.7.1 Mailbox unavailable")
    add_email(app, tenants.b.id, "beta@example.org")
    add_email(app, None, "reset@example.org", kind="password_reset")  # no company's

    page = admin.get(url(tenants.a)).text
    assert page.index(f'id="email-{failed}"') < page.index(f'id="email-{first}"')
    assert "SMTPDataError: 550 5.7.1 Mailbox unavailable" in page
    assert "beta@example.org" not in page and "reset@example.org" not in page


def test_filters_by_status_and_recipient(admin, app, tenants):
    add_email(app, tenants.a.id, "jean.dupont@example.org")
    add_email(app, tenants.a.id, "marie@example.org", status=FAILED)
    add_email(app, tenants.a.id, "paul@example.org", status=PENDING)

    def listed(**query):
        page = admin.get(url(tenants.a), query_string=query).text
        return sorted(to for to in ("jean.dupont@example.org", "marie@example.org",
                                    "paul@example.org") if to in page)

    assert listed(status="failed") == ["marie@example.org"]
    assert listed(to="DUPONT") == ["jean.dupont@example.org"]
    assert listed(to="example", status="pending") == ["paul@example.org"]
    assert listed(status="bogus") == ["jean.dupont@example.org", "marie@example.org",
                                      "paul@example.org"]
    # A NUL is refused before any page runs (ct/web/security.py): PostgreSQL cannot search it.
    assert admin.get(url(tenants.a), query_string={"to": "\x00"}).status_code == 400
    for odd in ("%", "_", "x" * 10_000, "<script>"):
        response = admin.get(url(tenants.a), query_string={"to": odd})
        assert response.status_code == 200 and "<script>" not in response.text.split(
            "</form>", 1)[1]
    empty = admin.get(url(tenants.a), query_string={"to": "nobody"}).text
    assert "No email matches these filters." in empty


def test_keyset_pages_and_a_tampered_cursor(admin, app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add_all([OutboxEmail(kind="invitation", to_email=f"p{n:02d}@example.org",
                                        subject=f"n{n:02d}", body_text="t", status=SENT)
                            for n in range(60)])
        db.session.commit()
    first = admin.get(url(tenants.a)).text
    assert "p59@example.org" in first and "p10@example.org" in first
    assert "p09@example.org" not in first
    next_link = first.split('rel="next" href="')[1].split('"')[0]
    second = admin.get(next_link.replace("&amp;", "&")).text
    assert "p09@example.org" in second and "p00@example.org" in second
    assert "p10@example.org" not in second and 'rel="next"' not in second
    tampered = admin.get(url(tenants.a), query_string={"cursor": "bm90LWEtY3Vyc29y"})
    assert tampered.status_code == 200 and "p59@example.org" in tampered.text


def test_the_list_costs_the_same_queries_for_5_or_60_emails(admin, app, tenants):
    def queries(count):
        with app.app_context(), bound_tenant(tenants.a.id):
            db.session.add_all([OutboxEmail(kind="invitation", to_email=f"q{n}@x.org",
                                            subject="s", body_text="t", status=FAILED,
                                            last_error="550")
                                for n in range(count)])
            db.session.commit()
        with counting_queries(app) as statements:
            assert admin.get(url(tenants.a)).status_code == 200
        return len(statements)

    admin.get(url(tenants.a))  # the company's settings: kept from now on
    assert queries(5) == queries(55)


def test_an_htmx_filter_gets_the_results_only(htmx, auth, app, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    add_email(app, tenants.a.id, "one@example.org")
    response = htmx.get(url(tenants.a), query_string={"to": "one"})
    assert response.text.lstrip().startswith('<div id="email-log-results">')
    assert "one@example.org" in response.text


def test_the_message_as_sent(admin, app, tenants):
    email_id = add_email(app, tenants.a.id, "one@example.org", subject="<Devis> & co",
                         body_text="Line 1\n<b>not bold</b>",
                         body_html="<p>Rich</p><script>alert(1)</script>")
    page = admin.get(url(tenants.a, str(email_id))).text
    assert "<h1>&lt;Devis&gt; &amp; co</h1>" in page
    assert '<pre id="email-text">Line 1\n&lt;b&gt;not bold&lt;/b&gt;</pre>' in page
    frame_url = url(tenants.a, f"{email_id}/html")
    assert '<iframe id="email-html" sandbox ' in page and f'src="{frame_url}"' in page
    assert "<script>alert" not in page and 'id="retry"' not in page

    frame = admin.get(url(tenants.a, f"{email_id}/html"))
    assert frame.text == "<p>Rich</p><script>alert(1)</script>"  # as sent, but sandboxed:
    assert frame.headers["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_another_company_s_email_or_a_platform_email_is_404(admin, app, tenants):
    other = add_email(app, tenants.b.id, "beta@example.org", status=FAILED)
    platform = add_email(app, None, "reset@example.org", kind="password_reset")
    for email_id in (other, platform, 99999, 2**40):
        for path in (f"{email_id}", f"{email_id}/html"):
            assert admin.get(url(tenants.a, path)).status_code == 404
        assert admin.post(url(tenants.a, f"{email_id}/retry")).status_code == 404
    assert [r.status for r in outbox(app) if r.id == other] == [FAILED]


def test_retry_of_a_failed_email(admin, app, tenants):
    failed = add_email(app, tenants.a.id, "two@example.org", status=FAILED, attempts=5,
                       last_error="SMTPDataError: 550")
    sent = add_email(app, tenants.a.id, "one@example.org")
    assert 'id="retry"' in admin.get(url(tenants.a, str(failed))).text

    response = admin.post(url(tenants.a, f"{failed}/retry"))
    assert response.status_code == 303
    assert response.headers["Location"] == url(tenants.a, str(failed))
    row = next(r for r in outbox(app) if r.id == failed)
    assert (row.status, row.attempts) == (PENDING, 0)
    with app.app_context():
        assert rq.queue.job_ids == [f"email-{failed}-0-retry"]

    admin.post(url(tenants.a, f"{sent}/retry"))
    assert "Only a failed email can be retried." in admin.get(url(tenants.a, str(sent))).text
    assert next(r for r in outbox(app) if r.id == sent).status == SENT


def test_the_log_is_for_admins(client, auth, app, tenants):
    email_id = add_email(app, tenants.a.id, "one@example.org", status=FAILED)
    auth.login(tenants.a.member_email)
    for path in ("", str(email_id), f"{email_id}/html"):
        assert client.get(url(tenants.a, path)).status_code == 403
    assert client.post(url(tenants.a, f"{email_id}/retry")).status_code == 403
    assert "Email log" not in client.get(f"/t/{tenants.a.slug}/").text
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(OutboxEmail.status)) == FAILED
