"""The contact modes and objects editors: add, rename, reorder, deactivate, import."""

import re

import pytest

from ct.core.tenancy import bound_tenant
from ct.models import Choice
from tests.admin_support import (
    audit,
    choice_id,
    choices,
    exchange,
    labels,
    log_in,
    make_exchange,
    snapshot,
)
from tests.auth_support import field_error, message

MODES = ["Téléphone", "E-mail", "Rendez-vous", "Visioconférence", "Visite", "Courrier"]


@pytest.fixture
def admin(client, tenants):
    return log_in(client, tenants.a.admin_email)


def lists_url(tenants, kind, path, slug=None):
    return f"/t/{slug or tenants.a.slug}/settings/lists/{kind}/{path}"


def add(client, tenants, label, kind="mode"):
    return client.post(lists_url(tenants, kind, "add"), data={f"{kind}-new-label": label})


def rename(client, tenants, entry_id, label, label_en="", kind="mode"):
    return client.post(lists_url(tenants, kind, f"{entry_id}/rename"),
                       data={f"entry-{entry_id}-label": label,
                             f"entry-{entry_id}-label_en": label_en})


def import_lines(client, tenants, text, kind="mode"):
    return client.post(lists_url(tenants, kind, "import"), data={f"{kind}-import-lines": text})


def test_add_appends_an_active_entry_and_audits_it(admin, app, tenants):
    response = add(admin, tenants, "  Fax ")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{tenants.a.slug}/settings/#list-mode"
    assert labels(app, tenants.a.id, "mode") == MODES + ["Fax"]
    fax = choices(app, tenants.a.id, "mode")[-1]
    assert fax.active and fax.position == len(MODES) and fax.code is None
    [entry] = audit(app, tenants.a.id, "settings.list")
    assert (entry.target, entry.before, entry.after) == (f"mode:{fax.id}", {}, {"label": "Fax"})
    assert entry.actor_id == tenants.a.admin_membership_id
    page = admin.get(f"/t/{tenants.a.slug}/settings/").get_data(as_text=True)
    assert message(app, "“%(label)s” added.", label="Fax") in page  # the flash
    history = page[page.index('id="settings-history"'):]
    assert "Fax" in history and message(app, "Contact modes") in history


def test_objects_are_a_list_of_their_own(admin, app, tenants):
    assert add(admin, tenants, "Téléphone", kind="object").status_code == 303  # not a duplicate
    assert labels(app, tenants.a.id, "object")[-1] == "Téléphone"
    assert labels(app, tenants.a.id, "mode") == MODES


DUPLICATE = "“%(label)s” is already in the list."


@pytest.mark.parametrize("label, error, values", [
    ("", "This field is required.", {}),
    ("   ", "This field is required.", {}),
    ("x" * 101, "At most %(max)d characters.", {"max": 100}),
    ("x" * 10_000, "At most %(max)d characters.", {"max": 100}),
    ("Fa\x00x", "Remove the invisible control characters.", {}),
    ("Fa\nx", "Remove the invisible control characters.", {}),
    ("telephone", DUPLICATE, {"label": "Téléphone"}),  # accents and case ignored
    ("TÉLÉPHONE", DUPLICATE, {"label": "Téléphone"}),
    ("  e-MAIL ", DUPLICATE, {"label": "E-mail"}),
    ("Phone", DUPLICATE, {"label": "Téléphone"}),  # its English label
])
def test_bad_new_entries_are_refused(admin, app, tenants, label, error, values):
    before = snapshot(app)
    response = add(admin, tenants, label)
    assert response.status_code == 422
    assert field_error(response, "mode-new-label") == message(app, error, **values)
    assert snapshot(app) == before


