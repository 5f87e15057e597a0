"""Files on an exchange in real Chromium (French and English): two chosen with the picker
and a third dropped on the form, listed with their size, one taken back with its ×; a file
over the limit is said at once, then refused next to the field on Save with everything
else kept and nothing saved; the saved files are on the card and download as they were
sent; the edit removes one. The picker is reached and opened with the keyboard."""
# ruff: noqa: F811

import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import func, select

from ct.attachments.files import size_text
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange, ExchangeAttachment
from tests.attachment_support import PDF, png
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.planning_data import make_tiers

pytestmark = pytest.mark.e2e

LIMIT = 4 * 1024  # small, so the file over it stays light
NOTES = "Compte rendu de la réunion de chantier du 12 mars avec le bureau d’études.txt"
NOTES_TEXT = ("Points vus : planning, réserves, levée des réserves.\n" * 60).encode()
SCAN = "Scan_2026-03-12_chantier_Villeurbanne_plans_definitifs_signes.pdf"
SCAN_BYTES = PDF + b"%" + b"0" * (LIMIT + 2048) + b"\n%%EOF\n"

# A DataTransfer holding one file, built in the page as a drag from the desktop makes it.
TRANSFER = """([name, bytes, type]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
  return transfer;
}"""


def say(app, text: str, lang: str, **values) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(text, **values)


