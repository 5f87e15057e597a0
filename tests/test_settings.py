"""The settings page: every option explained, validated, saved, audited and shown."""

import re

import pytest

from ct.core.permissions import MANAGE_SETTINGS, PRESETS
from ct.models.settings import BUTTON_PAGES, DEFAULTS
from tests.admin_support import audit, log_in, set_rights, snapshot, stored_settings
from tests.auth_support import field_error, message

VALID = {
    "choose_user": "y",
    "confidential_comments": "y",
    "collaborators": "y",
    "button_mode": "floating",
    "hidden_button_pages": ["tiers", "agenda"],
    "widget_days": "3",
    "shorten_descriptions": "y",
    "shorten_length": "80",
    "large_contacts_threshold": "5000",
    "plan_next_days": "14",
}
# The form as the page shows it with the defaults (collaborators on, the rest off).
UNCHANGED = {"collaborators": "y", "button_mode": "integrated", "widget_days": "",
             "shorten_length": "120", "large_contacts_threshold": "8000",
             "plan_next_days": "7"}

EXPLANATIONS = [
    "Shows the “made by” field in the exchange form, and lets the author assign the follow-up "
    "to someone else.",
    "Shows a confidential comment in the exchange form, read only by its author and the group "
    "it is shared with.",
    "Lets the author add teammates to an exchange and notify them by email.",
    "The integrated button sits on the pages of your records; the floating button stays in a "
    "corner of every page.",
    "The integrated button is not shown on the pages ticked here.",
    "A past event older than this number of days leaves the home widget; leave empty for no limit.",
    "Cuts long descriptions in the exchanges list, so that more exchanges fit on the screen.",
    "The number of characters kept when descriptions are shortened.",
    "Above this number of contacts, ct never loads the whole contact list into a page: contacts "
    "are found by search.",
]


@pytest.fixture
def admin(client, tenants):
    return log_in(client, tenants.a.admin_email)


def url(tenants, path=""):
    return f"/t/{tenants.a.slug}/settings/{path}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_option_is_explained_in_one_sentence(admin, app, tenants, lang):
    admin.post("/language", data={"language": lang})
    page = admin.get(url(tenants)).get_data(as_text=True)
    for sentence in EXPLANATIONS:
        assert message(app, sentence, lang) in page
    for field in ("choose_user", "confidential_comments", "collaborators", "widget_days",
                  "shorten_descriptions", "shorten_length", "large_contacts_threshold",
                  "plan_next_days"):
        assert f'id="{field}"' in page
    for page_name in BUTTON_PAGES:
        assert f'id="hidden-page-{page_name}"' in page
    assert 'id="list-mode"' in page and 'id="list-object"' in page
    assert 'id="product-picker"' in page and 'id="settings-history"' in page


def test_defaults_are_shown_before_any_save(admin, app, tenants):
    page = admin.get(url(tenants)).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*id="collaborators"|id="collaborators"[^>]*checked',
                     page)
    assert re.search(r'id="large_contacts_threshold"[^>]*value="8000"|value="8000"[^>]*'
                     r'id="large_contacts_threshold"', page)
    assert stored_settings(app, tenants.a.id).large_contacts_threshold == \
        DEFAULTS["large_contacts_threshold"] == 8000


