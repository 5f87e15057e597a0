"""The email templates editor: list, edit with placeholders and live preview, validation
(nothing saved when a template is unusable), reset to default, rights and tenants."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ct.core.permissions import MANAGE_TEMPLATES, READ_ALL_EXCHANGES
from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.extensions import db
from ct.models import EmailTemplate
from tests.admin_support import set_rights
from tests.smtp import invite, outbox

pytestmark = pytest.mark.usefixtures("english")  # asserts the English messages

MAILINFO = "CONTACTRACKING_MAILINFO"
GOOD = {
    "subject": "About {{ tiers }}",
    "body_text": "Hi {{ recipient_name }},\n{{ comment }}",
    "body_html": "<p>Hi {{ recipient_name }}</p>{% if comment %}<p>{{ comment }}</p>{% endif %}",
}


def url(tenant, path=""):
    return f"/t/{tenant.slug}/email-templates/{path}"


def saved(app) -> list[tuple]:
    with app.app_context():
        return [(r.tenant_id, r.name, r.language, r.subject) for r in db.session.scalars(
            select(EmailTemplate).order_by(EmailTemplate.id)
            .execution_options(**{ALL_TENANTS: True}))]


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    return client


def test_the_list_shows_each_editable_email_in_each_language(admin, tenants):
    page = admin.get(url(tenants.a)).get_data(as_text=True)
    for name in (MAILINFO, "invitation", "event_reminder", "task_assigned", "daily_digest",
                 "exchange_mention"):
        for language in ("fr", "en"):
            assert f'href="{url(tenants.a, f"{name}/{language}")}"' in page
    assert "password_reset/" not in page  # platform email: not the company's to word
    assert page.count(">Default<") == 12


def test_the_editor_shows_the_default_wording_the_placeholders_and_a_preview(admin, tenants):
    page = admin.get(url(tenants.a, f"{MAILINFO}/fr")).get_data(as_text=True)
    assert 'value="Échange avec {{ tiers }}{% if object %} : {{ object }}{% endif %}"' in page
    assert "{{ author }} vous informe d’un échange avec {{ tiers }}." in page
    for placeholder in ("tiers", "contacts", "date", "mode", "object", "status", "comment",
                        "confidential_comment", "author", "link"):
        assert f"<code>{{{{ {placeholder} }}}}</code>" in page
    # The preview with sample data, and the HTML email in a sandboxed frame.
    assert '<span id="preview-subject">Échange avec Dupont SARL : Quote</span>' in page
    assert '<iframe name="html-preview" id="html-preview" sandbox' in page
    assert 'hx-trigger="input changed delay:500ms"' in page
    assert "Reset to default" not in page  # nothing to reset yet


def test_unknown_emails_and_languages_are_404(admin, tenants):
    for path in ("password_reset/fr", "nonsense/fr", f"{MAILINFO}/de", f"{MAILINFO}/de/reset",
                 "invitation/xx/html"):
        assert admin.get(url(tenants.a, path)).status_code == 404, path


def test_saving_a_template_changes_the_emails_of_this_company_only(admin, app, auth, client,
                                                                   tenants):
    response = admin.post(url(tenants.a, "invitation/fr"), data={
        "subject": "Rejoignez {{ tenant_name }} !",
        "body_text": "{{ inviter }} vous attend : {{ link }}",
        "body_html": "<p>{{ inviter }} vous attend</p>"})
    assert response.status_code == 303
    assert saved(app) == [(tenants.a.id, "invitation", "fr", "Rejoignez {{ tenant_name }} !")]
    assert "Reset to default" in admin.get(url(tenants.a, "invitation/fr")).text
    assert "Your own, changed on" in admin.get(url(tenants.a)).text

    invite(client, auth, tenants.a, "nina@example.org")
    invite(client, auth, tenants.b, "noe@example.org")
    first, second = outbox(app)
    assert first.subject == "Rejoignez Alpha Conseil !"
    assert first.body_text.startswith("Admin Alpha Conseil vous attend : http://ct.test/")
    assert second.subject == "Admin Beta Industrie vous invite à rejoindre Beta Industrie sur ct"


# (One test for all of them: each test costs a database clean-up.)
UNUSABLE = [
    ("subject", "Hello {{ foo }}", "Unknown placeholder: {{ foo }}"),
    ("body_text", "{{ config }}", "Unknown placeholder: {{ config }}"),
    ("body_text", "{{ range(3) }}", "Unknown placeholder: {{ range }}"),
    ("body_text", "Hi\n{% if comment %}unclosed",
     "Line 2: Unexpected end of template."),
    ("body_html", "<p>{{ tiers }</p>", "Line 1: unexpected '}'"),
    ("body_text", "{{ ''.__class__.__mro__ }}", "is unsafe"),
    ("body_text", "{{ tiers.__class__ }}", "is unsafe"),
    ("body_text", "{% include 'base.html' %}", "cannot include, import or extend"),
    ("body_html", "{% extends 'email/_layout.html' %}", "cannot include, import or extend"),
    ("body_text", "{{ 'x' * 10000000 }}", "The text is too long."),
    ("body_text", "{{ 9 ** 99999 }}", "The number is too large."),
    ("body_text", "{{ 1 / 0 }}", "ZeroDivisionError"),
    ("body_text", "{% for a in tiers %}{% for b in tiers %}.{% endfor %}{% endfor %}",
     "Loops and macros are not available in a template."),
    ("subject", "", "This field is required."),
    ("body_html", "x" * 20_001, "At most 20000 characters."),
    ("body_text", "nul \x00 byte", "Remove the control characters"),
    ("subject", "two\nlines", "Use a single line of plain text."),
]


def test_an_unusable_template_is_explained_and_not_saved(admin, app, tenants):
    for field, value, message in UNUSABLE:
        response = admin.post(url(tenants.a, f"{MAILINFO}/en"), data=GOOD | {field: value})
        assert response.status_code == 422, value
        error = response.text.split(f'id="{field}-error"', 1)[1].split("</small>", 1)[0]
        assert message in error.replace("&#39;", "'").replace("&#34;", '"'), (value, error)
    assert saved(app) == []


def test_the_live_preview_renders_sample_data_or_lists_the_problems(htmx, auth, app, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    preview = url(tenants.a, f"{MAILINFO}/en/preview")
    ok = htmx.post(preview, data=GOOD | {"body_text": "Hi {{ recipient_name }} <b>{{ tiers }}</b>"})
    assert ok.status_code == 200
    assert '<span id="preview-subject">About Dupont SARL</span>' in ok.text
    assert "Hi Camille Martin &lt;b&gt;Dupont SARL&lt;/b&gt;" in ok.text  # shown as text
    assert "<html" not in ok.text  # the fragment only

    bad = htmx.post(preview, data=GOOD | {"subject": "{{ secret }}"})
    assert bad.status_code == 200 and "Unknown placeholder: {{ secret }}" in bad.text
    assert saved(app) == []


def test_the_html_email_is_shown_in_a_sandbox_of_its_own(admin, tenants):
    html = url(tenants.a, f"{MAILINFO}/en/html")
    saved_wording = admin.get(html)
    typed = admin.post(html, data=GOOD | {"body_html": "<p>{{ comment }}</p><script>x()</script>"})
    for response, sample in ((saved_wording, "Dupont SARL"), (typed, "Asked for a quote")):
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        assert policy.startswith("sandbox;") and "frame-ancestors 'self'" in policy
        assert "script-src" not in policy and "default-src 'none'" in policy
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "<style>" in response.text and sample in response.text
    bad = admin.post(html, data=GOOD | {"subject": "{{ x }}"})
    assert bad.status_code == 422 and "Unknown placeholder: {{ x }}" in bad.text
    assert bad.headers["Content-Security-Policy"].startswith("sandbox;")


def test_reset_to_default_asks_then_deletes_the_company_wording(admin, app, tenants):
    admin.post(url(tenants.a, f"{MAILINFO}/en"), data=GOOD)
    assert len(saved(app)) == 1
    confirm = admin.get(url(tenants.a, f"{MAILINFO}/en/reset"))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    assert len(saved(app)) == 1

    response = admin.post(url(tenants.a, f"{MAILINFO}/en/reset"))
    assert response.status_code == 303
    assert response.headers["Location"] == url(tenants.a, f"{MAILINFO}/en")
    assert saved(app) == []
    page = admin.get(url(tenants.a, f"{MAILINFO}/en")).text
    assert 'value="Exchange with {{ tiers }}{% if object %}: {{ object }}{% endif %}"' in page


def invitation_with_stored_template(app, tenant_id: int, subject: str, body_text: str,
                                    body_html: str):
    """An invitation email rendered after a template was stored behind the editor's back."""
    from ct.emails.templates import render_email

    with app.app_context(), bound_tenant(tenant_id):
        db.session.add(EmailTemplate(name="invitation", language="en", subject=subject,
                                     body_text=body_text, body_html=body_html))
        db.session.commit()
        return render_email("invitation", "en", {"inviter": "Ann", "tenant_name": "Alpha",
                                                 "link": "http://x", "expires_at": None})