def test_a_deactivated_twin_is_named_with_the_way_out(admin, app, tenants):
    phone = choice_id(app, tenants.a.id, "mode", "Téléphone")
    admin.post(lists_url(tenants, "mode", f"{phone}/active"), data={"active": "0"})
    response = add(admin, tenants, "téléphone")
    assert response.status_code == 422
    assert field_error(response, "mode-new-label") == message(
        app, "“%(label)s” is already in the list, deactivated: reactivate it.", label="Téléphone")


def test_rename_keeps_the_entry_and_past_exchanges(admin, app, tenants):
    phone = choice_id(app, tenants.a.id, "mode", "Téléphone")
    used = make_exchange(app, tenants.a.id, tenants.a.admin_membership_id, mode_id=phone)
    response = rename(admin, tenants, phone, "Appel", "Call")
    assert response.status_code == 303
    renamed = choices(app, tenants.a.id, "mode")[0]
    assert (renamed.id, renamed.label, renamed.label_en, renamed.code) == (
        phone, "Appel", "Call", "phone")
    assert exchange(app, tenants.a.id, used).mode_id == phone
    [entry] = audit(app, tenants.a.id, "settings.list")
    assert entry.before == {"label": "Téléphone", "label_en": "Phone"}
    assert entry.after == {"label": "Appel", "label_en": "Call"}


def test_rename_may_change_only_the_case_and_clear_the_english_label(admin, app, tenants):
    phone = choice_id(app, tenants.a.id, "mode", "Téléphone")
    assert rename(admin, tenants, phone, "TÉLÉPHONE").status_code == 303
    renamed = choices(app, tenants.a.id, "mode")[0]
    assert (renamed.label, renamed.label_en) == ("TÉLÉPHONE", None)


@pytest.mark.parametrize("label, label_en, field, error, values", [
    ("", "", "label", "This field is required.", {}),
    ("x" * 101, "", "label", "At most %(max)d characters.", {"max": 100}),
    ("e-mail", "", "label", DUPLICATE, {"label": "E-mail"}),
    ("Appel", "visit", "label_en", DUPLICATE, {"label": "Visite"}),
    ("Appel", "y" * 101, "label_en", "At most %(max)d characters.", {"max": 100}),
    ("Appel", "a\tb", "label_en", "Remove the invisible control characters.", {}),
])
def test_bad_renames_are_refused(admin, app, tenants, label, label_en, field, error, values):
    phone = choice_id(app, tenants.a.id, "mode", "Téléphone")
    before = snapshot(app)
    response = rename(admin, tenants, phone, label, label_en)
    assert response.status_code == 422
    assert field_error(response, f"entry-{phone}-{field}") == message(app, error, **values)
    assert snapshot(app) == before


def test_move_up_and_down(admin, app, tenants):
    email = choice_id(app, tenants.a.id, "mode", "E-mail")
    move = lists_url(tenants, "mode", f"{email}/move")
    assert admin.post(move, data={"direction": "up"}).status_code == 303
    assert labels(app, tenants.a.id, "mode")[:2] == ["E-mail", "Téléphone"]
    admin.post(move, data={"direction": "up"})  # already first: nothing moves
    assert labels(app, tenants.a.id, "mode")[:2] == ["E-mail", "Téléphone"]
    admin.post(move, data={"direction": "down"})
    admin.post(move, data={"direction": "down"})
    assert labels(app, tenants.a.id, "mode")[:3] == ["Téléphone", "Rendez-vous", "E-mail"]
    assert [c.position for c in choices(app, tenants.a.id, "mode")] == list(range(len(MODES)))
    positions = [(e.before, e.after) for e in audit(app, tenants.a.id, "settings.list")]
    assert positions == [({"position": 2}, {"position": 1}), ({"position": 1}, {"position": 2}),
                         ({"position": 2}, {"position": 3})]
    last = choice_id(app, tenants.a.id, "mode", "Courrier")
    admin.post(lists_url(tenants, "mode", f"{last}/move"), data={"direction": "down"})
    assert labels(app, tenants.a.id, "mode")[-1] == "Courrier"


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}, {"direction": ""}])
def test_move_needs_a_direction(admin, app, tenants, data):
    email = choice_id(app, tenants.a.id, "mode", "E-mail")
    before = snapshot(app)
    assert admin.post(lists_url(tenants, "mode", f"{email}/move"), data=data).status_code == 400
    assert snapshot(app) == before