def size_of(app, content: bytes, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return size_text(len(content))


def payload(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def drag_and_drop(page, target, name: str, content: bytes, mime: str, shot: str = "") -> None:
    """Real dragenter / dragover / drop events carrying a file, on ``target``."""
    transfer = page.evaluate_handle(TRANSFER, [name, list(content), mime])
    target.dispatch_event("dragenter", {"dataTransfer": transfer})
    target.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(page.locator("#exchange-form")).to_have_class(re.compile(r"\bdragging\b"))
    if shot:
        review_shot(page, shot)
    target.dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator("#exchange-form")).not_to_have_class(re.compile(r"\bdragging\b"))


def chosen_names(page) -> list[str]:
    return page.evaluate("[...document.getElementById('attachments').files].map(f => f.name)")


def counts(app, tenant_id: int) -> tuple[int, int]:
    with app.app_context(), bound_tenant(tenant_id):
        return (db.session.scalar(select(func.count(Exchange.id))),
                db.session.scalar(select(func.count(ExchangeAttachment.id))))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_files_chosen_dropped_refused_saved_downloaded_and_removed(app, page, problems, tenants,
                                                                 monkeypatch, tmp_path, lang):
    # The page reads the limit from the form it is given: set before the pop-up opens.
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", LIMIT)
    a = tenants.a
    make_tiers(app, a.id, "Garage Lenoir")
    # Playwright starts catching file choosers when the first listener comes, without
    # waiting for the browser: listen from the start, so the one Enter opens is caught.
    page.on("filechooser", lambda _chooser: None)
    log_in_reading(page, a.admin_email, lang)
    page.locator("main [data-new-exchange]").click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    page.locator("#tiers-search").fill("Garage")
    with page.expect_response(re.compile(r"/exchanges/tiers-fields\?tiers_id=\d+$")):
        page.locator("#tiers-results [role=option]", has_text="Garage Lenoir").click()
    page.fill("#comment", "Devis et plan envoyés.")
    picker = page.locator("#attachments-picker")
    expect(picker).to_contain_text(say(app, "Add files", lang))
    expect(picker).to_contain_text(say(app, "or drop them here", lang))
    review_shot(page, f"attachments-popup-empty-{lang}.png")

    # The keyboard: Tab from the comment reaches the picker, Enter opens the file chooser.
    page.locator("#comment").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#attachments")).to_be_focused()
    review_shot(page, f"attachments-picker-focus-{lang}.png")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(payload("devis-2026-014.pdf", PDF, "application/pdf"))
    chosen = page.locator("[data-chosen-files] li")
    expect(chosen).to_have_count(1)
    # The picker again: it adds to what was chosen (a browser's own picker would replace).
    page.set_input_files("#attachments", payload("plan.png", png(), "image/png"))
    expect(chosen).to_have_count(2)
    expect(page.locator("[data-files-status]")).to_have_text(
        say(app, "Files chosen: {count}", lang).replace("{count}", "2"))

    # A third file dropped on the comment (anywhere on the form takes it).
    drag_and_drop(page, page.locator("#comment"), NOTES, NOTES_TEXT, "text/plain",
                  shot=f"attachments-dragging-{lang}.png")
    expect(chosen).to_have_count(3)
    for name, content in [("devis-2026-014.pdf", PDF), ("plan.png", png()),
                          (NOTES, NOTES_TEXT)]:
        expect(chosen.filter(has_text=name)).to_contain_text(size_of(app, content, lang))
    assert chosen_names(page) == ["devis-2026-014.pdf", "plan.png", NOTES]

    # Each × is a button named for its file, reached with Tab after the picker; taking one
    # back leaves the others and puts the focus on the × now in its place.
    remove = say(app, "Remove {name}", lang)

    def take_back(name):
        return dialog.get_by_role("button", name=remove.replace("{name}", name), exact=True)

    page.locator("#attachments").focus()
    page.keyboard.press("Tab")
    expect(take_back("devis-2026-014.pdf")).to_be_focused()
    page.keyboard.press("Tab")
    expect(take_back("plan.png")).to_be_focused()
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(2)
    assert chosen_names(page) == ["devis-2026-014.pdf", NOTES]
    expect(take_back(NOTES)).to_be_focused()

    # A file over the limit, dropped on the pop-up's title bar (beside the form, still
    # taken): said at once, in its line.
    drag_and_drop(page, dialog.locator("article > header"), SCAN, SCAN_BYTES, "application/pdf")
    too_large = say(app, "Too large: a file may be %(max)s at most.", lang,
                    max=size_of(app, b"0" * LIMIT, lang))
    expect(chosen.filter(has_text=SCAN)).to_contain_text(too_large)
    picker.scroll_into_view_if_needed()
    review_shot(page, f"attachments-popup-chosen-{lang}.png")
    assert_accessible(page, f"pop-up with files chosen ({lang})", "#exchange-dialog")
    page.emulate_media(color_scheme="dark")
    review_shot(page, f"attachments-popup-chosen-dark-{lang}.png")
    assert_accessible(page, f"pop-up with files chosen, dark ({lang})", "#exchange-dialog")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)
    chosen.last.scroll_into_view_if_needed()
    review_shot(page, f"attachments-popup-phone-{lang}.png")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    # Saved anyway: the server refuses it next to the field, keeps the rest, saves nothing.
    problems.allow(r"status of 422")
    save = dialog.get_by_role("button", name=say(app, "Save the exchange", lang))
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        save.click()
    assert answer.value.status == 422
    refusal = page.locator("#attachments-error")
    expect(refusal).to_contain_text(SCAN)
    expect(refusal).to_contain_text(size_of(app, SCAN_BYTES, lang))
    # The picker came back as it was (hx-preserve); it is marked invalid all the same.
    expect(page.locator("#attachments")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#attachments")).to_have_attribute(
        "aria-describedby", "attachments-help attachments-error")
    expect(page.locator("#comment")).to_have_value("Devis et plan envoyés.")
    expect(page.locator("#tiers-search")).to_have_value("Garage Lenoir")
    expect(chosen).to_have_count(3)
    assert chosen_names(page) == ["devis-2026-014.pdf", NOTES, SCAN]
    assert counts(app, a.id) == (0, 0)
    refusal.scroll_into_view_if_needed()
    review_shot(page, f"attachments-popup-refused-{lang}.png")
    assert_accessible(page, f"pop-up with a refused file ({lang})", "#exchange-dialog")

    take_back(SCAN).click()
    expect(chosen).to_have_count(2)
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        save.click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    assert counts(app, a.id) == (1, 2)

    # The card lists the files; one downloads as it was sent.
    page.locator("#toast a").click()
    expect(page).to_have_url(re.compile(r"/exchanges/\d+$"))
    files = page.locator("#exchange-card .attachment-list li")
    expect(files).to_have_count(2)
    expect(files.first).to_contain_text("devis-2026-014.pdf")
    expect(files.nth(1)).to_contain_text(NOTES)
    review_shot(page, f"attachments-card-{lang}.png", full_page=True)
    with page.expect_download() as download:
        files.get_by_role("link", name="devis-2026-014.pdf").click()
    assert download.value.suggested_filename == "devis-2026-014.pdf"
    target = tmp_path / "devis.pdf"
    download.value.save_as(target)
    assert Path(target).read_bytes() == PDF
    page.set_viewport_size(PHONE)
    review_shot(page, f"attachments-card-phone-{lang}.png", full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    # The edit: the kept files, each with "Remove"; the one ticked goes with the save.
    page.locator("#exchange-edit").click()
    expect(dialog).to_be_visible()
    kept = page.locator(".kept-files li")
    expect(kept).to_have_count(2)
    page.locator(".kept-files").scroll_into_view_if_needed()
    review_shot(page, f"attachments-popup-edit-{lang}.png")
    dialog.get_by_role("checkbox", name=f"{say(app, 'Remove', lang)} {NOTES}").check()
    review_shot(page, f"attachments-popup-edit-removing-{lang}.png")
    with page.expect_response(re.compile(r"/exchanges/\d+/edit$")) as answer:
        save.click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    expect(files).to_have_count(1)
    expect(files.first).to_contain_text("devis-2026-014.pdf")
    expect(page.locator("#exchange-card")).not_to_contain_text(NOTES)
    assert counts(app, a.id) == (1, 1)
    problems.assert_none()
