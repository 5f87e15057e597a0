"""The company's data in real Chromium: an admin exports everything, watches the progress
bar move to done without reloading, and downloads the ZIP; then closes the company,
sees the banner, and cancels."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ExportRun
from ct.models.export_run import RUNNING
from tests.e2e.test_records_journey import log_in, say
from tests.test_import_support import rq_async, run_worker  # noqa: F401 — fixture

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("rq_async")]


@pytest.fixture(autouse=True)
def export_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))


def test_export_everything_and_download(app, page, problems, tenants):
    slug = tenants.a.slug
    log_in(page, tenants.a.admin_email)
    page.locator("#more-menu summary").click()
    page.locator(f"#more-menu a[href='/t/{slug}/data/']").click()
    page.locator("#start-export").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/data/exports/\d+$"))
    run_id = int(page.url.rsplit("/", 1)[1])
    bar = page.locator("#export-run progress")
    expect(page.locator("#export-run[hx-trigger]")).to_have_count(1)  # polling
    expect(bar).not_to_have_attribute("value", re.compile("."))  # waiting: indeterminate
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")

    with app.app_context(), bound_tenant(tenants.a.id):  # as the job reports it
        db.session.execute(update(ExportRun).where(ExportRun.id == run_id)
                           .values(status=RUNNING, total=50, processed=20))
        db.session.commit()
    expect(bar).to_have_attribute("value", "40")
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(update(ExportRun).where(ExportRun.id == run_id)
                           .values(status="queued"))
        db.session.commit()
    run_worker(app)

    link = page.locator("#export-download")
    expect(link).to_be_visible()  # the poll brought the link in
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("#export-run[hx-trigger]")).to_have_count(0)  # polling stopped
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)  # without a reload
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(f"data-{slug}-")
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert {"memberships.csv", "audit_entries.csv", "exchanges.csv"} <= set(archive.namelist())
    assert "alice@alpha.fr" in archive.read("users.csv").decode("utf-8")
    problems.assert_none()


def test_close_the_company_then_cancel(app, page, problems, tenants):
    slug = tenants.a.slug
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{slug}/data/")
    page.fill("#company_name", "Alpha")
    problems.allow(r"422")  # the deliberate wrong name
    page.locator("#close-company-button").click()
    expect(page.locator("#company_name-error")).to_contain_text("Alpha Conseil")
    page.fill("#company_name", "alpha conseil")
    page.locator("#close-company-button").click()
    banner = page.locator("#closing-banner")
    expect(banner).to_be_visible()
    page.goto(f"/t/{slug}/tiers/")
    expect(banner).to_be_visible()  # on every page
    banner.locator("#cancel-closing").click()
    expect(page.locator("#flashes")).to_contain_text(
        say(app, "The closing is cancelled: nothing will be deleted."))
    expect(page.locator("#closing-banner")).to_have_count(0)
    problems.assert_none()