def test_deactivate_and_reactivate_never_touch_past_exchanges(admin, app, tenants):
    visit = choice_id(app, tenants.a.id, "mode", "Visite")
    used = make_exchange(app, tenants.a.id, tenants.a.admin_membership_id, mode_id=visit)
    toggle = lists_url(tenants, "mode", f"{visit}/active")
    assert admin.post(toggle, data={"active": "0"}).status_code == 303
    [entry] = [c for c in choices(app, tenants.a.id, "mode") if c.id == visit]
    assert not entry.active
    assert exchange(app, tenants.a.id, used).mode_id == visit
    with app.app_context(), bound_tenant(tenants.a.id):
        assert "Visite" not in [c.label for c in Choice.active_of("mode")]
    page = admin.get(f"/t/{tenants.a.slug}/settings/").get_data(as_text=True)
    row = page[page.index(f'id="entry-{visit}"'):]
    assert message(app, "Deactivated: no longer offered in the exchange form.") in \
        row[:row.index("</li>")]
    assert admin.post(toggle, data={"active": "1"}).status_code == 303
    assert all(c.active for c in choices(app, tenants.a.id, "mode"))
    changes = [(e.before, e.after) for e in audit(app, tenants.a.id, "settings.list")]
    assert changes == [({"active": True}, {"active": False}), ({"active": False}, {"active": True})]


@pytest.mark.parametrize("data", [{}, {"active": "yes"}, {"active": "2"}])
def test_active_needs_zero_or_one(admin, app, tenants, data):
    visit = choice_id(app, tenants.a.id, "mode", "Visite")
    before = snapshot(app)
    response = admin.post(lists_url(tenants, "mode", f"{visit}/active"), data=data)
    assert response.status_code == 400
    assert snapshot(app) == before


def test_import_keeps_existing_entries_and_appends_new_ones(admin, app, tenants):
    letter = choice_id(app, tenants.a.id, "mode", "Courrier")
    admin.post(lists_url(tenants, "mode", f"{letter}/active"), data={"active": "0"})
    text = "Fax\r\n\r\n  téléphone \nSMS\ncourrier\nfax\nVisio  conférence\n"
    response = import_lines(admin, tenants, text)
    assert response.status_code == 303
    assert labels(app, tenants.a.id, "mode") == MODES + ["Fax", "SMS", "Visio conférence"]
    assert all(c.active for c in choices(app, tenants.a.id, "mode"))  # Courrier is back
    entry = audit(app, tenants.a.id, "settings.list")[-1]
    assert (entry.target, entry.before) == ("mode", {})
    assert entry.after == {"added": ["Fax", "SMS", "Visio conférence"],
                           "reactivated": ["Courrier"]}
    page = admin.get(f"/t/{tenants.a.slug}/settings/").get_data(as_text=True)
    assert message(app, "%(added)d added, %(reactivated)d reactivated, %(kept)d already in the "
                        "list.", added=3, reactivated=1, kept=1) in page


def test_import_of_known_entries_only_changes_nothing(admin, app, tenants):
    response = import_lines(admin, tenants, "Téléphone\nE-MAIL\n")
    assert response.status_code == 303
    assert labels(app, tenants.a.id, "mode") == MODES
    assert audit(app, tenants.a.id) == []