def test_saving_stores_every_option_and_audits_the_changes(admin, app, tenants):
    response = admin.post(url(tenants), data=VALID)
    assert response.status_code == 303
    assert response.headers["Location"] == url(tenants)
    settings = stored_settings(app, tenants.a.id)
    assert settings.choose_user and settings.confidential_comments and settings.collaborators
    assert settings.button_mode == "floating"
    assert settings.hidden_button_pages == ["tiers", "agenda"]  # in the module's order
    assert settings.widget_days == 3
    assert settings.shorten_descriptions and settings.shorten_length == 80
    assert settings.large_contacts_threshold == 5000
    assert settings.shows_floating_button and not settings.shows_integrated_button("home")

    [entry] = audit(app, tenants.a.id, "settings.update")
    assert entry.actor_id == tenants.a.admin_membership_id
    # Only what changed: collaborators was already on.
    assert entry.before == {
        "choose_user": False, "confidential_comments": False, "button_mode": "integrated",
        "hidden_button_pages": [], "widget_days": None, "shorten_descriptions": False,
        "shorten_length": 120, "large_contacts_threshold": 8000, "plan_next_days": 7}
    assert entry.after == {
        "choose_user": True, "confidential_comments": True, "button_mode": "floating",
        "hidden_button_pages": ["tiers", "agenda"], "widget_days": 3,
        "shorten_descriptions": True, "shorten_length": 80, "large_contacts_threshold": 5000,
        "plan_next_days": 14}


def test_recent_changes_show_who_changed_what(admin, app, tenants):
    admin.post(url(tenants), data=UNCHANGED | {"widget_days": "7"})
    admin.post(url(tenants), data=UNCHANGED | {"widget_days": ""})
    page = admin.get(url(tenants)).get_data(as_text=True)
    history = page[page.index('id="settings-history"'):]
    assert "Admin Alpha Conseil" in history
    label = message(app, "Widget window (days)")
    assert message(app, "%(field)s: %(before)s → %(after)s", field=label,
                   before=message(app, "no limit"), after="7") in history
    assert message(app, "%(field)s: %(before)s → %(after)s", field=label, before="7",
                   after=message(app, "no limit")) in history
    # Newest first.
    assert history.index("→ 7<") > history.index("7 →")


def test_saving_the_same_values_writes_no_audit_entry(admin, app, tenants):
    admin.post(url(tenants), data=VALID)
    before = snapshot(app)
    response = admin.post(url(tenants), data=VALID)
    assert response.status_code == 303
    assert len(audit(app, tenants.a.id, "settings.update")) == 1
    assert message(app, "Nothing changed.") in admin.get(url(tenants)).get_data(as_text=True)
    assert snapshot(app)["audit_entries"] == before["audit_entries"]


def test_empty_widget_window_means_no_limit(admin, app, tenants):
    admin.post(url(tenants), data=VALID)
    admin.post(url(tenants), data=VALID | {"widget_days": ""})
    assert stored_settings(app, tenants.a.id).widget_days is None


DAYS = "Enter a number of days between %(min)d and %(max)d, or leave empty for no limit."
LENGTH = "Enter a length between %(min)d and %(max)d characters."
CONTACTS = "Enter a number of contacts between %(min)d and %(max)d."
PLAN_DAYS = "Enter a number of days between %(min)d and %(max)d."
BAD_VALUES = [
    ("widget_days", "-3", DAYS, {"min": 1, "max": 3650}),
    ("widget_days", "0", DAYS, {"min": 1, "max": 3650}),
    ("widget_days", "99999", DAYS, {"min": 1, "max": 3650}),
    ("widget_days", "abc", DAYS, {"min": 1, "max": 3650}),
    ("widget_days", "1e3", DAYS, {"min": 1, "max": 3650}),
    ("shorten_length", "eighty", LENGTH, {"min": 20, "max": 2000}),
    ("shorten_length", "5", LENGTH, {"min": 20, "max": 2000}),
    ("shorten_length", "-1", LENGTH, {"min": 20, "max": 2000}),
    ("shorten_length", "9" * 30, LENGTH, {"min": 20, "max": 2000}),
    ("shorten_length", "", "This field is required.", {}),
    ("large_contacts_threshold", "-1", CONTACTS, {"min": 0, "max": 1_000_000}),
    ("large_contacts_threshold", "", "This field is required.", {}),
    ("plan_next_days", "366", PLAN_DAYS, {"min": 0, "max": 365}),
    ("plan_next_days", "-1", PLAN_DAYS, {"min": 0, "max": 365}),
    ("plan_next_days", "a week", PLAN_DAYS, {"min": 0, "max": 365}),
    ("plan_next_days", "", "This field is required.", {}),
    ("hidden_button_pages", ["tiers", "nowhere"], "Choose pages from the list.", {}),
    ("hidden_button_pages", ["<script>"], "Choose pages from the list.", {}),
    ("button_mode", "sideways", "Choose how the create button is shown.", {}),
    ("button_mode", "", "Choose how the create button is shown.", {}),
]