def test_a_stored_template_that_reaches_for_the_app_falls_back_to_the_default(app, tenants):
    """Written behind the editor's back: rendering still reveals nothing of the app."""
    rendered = invitation_with_stored_template(
        app, tenants.a.id, "{{ config }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ self._TemplateReference__context }}")
    assert rendered.subject == "Ann invites you to join Alpha on ct"
    for part in (rendered.subject, rendered.text, rendered.html):
        assert app.config["SECRET_KEY"] not in part and "subclasses" not in part
        assert "<class" not in part and "TemplateReference" not in part


def test_only_admins_and_template_managers_edit(client, auth, app, tenants):
    a = tenants.a
    auth.login(a.member_email)
    for path in ("", f"{MAILINFO}/fr", f"{MAILINFO}/fr/reset"):
        assert client.get(url(a, path)).status_code == 403
    for path in (f"{MAILINFO}/fr", f"{MAILINFO}/fr/preview", f"{MAILINFO}/fr/reset"):
        assert client.post(url(a, path), data=GOOD).status_code == 403
    assert "Email templates" not in client.get(f"/t/{a.slug}/").text

    set_rights(app, a.id, a.member_membership_id, [READ_ALL_EXCHANGES, MANAGE_TEMPLATES])
    assert client.get(url(a)).status_code == 200
    assert client.post(url(a, f"{MAILINFO}/fr"), data=GOOD).status_code == 303
    assert "Email templates" in client.get(f"/t/{a.slug}/").text
    with app.app_context(), bound_tenant(a.id):
        row = db.session.scalar(select(EmailTemplate))
        assert row.updated_by_id == a.member_membership_id


def test_another_company_is_invisible(client, auth, app, tenants):
    auth.login(tenants.b.admin_email)
    client.post(url(tenants.b, f"{MAILINFO}/fr"), data=GOOD)
    assert client.get(url(tenants.a)).status_code == 404  # not a member of Alpha
    assert client.post(url(tenants.a, f"{MAILINFO}/fr"), data=GOOD).status_code == 404
    auth.login(tenants.a.admin_email)
    assert ">Default<" in client.get(url(tenants.a)).text  # Beta's wording is not Alpha's
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmailTemplate)
                                 .execution_options(**{ALL_TENANTS: True})) == 1


def test_a_form_without_the_csrf_token_is_refused(admin, app, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = admin.post(url(tenants.a, f"{MAILINFO}/fr"), data=GOOD)
    assert response.status_code == 400
    assert saved(app) == []