@pytest.mark.parametrize("text, error, values", [
    ("", "Paste at least one entry.", {}),
    ("\n  \n\t\n", "Paste at least one entry.", {}),
    ("\n".join(f"Entry {n}" for n in range(10_000)), "At most %(max)d entries at a time.",
     {"max": 200}),
    ("Fax\n" + "x" * 101 + "\nSMS", "Line %(line)d is longer than %(max)d characters.",
     {"line": 2, "max": 100}),
    ("Fax\nS\x00MS", "Line %(line)d contains invisible control characters.", {"line": 2}),
    ("\n".join(f"Entry {n}" for n in range(195)), "A list holds at most %(max)d entries.",
     {"max": 200}),
])
def test_bad_imports_save_nothing(admin, app, tenants, text, error, values):
    before = snapshot(app)
    response = import_lines(admin, tenants, text)
    assert response.status_code == 422
    assert field_error(response, "mode-import-lines") == message(app, error, **values)
    assert snapshot(app) == before
    # The import box is shown open, with what was pasted.
    summary = message(app, "Import several entries")
    assert re.search(rf"<details open>\s*<summary>{summary}", response.get_data(as_text=True))


def test_htmx_actions_answer_the_list_fragment(htmx, app, tenants):
    log_in(htmx, tenants.a.admin_email)
    response = add(htmx, tenants, "Fax")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<section id="list-mode"')
    assert 'hx-target:inherited="#list-mode"' in html
    assert "Fax" in html and message(app, "“%(label)s” added.", label="Fax") in html
    bad = add(htmx, tenants, "fax")
    assert bad.status_code == 422 and "<html" not in bad.get_data(as_text=True)
    assert field_error(bad, "mode-new-label") == message(app, DUPLICATE, label="Fax")
    fax = choice_id(app, tenants.a.id, "mode", "Fax")
    moved = htmx.post(lists_url(tenants, "mode", f"{fax}/move"), data={"direction": "up"})
    assert moved.status_code == 200 and 'id="list-mode"' in moved.get_data(as_text=True)
    # The flash is shown in the fragment, not kept for the next page.
    page = htmx.get(f"/t/{tenants.a.slug}/settings/", headers={"HX-Request": ""})
    assert message(app, "“%(label)s” added.", label="Fax") not in page.get_data(as_text=True)


def test_another_company_entries_are_404(admin, app, tenants):
    theirs = choice_id(app, tenants.b.id, "mode", "Téléphone")
    before = snapshot(app)
    for path, data in [(f"{theirs}/rename", {f"entry-{theirs}-label": "Spy"}),
                       (f"{theirs}/move", {"direction": "down"}),
                       (f"{theirs}/active", {"active": "0"})]:
        assert admin.post(lists_url(tenants, "mode", path), data=data).status_code == 404, path
        # And through their own address: no membership there.
        assert admin.post(lists_url(tenants, "mode", path, slug=tenants.b.slug),
                          data=data).status_code == 404
    assert snapshot(app) == before


def test_an_entry_of_another_list_or_an_unknown_list_is_404(admin, app, tenants):
    quote = choice_id(app, tenants.a.id, "object", "Devis")
    status = choice_id(app, tenants.a.id, "status", "Clôturé")
    before = snapshot(app)
    assert admin.post(lists_url(tenants, "mode", f"{quote}/active"),
                      data={"active": "0"}).status_code == 404
    # Statuses drive behaviour: not editable here.
    assert admin.post(lists_url(tenants, "status", f"{status}/active"),
                      data={"active": "0"}).status_code == 404
    assert add(admin, tenants, "Nouveau", kind="status").status_code == 404
    assert admin.post(lists_url(tenants, "mode", "999999/active"),
                      data={"active": "0"}).status_code == 404
    assert snapshot(app) == before


def test_html_in_labels_is_shown_as_text(admin, app, tenants):
    add(admin, tenants, "<b>Fax</b>")
    page = admin.get(f"/t/{tenants.a.slug}/settings/").get_data(as_text=True)
    assert "<b>Fax</b>" not in page and "&lt;b&gt;Fax&lt;/b&gt;" in page