@pytest.mark.parametrize("field, value, text, values", BAD_VALUES)
def test_bad_values_are_refused_and_nothing_is_saved(admin, app, tenants, field, value, text,
                                                      values):
    admin.post(url(tenants), data=VALID)
    before = snapshot(app)
    response = admin.post(url(tenants), data=VALID | {field: value})
    assert response.status_code == 422
    assert field_error(response, field) == message(app, text, **values)
    assert message(app, "Nothing was saved: correct the fields marked below.") in \
        response.get_data(as_text=True)
    assert snapshot(app) == before


def test_several_errors_are_shown_together(admin, app, tenants):
    response = admin.post(url(tenants), data=VALID | {"widget_days": "-1",
                                                      "shorten_length": "1"})
    assert response.status_code == 422
    assert field_error(response, "widget_days") and field_error(response, "shorten_length")
    assert audit(app, tenants.a.id) == []


def test_htmx_save_answers_the_form_fragment_or_a_redirect(htmx, app, tenants):
    log_in(htmx, tenants.a.admin_email)
    bad = htmx.post(url(tenants), data=VALID | {"widget_days": "-1"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "<html" not in html and 'id="settings-form"' in html
    assert field_error(bad, "widget_days")
    good = htmx.post(url(tenants), data=VALID)
    assert good.status_code == 204 and good.headers["HX-Redirect"] == url(tenants)


def test_menu_shows_settings_to_those_who_may_use_them(client, app, tenants):
    log_in(client, tenants.a.member_email)
    home = f"/t/{tenants.a.slug}/"
    assert f'href="{url(tenants)}"' not in client.get(home).get_data(as_text=True)
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               PRESETS["member"] + [MANAGE_SETTINGS])
    assert f'href="{url(tenants)}"' in client.get(home).get_data(as_text=True)
    # A member (not an admin) holding the right uses the page like an admin.
    assert client.get(url(tenants)).status_code == 200
    assert client.post(url(tenants), data=VALID).status_code == 303
    [entry] = audit(app, tenants.a.id, "settings.update")
    assert entry.actor_id == tenants.a.member_membership_id


def test_another_company_settings_are_404(admin, app, tenants):
    other = f"/t/{tenants.b.slug}/settings/"
    before = snapshot(app)
    assert admin.get(other).status_code == 404
    assert admin.post(other, data=VALID).status_code == 404
    assert snapshot(app) == before


def test_each_company_has_its_own_settings(client, app, tenants):
    log_in(client, tenants.a.admin_email).post(url(tenants), data=VALID)
    assert stored_settings(app, tenants.a.id).button_mode == "floating"
    assert stored_settings(app, tenants.b.id).button_mode == "integrated"
    assert audit(app, tenants.b.id) == []


ODD = ["", " ", "\x00", "x" * 10_000, "<script>alert(1)</script>", "-1", "1.5", "[]"]


@pytest.mark.parametrize("field", ["choose_user", "button_mode", "hidden_button_pages",
                                   "widget_days", "shorten_length",
                                   "large_contacts_threshold", "plan_next_days"])
def test_odd_values_never_crash_the_form(admin, app, tenants, field):
    for value in ODD:
        response = admin.post(url(tenants), data=VALID | {field: value})
        assert response.status_code in (303, 422), (field, value)
        assert b"<script>alert(1)" not in response.data
